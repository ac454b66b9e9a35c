"""The reminder's text: facts in the title, advice, draft and an RFC 6068 mailto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


# -- set late: say what actually happened ------------------------------------------


def _late_case(vocab):
    # Phone screen Wed Nov 25 -> window Mon Nov 30 .. Wed Dec 2, planned Mon 09:30.
    event = interview(
        "Interview with Acme (Backend Engineer)",
        datetime(2026, 11, 25, 14, 0, tzinfo=NY),
        description="Phone screen.",
        organizer=JANE,
        attendees=(ME, JANE),
    )
    reminder = reminder_for(event, vocab)
    assert (reminder.window.start.isoformat(), reminder.window.end.isoformat()) == (
        "2026-11-30",
        "2026-12-02",
    )
    assert reminder.start == datetime(2026, 11, 30, 9, 30, tzinfo=NY)
    return reminder


def test_set_late_inside_the_window_says_the_moment_passed_not_the_window(vocab):
    from rules.message import set_late

    moved = set_late(_late_case(vocab), datetime(2026, 12, 2, 9, 30, tzinfo=NY))
    note = moved.description.split("\n\n")[0]
    assert "had already passed" not in note and "window ended" not in note
    assert "Mon Nov 30 09:30 had passed" in note
    assert "moved to Wed Dec 2 09:30, still inside the follow-up window (Nov 30\u2013Dec 2)" in note
    assert moved.start == datetime(2026, 12, 2, 9, 30, tzinfo=NY)


def test_set_late_after_the_window_says_it_ended_and_when_it_is_set(vocab):
    from rules.message import set_late

    moved = set_late(_late_case(vocab), datetime(2026, 12, 3, 14, 30, tzinfo=UTC))
    note = moved.description.split("\n\n")[0]
    assert note.startswith("Set late: the follow-up window (Nov 30\u2013Dec 2) ended Dec 2")
    assert "set for the next weekday, Thu Dec 3 09:30" in note  # shown in the user's zone


# -- the draft ----------------------------------------------------------------------


def test_draft_without_a_name_is_signed_with_a_visible_placeholder(vocab):
    from rules.message import NAME_PLACEHOLDER, signed_with_placeholder

    reminder = reminder_for(spec_event(), vocab, Policy())
    assert reminder.draft_body.rstrip().endswith(f"Best regards,\n{NAME_PLACEHOLDER}")
    assert signed_with_placeholder(reminder)
    assert NAME_PLACEHOLDER in reminder.description  # the draft shown in the reminder
    named = reminder_for(spec_event(), vocab, Policy(user_name="Sam Seeker"))
    assert not signed_with_placeholder(named) and NAME_PLACEHOLDER not in named.description


def test_subject_is_a_follow_up_not_a_thank_you(vocab):
    reminder = reminder_for(spec_event(), vocab)
    assert reminder.draft_subject == (
        "Following up on my phone screen for Backend Engineer at Acme"
    )
    final = reminder_for(
        interview(
            "Final round onsite - Acme",
            datetime(2026, 12, 3, 14, 0, tzinfo=NY),
            hours=4,
            location="1 Market St",
            organizer=JANE,
        ),
        vocab,
    )
    assert final.draft_subject == "Following up on my final-round interview at Acme"
    assert not final.draft_subject.startswith("Thank you")


def test_a_stated_timeline_is_referred_to_instead_of_asked_for(vocab):
    reminder = reminder_for(
        spec_event(description="Phone screen. We will get back to you by Dec 15."), vocab
    )
    assert reminder.window.basis == "timeline"
    body = reminder.draft_body
    assert "you mentioned I could expect to hear back by Tue, Dec 15" in body
    assert "expected timeline" not in body
    # a date the user set with a tag is theirs, not the hiring manager's: ask as usual
    tagged = reminder_for(spec_event(description="Phone screen. #followup:2026-12-15"), vocab)
    assert "you mentioned" not in tagged.draft_body and "expected timeline" in tagged.draft_body


def test_no_unknown_role_or_company_is_printed(vocab):
    event = interview(
        "Interview",
        datetime(2026, 12, 3, 14, 0, tzinfo=NY),
        description="Phone screen.",
        organizer=Person("jane@gmail.com", "Jane"),
    )
    reminder = reminder_for(event, vocab)
    assert reminder.classification.role is None
    assert "unknown" not in reminder.description.lower()
    assert "Role:" not in reminder.description
    assert " for " not in reminder.draft_subject


def test_a_video_round_is_not_called_a_phone_screen(vocab):
    cases = {
        "Video interview: Hooli, SRE": "interview",
        "Technical interview with Hooli (Zoom)": "interview",
        "Hiring manager interview - Hooli": "interview",
        "First round interview - Hooli": "first-round interview",
        "Phone screen - Hooli": "phone screen",
        "Hooli - phone interview": "phone screen",
    }
    for summary, label in cases.items():
        event = interview(
            summary,
            datetime(2026, 12, 3, 14, 0, tzinfo=NY),
            description="Join Zoom: https://zoom.us/j/123\nDial-in: +1 415 555 0101 (phone)",
        )
        reminder = reminder_for(event, vocab)
        assert reminder.classification.stage.value == "phone", summary
        assert f"({label} Dec 3;" in reminder.title, (summary, reminder.title)
        assert f"Interview: {label} on" in reminder.description
