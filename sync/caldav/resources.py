"""A reminder as a CalDAV resource: written by the `.ics` writer, read back by its markers.

Each reminder is one VEVENT resource (`<key>.ics`), rendered by
`sync.ics.writer.render_event_file` with these marker properties:

- `X-FOLLOWUP-KEY`: the reminder key;
- `X-FOLLOWUP-HASH`: `Reminder.content_hash()` of what was written;
- `X-FOLLOWUP-SOURCE`: the identity of the source whose interview it follows;
- `X-FOLLOWUP-WINDOW-END`: the last day of the follow-up window (ISO date);
- `X-FOLLOWUP-VIEW`: a hash of what the user sees (summary, description, start and end
  as instants, status), computed from the rendered bytes themselves.

Why the VIEW marker: servers rewrite resources (iCloud adds its own properties, others
refold lines or turn a TZID into UTC), so neither the bytes nor the ETag tell a user's
edit from a server's reformatting; what the user sees does. A user who edits the
reminder in a calendar app changes what it shows, and the app keeps unknown X-
properties (RFC 5545 3.8.8.2), so the marker no longer matches: edited by the user.
A resource without `X-FOLLOWUP-KEY` is not the tool's and is never touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from rules.model import Reminder
from sync.ics.writer import entry_from_reminder, render_event_file

KEY, HASH, SOURCE, WINDOW_END, VIEW = "KEY", "HASH", "SOURCE", "WINDOW-END", "VIEW"


@dataclass(frozen=True)
class Marked:
    """A resource carrying the tool's markers, as read back from the server."""

    key: str
    written_hash: str | None
    source: str | None
    window_end: str | None
    uid: str | None
    sequence: int
    view_marker: str | None  # what the tool saw in it when it wrote it
    view_now: str  # what it shows now

    @property
    def user_edited(self) -> bool:
        return self.view_marker is None or self.view_marker != self.view_now


def render_reminder(reminder: Reminder, *, sequence: int, now: datetime, source: str) -> str:
    """The resource text for one reminder, markers included (VIEW computed last)."""
    markers = (
        (KEY, reminder.key),
        (HASH, reminder.content_hash()),
        (SOURCE, source),
        (WINDOW_END, reminder.window.end.isoformat()),
    )
    entry = replace(entry_from_reminder(reminder, sequence=sequence, dtstamp=now), markers=markers)
    draft = render_event_file(entry).decode("utf-8")
    seen = read_resource(draft)
    assert seen is not None  # we just wrote the KEY marker
    final = replace(entry, markers=(*markers, (VIEW, seen.view_now)))
    return render_event_file(final).decode("utf-8")


def read_resource(text: str) -> Marked | None:
    """The markers of a resource, or None when it carries no `X-FOLLOWUP-KEY` (not the
    tool's) or cannot be parsed (then it is not touched either)."""
    import icalendar

    if "X-FOLLOWUP-KEY" not in text.upper():
        return None
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception:  # unparsable: whatever it is, it is not ours to touch
        return None
    for event in calendar.walk("VEVENT"):
        key = _text(event, "X-FOLLOWUP-KEY")
        if not key:
            continue
        try:
            sequence = int(str(event.get("SEQUENCE", 0)))
        except ValueError:
            sequence = 0
        return Marked(
            key=key,
            written_hash=_text(event, "X-FOLLOWUP-HASH"),
            source=_text(event, "X-FOLLOWUP-SOURCE"),
            window_end=_text(event, "X-FOLLOWUP-WINDOW-END"),
            uid=_text(event, "UID"),
            sequence=max(sequence, 0),
            view_marker=_text(event, "X-FOLLOWUP-VIEW"),
            view_now=_view(event),
        )
    return None


def _text(event: Any, name: str) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _view(event: Any) -> str:
    payload = json.dumps(
        [
            _text(event, "SUMMARY") or "",
            (_text(event, "DESCRIPTION") or "").replace("\r\n", "\n"),
            _instant(event, "DTSTART"),
            _instant(event, "DTEND"),
            (_text(event, "STATUS") or "CONFIRMED").upper(),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _instant(event: Any, name: str) -> str:
    prop = event.get(name)
    if prop is None:
        return ""
    value = prop.dt
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()  # floating: compare as written
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
