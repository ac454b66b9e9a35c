"""Small helpers shared by the CalDAV tests: clients, fresh calendars, events."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

from tests.caldav.servers import RunningServer

_names = itertools.count(1)


def client_for(server: RunningServer, password: str | None = None) -> Any:
    from sync.caldav.client import open_client

    return open_client(server.root, server.username, password or server.password, timeout=10)


def fresh_calendar(server: RunningServer, name: str | None = None) -> Any:
    """A new, empty calendar on `server` (each test gets its own)."""
    principal = client_for(server).principal()
    return principal.make_calendar(name=name or f"Test {next(_names)} {uuid.uuid4().hex[:6]}")


def event_text(uid: str, summary: str, start: datetime, *, hours: int = 1, extra: str = "") -> str:
    end = start + timedelta(hours=hours)
    fmt = "%Y%m%dT%H%M%SZ"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tests//caldav//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T000000Z",
        f"DTSTART:{start.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        f"SUMMARY:{summary}",
        *([extra] if extra else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def put_event(calendar: Any, uid: str, summary: str, start: datetime, **kw: Any) -> str:
    """Write an event as a calendar app would; returns its href."""
    href = str(calendar.url.join(f"{uid}.ics"))
    answer = calendar.client.put(
        href, event_text(uid, summary, start, **kw), {"Content-Type": "text/calendar"}
    )
    assert answer.status in (201, 204), answer.status
    return href


def get_text(calendar: Any, href: str) -> str | None:
    answer = calendar.client.request(href, "GET")
    return answer.raw if answer.status == 200 else None


def edit_summary(calendar: Any, href: str, summary: str) -> None:
    """What a calendar app does when the user retitles an event: the rest stays."""
    text = get_text(calendar, href)
    assert text is not None
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    lines = [
        f"SUMMARY:{summary}" if line.startswith("SUMMARY") else line
        for line in unfolded.split("\n")
    ]
    answer = calendar.client.put(href, "\r\n".join(lines), {"Content-Type": "text/calendar"})
    assert answer.status in (201, 204), answer.status


def delete(calendar: Any, href: str) -> None:
    answer = calendar.client.delete(href)
    assert answer.status in (200, 204), answer.status


def _rewrite(calendar: Any, href: str, change) -> None:
    text = get_text(calendar, href)
    assert text is not None
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    lines = [change(line) for line in unfolded.split("\n")]
    body = "\r\n".join(line for line in lines if line is not None)
    answer = calendar.client.put(href, body, {"Content-Type": "text/calendar"})
    assert answer.status in (201, 204), answer.status


def edit_start(calendar: Any, href: str, start: datetime, *, hours: int = 1) -> None:
    """The user moves an event in their calendar app."""
    fmt = "%Y%m%dT%H%M%SZ"
    end = start + timedelta(hours=hours)

    def change(line: str) -> str:
        if line.startswith("DTSTART"):
            return f"DTSTART:{start.strftime(fmt)}"
        if line.startswith("DTEND"):
            return f"DTEND:{end.strftime(fmt)}"
        return line

    _rewrite(calendar, href, change)


def set_status(calendar: Any, href: str, status: str) -> None:
    """The organizer cancels: STATUS:CANCELLED on the event."""

    def change(line: str) -> str | None:
        if line.startswith("STATUS"):
            return None
        if line == "END:VEVENT":
            return f"STATUS:{status}\r\nEND:VEVENT"
        return line

    _rewrite(calendar, href, change)


def summary_of(text: str) -> str:
    import icalendar

    for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        return str(event.get("SUMMARY", ""))
    return ""
