"""Synthetic calendars for the benchmark: mostly ordinary events, a few dozen interviews.

Deterministic (seeded) so two runs measure the same work. Bodies look like what
Google returns for a busy work calendar: attendees, descriptions with a Meet link,
locations; interviews use the titles job seekers actually write.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Soylent",
    "Vandelay Industries",
    "Pied Piper",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Gringotts",
    "Oscorp",
    "Massive Dynamic",
    "Aperture Science",
    "Black Mesa",
    "Monarch Solutions",
    "Dunder Mifflin",
    "Prestige Worldwide",
    "Nakatomi",
    "Zorg",
    "Virtucon",
    "Bluth Company",
    "Sterling Cooper",
    "Gekko & Co",
    "Octan",
    "Veridian",
    "Nimbus Labs",
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Tailspin",
    "Litware",
    "Adatum",
]
ROLES = [
    "Backend Engineer",
    "Data Analyst",
    "Product Manager",
    "SRE",
    "Frontend Developer",
    "Staff Engineer",
    "ML Engineer",
    "Designer",
]
PHONE_TITLES = [
    "Phone screen - {c} ({r})",
    "Recruiter call with {c}",
    "{c} - initial interview ({r})",
    "Video interview: {c}, {r}",
    "First round interview - {c}",
]
FINAL_TITLES = [
    "Final round onsite - {c}",
    "{c} onsite interview loop ({r})",
    "Final interview at {c}",
    "Superday - {c}",
]
ORDINARY = [
    "Team standup",
    "1:1 with Dana",
    "Sprint planning",
    "Lunch with Sam",
    "Dentist",
    "Gym",
    "Focus block",
    "Design review",
    "Coffee with Alex",
    "Yoga",
    "Groceries",
    "Quarterly planning",
    "Book club",
    "Call mom",
    "Car service",
    "Retro",
    "Interview prep: system design",
    "Mock interview with Priya",
    "Webinar: hiring trends",
    "Flight to Berlin",
    "Pick up kids",
    "Haircut",
    "Board games night",
]
PEOPLE = ["dana", "sam", "alex", "priya", "li", "marta", "omar", "jo", "kim", "noor"]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def ordinary_body(rng: random.Random, index: int, start: datetime) -> dict:
    title = ORDINARY[index % len(ORDINARY)]
    minutes = rng.choice((15, 30, 30, 45, 60, 60, 90))
    people = rng.sample(PEOPLE, rng.randint(0, 4))
    body = {
        "id": f"ev{index:07d}",
        "summary": title,
        "description": (
            f"Agenda for {title.lower()}: notes, follow-ups from last time, open questions.\n"
            f"Join: https://meet.google.com/abc-defg-{index % 1000:03d}"
        )
        if rng.random() < 0.6
        else "",
        "location": rng.choice(("", "", "Room 4.12", "Home", "Cafe Central, 12 Main St")),
        "start": {"dateTime": _iso(start), "timeZone": "Europe/Berlin"},
        "end": {"dateTime": _iso(start + timedelta(minutes=minutes)), "timeZone": "Europe/Berlin"},
        "status": "confirmed",
    }
    if people:
        body["attendees"] = [
            {"email": f"{p}@example.org", "displayName": p.title(), "responseStatus": "accepted"}
            for p in people
        ] + [{"email": "user@example.com", "self": True, "responseStatus": "accepted"}]
    return body


def interview_body(rng: random.Random, index: int, number: int, start: datetime) -> dict:
    company = COMPANIES[number % len(COMPANIES)]
    role = ROLES[number % len(ROLES)]
    final = number % 3 == 2
    template = rng.choice(FINAL_TITLES if final else PHONE_TITLES)
    minutes = 240 if final else 45
    return {
        "id": f"iv{index:07d}",
        "summary": template.format(c=company, r=role),
        "description": (
            f"Interview with the {company} hiring team for the {role} role.\n"
            + (
                "Address: 1 Market St, floor 5. Bring ID."
                if final
                else "Dial-in: +1 415 555 0101, or https://zoom.us/j/123456789"
            )
        ),
        "location": "1 Market St, San Francisco" if final else "",
        "start": {"dateTime": _iso(start), "timeZone": "America/New_York"},
        "end": {
            "dateTime": _iso(start + timedelta(minutes=minutes)),
            "timeZone": "America/New_York",
        },
        "status": "confirmed",
        "attendees": [
            {
                "email": f"recruiting@{company.split()[0].lower()}.com",
                "displayName": f"{company} Recruiting",
                "responseStatus": "accepted",
            },
            {"email": "user@example.com", "self": True, "responseStatus": "accepted"},
        ],
    }


def calendar_bodies(
    count: int, *, interviews: int = 36, now: datetime | None = None, seed: int = 7
) -> list[dict]:
    """`count` events over two years around `now`; `interviews` of them (distinct
    companies, dated in the last three weeks and the next week, so each earns a
    reminder) spread evenly through the list."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    base = (now - timedelta(days=365)).replace(minute=0, second=0, microsecond=0)
    interviews = min(interviews, count)
    step = max(1, count // max(1, interviews))
    bodies = []
    number = 0
    for index in range(count):
        if number < interviews and index % step == step // 2:
            days = -21 + (number * 28) // max(1, interviews)
            start = (now + timedelta(days=days)).replace(
                hour=14 + number % 4, minute=0, second=0, microsecond=0
            )
            bodies.append(interview_body(rng, index, number, start))
            number += 1
        else:
            start = base + timedelta(minutes=30 * rng.randrange(0, 2 * 365 * 48))
            bodies.append(ordinary_body(rng, index, start))
    return bodies
