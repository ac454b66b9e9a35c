"""Apply a reconcile plan to the target calendar, recording each write as it lands.

Writes go in batches (`Api.batch`); every successful item is saved in state at once,
so a pass that dies half-way leaves state true to the calendar and the next pass
continues. Ownership rules enforced here, beyond the planner's:

- insert answers 409 (the deterministic id exists already: a retried insert that had
  landed, or a lost state file): the event is fetched and reconciled. Ours and
  unedited -> updated if needed; edited by the user -> left; a tombstone -> restored
  only if the tool withdrew it, otherwise the user deleted it and it stays deleted.
- an event without our marker is never touched, whatever its id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rules.model import Reminder
from sync.backend import Applied
from sync.errors import TemporaryError
from sync.google.api import Api, ItemResult, describe, status_of
from sync.google.events import (
    content_hash_of,
    is_cancelled,
    is_managed,
    marker_hash,
    reminder_body,
)
from sync.reconcile import Action, Existing, Kind, Plan
from sync.state import State

log = logging.getLogger("followup.google")

ACTIVE, WITHDRAWN, USER_DELETED = "active", "withdrawn", "user_deleted"


class CalendarMissing(Exception):
    """Writes answered 404 and the calendar itself is gone."""


@dataclass
class GoogleStore:
    """The target calendar as a `sync.backend.ReminderStore`.

    `existing` lists the tool's events there (one request a page, tombstones included;
    raises `sync.google.target.TargetGone` when the calendar is gone); `apply` writes
    in batches and records each write in state as it lands."""

    api: Api
    state: State
    calendar_id: str

    def existing(self) -> dict[str, Existing]:
        from sync.google.target import list_managed

        return existing_in(self.state, self.calendar_id, list_managed(self.api, self.calendar_id))

    def believed(self) -> dict[str, Existing]:
        """What state says is there, without asking Google (an unchanged pass plans
        against this and, finding nothing to do, never reads the target)."""
        out = {}
        for key, row in self.state.managed().items():
            if row.calendar_id == self.calendar_id:
                out[key] = Existing(
                    key,
                    row.written_hash,
                    row.written_hash,
                    deleted=row.status != ACTIVE,
                    withdrawn=row.status == WITHDRAWN,
                )
        return out

    def apply(self, plan: Plan) -> Applied:
        return apply_plan(self.api, self.state, self.calendar_id, plan)


def existing_in(
    state: State, calendar_id: str, listed: dict[str, dict[str, Any]]
) -> dict[str, Existing]:
    """What is really in the target, with state saying who removed what.

    The `followup_hash` marker on the event is what the tool last wrote; the event's
    current content hashes to something else when the user edited it. A tombstone is
    ours to restore only if state says the tool withdrew it; with no state (lost file)
    it counts as deleted by the user: never recreate what the user might have deleted.
    Content that hashes to what Google answered our own write is ours, not an edit."""
    rows = {k: v for k, v in state.managed().items() if v.calendar_id == calendar_id}
    out: dict[str, Existing] = {}
    for key, resource in listed.items():
        row = rows.get(key)
        if is_cancelled(resource):
            out[key] = Existing(
                key,
                row.written_hash if row else marker_hash(resource),
                None,
                deleted=True,
                withdrawn=row is not None and row.status == WITHDRAWN,
            )
        else:
            written = marker_hash(resource) or (row.written_hash if row else None)
            current = content_hash_of(resource)
            if row is not None and row.seen_hash is not None and current == row.seen_hash:
                current = written
            out[key] = Existing(key, written, current)
    for key, row in rows.items():
        if key not in out:  # gone without a trace (purged tombstone)
            withdrawn = row.status == WITHDRAWN
            out[key] = Existing(key, row.written_hash, None, deleted=True, withdrawn=withdrawn)
    return out


def apply_plan(api: Api, state: State, calendar_id: str, the_plan: Plan) -> Applied:
    done = Applied()
    by_key = {action.key: action for action in the_plan.actions}
    conflicts: list[Action] = []
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
            _record(state, calendar_id, action, done, result.response)
            return
        status = status_of(result.error) if result.error else None
        if status == 409 and action.kind is Kind.CREATE:
            conflicts.append(action)
        elif status == 410 and action.kind is Kind.DELETE:
            # Already a tombstone: the user deleted it before we did.
            _save(state, key, calendar_id, _written(action), USER_DELETED)
        elif status == 404:
            missing.append(action)
        else:
            what = action.reminder.title if action.reminder else key
            done.warnings.append(
                f"could not {action.kind.value} the reminder {what!r}: "
                f"{describe(result.error) if result.error else 'unknown error'}; skipped"
            )

    failing = api.batch(((a.key, factory(a)) for a in the_plan.actions), landed)

    if missing:
        if calendar_id != "primary" and _calendar_gone(api, calendar_id):
            raise CalendarMissing(calendar_id)
        for action in missing:  # the event itself is gone (purged tombstone)
            _save(state, action.key, calendar_id, _written(action), USER_DELETED)
    for action in conflicts:
        _resolve_conflict(api, state, calendar_id, action, done)
    if failing:
        raise TemporaryError(
            f"{len(failing)} reminder write(s) kept failing "
            f"({describe(next(iter(failing.values())))}); the others are saved, "
            "the next run finishes the job"
        )
    return done


def _written(action: Action) -> str | None:
    if action.reminder is not None:
        return action.reminder.content_hash()
    return action.existing.written_hash if action.existing else None


def _save(
    state: State,
    key: str,
    calendar_id: str,
    written: str | None,
    status: str,
    seen: str | None = None,
) -> None:
    with state.transaction():
        state.save_managed(key, calendar_id, written, status, seen)


def _record(
    state: State,
    calendar_id: str,
    action: Action,
    done: Applied,
    response: dict[str, Any] | None = None,
) -> None:
    if action.kind is Kind.DELETE:
        _save(state, action.key, calendar_id, _written(action), WITHDRAWN)
        done.add(Kind.DELETE)
        return
    seen = content_hash_of(response) if response and "start" in response else None
    _save(state, action.key, calendar_id, _written(action), ACTIVE, seen)
    done.add(action.kind)


def _calendar_gone(api: Api, calendar_id: str) -> bool:
    from googleapiclient.errors import HttpError

    try:
        api.call(api.calendars().get(calendarId=calendar_id), "checking the follow-ups calendar")
    except HttpError as exc:
        if status_of(exc) in (404, 410):
            return True
        raise
    return False


def _resolve_conflict(
    api: Api, state: State, calendar_id: str, action: Action, done: Applied
) -> None:
    """Insert said 409: the id exists. Fetch it and decide by its markers and state."""
    reminder: Reminder | None = action.reminder
    assert reminder is not None
    key = action.key
    current = api.call(
        api.events().get(calendarId=calendar_id, eventId=key), "reading an existing reminder"
    )
    if not is_managed(current):
        done.warnings.append(f"event {key} exists but was not written by followup; left alone")
        done.left += 1
        return
    desired = reminder.content_hash()
    row = state.managed().get(key)
    if is_cancelled(current):
        if row is not None and row.status == WITHDRAWN:
            restore = Action(Kind.RESTORE, key, "interview is back", reminder, action.existing)
            _patch(api, state, calendar_id, restore, done)
        else:
            _save(state, key, calendar_id, marker_hash(current), USER_DELETED)
            done.left += 1
        return
    marker = marker_hash(current)
    if marker is not None and content_hash_of(current) != marker:
        _save(state, key, calendar_id, marker, ACTIVE)  # edited by the user: theirs now
        done.left += 1
        return
    if marker == desired:
        _save(state, key, calendar_id, desired, ACTIVE)  # our earlier insert had landed
        done.created += 1
        return
    update = Action(Kind.UPDATE, key, "interview changed", reminder, action.existing)
    _patch(api, state, calendar_id, update, done)


def _patch(api: Api, state: State, calendar_id: str, action: Action, done: Applied) -> None:
    assert action.reminder is not None
    body = reminder_body(action.reminder, with_id=False)
    if action.kind is Kind.RESTORE:
        body["status"] = "confirmed"
    response = api.call(
        api.events().patch(calendarId=calendar_id, eventId=action.key, body=body),
        "updating a reminder",
    )
    _record(state, calendar_id, action, done, response)
