"""Write follow-up reminders as RFC 5545 `.ics` files any calendar app imports.

The text is serialised here, line by line, rather than by `icalendar.to_ical()`, to
own the details importers trip over and to keep the output byte-for-byte stable:

- CRLF everywhere; lines folded at 75 *octets* (RFC 5545 3.1), never inside a UTF-8
  sequence ("Zürich — São Paulo" is 21 characters but 25 octets).
- A fixed property order and no clock: DTSTAMP comes from state, so the same
  entries always give the same bytes and an unchanged re-run rewrites nothing.
- Times with a `ZoneInfo` get `TZID=` plus a VTIMEZONE (from icalendar, bounded to the
  years in use); UTC and fixed offsets are written as UTC `Z`.
- Never `METHOD:REQUEST` and never ORGANIZER/ATTENDEE: Outlook turns those into a
  meeting invitation sent to people. Per-reminder files carry no METHOD at all, so a
  CalDAV server accepts them as they are; `followups.ics` says `METHOD:PUBLISH`.
- A CANCELLED entry carries no VALARM: nobody wants a popup for a withdrawn reminder.
- Google drops VALARMs on import (GOOGLE-NOTES), so the caller puts the key facts in
  SUMMARY/DESCRIPTION; nothing here depends on the alarm firing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from rules.model import Reminder
from sync.fileio import sync_folder, write_atomic
from sync.ics.timezones import is_utc, vtimezone_lines

__all__ = [
    "PRODID",
    "ExportReport",
    "IcsEntry",
    "entry_from_reminder",
    "render_calendar",
    "render_event_file",
    "write_export",
]

PRODID = "-//interview-followup//followup 0.1//EN"
MARKER_PREFIX = "X-FOLLOWUP-"
CALENDAR_FILE = "followups.ics"
_STATUSES = frozenset({"CONFIRMED", "CANCELLED"})


@dataclass(frozen=True)
class IcsEntry:
    """One reminder as an `.ics` VEVENT. Every field comes from state, none from a clock."""

    uid: str
    sequence: int
    dtstamp: datetime  # aware; written in UTC
    status: str  # "CONFIRMED" | "CANCELLED"
    summary: str
    description: str
    start: datetime  # aware; ZoneInfo -> TZID + VTIMEZONE, UTC -> Z
    end: datetime
    alert_minutes_before: int = 0
    url: str | None = None  # link to the interview event
    categories: tuple[str, ...] = ("Interview follow-up",)
    # Marker properties (name without the X-FOLLOWUP- prefix -> value), e.g. the key,
    # the content hash written, the owning source and the window's end: what a store
    # reads back to rebuild its records when the status database is lost.
    markers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for name in ("dtstamp", "start", "end"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise ValueError(f"IcsEntry.{name} must be an aware datetime, got {value!r}")
        if self.status not in _STATUSES:
            raise ValueError(f"IcsEntry.status must be one of {sorted(_STATUSES)}")
        if not self.uid or any(c in self.uid for c in "\r\n"):
            raise ValueError(f"IcsEntry.uid must be one non-empty line, got {self.uid!r}")
        if self.sequence < 0:
            raise ValueError("IcsEntry.sequence must be >= 0")


@dataclass(frozen=True)
class ExportReport:
    """What `write_export` did, file by file."""

    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    removed: tuple[Path, ...]

    @property
    def counts(self) -> tuple[int, int, int]:
        """(written, unchanged, removed)."""
        return len(self.written), len(self.unchanged), len(self.removed)


def entry_from_reminder(
    reminder: Reminder, *, sequence: int, dtstamp: datetime, status: str = "CONFIRMED"
) -> IcsEntry:
    """The `.ics` form of a reminder (its description already carries the draft and the
    `mailto:` link: `rules.message.build_reminder` puts them there)."""
    return IcsEntry(
        uid=reminder.uid,
        sequence=sequence,
        dtstamp=dtstamp,
        status=status,
        summary=reminder.title,
        description=reminder.description,
        start=reminder.start,
        end=reminder.end,
        alert_minutes_before=reminder.alert_minutes_before,
        url=reminder.interview.link,
    )


def render_event_file(entry: IcsEntry) -> bytes:
    """One VCALENDAR holding one reminder, without METHOD (uploadable to CalDAV)."""
    return _render([entry], header=[])


def render_calendar(entries: Sequence[IcsEntry], *, name: str = "Interview follow-ups") -> bytes:
    """`followups.ics`: every entry, sorted by start then UID, as a PUBLISH calendar."""
    ordered = sorted(entries, key=lambda e: (e.start.astimezone(UTC), e.uid))
    return _render(ordered, header=["METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"])


def event_file_name(uid: str) -> str:
    """`<uid-local-part>.ics`, limited to characters safe in any file system."""
    local = uid.split("@", 1)[0]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", local).lstrip(".")[:120]
    if not safe:
        raise ValueError(f"cannot make a file name from UID {uid!r}")
    return f"{safe}.ics"


def write_export(
    out_dir: Path, entries: Sequence[IcsEntry], *, remove: Iterable[str] = ()
) -> ExportReport:
    """Write `followups.ics` and one file per entry; delete the files of `remove` UIDs.

    A file whose bytes would not change is not touched (its mtime stays), so a re-run
    with nothing new writes nothing and file-watching importers stay quiet. Each write
    is atomic: a crash leaves the old file whole.
    """
    out_dir = Path(out_dir)
    files: dict[Path, bytes] = {}
    for entry in entries:
        path = out_dir / event_file_name(entry.uid)
        if path in files:
            raise ValueError(f"two entries map to {path.name} (UID {entry.uid!r})")
        files[path] = render_event_file(entry)
    removals = [out_dir / event_file_name(uid) for uid in remove]
    clash = [p for p in removals if p in files]
    if clash:
        raise ValueError(f"asked to both write and remove {clash[0].name}")
    files[out_dir / CALENDAR_FILE] = render_calendar(entries)

    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(out_dir)
    written: list[Path] = []
    unchanged: list[Path] = []
    for path, data in sorted(files.items()):
        if _current_bytes(path) == data:
            unchanged.append(path)
            continue
        write_atomic(path, data, sync_dir=False)
        written.append(path)
    removed: list[Path] = []
    for path in sorted(set(removals)):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    if written or removed:
        sync_folder(out_dir)  # every rename and removal made durable at once
    return ExportReport(tuple(written), tuple(unchanged), tuple(removed))


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _remove_stale_temp_files(out_dir: Path) -> None:
    """Temp files a killed run left behind (`write_atomic` names them `.<name>.*.tmp`)."""
    for leftover in out_dir.glob(".*.ics.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


# -- serialisation -------------------------------------------------------------------


def _render(entries: Sequence[IcsEntry], *, header: list[str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    lines += header
    for key, (first, last) in sorted(_zones_in_use(entries).items()):
        lines += vtimezone_lines(key, first, last + 1)
    for entry in entries:
        lines += _event_lines(entry)
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


def _zone_key(tz: tzinfo | None) -> str | None:
    """The IANA key to write as TZID, or None to write UTC."""
    if isinstance(tz, ZoneInfo) and not is_utc(tz):
        return tz.key
    return None


def _zones_in_use(entries: Sequence[IcsEntry]) -> dict[str, tuple[int, int]]:
    years: dict[str, tuple[int, int]] = {}
    for entry in entries:
        for moment in (entry.start, entry.end):
            key = _zone_key(moment.tzinfo)
            if key is None:
                continue
            first, last = years.get(key, (moment.year, moment.year))
            years[key] = (min(first, moment.year), max(last, moment.year))
    return years


def _event_lines(entry: IcsEntry) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{entry.uid}",
        f"SEQUENCE:{entry.sequence}",
        f"DTSTAMP:{_utc(entry.dtstamp)}",
        _when("DTSTART", entry.start),
        _when("DTEND", entry.end),
        f"SUMMARY:{_escape(entry.summary)}",
        f"DESCRIPTION:{_escape(entry.description)}",
    ]
    if entry.url:
        lines.append(f"URL:{_one_line(entry.url)}")
    if entry.categories:
        lines.append("CATEGORIES:" + ",".join(_escape(c) for c in entry.categories))
    lines += [f"STATUS:{entry.status}", "TRANSP:TRANSPARENT", "CLASS:PRIVATE"]
    lines += [f"{MARKER_PREFIX}{name.upper()}:{_escape(value)}" for name, value in entry.markers]
    if entry.status != "CANCELLED":
        minutes = entry.alert_minutes_before
        trigger = f"-PT{minutes}M" if minutes > 0 else f"PT{-minutes}M"
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"TRIGGER:{trigger}",
            f"DESCRIPTION:{_escape(entry.summary or 'Interview follow-up')}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, moment: datetime) -> str:
    key = _zone_key(moment.tzinfo)
    if key is None:
        return f"{name}:{_utc(moment)}"
    tzid = f'"{key}"' if any(c in key for c in ":;,") else key
    return f"{name};TZID={tzid}:{moment.strftime('%Y%m%dT%H%M%S')}"


def _one_line(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", "", value)


def _escape(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma, newline; no other controls."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> bytes:
    """One content line as CRLF-terminated physical lines of at most `limit` octets."""
    data = line.encode("utf-8")
    if len(data) <= limit:
        return data + b"\r\n"
    out: list[bytes] = []
    start, room = 0, limit
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        out.append(data[start:end])
        start, room = end, limit - 1  # continuation lines begin with one space
    return b"\r\n ".join(out) + b"\r\n"
