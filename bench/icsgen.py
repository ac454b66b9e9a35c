"""Generated `.ics` exports for the offline benchmark and the fast-read equivalence tests.

`google_export(count, now)`: a Google-style export (X-WR-CALNAME/TIMEZONE, VTIMEZONEs,
folded lines, VALARMs, attendees) of `bench.data.calendar_bodies`, plus a share of
recurring series with RECURRENCE-ID overrides. `tricky=True` adds, seeded, the forms
the fast read must treat exactly like the full one: overrides that are interviews of a
plain series and plain overrides of an interview series, duplicate UIDs settled by
SEQUENCE, custom and Windows TZIDs, all-day, cancelled and declined interviews, HTML
and X-ALT-DESC descriptions, TEXT escapes, words folded in the middle, accents,
lower-case component names, UIDs inside VALARMs, events without a UID, parameters on
SUMMARY, quoted names. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

try:
    from bench.data import calendar_bodies
except ImportError:  # run as a script from bench/
    from data import calendar_bodies  # type: ignore[no-redef]

SELF = "user@example.com"
_VTIMEZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1SU", "3", "-1SU", "10"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "2SU", "3", "1SU", "11"),
}
CUSTOM_TZID = "(UTC+05:30) Office Time"


def _vtimezone(tzid: str) -> list[str]:
    std, dst, std_name, dst_name, dst_day, dst_month, std_day, std_month = _VTIMEZONES[tzid]
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        f"X-LIC-LOCATION:{tzid}",
        "BEGIN:DAYLIGHT",
        f"TZOFFSETFROM:{std}",
        f"TZOFFSETTO:{dst}",
        f"TZNAME:{dst_name}",
        "DTSTART:19700308T020000",
        f"RRULE:FREQ=YEARLY;BYMONTH={dst_month};BYDAY={dst_day}",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        f"TZOFFSETFROM:{dst}",
        f"TZOFFSETTO:{std}",
        f"TZNAME:{std_name}",
        "DTSTART:19701101T020000",
        f"RRULE:FREQ=YEARLY;BYMONTH={std_month};BYDAY={std_day}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def _custom_vtimezone() -> list[str]:
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{CUSTOM_TZID}",
        "BEGIN:STANDARD",
        "DTSTART:16010101T000000",
        "TZOFFSETFROM:+0530",
        "TZOFFSETTO:+0530",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, width: int = 75) -> str:
    """RFC 5545 folding at `width` octets (never inside a UTF-8 sequence)."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode()) > width:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)


def _local(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y%m%dT%H%M%S}"


def _people(body: dict) -> list[str]:
    lines = []
    for person in body.get("attendees", ()):
        name = person.get("displayName", person["email"])
        state = person.get("partstat", "ACCEPTED")
        lines.append(
            f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={state};"
            f"CN={name};X-NUM-GUESTS=0:mailto:{person['email']}"
        )
    return lines


def _vevent(body: dict, stamp: str, *, extra: list[str] = (), alarm_uid: bool = False) -> list[str]:
    zone = body["start"].get("timeZone", "Europe/Berlin")
    start = datetime.fromisoformat(body["start"]["dateTime"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(body["end"]["dateTime"].replace("Z", "+00:00"))
    lines = [
        "BEGIN:VEVENT",
        f"DTSTART;TZID={zone}:{_local(start, zone)}",
        f"DTEND;TZID={zone}:{_local(end, zone)}",
        f"DTSTAMP:{stamp}",
    ]
    if body.get("uid", True):
        lines.append(f"UID:{body['id']}@google.com")
    lines += [
        f"CREATED:{stamp}",
        f"DESCRIPTION:{escape(body['description'])}",
        f"LAST-MODIFIED:{stamp}",
        f"LOCATION:{escape(body['location'])}",
        f"SEQUENCE:{body.get('sequence', 0)}",
        f"STATUS:{body.get('status', 'confirmed').upper()}",
        f"SUMMARY:{escape(body['summary'])}",
        "TRANSP:OPAQUE",
        *extra,
        *_people(body),
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:This is an event reminder",
        "TRIGGER:-P0DT0H10M0S",
        *([f"UID:alarm-{body['id']}"] if alarm_uid else []),
        "END:VALARM",
        "END:VEVENT",
    ]
    return lines


def _series(rng: random.Random, index: int, now: datetime, stamp: str) -> list[str]:
    """A weekly series with a few moved instances; some series or instances interviews."""
    kind = rng.choice(("plain", "plain", "plain", "interview-series", "interview-override"))
    start = (now - timedelta(days=rng.randrange(5, 40))).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    uid = f"series{index:06d}@google.com"
    title = "Recruiter call with Initech (weekly)" if kind == "interview-series" else "Team sync"
    zone = "Europe/Berlin"
    lines = [
        "BEGIN:VEVENT",
        f"DTSTART;TZID={zone}:{_local(start, zone)}",
        f"DTEND;TZID={zone}:{_local(start + timedelta(minutes=30), zone)}",
        "RRULE:FREQ=WEEKLY;COUNT=10",
        f"DTSTAMP:{stamp}",
        f"UID:{uid}",
        f"SUMMARY:{title}",
        "DESCRIPTION:Weekly\\, as agreed.",
        "SEQUENCE:0",
        "END:VEVENT",
    ]
    for week in rng.sample(range(1, 8), 2):
        original = start + timedelta(weeks=week)
        moved = original + timedelta(hours=rng.choice((1, 2, 26)))
        if kind == "interview-override" and week == min(range(1, 8), key=lambda w: w):
            summary, description = (
                "Phone screen - Globex (moved into the series slot)",
                ("#followup:phone Dial-in: +1 415 555 0101"),
            )
        elif kind == "interview-override":
            summary, description = "Phone screen - Globex", "#followup:phone"
        else:
            summary, description = title, "Moved this week."
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART;TZID={zone}:{_local(moved, zone)}",
            f"DTEND;TZID={zone}:{_local(moved + timedelta(minutes=30), zone)}",
            f"RECURRENCE-ID;TZID={zone}:{_local(original, zone)}",
            f"DTSTAMP:{stamp}",
            f"UID:{uid}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            "SEQUENCE:1",
            "END:VEVENT",
        ]
    return lines


def _tricky(rng: random.Random, index: int, now: datetime, stamp: str) -> list[str]:
    """One of the forms the fast read must treat as the full read does."""
    day = (now - timedelta(days=rng.randrange(1, 20))).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    company = rng.choice(("Acme", "Hooli", "Umbrella", "Soylent", "Stark"))
    base = {
        "id": f"tricky{index:06d}",
        "summary": f"Phone screen - {company}",
        "description": f"Interview with the {company} team.",
        "location": "",
        "start": {"dateTime": day.isoformat(), "timeZone": "America/New_York"},
        "end": {"dateTime": (day + timedelta(hours=1)).isoformat(), "timeZone": "America/New_York"},
        "attendees": [
            {"email": f"jane@{company.lower()}.com", "displayName": "Jane Roe"},
            {"email": SELF},
        ],
    }
    form = rng.randrange(16)
    if form == 0:  # duplicate UID: the interview has the higher SEQUENCE
        other = {**base, "summary": "Lunch", "description": "", "sequence": 1}
        return _vevent({**base, "sequence": 2}, stamp) + _vevent(other, stamp)
    if form == 1:  # duplicate UID: the meeting has the higher SEQUENCE (it wins)
        other = {**base, "summary": "Lunch", "description": "", "sequence": 3}
        return _vevent({**base, "sequence": 1}, stamp) + _vevent(other, stamp)
    if form == 2:  # a custom TZID that only the file's VTIMEZONE defines
        lines = _vevent(base, stamp)
        lines[1] = f'DTSTART;TZID="{CUSTOM_TZID}":{day:%Y%m%dT%H%M%S}'
        lines[2] = f'DTEND;TZID="{CUSTOM_TZID}":{day + timedelta(hours=1):%Y%m%dT%H%M%S}'
        return lines
    if form == 3:  # a Windows zone name
        lines = _vevent(base, stamp)
        lines[1] = f"DTSTART;TZID=W. Europe Standard Time:{day:%Y%m%dT%H%M%S}"
        lines[2] = f"DTEND;TZID=W. Europe Standard Time:{day + timedelta(hours=1):%Y%m%dT%H%M%S}"
        return lines
    if form == 4:  # all-day interview day
        lines = _vevent({**base, "summary": f"Onsite interview at {company}"}, stamp)
        lines[1] = f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
        lines[2] = f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"
        return lines
    if form == 5:
        return _vevent({**base, "status": "cancelled"}, stamp)
    if form == 6:  # the user declined
        people = [
            {"email": f"jane@{company.lower()}.com", "displayName": "Jane Roe"},
            {"email": SELF, "partstat": "DECLINED"},
        ]
        return _vevent({**base, "attendees": people}, stamp)
    if form == 7:  # HTML only in X-ALT-DESC, the word split by markup
        lines = _vevent({**base, "summary": company, "description": ""}, stamp)
        return (
            lines[:-6]
            + [
                "X-ALT-DESC;FMTTYPE=text/html:<html><body>Your <b>inter</b>view with "
                f'{company} (<a href="https://x.example/j/1">join</a>)</body></html>'
            ]
            + lines[-6:]
        )
    if form == 8:  # escapes between the words
        return _vevent({**base, "summary": f"Phone\nscreen; {company}, round 1"}, stamp)
    if form == 9:  # accents, and a word folded in its middle
        lines = _vevent({**base, "summary": f"Entretien téléphonique - {company}"}, stamp)
        lines[lines.index(f"DESCRIPTION:{escape(base['description'])}")] = (
            "DESCRIPTION:Second round: techni\r\n cal interview"
        )
        return lines
    if form == 10:  # lower-case component names and a UID in the VALARM first
        lines = _vevent(base, stamp, alarm_uid=True)
        lines[0], lines[-1] = "begin:vevent", "end:vevent"
        return lines
    if form == 11:  # no UID: the reader makes one from DTSTART and SUMMARY
        return _vevent({**base, "uid": False}, stamp)
    if form == 12:  # a parameter on SUMMARY and a quoted organizer name
        lines = _vevent(base, stamp)
        at = lines.index(f"SUMMARY:{escape(base['summary'])}")
        lines[at] = f"SUMMARY;LANGUAGE=en:Final round - {company}"
        lines.insert(at, f'ORGANIZER;CN="Roe, Jane":mailto:jane@{company.lower()}.com')
        return lines
    if form == 13:  # about interviews, not one: never a reminder
        return _vevent({**base, "summary": "Interview prep: system design"}, stamp)
    if form == 14:  # a plain event that merely mentions a call
        return _vevent({**base, "summary": "Call mom", "description": ""}, stamp)
    # an interview whose text hides in a long, folded description with attendees only
    return _vevent(
        {
            **base,
            "summary": company,
            "description": "Hi! " * 30 + f"Looking forward to our recruiter screen, {company}.",
        },
        stamp,
    )


def google_export(
    count: int,
    now: datetime,
    *,
    seed: int = 7,
    interviews: int | None = None,
    recurring: float = 0.02,
    tricky: bool = False,
) -> bytes:
    """The export as bytes (CRLF, folded). About `count` VEVENTs: `recurring` of the
    slots become a weekly series with two moved instances."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    bodies = calendar_bodies(
        count, interviews=interviews if interviews is not None else max(36, count // 250), now=now
    )
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{SELF}",
        "X-WR-TIMEZONE:Europe/Berlin",
        *_vtimezone("Europe/Berlin"),
        *_vtimezone("America/New_York"),
    ]
    if tricky:
        lines += _custom_vtimezone()
    for index, body in enumerate(bodies):
        roll = rng.random()
        if roll < recurring:
            lines += _series(rng, index, now, stamp)
        elif tricky and roll < recurring + 0.15:
            lines += _tricky(rng, index, now, stamp)
        else:
            lines += _vevent(body, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
