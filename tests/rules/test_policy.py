"""decide(): one reminder per interview, look-back, superseding, determinism."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.model import Policy, reminder_key
from rules.policy import decide
from tests.rules.helpers import interview

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=NY)
POLICY = Policy()


def run(events, vocab, now=NOW):
    return decide(events, now=now, user_tz=NY, policy=POLICY, vocab=vocab)


def test_later_interview_with_same_company_supersedes_the_earlier(vocab):
    first = interview("Phone screen - Acme, Inc.", NOW - timedelta(days=10), event_id="a")
    second = interview("ACME | Final round", NOW - timedelta(days=2), event_id="b")
    other = interview("Phone screen - Globex", NOW - timedelta(days=9), event_id="c")
    decisions = run([second, first, other], vocab)
    by_id = {d.event.id: d for d in decisions}
    assert by_id["a"].reminder is None and "superseded" in by_id["a"].note
    assert "(b)" in by_id["a"].note
    assert by_id["b"].reminder is not None
    assert by_id["c"].reminder is not None
    assert {r.key for r in decisions.reminders} == {
        reminder_key("primary", "b"),
        reminder_key("primary", "c"),
    }


def test_older_than_lookback_gets_no_reminder(vocab):
    # NOW is Dec 5 noon: Nov 4 is out, Nov 5 (even at 08:00) is still in.
    old = interview("Phone screen - Acme", NOW - timedelta(days=31), event_id="old")
    recent = interview("Phone screen - Globex", NOW - timedelta(days=30, hours=4), event_id="new")
    decisions = run([old, recent], vocab)
    by_id = {d.event.id: d for d in decisions}
    assert by_id["old"].reminder is None and "look-back" in by_id["old"].note
    assert by_id["old"].window is not None  # still explained
    assert by_id["new"].reminder is not None


def test_same_event_twice_counts_once(vocab):
    event = interview("Phone screen - Acme", NOW - timedelta(days=1), event_id="x")
    assert len(run([event, event], vocab).reminders) == 1


def test_non_interviews_and_skipped_carry_notes(vocab):

    from rules.model import SourceEvent

    series = SourceEvent(
        id="d", calendar_id="c", summary="Acme onsite interview", start=NOW, recurring=True
    )
    decisions = run([series, interview("Dentist", NOW, event_id="z")], vocab)
    notes = {d.event.id: d.note for d in decisions}
    assert notes == {"d": "recurring event", "z": ""}
    assert not decisions.reminders


def test_order_is_deterministic(vocab):
    events = [
        interview(
            f"Phone screen - Company{i}", NOW - timedelta(days=i % 4, hours=i), event_id=f"e{i}"
        )
        for i in range(12)
    ]
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    ids = [d.event.id for d in run(events, vocab)]
    assert ids == [d.event.id for d in run(shuffled, vocab)]
    starts = [d.event.start for d in run(events, vocab)]
    assert starts == sorted(starts)


SUMMARIES = [
    "Phone screen - Acme",
    "Acme | Final round",
    "Onsite - Globex",
    "Recruiter call: Globex",
    "Interview prep: Acme",
    "Dentist",
    "Phone screen - Initech",
    "Debrief: candidate",
]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SUMMARIES),
            st.integers(min_value=-60 * 24, max_value=30 * 24),  # hours from NOW
            st.booleans(),  # managed
            st.sampled_from(["confirmed", "cancelled"]),
        ),
        max_size=12,
    )
)
def test_decide_invariants(specs):
    from rules.vocabulary import default_vocabulary

    vocab = default_vocabulary()
    events = [
        interview(
            summary, NOW + timedelta(hours=hours), event_id=f"e{i}", managed=managed, status=status
        )
        for i, (summary, hours, managed, status) in enumerate(specs)
    ]
    decisions = run(events, vocab)
    keys = [r.key for r in decisions.reminders]
    assert len(keys) == len(set(keys))  # at most one per interview
    assert len(decisions.items) == len(events)
    horizon = NOW.date() - timedelta(days=POLICY.lookback_days)
    companies = {}
    for d in decisions:
        if d.reminder is None:
            continue
        assert d.classification.interview
        assert not d.event.managed and d.event.status != "cancelled"
        assert d.event.start.date() >= horizon
        assert d.reminder.key == reminder_key(d.event.calendar_id, d.event.id)
        assert d.reminder.start == d.window.remind_at
        companies.setdefault(d.classification.company.lower(), []).append(d.event.start)
    for d in decisions:  # superseded: no later same-company interview has a reminder
        if d.reminder is not None:
            later = [
                e
                for e in decisions
                if e.classification.interview
                and e.classification.company
                and e.classification.company.lower() == d.classification.company.lower()
                and e.event.start > d.event.start
            ]
            assert not later
