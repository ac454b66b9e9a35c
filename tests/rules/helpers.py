"""Small builders for SourceEvents in tests (named, so a test reads like the SPEC)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rules.model import Person, SourceEvent


def interview(
    summary: str,
    start: datetime,
    *,
    event_id: str = "ev1",
    hours: float = 1.0,
    description: str = "",
    location: str = "",
    organizer: Person | None = None,
    attendees: tuple[Person, ...] = (),
    calendar_id: str = "primary",
    **extra,
) -> SourceEvent:
    zone = start.tzinfo.key if isinstance(start.tzinfo, ZoneInfo) else None
    return SourceEvent(
        id=event_id,
        calendar_id=calendar_id,
        summary=summary,
        start=start,
        end=start + timedelta(hours=hours),
        timezone=zone,
        description=description,
        location=location,
        organizer=organizer,
        attendees=attendees,
        **extra,
    )
