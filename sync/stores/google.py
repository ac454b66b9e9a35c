"""The follow-ups calendar in Google (or the primary calendar) as a store.

`existing` lists the tool's events there (one request a page, tombstones included);
`apply` writes in batches and records each write as it lands, so a pass that dies
half-way leaves the records true to the calendar and the next pass continues. What it
meets is reported, not settled: an insert answered 409 (the deterministic id exists: a
retried insert that had landed, a lost status file, a tombstone) goes into
`Applied.conflicts`, and the pass lists the calendar and plans again. An event without
our marker is never touched, whatever its id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sync.errors import TemporaryError
from sync.google.api import Api, ItemResult, describe, status_of
from sync.google.events import (
    MANAGED,
    SOURCE,
    content_hash_of,
    is_cancelled,
    marker_hash,
    private_props,
    reminder_body,
)
from sync.planner import Action, Existing, Kind, Plan
from sync.stores.base import Applied, record_of
from sync.stores.records import RecordBook, RecordStatus, WriteRecord

log = logging.getLogger("followup.google")


class TargetGone(Exception):
    """The target calendar answered 404/410: the user deleted it."""


def target_name(calendar_id: str) -> str:
    return f"google:{calendar_id}"


@dataclass
class GoogleStore:
    api: Api
    book: RecordBook
    calendar_id: str

    @property
    def name(self) -> str:
        return target_name(self.calendar_id)

    def believed(self) -> dict[str, Existing]:
        """What the records say is there, without asking Google (an unchanged pass plans
        against this and, finding nothing to do, never reads the target)."""
        return {
            key: Existing(
                key,
                row.written_hash,
                row.written_hash,
                deleted=row.status is not RecordStatus.ACTIVE,
                withdrawn=row.status is RecordStatus.WITHDRAWN,
                source=row.source,
                written_start=row.extra.get("start"),
            )
            for key, row in self.book.records().items()
        }

    def existing(self) -> dict[str, Existing]:
        return existing_in(self.book.records(), list_managed(self.api, self.calendar_id))

    def adopt(self, existing: Mapping[str, Existing]) -> None:
        known = self.book.records()
        for key, have in existing.items():
            if key not in known:
                self.book.save(record_of(have))

    def apply(self, plan: Plan) -> Applied:
        return apply_plan(self.api, self.book, self.calendar_id, plan)


def source_of(resource: dict[str, Any]) -> str:
    """The source identity a reminder follows, from its marker ("primary/<event id>")."""
    ref = private_props(resource).get(SOURCE) or ""
    calendar_id = ref.split("/", 1)[0]
    return f"google:{calendar_id}" if calendar_id else ""


def existing_in(
    rows: dict[str, WriteRecord], listed: dict[str, dict[str, Any]]
) -> dict[str, Existing]:
    """What is really in the target, with the records saying who removed what.

    The `followup_hash` marker on the event is what the tool last wrote; the event's
    current content hashes to something else when the user edited it. A tombstone is
    ours to restore only if the records say the tool withdrew it; with no record (lost
    file) it counts as deleted by the user: never recreate what the user might have
    deleted. Content that hashes to what Google answered our own write is ours."""
    out: dict[str, Existing] = {}
    for key, resource in listed.items():
        row = rows.get(key)
        source = (row.source if row else "") or source_of(resource)
        start = row.extra.get("start") if row else None
        if is_cancelled(resource):
            out[key] = Existing(
                key,
                row.written_hash if row else marker_hash(resource),
                None,
                deleted=True,
                withdrawn=row is not None and row.status is RecordStatus.WITHDRAWN,
                source=source,
                written_start=start,
            )
        else:
            written = marker_hash(resource) or (row.written_hash if row else None)
            current = content_hash_of(resource)
            if row is not None and row.seen is not None and current == row.seen:
                current = written
            out[key] = Existing(key, written, current, source=source, written_start=start)
    for key, row in rows.items():
        if key not in out:  # gone without a trace (purged tombstone)
            out[key] = Existing(
                key,
                row.written_hash,
                None,
                deleted=True,
                withdrawn=row.status is RecordStatus.WITHDRAWN,
                source=row.source,
            )
    return out


def list_managed(api: Api, calendar_id: str) -> dict[str, dict[str, Any]]:
    """Every event the tool wrote into a calendar, tombstones included, by id.

    Raises TargetGone when the calendar no longer exists."""
    from googleapiclient.errors import HttpError

    out: dict[str, dict[str, Any]] = {}
    page = None
    while True:
        params: dict[str, Any] = {
            "calendarId": calendar_id,
            "privateExtendedProperty": f"{MANAGED}=1",
            "showDeleted": True,
            "maxResults": 2500,
            "singleEvents": False,
        }
        if page:
            params["pageToken"] = page
        try:
            answer = api.call(api.events().list(**params), "reading the follow-ups calendar")
        except HttpError as exc:
            if status_of(exc) in (404, 410):
                raise TargetGone(calendar_id) from None
            raise
        for item in answer.get("items") or []:
            if item.get("id"):
                out[item["id"]] = item
        page = answer.get("nextPageToken")
        if not page:
            return out


def apply_plan(api: Api, book: RecordBook, calendar_id: str, the_plan: Plan) -> Applied:
    done = Applied()
    by_key = {action.key: action for action in the_plan.actions}
    missing: list[Action] = []

    def factory(action: Action) -> Callable[[], Any]:
        events = api.events()
        if action.kind is Kind.CREATE:
            assert action.reminder is not None
            body = reminder_body(action.reminder)
            return lambda: events.insert(calendarId=calendar_id, body=body)
        if action.kind in (Kind.UPDATE, Kind.RESTORE):
            assert action.reminder is not None
            body = reminder_body(action.reminder, with_id=False)
            if action.kind is Kind.RESTORE:
                body["status"] = "confirmed"
            return lambda: events.patch(calendarId=calendar_id, eventId=action.key, body=body)
        return lambda: events.delete(calendarId=calendar_id, eventId=action.key)

    def landed(key: str, result: ItemResult) -> None:
        action = by_key[key]
        if result.ok:
            book.save(_record(action, result.response))
            done.add(action.kind)
            return
        status = status_of(result.error) if result.error else None
        if status == 409 and action.kind is Kind.CREATE:
            done.conflicts.append(key)  # a fact: the pass lists and plans again
        elif status == 410 and action.kind is Kind.DELETE:
            # Already a tombstone: the user deleted it before we did.
            book.save(_record(action, None).but(status=RecordStatus.USER_DELETED))
        elif status == 404:
            missing.append(action)
        else:
            what = action.reminder.title if action.reminder else key
            done.warnings.append(
                f"could not {action.kind.value} the reminder {what!r}: "
                f"{describe(result.error) if result.error else 'unknown error'}; skipped"
            )

    actions = [a for a in the_plan.actions if a.kind is not Kind.PURGE]
    failing = api.batch(((a.key, factory(a)) for a in actions), landed)

    if missing:
        if calendar_id != "primary" and _calendar_gone(api, calendar_id):
            raise TargetGone(calendar_id)
        for action in missing:  # the event itself is gone (purged tombstone)
            book.save(_record(action, None).but(status=RecordStatus.USER_DELETED))
    if failing:
        raise TemporaryError(
            f"{len(failing)} reminder write(s) kept failing "
            f"({describe(next(iter(failing.values())))}); the others are saved, "
            "the next run finishes the job"
        )
    return done


def _record(action: Action, response: dict[str, Any] | None) -> WriteRecord:
    if action.reminder is not None:
        written = action.reminder.content_hash()
        start = action.reminder.start.isoformat()
    else:
        written = action.existing.written_hash if action.existing else None
        start = action.existing.written_start if action.existing else None
    if action.kind is Kind.DELETE:
        status, seen = RecordStatus.WITHDRAWN, None
    else:
        status = RecordStatus.ACTIVE
        seen = content_hash_of(response) if response and "start" in response else None
    return WriteRecord(
        key=action.key,
        written_hash=written,
        status=status,
        source=action.source,
        seen=seen,
        extra={"start": start} if start else {},
    )


def _calendar_gone(api: Api, calendar_id: str) -> bool:
    from googleapiclient.errors import HttpError

    try:
        api.call(api.calendars().get(calendarId=calendar_id), "checking the follow-ups calendar")
    except HttpError as exc:
        if status_of(exc) in (404, 410):
            return True
        raise
    return False
