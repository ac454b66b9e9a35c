"""A CalDAV calendar as a `ReminderStore`: one VEVENT resource per reminder.

Each reminder lives at `<calendar>/<key>.ics` (a deterministic href), written by the
`.ics` writer with the marker properties of `sync.caldav.resources`, its
X-FOLLOWUP-SOURCE naming the source it follows (the planner keeps each source's own).

`existing()` lists the calendar (one sync-collection REPORT for hrefs and ETags), then
fetches in one calendar-multiget REPORT only the resources whose ETag is not the one
recorded after our own write: after a lost status database it fetches them all and
rebuilds from the markers. `apply()` writes with preconditions, so nothing is clobbered
that changed after the listing:

- create / restore: PUT `If-None-Match: *`. A 412 means the href (or, on Xandikos, the
  UID) exists: a write whose answer was lost, or a lost status file. That is a fact
  for the pass (`Applied.conflicts`): it lists the calendar again and the planner
  decides (ours and unedited -> updated if needed; edited -> left; no marker -> never
  touched);
- update: PUT `If-Match: <etag>`, same UID, SEQUENCE from `next_sequence` (it rises
  even after the status database is lost, being derived from the time of the change);
- delete: DELETE `If-Match: <etag>`; a 404 means the user deleted it first.

A server that refuses one resource (any HTTP error) costs a warning naming it, and the
other actions go on. No answer at all (network down) is collected, and once every
action was tried the pass stops with a `TemporaryError` (exit 75): what did land is
recorded, the next pass finishes the job.

What CalDAV cannot tell: a resource the user deleted leaves no tombstone, so only the
status database remembers the deletion. With the database lost, such a reminder is
written again (once); every other outcome holds without state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.caldav.client import is_network_error, object_data, object_etag
from sync.caldav.resources import Marked, read_resource, render_reminder
from sync.errors import TemporaryError
from sync.planner import Action, Existing, Kind, Plan
from sync.stores.base import Applied, record_of
from sync.stores.records import RecordBook, RecordStatus, WriteRecord, next_sequence

log = logging.getLogger("followup.caldav")

_CALENDAR_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}


def target_name(calendar_url: str) -> str:
    return f"caldav:{calendar_url}"


@dataclass(frozen=True)
class _Listed:
    """A resource of ours found in the calendar by `existing()`."""

    href: str
    etag: str | None
    marked: Marked | None  # None: unchanged since our write (ETag as recorded)


@dataclass
class CalDavStore:
    """The target calendar (`sync.stores.base.ReminderStore`)."""

    calendar: Any  # caldav.Calendar
    records: RecordBook
    now: datetime
    _listed: dict[str, _Listed] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return target_name(str(self.calendar.url))

    # -- what exists -------------------------------------------------------------

    def believed(self) -> dict[str, Existing]:
        """What the records say is there, without a request (for an unchanged pass)."""
        return {
            key: Existing(
                key,
                record.written_hash,
                record.written_hash if record.status is RecordStatus.ACTIVE else None,
                deleted=record.status is not RecordStatus.ACTIVE,
                withdrawn=record.status is RecordStatus.WITHDRAWN,
                source=record.source,
            )
            for key, record in self._records().items()
        }

    def existing(self) -> dict[str, Existing]:
        from sync.caldav.client import caldav_errors

        with caldav_errors(str(self.calendar.url), "listing the follow-ups calendar"):
            return self._existing()

    def _existing(self) -> dict[str, Existing]:
        records = self._records()
        all_records = self.records.records()
        listing = self.calendar.objects_by_sync_token(sync_token=None, load_objects=False)
        unknown: list[Any] = []
        listed: dict[str, _Listed] = {}
        seen_by_href = {r.extra.get("href"): r for r in all_records.values() if r.extra.get("href")}
        gone = {str(url) for url in getattr(listing, "deleted_urls", ())}
        for obj in listing:
            href = str(obj.url.canonical())
            if href in gone:  # Radicale's first sync lists removed members too
                continue
            etag = object_etag(obj)
            record = seen_by_href.get(href)
            if (
                record is not None
                and record.status is RecordStatus.ACTIVE
                and etag is not None
                and etag == record.seen
            ):
                listed[record.key] = _Listed(href, etag, None)  # unchanged since our write
                continue
            unknown.append(obj)
        for obj in _load(self.calendar, unknown):
            text = object_data(obj)
            marked = read_resource(text) if text else None
            if marked is None:
                continue  # not the tool's: never touched
            listed[marked.key] = _Listed(str(obj.url.canonical()), object_etag(obj), marked)
        self._listed = listed

        out: dict[str, Existing] = {}
        for key, item in listed.items():
            record = records.get(key)
            if item.marked is None:
                assert record is not None
                out[key] = Existing(
                    key, record.written_hash, record.written_hash, source=record.source
                )
                continue
            written = item.marked.written_hash or (record.written_hash if record else None)
            current = written if not item.marked.user_edited else f"edited:{item.marked.view_now}"
            source = item.marked.source or (record.source if record else "")
            out[key] = Existing(key, written, current, source=source)
        for key, record in records.items():
            if key in out:
                continue
            withdrawn = record.status is RecordStatus.WITHDRAWN
            out[key] = Existing(
                key,
                record.written_hash,
                None,
                deleted=True,
                withdrawn=withdrawn,
                source=record.source,
            )
        return out

    def adopt(self, existing: Mapping[str, Existing]) -> None:
        """Record what the listing found from markers (a lost status database)."""
        known = self.records.records()
        for key, have in existing.items():
            listed = self._listed.get(key)
            if key in known or listed is None or listed.marked is None:
                continue
            record = record_of(have)
            self._save(
                record.but(
                    sequence=listed.marked.sequence,
                    seen=None if listed.marked.user_edited else listed.etag,
                    window_end=listed.marked.window_end,
                    extra={"href": listed.href, "uid": listed.marked.uid or ""},
                )
            )

    # -- writing -----------------------------------------------------------------

    def apply(self, plan: Plan) -> Applied:
        done = Applied()
        unreachable: list[str] = []
        for action in plan.actions:
            try:
                if action.kind is Kind.PURGE:
                    continue  # nothing is kept on a CalDAV server once deleted
                if action.kind is Kind.DELETE:
                    self._delete(action, done)
                else:
                    self._put(action, done)
            except Exception as exc:
                if not is_network_error(exc):
                    raise
                unreachable.append(_what(action))
        if unreachable:
            raise TemporaryError(
                f"the CalDAV server did not answer for {len(unreachable)} reminder(s) "
                f"(first: {unreachable[0]!r}); the others are saved",
                next_step="the next run finishes the job",
            )
        return done

    def _put(self, action: Action, done: Applied) -> None:
        reminder = action.reminder
        assert reminder is not None  # the planner's contract
        key = action.key
        record = self.records.records().get(key)
        listed = self._listed.get(key)
        previous = max(
            (record.sequence if record else -1),
            (listed.marked.sequence if listed and listed.marked else -1),
        )
        sequence = next_sequence(previous if previous >= 0 else None, self.now)
        body = render_reminder(reminder, sequence=sequence, now=self.now, source=action.source)
        href = listed.href if listed else self._href(key)
        headers = dict(_CALENDAR_TYPE)
        if listed is not None and action.kind is Kind.UPDATE:
            if listed.etag:
                headers["If-Match"] = listed.etag
        else:
            headers["If-None-Match"] = "*"
        status, answer = self._send("PUT", href, body, headers)
        if status in (200, 201, 204):
            self._save(
                WriteRecord(
                    key=key,
                    written_hash=reminder.content_hash(),
                    status=RecordStatus.ACTIVE,
                    sequence=sequence,
                    source=action.source,
                    seen=_headerobject_etag(answer),
                    window_end=reminder.window.end.isoformat(),
                    extra={"href": href, "uid": reminder.uid},
                )
            )
            done.add(action.kind)
            return
        if status == 412 and "If-None-Match" in headers:
            done.conflicts.append(key)  # a fact: the pass lists again and plans
            return
        if status == 412:
            done.warnings.append(
                f"the reminder {_what(action)!r} changed on the server while this pass ran; "
                "left as it is (the next pass looks again)"
            )
            return
        done.warnings.append(
            f"the CalDAV server refused to {action.kind.value} the reminder {_what(action)!r}: "
            f"{status} {_reason(answer)}; skipped"
        )

    def _delete(self, action: Action, done: Applied) -> None:
        key = action.key
        listed = self._listed.get(key)
        record = self.records.records().get(key)
        href = listed.href if listed else (record.extra.get("href") if record else None)
        href = href or self._href(key)
        base = record or WriteRecord(
            key=key,
            written_hash=action.existing.written_hash if action.existing else None,
            source=action.source,
            extra={"href": href},
        )
        if listed is None:
            # Planned without a listing (from `believed()`): look before deleting, so a
            # reminder the user edited since is never deleted.
            status, answer = self._send("GET", href)
            if status == 404:
                self._save(base.but(status=RecordStatus.USER_DELETED, seen=None))
                return
            marked = read_resource(_raw(answer) or "") if status == 200 else None
            if marked is None or marked.key != key or marked.user_edited:
                done.warnings.append(
                    f"the reminder {key} was changed by someone else; left as it is"
                )
                return
            listed = _Listed(href, _headerobject_etag(answer), marked)
        headers = {"If-Match": listed.etag} if listed.etag else {}
        status, answer = self._send("DELETE", href, "", headers)
        base = record or WriteRecord(
            key=key,
            written_hash=action.existing.written_hash if action.existing else None,
            source=action.source,
            extra={"href": href},
        )
        if status in (200, 204):
            self._save(
                base.but(
                    status=RecordStatus.WITHDRAWN,
                    withdrawn_at=self.now.isoformat(),
                    seen=None,
                )
            )
            done.add(Kind.DELETE)
        elif status == 404:  # the user deleted it before we did
            self._save(base.but(status=RecordStatus.USER_DELETED, seen=None))
        elif status == 412:
            done.warnings.append(
                f"the reminder {key} changed on the server while this pass ran; left as it is"
            )
        else:
            done.warnings.append(
                f"the CalDAV server refused to delete the reminder {key}: "
                f"{status} {_reason(answer)}; skipped"
            )

    # -- helpers -----------------------------------------------------------------

    def _records(self) -> dict[str, WriteRecord]:
        return self.records.records()

    def _save(self, record: WriteRecord) -> None:
        self.records.save(record)

    def _href(self, key: str) -> str:
        return str(self.calendar.url.join(f"{key}.ics"))

    def _send(
        self, method: str, href: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """One request; (status, answer). 401/403 come back as statuses, not raised."""
        from caldav.lib import error

        client = self.calendar.client
        try:
            answer = client.request(href, method, body, headers or {})
        except error.AuthorizationError as exc:
            return (403 if "Forbidden" in str(exc) else 401), exc
        return int(answer.status), answer


def _load(calendar: Any, objects: list[Any]) -> list[Any]:
    """Fetch the data of `objects` in one calendar-multiget REPORT (one GET each if the
    server refuses multiget)."""
    if not objects:
        return []
    try:
        return list(calendar.multiget([obj.url for obj in objects]))
    except Exception as exc:
        if is_network_error(exc):
            raise
        log.debug("multiget refused (%s); fetching one by one", exc)
    loaded = []
    for obj in objects:
        try:
            obj.load()
        except Exception as exc:
            if is_network_error(exc):
                raise
            continue
        loaded.append(obj)
    return loaded


def _raw(answer: Any) -> str | None:
    raw = getattr(answer, "raw", None)
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return raw or None


def _headerobject_etag(answer: Any) -> str | None:
    headers = getattr(answer, "headers", None) or {}
    value = headers.get("ETag") or headers.get("etag")
    return str(value) if value else None


def _reason(answer: Any) -> str:
    reason = getattr(answer, "reason", None)
    if reason:
        return str(reason)
    return "refused"


def _what(action: Action) -> str:
    return action.reminder.title if action.reminder else action.key
