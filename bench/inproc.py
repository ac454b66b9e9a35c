"""In-process figures: the rules' throughput, the .ics writer and the .ics reader.

Measured in this process on one core (`sched_setaffinity`), the best of a few rounds
for the short ones; the inputs come from `data.py`, built before the clock starts.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from data import calendar_bodies

USER_TZ = ZoneInfo("Europe/Berlin")


@contextmanager
def one_core() -> Iterator[None]:
    """Pin this process to one CPU while measuring (the rules are single-threaded;
    pinning keeps the scheduler from moving us between cores mid-loop)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def api_resource(body: dict) -> dict:
    """What Google adds to a stored event (the emulator adds the same)."""
    return {
        **body,
        "kind": "calendar#event",
        "htmlLink": f"https://www.google.com/calendar/event?eid={body['id']}",
        "organizer": {"email": "user@example.com", "self": True},
        "creator": {"email": "user@example.com", "self": True},
        "eventType": "default",
    }


def rules_throughput(count: int, now: datetime) -> dict[str, float]:
    from rules.classify import classify
    from rules.model import Policy
    from rules.policy import decide
    from rules.vocabulary import default_vocabulary
    from sync.google.convert import event_from_api

    vocab = default_vocabulary()
    resources = [
        api_resource(b) for b in calendar_bodies(count, interviews=max(36, count // 250), now=now)
    ]
    with one_core():
        convert_s, events = _timed(
            lambda: [
                event_from_api(r, calendar_id="primary", calendar_tz="Europe/Berlin")
                for r in resources
            ]
        )
        classify_s, verdicts = _timed(lambda: [classify(e, vocab) for e in events])
        decide_s, decisions = _timed(
            lambda: decide(events, now=now, user_tz=USER_TZ, policy=Policy(), vocab=vocab)
        )
    return {
        "events": len(events),
        "interviews": sum(1 for v in verdicts if v.interview),
        "reminders": len(decisions.reminders),
        "convert_s": convert_s,
        "classify_s": classify_s,
        "decide_s": decide_s,
    }


_FIRST = [
    "Blue",
    "Red",
    "Green",
    "Silver",
    "North",
    "South",
    "East",
    "West",
    "Bright",
    "Quiet",
    "Rapid",
    "Solid",
    "Clear",
    "Deep",
    "High",
    "Open",
    "True",
    "Prime",
    "Noble",
    "Swift",
    "Bold",
    "Calm",
    "Golden",
    "Iron",
    "Lunar",
]
_SECOND = [
    "Harbor",
    "Summit",
    "Forge",
    "Works",
    "Labs",
    "Systems",
    "Dynamics",
    "Analytics",
    "Logistics",
    "Networks",
    "Robotics",
    "Foods",
    "Health",
    "Capital",
    "Media",
    "Energy",
    "Motors",
    "Studios",
    "Partners",
    "Software",
    "Cloud",
    "Retail",
    "Bio",
    "Security",
    "Ventures",
    "Freight",
    "Apparel",
    "Optics",
    "Games",
    "Data",
    "Mining",
    "Textiles",
    "Marine",
    "Aviation",
    "Pharma",
    "Insurance",
    "Labs Two",
    "Devices",
    "Materials",
    "Holdings",
]


def reminders_for_export(count: int, now: datetime) -> list:
    """`count` reminders: one phone screen each at `count` distinct companies, all in
    the last three weeks (so none is past the look-back or superseded)."""
    from rules.model import Policy
    from rules.policy import decide
    from rules.vocabulary import default_vocabulary
    from sync.google.convert import event_from_api

    names = [f"{a} {b}" for a in _FIRST for b in _SECOND][:count]
    events = []
    for index, company in enumerate(names):
        start = (now - timedelta(days=1 + index % 20)).replace(
            hour=9 + index % 8, minute=0, second=0, microsecond=0
        )
        body = {
            "id": f"exp{index:06d}",
            "summary": f"Phone screen - {company} (Backend Engineer)",
            "description": "Recruiter call. Dial-in: +1 415 555 0101",
            "start": {"dateTime": start.isoformat(), "timeZone": "Europe/Berlin"},
            "end": {
                "dateTime": (start + timedelta(minutes=30)).isoformat(),
                "timeZone": "Europe/Berlin",
            },
        }
        events.append(event_from_api(api_resource(body), calendar_id="primary"))
    decisions = decide(
        events, now=now, user_tz=USER_TZ, policy=Policy(), vocab=default_vocabulary()
    )
    return list(decisions.reminders)


def export_figures(count: int, now: datetime) -> dict[str, float]:
    from sync.planner import Wants, plan
    from sync.statusdb import StatusDB
    from sync.stores.ics import IcsStore, target_name

    reminders = reminders_for_export(count, now)
    with tempfile.TemporaryDirectory(prefix="bench-ics-") as tmp, one_core():
        status = StatusDB(Path(tmp) / "state.sqlite3")
        out = Path(tmp) / "ics"

        def export() -> int:
            store = IcsStore(status.book(target_name(out)), out, now)
            store.apply(plan([Wants("bench", tuple(reminders))], store.existing(), now=now))
            return store.files[0]

        first_s, first = _timed(export)
        again_s, again = _timed(export)
        files = len(list(out.glob("*.ics")))
        status.close()
    return {
        "reminders": len(reminders),
        "first_s": first_s,
        "first_written": first,
        "again_s": again_s,
        "again_written": again,
        "files": files,
    }


def _ics_lines(body: dict, stamp: str) -> list[str]:
    def when(value: dict) -> str:
        moment = datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
        local = moment.astimezone(ZoneInfo(value["timeZone"]))
        return f";TZID={value['timeZone']}:{local:%Y%m%dT%H%M%S}"

    lines = [
        "BEGIN:VEVENT",
        f"DTSTART{when(body['start'])}",
        f"DTEND{when(body['end'])}",
        f"DTSTAMP:{stamp}",
        f"UID:{body['id']}@google.com",
        f"CREATED:{stamp}",
        f"DESCRIPTION:{_escape(body['description'])}",
        f"LAST-MODIFIED:{stamp}",
        f"LOCATION:{_escape(body['location'])}",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        f"SUMMARY:{_escape(body['summary'])}",
        "TRANSP:OPAQUE",
    ]
    for person in body.get("attendees", ()):
        name = person.get("displayName", person["email"])
        lines.append(
            f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
            f"CN={name};X-NUM-GUESTS=0:mailto:{person['email']}"
        )
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:This is an event reminder",
        "TRIGGER:-P0DT0H10M0S",
        "END:VALARM",
        "END:VEVENT",
    ]
    return [_fold(line) for line in lines]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    out, rest = [], line
    while len(rest.encode()) > 75:
        out.append(rest[:73])
        rest = " " + rest[73:]
    out.append(rest)
    return "\r\n".join(out)


def write_ics(path: Path, count: int, now: datetime) -> None:
    """A Google-style export: X-WR-TIMEZONE, a VTIMEZONE block, folded lines, VALARMs."""
    bodies = calendar_bodies(count, interviews=max(36, count // 250), now=now)
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    head = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:user@example.com",
        "X-WR-TIMEZONE:Europe/Berlin",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "X-LIC-LOCATION:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "X-LIC-LOCATION:America/New_York",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "DTSTART:19700308T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "DTSTART:19701101T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    lines = head
    for body in bodies:
        lines.extend(_ics_lines(body, stamp))
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


def ics_read_figures(count: int, now: datetime) -> dict[str, float]:
    from sync.ics.reader import read_ics

    with tempfile.TemporaryDirectory(prefix="bench-read-") as tmp:
        path = Path(tmp) / "calendar.ics"
        write_ics(path, count, now)
        size = path.stat().st_size
        with one_core():
            read_s, source = _timed(lambda: read_ics(path))
    return {
        "events": len(source.events),
        "bytes": size,
        "read_s": read_s,
        "warnings": len(source.warnings),
    }


__all__ = ["export_figures", "ics_read_figures", "rules_throughput"]
