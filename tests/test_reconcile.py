"""The planner: ownership rules, the mass-withdrawal guard, and plan invariants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.model import (
    Classification,
    FollowUpWindow,
    Reminder,
    SourceEvent,
    Stage,
    reminder_key,
)
from sync.planner import Existing, Kind, Wants, plan
from tests.planning import NOW, plan_for


def make_reminder(event_id: str, *, title: str = "Follow up", day: int = 8) -> Reminder:
    start = datetime(2026, 12, day, 9, 30, tzinfo=UTC)
    event = SourceEvent(
        id=event_id, calendar_id="primary", summary="Phone screen", start=start - timedelta(days=5)
    )
    return Reminder(
        key=reminder_key("primary", event_id),
        interview=event,
        classification=Classification(event_id, True, Stage.PHONE, ()),
        window=FollowUpWindow(date(2026, 12, day), date(2026, 12, day + 2), start, "phone"),
        title=title,
        description="",
        draft_subject="",
        draft_body="",
        mailto=None,
        start=start,
        end=start + timedelta(minutes=15),
    )


def written(reminder: Reminder) -> Existing:
    h = reminder.content_hash()
    return Existing(reminder.key, written_hash=h, current_hash=h)


def test_new_interview_creates_and_unchanged_is_a_no_op() -> None:
    r = make_reminder("a")
    first = plan_for([r], {})
    assert [(a.kind, a.key) for a in first.actions] == [(Kind.CREATE, r.key)]
    assert plan_for([r], {r.key: written(r)}).empty


def test_changed_interview_updates_its_reminder() -> None:
    old, new = make_reminder("a", day=8), make_reminder("a", day=9)
    result = plan_for([new], {old.key: written(old)})
    assert [a.kind for a in result.actions] == [Kind.UPDATE]
    assert result.actions[0].reminder is new


def test_reminder_edited_by_the_user_is_left_alone_even_when_the_interview_moves() -> None:
    old, new = make_reminder("a", day=8), make_reminder("a", day=9)
    edited = Existing(old.key, written_hash=old.content_hash(), current_hash="user-edit")
    result = plan_for([new], {old.key: edited})
    assert result.empty
    assert [x.key for x in result.left_alone] == [old.key]
    # ... and when the interview is cancelled, the edited reminder stays too.
    assert plan_for([], {old.key: edited}, withdraw={old.key: "cancelled"}).empty


def test_reminder_deleted_by_the_user_is_not_recreated() -> None:
    r = make_reminder("a")
    gone = Existing(r.key, written_hash=r.content_hash(), current_hash=None, deleted=True)
    result = plan_for([r], {r.key: gone})
    assert result.empty
    assert "deleted by the user" in result.left_alone[0].why


def test_reminder_the_tool_withdrew_comes_back_with_its_interview() -> None:
    r = make_reminder("a")
    withdrawn = Existing(r.key, r.content_hash(), None, deleted=True, withdrawn=True)
    assert [a.kind for a in plan_for([r], {r.key: withdrawn}).actions] == [Kind.RESTORE]


def test_withdrawal_with_evidence_deletes_even_when_no_interviews_remain() -> None:
    r = make_reminder("a")
    result = plan_for(
        [], {r.key: written(r)}, withdraw={r.key: "cancelled"}, source_has_interviews=False
    )
    assert [(a.kind, a.why) for a in result.actions] == [(Kind.DELETE, "cancelled")]


def test_mass_withdrawal_is_held_unless_forced() -> None:
    rs = [make_reminder(x) for x in "abc"]
    existing = {r.key: written(r) for r in rs}
    held = plan_for([], existing, source_has_interviews=False)
    assert held.empty and len(held.held) == 3
    forced = plan_for([], existing, source_has_interviews=False, force_delete=True)
    assert forced.count(Kind.DELETE) == 3 and not forced.held
    # A source that still lists interviews may lose one without --force-delete.
    assert plan_for([], existing, source_has_interviews=True).count(Kind.DELETE) == 3


def test_retained_history_is_not_deleted() -> None:
    r = make_reminder("a")
    assert plan_for([], {r.key: written(r)}, retain=[r.key]).empty


ids = st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8)


@settings(max_examples=150, deadline=None)
@given(ids, ids, st.sets(st.sampled_from("abcdefgh")), st.sets(st.sampled_from("abcdefgh")))
def test_plan_invariants(wanted: list[str], have: list[str], edited: set, deleted: set) -> None:
    desired = [make_reminder(x) for x in wanted]
    existing = {}
    for x in have:
        r = make_reminder(x, day=9)  # existing ones differ, so updates happen
        h = r.content_hash()
        if x in deleted:
            existing[r.key] = Existing(r.key, h, None, deleted=True, withdrawn=x in edited)
        else:
            existing[r.key] = Existing(r.key, h, "edited" if x in edited else h)
    result = plan_for(desired, existing)
    keys = [a.key for a in result.actions]
    # at most one action per reminder, and only on keys that are wanted or exist
    assert len(keys) == len(set(keys))
    assert set(keys) <= {r.key for r in desired} | set(existing)
    for action in result.actions:
        have_it = existing.get(action.key)
        # never touch what the user edited or deleted
        assert not (have_it and (have_it.user_edited or have_it.user_deleted))
        if action.kind in (Kind.UPDATE, Kind.DELETE):
            assert have_it is not None and not have_it.deleted
    # applying the plan and planning again is a no-op
    after = dict(existing)
    for action in result.actions:
        if action.kind is Kind.DELETE:
            after[action.key] = Existing(action.key, None, None, deleted=True, withdrawn=True)
        else:
            assert action.reminder is not None
            after[action.key] = written(action.reminder)
    assert plan_for(desired, after).empty


def test_another_sources_reminder_is_never_withdrawn() -> None:
    """Syncing file B never withdraws file A's: only a pass that read A may."""
    a = make_reminder("a")
    theirs = Existing(a.key, a.content_hash(), a.content_hash(), source="file:/a.ics")
    assert plan([Wants("file:/b.ics")], {a.key: theirs}, now=NOW).empty
    forced = plan([Wants("file:/b.ics")], {a.key: theirs}, now=NOW, force_delete=True)
    assert forced.empty
    mine = plan([Wants("file:/a.ics")], {a.key: theirs}, now=NOW)
    assert [x.kind for x in mine.actions] == [Kind.DELETE]


def test_guard_is_per_source() -> None:
    """One empty source holds its own reminders; another source's deletions go ahead."""
    a, b = make_reminder("a"), make_reminder("b")
    existing = {
        a.key: Existing(a.key, a.content_hash(), a.content_hash(), source="s:a"),
        b.key: Existing(b.key, b.content_hash(), b.content_hash(), source="s:b"),
    }
    result = plan([Wants("s:a", held=True), Wants("s:b")], existing, now=NOW)
    assert [x.key for x in result.held] == [a.key]
    assert [x.key for x in result.actions] == [b.key]


def test_a_cancellation_is_purged_only_after_it_was_kept_long_enough() -> None:
    from datetime import timedelta

    r = make_reminder("a")
    kept = Existing(
        r.key,
        r.content_hash(),
        None,
        deleted=True,
        withdrawn=True,
        keep_until=NOW + timedelta(days=1),
    )
    assert plan_for([], {r.key: kept}).empty
    later = plan_for([], {r.key: kept}, now=NOW + timedelta(days=2))
    assert [x.kind for x in later.actions] == [Kind.PURGE]
    user_gone = Existing(r.key, r.content_hash(), None, deleted=True, withdrawn=False)
    assert plan_for([], {r.key: user_gone}, now=NOW + timedelta(days=400)).empty
