"""The reminder's text: facts in the title, advice, draft and an RFC 6068 mailto."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from rules.classify import classify
from rules.extract import MARKER
from rules.message import build_reminder, span
from rules.model import Person, Policy, reminder_key
from rules.timing import followup_window
from tests.rules.helpers import interview

NY = ZoneInfo("America/New_York")
ME = Person("sam@gmail.com", "Sam", is_self=True, response="accepted")
JANE = Person("jane.roe@acme.com", "Jane Roe")


def reminder_for(event, vocab, policy=None):
    policy = policy or Policy(user_name="Sam Seeker")
    verdict = classify(event, vocab)
    window = followup_window(event, verdict, policy=policy, user_tz=NY)
    return build_reminder(event, verdict, window, policy=policy)


def spec_event(**changes):
    fields = {
        "description": "Phone screen.",
        "organizer": JANE,
        "attendees": (ME, JANE),
        "link": "https://calendar.google.com/event?eid=abc",
        **changes,
    }
    return interview(
        "Interview with Acme (Backend Engineer)",
        datetime(2026, 12, 3, 14, 0, tzinfo=NY),
        **fields,
    )


def test_title_carries_the_key_facts(vocab):
    reminder = reminder_for(spec_event(), vocab)
    assert reminder.title == (
        "Follow up: Acme \u2014 Backend Engineer (phone screen Dec 3; window Dec 8\u201310)"
    )


def test_description_has_facts_advice_link_and_marker(vocab):
    reminder = reminder_for(spec_event(description="Phone screen. #salary: USD 150k"), vocab)
    text = reminder.description
    for needle in (
        "Company: Acme",
        "Role: Backend Engineer",
        "Thu Dec 3, 2026",
        "Write to: jane.roe@acme.com",
        "https://calendar.google.com/event?eid=abc",
        "LinkedIn",
        "USD 150k",
        "Dear Jane,",
    ):
        assert needle in text, needle
    assert text.rstrip().endswith(MARKER)
    # the tool's own reminder is never taken for an interview
    from rules.model import SourceEvent

    echo = SourceEvent(
        id="r", calendar_id="c", summary=reminder.title, start=reminder.start, description=text
    )
    assert not classify(echo, vocab).interview


def test_default_salary_from_policy(vocab):
    reminder = reminder_for(spec_event(), vocab, Policy(default_salary="EUR 70-75k"))
    assert "EUR 70-75k" in reminder.description


def test_draft_and_mailto(vocab):
    reminder = reminder_for(spec_event(), vocab)
    assert "Backend Engineer" in reminder.draft_subject and "Acme" in reminder.draft_subject
    assert "Dec 3" in reminder.draft_body and "next steps" in reminder.draft_body
    assert "Sam Seeker" in reminder.draft_body
    url = urlsplit(reminder.mailto)
    assert url.scheme == "mailto" and unquote(url.path) == "jane.roe@acme.com"
    assert " " not in reminder.mailto and "\n" not in reminder.mailto
    assert "%0D%0A" in reminder.mailto  # RFC 6068 line breaks
    query = parse_qs(url.query)
    assert query["subject"] == [reminder.draft_subject]
    assert query["body"][0].replace("\r\n", "\n") == reminder.draft_body


def test_key_and_times(vocab):
    event = spec_event()
    reminder = reminder_for(event, vocab, Policy(reminder_minutes=20))
    assert reminder.key == reminder_key(event.calendar_id, event.id)
    assert reminder.start == datetime(2026, 12, 8, 9, 30, tzinfo=NY)
    assert reminder.end - reminder.start == timedelta(minutes=20)


def test_span_formats():
    from datetime import date

    assert span(date(2026, 12, 8), date(2026, 12, 10)) == "Dec 8\u201310"
    assert span(date(2026, 11, 30), date(2026, 12, 2)) == "Nov 30\u2013Dec 2"
    assert span(date(2026, 12, 8), date(2026, 12, 8)) == "Dec 8"
