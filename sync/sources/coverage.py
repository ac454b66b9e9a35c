"""Which days a calendar file covers, for the interviews that vanished from it.

Outlook's "Save Calendar" asks for a date range, and published feeds carry only a few
weeks around today: a user who imports such an export every week sees last week's
interview drop out of the file while its follow-up is still days ahead. An event gone
from a file is taken as deleted (its reminder withdrawn) only when the file still
covers its day; one outside the days the file's single events span (before the first,
after the last) is carried from what the last read kept, as the calendar holds it. That
needs the file to be the same calendar, shifted: it still holds one of the events the
last read kept. A file holding none of them (another calendar, a bad export) carries
nothing, and the pass's mass-withdrawal guard judges it.

Only single events and moved instances count: a series' DTSTART is its first
occurrence, often years before what the export covers. Days are read from each
DTSTART as written (its own zone), which is as close as a day needs to be.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from rules.model import SourceEvent

_FOLD = re.compile(rb"\r?\n[ \t]")
_VEVENT = re.compile(rb"^BEGIN:VEVENT\r?$(.*?)^END:VEVENT\r?$", re.S | re.M | re.I)
_DTSTART = re.compile(rb"^DTSTART(?:;[^\r\n:]*)?:(\d{4})(\d{2})(\d{2})", re.M | re.I)
_RRULE = re.compile(rb"^(?:RRULE|RDATE)[;:]", re.M | re.I)


def covered_days(data: bytes) -> tuple[date, date] | None:
    """The first and last day a single event of this iCalendar text starts on; None
    when it has none (or is not UTF-8 text the scan can read)."""
    first: date | None = None
    last: date | None = None
    for block in _VEVENT.finditer(_FOLD.sub(b"", data)):
        body = block.group(1)
        found = _DTSTART.search(body)
        if found is None or _RRULE.search(body):
            continue
        try:
            day = date(*(int(part) for part in found.groups()))
        except ValueError:
            continue
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    return (first, last) if first is not None and last is not None else None


def _day(event: SourceEvent) -> date:
    return event.start.date() if isinstance(event.start, datetime) else event.start


def carried(
    cached: Mapping[str, dict[str, Any]],
    events: Sequence[SourceEvent],
    data: Callable[[], bytes],
) -> tuple[list[SourceEvent], str | None]:
    """The events the last read kept that this read no longer has, and whose day the
    file does not cover (kept as they were), with a line for the log; ([], None) when
    none. `data` gives the file's bytes: asked only when an event is gone."""
    from sync.eventcodec import event_from_json

    present = {event.id for event in events}
    gone = [payload for event_id, payload in cached.items() if event_id not in present]
    if not gone or len(gone) == len(cached):
        # Nothing gone; or nothing of what the last read kept is left: another calendar
        # or a bad export, not a shifted range (the mass-withdrawal guard judges that).
        return [], None
    span = covered_days(data())
    if span is None:
        return [], None
    first, last = span
    kept = [e for e in map(event_from_json, gone) if not first <= _day(e) <= last]
    if not kept:
        return [], None
    line = (
        f"kept {len(kept)} earlier event(s) outside the days this calendar covers "
        f"({first:%b} {first.day} – {last:%b} {last.day}, {last.year}): an export of a "
        "date range, not a deletion"
    )
    return kept, line
