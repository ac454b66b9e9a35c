"""Google Calendar API v3 event resources -> `SourceEvent` (pure: no Google imports).

Client quirks handled here:

- `start.dateTime` carries an offset; `start.timeZone` (or the calendar's `timeZone`)
  names the zone. The zone wins for local dates, so the datetime is converted into it.
  An unknown IANA name raises `ParseError` naming the event and the field; the caller
  skips that event with a warning.
- All-day events have `start.date` only.
- Incremental sync returns cancelled events as stubs: `{"id", "status": "cancelled"}`
  and nothing else. They become a cancelled all-day `SourceEvent` on
  `originalStartTime` (or 1970-01-01) so reconciliation still sees the cancellation.
- Descriptions are stored as HTML when written in the web UI (`<br>`, `<a href>`,
  `&amp;`): tags are stripped, links kept as "text (url)" so video links still count.
- `recurringEventId` (an instance) or `recurrence` (a series master) -> recurring.
- `extendedProperties.private.followup_managed == "1"` -> managed (written by us).
- Meet links live in `hangoutLink` / `conferenceData`, outside the text: kept in
  `SourceEvent.conference`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import ParseError, Problem
from rules.model import Person, SourceEvent

MANAGED_PROPERTY = "followup_managed"


def html_to_text(text: str) -> str:
    """Google's HTML description as plain text (links kept, entities decoded)."""
    if "<" not in text and "&" not in text:
        return text

    def link(match: re.Match[str]) -> str:
        href, label = match.group(1), re.sub(r"<[^>]+>", "", match.group(2)).strip()
        href = html.unescape(href)
        return href if not label or label == href else f"{label} ({href})"

    text = re.sub(
        r"""<a\s[^>]*?href=["']([^"']*)["'][^>]*>(.*?)</a>""", link, text, flags=re.I | re.S
    )
    text = re.sub(r"<br\s*/?>|</p>|</div>|</li>|<li[^>]*>", "\n", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _zone(name: str, event_id: str, field: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ParseError(
            f"event {event_id}: unknown time zone",
            [Problem("unknown IANA time zone", field=field, value=name)],
            next_step="the event is skipped",
        ) from exc


def _when(
    value: Any, event_id: str, field: str, calendar_tz: str | None
) -> tuple[datetime | date, str | None]:
    if not isinstance(value, dict):
        raise ParseError(
            f"event {event_id}: missing {field}",
            [Problem("expected an object with dateTime or date", field=field)],
        )
    if "dateTime" in value:
        raw = value["dateTime"]
        try:
            moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ParseError(
                f"event {event_id}: bad date-time",
                [Problem("not an RFC 3339 date-time", field=f"{field}.dateTime", value=str(raw))],
            ) from exc
        name = value.get("timeZone") or calendar_tz
        zone_field = f"{field}.timeZone" if value.get("timeZone") else "timeZone"
        if name:
            zone = _zone(name, event_id, zone_field)
            moment = (
                moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
            )
            return moment, name
        if moment.tzinfo is None:
            raise ParseError(
                f"event {event_id}: date-time without offset or time zone",
                [Problem("no offset and no timeZone", field=f"{field}.dateTime", value=raw)],
            )
        return moment, None
    if "date" in value:
        try:
            return date.fromisoformat(str(value["date"])), value.get("timeZone") or calendar_tz
        except ValueError as exc:
            raise ParseError(
                f"event {event_id}: bad date",
                [Problem("not a YYYY-MM-DD date", field=f"{field}.date", value=str(value["date"]))],
            ) from exc
    raise ParseError(
        f"event {event_id}: missing {field}",
        [Problem("expected dateTime or date", field=field)],
    )


def _person(data: Any) -> Person | None:
    if not isinstance(data, dict):
        return None
    return Person(
        email=data.get("email"),
        name=data.get("displayName"),
        is_self=bool(data.get("self", False)),
        response=data.get("responseStatus"),
        resource=bool(data.get("resource", False)),
    )


def _conference(resource: dict[str, Any]) -> str | None:
    if resource.get("hangoutLink"):
        return str(resource["hangoutLink"])
    data = resource.get("conferenceData") or {}
    for point in data.get("entryPoints") or ():
        if isinstance(point, dict) and point.get("entryPointType") == "video" and point.get("uri"):
            return str(point["uri"])
    return None


def event_from_api(
    resource: dict[str, Any], *, calendar_id: str, calendar_tz: str | None = None
) -> SourceEvent:
    """One Calendar API v3 event resource as a `SourceEvent` (see the module docstring)."""
    if not isinstance(resource, dict) or not resource.get("id"):
        raise ParseError(
            "not a calendar event", [Problem("expected an object with an id", field="id")]
        )
    event_id = str(resource["id"])
    status = resource.get("status", "confirmed")
    if status == "cancelled" and "start" not in resource:
        original = resource.get("originalStartTime")
        start: datetime | date = date(1970, 1, 1)
        zone = None
        if isinstance(original, dict):
            start, zone = _when(original, event_id, "originalStartTime", calendar_tz)
        return SourceEvent(
            id=event_id,
            calendar_id=calendar_id,
            summary=resource.get("summary", ""),
            start=start,
            timezone=zone,
            status="cancelled",
            recurring=bool(resource.get("recurringEventId")),
        )
    start, zone = _when(resource.get("start"), event_id, "start", calendar_tz)
    end: datetime | date | None = None
    if "end" in resource:
        end, _ = _when(resource["end"], event_id, "end", calendar_tz)
    organizer = _person(resource.get("organizer"))
    attendees = tuple(p for p in map(_person, resource.get("attendees") or ()) if p)
    if organizer is not None:
        for person in attendees:  # the organizer's response lives in the attendee list
            if person.email and person.email == organizer.email and person.response:
                organizer = Person(
                    organizer.email,
                    organizer.name or person.name,
                    organizer.is_self,
                    person.response,
                    organizer.resource,
                )
                break
    private = (resource.get("extendedProperties") or {}).get("private") or {}
    return SourceEvent(
        id=event_id,
        calendar_id=calendar_id,
        summary=str(resource.get("summary") or ""),
        start=start,
        end=end,
        timezone=zone,
        description=html_to_text(str(resource.get("description") or "")),
        location=str(resource.get("location") or ""),
        status=str(status),
        event_type=str(resource.get("eventType") or "default"),
        organizer=organizer,
        attendees=attendees,
        link=resource.get("htmlLink"),
        recurring=bool(resource.get("recurringEventId") or resource.get("recurrence")),
        managed=private.get(MANAGED_PROPERTY) == "1",
        conference=_conference(resource),
    )


@dataclass(frozen=True)
class EventsFile:
    """What a JSON events file held: the events read, and a warning per item skipped."""

    events: tuple[SourceEvent, ...]
    warnings: tuple[str, ...]
    timezone: str | None = None  # the calendar's zone, when an events.list answer says


def read_events_json(path: str | Path, *, calendar_id: str = "primary") -> EventsFile:
    """Read one event object, a list of them, or an `events.list` response (`items`).

    Malformed JSON raises `ParseError` with the file and line. An item that cannot be
    converted (unknown zone, no start) is skipped with a warning naming it: one bad
    event never hides the others.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(
            "cannot read events file",
            [Problem(exc.strerror or str(exc), file=str(path))],
        ) from exc
    except UnicodeDecodeError as exc:
        raise ParseError(
            "events file is not UTF-8", [Problem(str(exc.reason), file=str(path))]
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            "events file is not valid JSON",
            [Problem(f"{exc.msg} (column {exc.colno})", file=str(path), line=exc.lineno)],
            next_step="fix the JSON or export the events again",
        ) from exc
    calendar_tz: str | None = None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        calendar_tz = data.get("timeZone")
        items = data["items"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise ParseError(
            "events file holds no events",
            [Problem("expected an event object, a list, or an object with items", file=str(path))],
        )
    events: list[SourceEvent] = []
    warnings: list[str] = []
    for index, item in enumerate(items):
        where = f"{path}: item {index}"
        try:
            event = event_from_api(item, calendar_id=calendar_id, calendar_tz=calendar_tz)
        except ParseError as exc:
            warnings.append(f"{where}: skipped: {exc}")
            continue
        events.append(_with_origin(event, where))
    return EventsFile(tuple(events), tuple(warnings), calendar_tz)


def _with_origin(event: SourceEvent, origin: str) -> SourceEvent:
    return replace(event, origin=origin)


def load_events_json(path: str | Path, *, calendar_id: str = "primary") -> list[SourceEvent]:
    """The events of a JSON file (items that cannot be read are skipped; see
    `read_events_json` for the warnings)."""
    return list(read_events_json(path, calendar_id=calendar_id).events)
