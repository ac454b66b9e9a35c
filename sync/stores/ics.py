"""The .ics export as a store: `followups.ics` plus one file per reminder, in one folder.

Its records (in the status database, under the target `ics:<folder>`) keep each
reminder's entry, so an unchanged pass writes byte-identical files (which
`write_export` then skips). SEQUENCE is derived from the time of each change
(`next_sequence`), so it rises even after the status file is lost, and DTSTAMP is the
time of that change, never the clock of a pass that changed nothing.

Every file carries markers (X-FOLLOWUP-KEY, -HASH, -SOURCE, -WINDOW-END): when the
records are lost, `existing()` reads them back from the folder, so nothing is
duplicated and SEQUENCE goes on rising. Only the tool writes this folder, so nothing
here is ever user-edited or user-deleted; a reminder file that went missing (the
folder was emptied) is simply written again.

A withdrawn reminder is exported with STATUS:CANCELLED (SEQUENCE raised) and stays in
`followups.ics`, with its own file, until its follow-up window has passed and at least
14 days went by (`keep_until`; the planner then purges it): a user who imports the file
weekly still receives the cancellation.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import FollowupError
from rules.model import Reminder
from sync.ics.writer import (
    CALENDAR_FILE,
    IcsEntry,
    entry_from_reminder,
    event_file_name,
    write_export,
)
from sync.planner import Existing, Kind, Plan
from sync.stores.base import Applied
from sync.stores.records import RecordBook, RecordStatus, WriteRecord, next_sequence

log = logging.getLogger("followup.ics")

UID_SUFFIX = "@interview-followup"
KEEP_CANCELLED = timedelta(days=14)


def target_name(out_dir: Path) -> str:
    return f"ics:{Path(out_dir).expanduser().resolve()}"


class IcsStore:
    def __init__(self, book: RecordBook, out_dir: Path, now: datetime) -> None:
        self.book = book
        self.out_dir = Path(out_dir).expanduser()  # "--out=~/x": the shell left the ~
        self.name = target_name(self.out_dir)
        self.now = now  # DTSTAMP of what changes in this pass
        self.records = book.records()
        self.files: tuple[int, int, int] = (0, 0, 0)  # written, unchanged, removed

    # -- what is there ---------------------------------------------------------------

    def believed(self) -> dict[str, Existing]:
        return {key: _existing(record) for key, record in self.records.items()}

    def existing(self) -> dict[str, Existing]:
        """The records, completed from the folder's own markers (lost status file), with
        a missing file reported as withdrawn (so the planner writes it again)."""
        if not self.records:
            self.records = rebuild_records(self.out_dir)
        out = {}
        for key, record in self.records.items():
            have = _existing(record)
            uid = record.extra.get("uid")
            if (
                record.status is RecordStatus.ACTIVE
                and uid
                and not (self.out_dir / event_file_name(uid)).exists()
            ):
                have = replace(have, current_hash=None, deleted=True, withdrawn=True)
            out[key] = have
        return out

    def adopt(self, existing: Mapping[str, Existing]) -> None:
        """Records rebuilt from the folder's markers are saved as they are."""
        del existing  # `existing()` keeps the rebuilt records in `self.records`
        known = self.book.records()
        for key, record in self.records.items():
            if key not in known:
                self.book.save(record)

    # -- acting ----------------------------------------------------------------------

    def apply(self, plan: Plan) -> Applied:
        """Carry out the plan and rewrite the folder (only files whose bytes change).
        Runs on every pass: it also repairs a `followups.ics` the user removed."""
        done = Applied()
        updated = dict(self.records)
        purged: list[str] = []
        for action in plan.actions:
            old = self.records.get(action.key)
            if action.kind is Kind.PURGE:
                if old is not None:
                    purged.append(old.extra.get("uid") or f"{action.key}{UID_SUFFIX}")
                updated.pop(action.key, None)
            elif action.kind is Kind.DELETE:
                assert old is not None  # the planner deletes only what exists
                updated[action.key] = self._cancelled(old)
            else:
                assert action.reminder is not None
                updated[action.key] = self._written(action.reminder, old, action.source)
            done.add(action.kind)

        entries = [
            entry_from_dict(json.loads(r.extra["entry"])) for _, r in sorted(updated.items())
        ]
        try:
            report = write_export(self.out_dir, entries, remove=purged)
        except OSError as exc:
            # Records are saved only after the files are written, so the next pass redoes
            # this export in full; files already replaced are complete (atomic writes).
            where = exc.filename or self.out_dir
            raise FollowupError(
                f"cannot write the .ics files: {where}: {exc.strerror or exc}",
                next_step="check that the folder is writable and the disk has space",
            ) from exc
        for key in set(self.records) - set(updated):
            self.book.drop(key)
        for key, record in updated.items():
            if record != self.records.get(key):
                self.book.save(record)
        self.records = updated
        self.files = report.counts
        return done

    def _written(self, reminder: Reminder, old: WriteRecord | None, source: str) -> WriteRecord:
        sequence = next_sequence(old.sequence if old else None, self.now)
        entry = entry_from_reminder(reminder, sequence=sequence, dtstamp=self.now)
        window_end = reminder.window.end.isoformat()
        info = json.dumps(reminder_info(reminder), sort_keys=True)
        markers = _markers(reminder.key, reminder.content_hash(), source, window_end)
        # The facts `list` shows, in the file too: a lost state file is rebuilt with them.
        # (base64: JSON's commas and quotes would need TEXT escapes in a marker)
        packed = base64.urlsafe_b64encode(info.encode()).decode()
        entry = replace(entry, markers=(*markers, ("INFO", packed)))
        return WriteRecord(
            key=reminder.key,
            written_hash=reminder.content_hash(),
            status=RecordStatus.ACTIVE,
            sequence=sequence,
            source=source,
            window_end=window_end,
            extra={
                "uid": entry.uid,
                "start": reminder.start.isoformat(),
                "entry": json.dumps(entry_to_dict(entry), sort_keys=True),
                "info": info,
            },
        )

    def _cancelled(self, old: WriteRecord) -> WriteRecord:
        sequence = next_sequence(old.sequence, self.now)
        entry = replace(
            entry_from_dict(json.loads(old.extra["entry"])),
            status="CANCELLED",
            sequence=sequence,
            dtstamp=self.now,
        )
        return old.but(
            status=RecordStatus.WITHDRAWN,
            sequence=sequence,
            withdrawn_at=self.now.isoformat(),
            extra={**old.extra, "entry": json.dumps(entry_to_dict(entry), sort_keys=True)},
        )


def keep_until(record: WriteRecord) -> datetime | None:
    """When a cancellation may leave the export: after its window and 14 days."""
    if record.status is not RecordStatus.WITHDRAWN or not record.withdrawn_at:
        return None
    until = datetime.fromisoformat(record.withdrawn_at) + KEEP_CANCELLED
    if record.window_end:
        after_window = datetime.combine(
            date.fromisoformat(record.window_end) + timedelta(days=2), time(0), tzinfo=UTC
        )
        until = max(until, after_window)
    return until


def _existing(record: WriteRecord) -> Existing:
    return Existing(
        key=record.key,
        written_hash=record.written_hash,
        current_hash=record.written_hash,
        deleted=record.status is not RecordStatus.ACTIVE,
        withdrawn=True,  # only the tool writes this folder
        source=record.source,
        keep_until=keep_until(record),
        written_start=record.extra.get("start"),
    )


def _markers(key: str, digest: str, source: str, window_end: str) -> tuple[tuple[str, str], ...]:
    markers = [("KEY", key), ("HASH", digest), ("WINDOW-END", window_end)]
    if source:
        markers.append(("SOURCE", source))
    return tuple(markers)


# -- rebuilding records from the folder ------------------------------------------------


def rebuild_records(out_dir: Path) -> dict[str, WriteRecord]:
    """Records for every reminder file the tool wrote in `out_dir`, from its markers.

    Files of an older version carry no markers: the key is the UID's local part and the
    hash is unknown, so the next plan rewrites them once (SEQUENCE still rises)."""
    if not out_dir.is_dir():
        return {}
    import icalendar

    out: dict[str, WriteRecord] = {}
    for path in sorted(out_dir.glob("*.ics")):
        if path.name == CALENDAR_FILE:
            continue
        try:
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
        except (OSError, ValueError) as exc:
            log.warning("ignored %s while rebuilding the export records: %s", path, exc)
            continue
        for event in calendar.walk("VEVENT"):
            record = _record_from_vevent(event)
            if record is not None:
                out[record.key] = record
    return out


def _record_from_vevent(event: Any) -> WriteRecord | None:
    uid = str(event.get("UID") or "")
    if not uid.endswith(UID_SUFFIX):
        return None
    key = str(event.get("X-FOLLOWUP-KEY") or uid[: -len(UID_SUFFIX)])
    try:
        entry = _entry_from_vevent(event)
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("ignored reminder %s while rebuilding the export records: %s", uid, exc)
        return None
    status = RecordStatus.WITHDRAWN if entry.status == "CANCELLED" else RecordStatus.ACTIVE
    digest = event.get("X-FOLLOWUP-HASH")
    return WriteRecord(
        key=key,
        written_hash=str(digest) if digest else None,
        status=status,
        sequence=entry.sequence,
        source=str(event.get("X-FOLLOWUP-SOURCE") or ""),
        window_end=str(event.get("X-FOLLOWUP-WINDOW-END") or "") or None,
        withdrawn_at=entry.dtstamp.isoformat() if status is RecordStatus.WITHDRAWN else None,
        extra={
            "uid": uid,
            "start": entry.start.isoformat(),
            "entry": json.dumps(entry_to_dict(entry), sort_keys=True),
            "info": _info_of(event, entry),
        },
    )


def _info_of(event: Any, entry: IcsEntry) -> str:
    """The facts `list` shows, from the file's marker (files of an older version have
    none: then only the title and the moment)."""
    kept = event.get("X-FOLLOWUP-INFO")
    if kept:
        try:
            info = json.loads(base64.urlsafe_b64decode(str(kept).encode()))
        except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
            info = None
        if isinstance(info, dict):
            return json.dumps(info | {"remind_at": entry.start.isoformat()}, sort_keys=True)
    return json.dumps({"title": entry.summary, "remind_at": entry.start.isoformat()})


def _entry_from_vevent(event: Any) -> IcsEntry:
    def moment(name: str) -> datetime:
        value = event.decoded(name)
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{name} is not an aware date-time")
        return value

    alarms = [c for c in event.subcomponents if c.name == "VALARM"]
    alert = 0
    if alarms:
        trigger = alarms[0].decoded("TRIGGER")
        if isinstance(trigger, timedelta):
            alert = int(-trigger.total_seconds() // 60)
    markers = tuple(
        (name[len("X-FOLLOWUP-") :], str(value))
        for name, value in event.items()
        if name.startswith("X-FOLLOWUP-")
    )
    categories = event.get("CATEGORIES")
    cats = tuple(str(c) for c in categories.cats) if categories is not None else ()
    return IcsEntry(
        uid=str(event["UID"]),
        sequence=int(event.get("SEQUENCE", 0)),
        dtstamp=moment("DTSTAMP"),
        status=str(event.get("STATUS", "CONFIRMED")).upper(),
        summary=str(event.get("SUMMARY", "")),
        description=str(event.get("DESCRIPTION", "")),
        start=moment("DTSTART"),
        end=moment("DTEND"),
        alert_minutes_before=alert,
        url=str(event["URL"]) if event.get("URL") else None,
        categories=cats or ("Interview follow-up",),
        markers=markers,
    )


# -- entries and records ---------------------------------------------------------------


def reminder_info(reminder: Reminder) -> dict[str, Any]:
    """The interview facts `followup list` shows next to a reminder."""
    event = reminder.interview
    klass = reminder.classification
    return {
        "company": klass.company,
        "role": klass.role,
        "stage": klass.stage.value if klass.stage else None,
        "interview": event.summary,
        "interview_start": _iso(event.start),
        "source": f"{event.calendar_id}/{event.id}",
        "window_start": reminder.window.start.isoformat(),
        "window_end": reminder.window.end.isoformat(),
        "remind_at": reminder.start.isoformat(),
        "basis": reminder.window.basis,
        "title": reminder.title,
        "zone": _zone_name(reminder.start),
    }


def entry_to_dict(entry: IcsEntry) -> dict[str, Any]:
    return {
        "uid": entry.uid,
        "sequence": entry.sequence,
        "dtstamp": entry.dtstamp.isoformat(),
        "status": entry.status,
        "summary": entry.summary,
        "description": entry.description,
        "start": entry.start.isoformat(),
        "end": entry.end.isoformat(),
        "tz": _zone_name(entry.start),
        "alert_minutes_before": entry.alert_minutes_before,
        "url": entry.url,
        "categories": list(entry.categories),
        "markers": [list(pair) for pair in entry.markers],
    }


def entry_from_dict(data: Mapping[str, Any]) -> IcsEntry:
    tz = ZoneInfo(data["tz"]) if data.get("tz") else None
    start = datetime.fromisoformat(data["start"])
    end = datetime.fromisoformat(data["end"])
    if tz is not None:
        start, end = start.astimezone(tz), end.astimezone(tz)
    return IcsEntry(
        uid=data["uid"],
        sequence=int(data["sequence"]),
        dtstamp=datetime.fromisoformat(data["dtstamp"]),
        status=data["status"],
        summary=data["summary"],
        description=data["description"],
        start=start,
        end=end,
        alert_minutes_before=int(data["alert_minutes_before"]),
        url=data.get("url"),
        categories=tuple(data.get("categories") or ("Interview follow-up",)),
        markers=tuple((str(a), str(b)) for a, b in data.get("markers") or ()),
    )


def _zone_name(moment: datetime) -> str | None:
    tz = moment.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) else None


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def reminder_infos(records: Mapping[str, WriteRecord]) -> list[dict[str, Any]]:
    """`followup list`/`status`: the interview facts of every active reminder."""
    out = []
    for record in records.values():
        if record.status is RecordStatus.ACTIVE and record.extra.get("info"):
            out.append(json.loads(record.extra["info"]) | {"uid": record.extra.get("uid")})
    return out
