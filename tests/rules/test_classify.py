"""Detection and classification: hard rules, tags, odd events, extracted facts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.classify import classify
from rules.extract import normalize_company, stated_timeline
from rules.model import Person, SourceEvent, Stage
from tests.rules.helpers import interview

NY = ZoneInfo("America/New_York")
WHEN = datetime(2026, 12, 3, 10, 0, tzinfo=NY)  # a Thursday
ME = Person("sam@gmail.com", "Sam", is_self=True, response="accepted")


def signals(verdict):
    return [r.signal for r in verdict.reasons]


@pytest.mark.parametrize(
    ("changes", "signal"),
    [
        ({"status": "cancelled"}, "cancelled"),
        ({"attendees": (Person("sam@gmail.com", is_self=True, response="declined"),)}, "declined"),
        ({"event_type": "outOfOffice"}, "event-type"),
        ({"event_type": "focusTime"}, "event-type"),
        ({"managed": True}, "managed"),
        ({"description": "Company: Acme\n#followup:generated"}, "managed"),
    ],
)
def test_hard_rules_beat_even_a_tag(vocab, changes, signal):
    base = {"description": "#followup:final"}
    event = interview("Final round - Acme", WHEN, **{**base, **changes})
    verdict = classify(event, vocab)
    assert not verdict.interview and verdict.stage is None
    assert signals(verdict) == [signal]


def test_tags_win_over_words(vocab):
    phone = classify(interview("Acme onsite", WHEN, description="#followup:phone"), vocab)
    assert phone.interview and phone.stage is Stage.PHONE
    skip = classify(interview("Phone screen Acme", WHEN, description="#followup:skip"), vocab)
    assert not skip.interview and "tag" in signals(skip)
    forced = classify(interview("Mock interview", WHEN, description="#followup:final"), vocab)
    assert forced.interview and forced.stage is Stage.FINAL
    dated = classify(interview("Lunch", WHEN, description="#followup:2026-12-20"), vocab)
    assert dated.interview and dated.stated_followup == date(2026, 12, 20)


@pytest.mark.parametrize("tag", ["#followup:maybe", "#followup:7d", "#followup:2026-12-20T10"])
def test_unknown_tag_is_reported_not_obeyed(vocab, tag):
    """A tag the tool does not know ("7d" for "a week after") is named in `explain` and
    by `sync`, so the user sees it was not obeyed, instead of being silently passed over."""
    verdict = classify(interview("Lunch", WHEN, description=tag), vocab)
    assert not verdict.interview
    assert "unknown-tag" in signals(verdict)
    assert [r.matched for r in verdict.reasons if r.signal == "unknown-tag"] == [tag]


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        ("Interview prep: Acme final round", "negative:prep"),
        ("Mock interview with coach", "negative:prep"),
        ("Send thank-you note to Acme after the interview", "negative:thank-you"),
        ("Interview candidate: Jane Doe", "negative:interviewer"),
        ("Interviewing Jane Doe (SRE) - phone screen", "negative:interviewer"),
        ("Debrief - Jane Doe onsite", "negative:interviewer"),
        ("Podcast: Interview with the founder of Acme", "negative:not-a-job-interview"),
        ("Tech career fair: interviews on the spot", "negative:about"),
        ("Webinar: phone screen tips", "negative:about"),
    ],
)
def test_ruled_out_with_the_kind_named(vocab, summary, kind):
    verdict = classify(interview(summary, WHEN), vocab)
    assert not verdict.interview
    assert kind in signals(verdict)


def test_prepare_in_a_real_invitation_does_not_rule_it_out(vocab):
    event = interview(
        "Final round - Acme",
        WHEN,
        description="Please prepare a short presentation. The candidate should bring ID.",
    )
    assert classify(event, vocab).interview


def test_recurring_interviews_are_skipped_with_a_note(vocab):
    event = SourceEvent(
        id="o", calendar_id="c", summary="Phone screen - Acme", start=WHEN, recurring=True
    )
    verdict = classify(event, vocab)
    assert not verdict.interview and verdict.skip_note == "recurring event"


@pytest.mark.parametrize(
    ("start", "end", "last"),
    [
        (date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 3)),  # one all-day day
        (date(2026, 12, 3), date(2026, 12, 5), date(2026, 12, 4)),  # a two-day final
        (WHEN, WHEN + timedelta(days=1, hours=8), date(2026, 12, 4)),  # timed, two days
        (WHEN.replace(hour=23), WHEN.replace(hour=23) + timedelta(hours=2), date(2026, 12, 3)),
    ],
)
def test_all_day_and_multi_day_interviews_are_interviews_counted_from_the_last_day(
    vocab, start, end, last
):
    from rules.classify import local_date

    event = SourceEvent(
        id="o",
        calendar_id="c",
        summary="Acme onsite interview",
        start=start,
        end=end,
        timezone="America/New_York",
    )
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.FINAL
    assert local_date(event) == last


def test_odd_event_without_interview_words_has_no_note(vocab):
    event = SourceEvent(id="o", calendar_id="c", summary="Birthday", start=date(2026, 12, 3))
    assert classify(event, vocab).skip_note is None


def test_no_summary_is_judged_on_description(vocab):
    event = interview("", WHEN, description="Phone interview with Acme's recruiter")
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.stage is Stage.PHONE
    assert "no-summary" in signals(verdict)


def test_every_reason_names_field_and_text(vocab):
    event = interview("Acme | Final round", WHEN, location="Zoom https://zoom.us/j/1")
    verdict = classify(event, vocab)
    final = [r for r in verdict.reasons if r.signal == "final"]
    assert final and final[0].field == "summary" and final[0].matched == "final round"
    assert verdict.stage is Stage.FINAL
    # The Zoom link is conferencing boilerplate: set aside, not phone-stage evidence.
    assert not [r for r in verdict.reasons if r.field == "location" and r.signal == "phone"]
    assert any(r.signal == "boilerplate" and "zoom" in r.matched for r in verdict.reasons)


def test_address_with_long_block_is_final(vocab):
    long = interview("Interview at Acme", WHEN, hours=3, location="350 Fifth Avenue, New York")
    short = interview("Interview at Acme", WHEN, hours=1, location="350 Fifth Avenue, New York")
    assert classify(long, vocab).stage is Stage.FINAL
    assert any(r.signal.startswith("final:address+") for r in classify(long, vocab).reasons)
    assert classify(short, vocab).stage is Stage.FINAL  # an office visit still outweighs 0
    video = interview("Interview at Acme", WHEN, hours=3, location="https://zoom.us/j/1")
    assert classify(video, vocab).stage is Stage.PHONE


@pytest.mark.parametrize(
    ("summary", "company", "role"),
    [
        ("Phone screen - Acme Corp", "Acme Corp", None),
        ("Interview with Acme (Backend Engineer)", "Acme", "Backend Engineer"),
        ("Acme | Final round", "Acme", None),
        ("Acme Corp: onsite", "Acme Corp", None),
        ("Backend Engineer interview at Globex", "Globex", "Backend Engineer"),
        ("Recruiter call — Initech, Product Designer", "Initech", "Product Designer"),
        ("Vorstellungsgespräch bei Siemens", "Siemens", None),
        ("Entretien téléphonique - Airbus", "Airbus", None),
    ],
)
def test_company_and_role_from_title(vocab, summary, company, role):
    verdict = classify(interview(summary, WHEN), vocab)
    assert (verdict.company, verdict.role) == (company, role)


def test_company_from_organizer_domain_when_title_has_none(vocab):
    event = interview(
        "Phone screen",
        WHEN,
        organizer=Person("jane@talent.globex-corp.com", "Jane Roe"),
        attendees=(ME, Person("jane@talent.globex-corp.com", "Jane Roe")),
    )
    assert classify(event, vocab).company == "Globex Corp"
    calendly = interview("Phone screen", WHEN, organizer=Person("no-reply@calendly.com"))
    assert classify(calendly, vocab).company is None


def test_person_after_with_is_not_the_company(vocab):
    jane = Person("jane@acme.com", "Jane Roe")
    event = interview("Phone screen with Jane Roe", WHEN, organizer=jane, attendees=(ME, jane))
    verdict = classify(event, vocab)
    assert verdict.company == "Acme"
    assert verdict.interviewer == jane


def test_interviewer_skips_self_and_rooms(vocab):
    room = Person("c_123@resource.calendar.google.com", "Room 4.01", resource=True)
    bob = Person("bob@acme.com", "Bob Lee")
    event = interview(
        "Final round - Acme",
        WHEN,
        organizer=Person("sam@gmail.com", "Sam", is_self=True),
        attendees=(ME, room, bob),
    )
    assert classify(event, vocab).interviewer == bob


def test_salary_tag(vocab):
    event = interview("Final round - Acme", WHEN, description="#salary: EUR 70-75k\nnotes")
    assert classify(event, vocab).salary == "EUR 70-75k"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Timeline: 2 weeks", date(2026, 12, 17)),
        ("We expect to make a decision within 10 business days.", date(2026, 12, 17)),
        ("You'll hear back by Dec 15.", date(2026, 12, 15)),
        ("you'll hear from us by the 12th", date(2026, 12, 12)),
        ("We'll let you know by the 2nd", date(2027, 1, 2)),
        ("decision by Friday", date(2026, 12, 4)),
        ("We will get back to you by 8 January", date(2027, 1, 8)),
        ("Hear back in a couple of weeks", date(2026, 12, 17)),
        ("Thanks for coming in!", None),
        ("Founded by Jane on Dec 1", None),
    ],
)
def test_stated_timeline_phrases(text, expected):
    found = stated_timeline(text, date(2026, 12, 3))
    assert (found.when if found else None) == expected


def test_normalize_company():
    assert normalize_company("ACME, Inc.") == normalize_company("Acme") == "acme"
    assert normalize_company("Müller GmbH") == normalize_company("Muller") == "muller"
    assert normalize_company("Acme Corp") == normalize_company("acme corporation")
    assert normalize_company("Acme") != normalize_company("Acme Labs")
