"""The .ics export: `followups.ics` plus one file per reminder, kept in step with state.

The export is reconciled like any sink (`sync.reconcile.plan`), with the state file as
its memory: a reminder keeps its UID for life, SEQUENCE rises only when its content
changes, and DTSTAMP is the time of that change (from state, not from the clock), so
an unchanged re-run writes byte-identical files, which `write_export` then skips.

A withdrawn reminder is exported once with STATUS:CANCELLED (SEQUENCE raised), so a
calendar that re-imports the file removes it; on the next pass it leaves the export
and its file is deleted. Its record stays in state, so if the interview comes back
the reminder returns with the same UID and a higher SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import FollowupError
from rules.model import Reminder
from sync.backend import Applied
from sync.ics.writer import IcsEntry, entry_from_reminder, write_export
from sync.reconcile import Existing, Kind, Plan, plan
from sync.state import ExportRecord, State


@dataclass(frozen=True)
class ExportResult:
    plan: Plan
    written: int
    unchanged: int
    removed: int
    out_dir: Path


class IcsStore:
    """The .ics export as a `sync.backend.ReminderStore`, with state as its memory.

    Only the tool writes its export folder, so nothing here is ever user-edited or
    user-deleted: a removed reminder is one the tool withdrew (and may restore).
    `apply` runs on every pass, even with an empty plan: that is when a cancellation
    exported by the previous pass leaves the files."""

    def __init__(self, state: State, out_dir: Path, now: datetime) -> None:
        self.state = state
        self.out_dir = out_dir
        self.now = now  # DTSTAMP of what changes in this pass
        self.records = state.exports()
        self.files: tuple[int, int, int] = (0, 0, 0)  # written, unchanged, removed

    def existing(self) -> dict[str, Existing]:
        return {
            key: Existing(
                key=key,
                written_hash=record.content_hash,
                current_hash=record.content_hash,
                deleted=record.status == "CANCELLED",
                withdrawn=True,
            )
            for key, record in self.records.items()
        }

    def apply(self, plan: Plan) -> Applied:
        done = Applied()
        updated = dict(self.records)
        for action in plan.actions:
            old = self.records.get(action.key)
            if action.kind is Kind.DELETE:
                assert old is not None  # the planner deletes only what exists
                entry = replace(
                    entry_from_dict(old.entry),
                    status="CANCELLED",
                    sequence=old.sequence + 1,
                    dtstamp=self.now,
                )
                updated[action.key] = _record(action.key, entry, old.content_hash, old.info)
            else:
                assert action.reminder is not None
                reminder = action.reminder
                sequence = 0 if old is None else old.sequence + 1
                entry = entry_from_reminder(reminder, sequence=sequence, dtstamp=self.now)
                updated[action.key] = _record(
                    action.key, entry, reminder.content_hash(), reminder_info(reminder)
                )
            done.add(action.kind)

        # What goes out this pass: every active reminder, and each cancellation once.
        entries: list[IcsEntry] = []
        remove: list[str] = []
        for _key, record in sorted(updated.items()):
            if record.status == "CANCELLED" and record.cancel_exported:
                remove.append(record.uid)
                continue
            entries.append(entry_from_dict(record.entry))

        try:
            report = write_export(self.out_dir, entries, remove=remove)
        except OSError as exc:
            # State is only updated after the files are written, so the next pass redoes
            # this export in full; files already replaced are complete (atomic writes).
            where = exc.filename or self.out_dir
            raise FollowupError(
                f"cannot write the .ics files: {where}: {exc.strerror or exc}",
                next_step="check that the folder is writable and the disk has space",
            ) from exc

        with self.state.transaction():
            for key, record in updated.items():
                if record.status == "CANCELLED" and not record.cancel_exported:
                    record = replace(record, cancel_exported=True)
                if record != self.records.get(key):
                    self.state.save_export(record)
                    updated[key] = record
        self.records = updated
        self.files = report.counts
        return done


def export_ics(
    state: State,
    desired: Sequence[Reminder],
    out_dir: Path,
    now: datetime,
    *,
    withdraw: Mapping[str, str] | None = None,
    retain: Sequence[str] = (),
    source_has_interviews: bool = True,
    force_delete: bool = False,
    dry_run: bool = False,
) -> ExportResult:
    """Plan the export against state and write it (unless `dry_run`)."""
    store = IcsStore(state, out_dir, now)
    the_plan = plan(
        desired,
        store.existing(),
        withdraw=withdraw,
        retain=retain,
        source_has_interviews=source_has_interviews,
        force_delete=force_delete,
    )
    if dry_run:
        return ExportResult(the_plan, 0, 0, 0, out_dir)
    store.apply(the_plan)
    written, unchanged, removed = store.files
    return ExportResult(the_plan, written, unchanged, removed, out_dir)


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
    }


def _record(key: str, entry: IcsEntry, content_hash: str, info: dict[str, Any]) -> ExportRecord:
    return ExportRecord(
        key=key,
        uid=entry.uid,
        sequence=entry.sequence,
        dtstamp=entry.dtstamp,
        content_hash=content_hash,
        status=entry.status,
        cancel_exported=False,
        entry=entry_to_dict(entry),
        info=info,
    )


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
    )


def _zone_name(moment: datetime) -> str | None:
    tz = moment.tzinfo
    return tz.key if isinstance(tz, ZoneInfo) else None


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
