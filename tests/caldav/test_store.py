"""The CalDAV store beyond the shared contract: what only a real server shows.

State lost (no duplicates, rebuilt from the markers), SEQUENCE rising with the same UID,
a lost answer to a create, a server refusing one resource, foreign resources, several
sources in one target calendar, and a server that stops answering.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.model import Policy, SourceEvent
from rules.policy import decide
from rules.vocabulary import default_vocabulary
from sync.caldav.resources import read_resource
from sync.errors import TemporaryError
from sync.planner import Kind, Wants
from sync.stores.caldav import CalDavStore
from sync.stores.records import MemoryRecordBook, RecordStatus, next_sequence
from tests.caldav import helpers
from tests.caldav.servers import RunningServer
from tests.planning import plan_for

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
SOURCE = "caldav:user1@http://127.0.0.1/user1/personal/"
OTHER = "feed:https://example.com/other.ics"


def reminders(*specs: tuple[str, str, int], calendar_id: str = SOURCE):
    events = [
        SourceEvent(
            id=event_id,
            calendar_id=calendar_id,
            summary=title,
            start=NOW + timedelta(days=days),
            end=NOW + timedelta(days=days, hours=1),
        )
        for event_id, title, days in specs
    ]
    decided = decide(events, now=NOW, user_tz=UTC, policy=Policy(), vocab=default_vocabulary())
    return list(decided.reminders)


ACME = ("acme1", "Phone screen with Acme", -1)
GLOBEX = ("glob1", "Final round onsite at Globex", -2)
ACME_MOVED = ("acme1", "Phone screen with Acme", 1)


def plan(desired, existing, *, source: str = SOURCE, **inputs):
    return plan_for(desired, existing, source=source, now=NOW, **inputs)


def sync_once(store: CalDavStore, desired, *, source: str = SOURCE, **inputs):
    the_plan = plan(desired, store.existing(), source=source, **inputs)
    return the_plan, store.apply(the_plan)


def hrefs(calendar) -> set[str]:
    """The resources in the calendar now (Radicale's first sync lists removed ones too)."""
    listing = calendar.objects_by_sync_token(None, load_objects=False)
    gone = {str(url) for url in listing.deleted_urls}
    return {str(obj.url.canonical()) for obj in listing} - gone


@pytest.fixture
def target(caldav_server: RunningServer):
    calendar = helpers.fresh_calendar(caldav_server, "Interview follow-ups")
    yield calendar
    calendar.delete()


def test_a_lost_status_database_is_rebuilt_from_the_markers_without_duplicates(
    target, caldav_server: RunningServer
) -> None:
    desired = reminders(ACME, GLOBEX)
    sync_once(CalDavStore(target, MemoryRecordBook(), NOW), desired)
    before = hrefs(target)
    caldav_server.counter.reset()

    fresh = CalDavStore(target, MemoryRecordBook(), NOW + timedelta(hours=1))
    the_plan, _ = sync_once(fresh, desired)

    assert the_plan.empty
    assert hrefs(target) == before and len(before) == 2
    assert caldav_server.counter.count("PUT") == 0


def test_a_moved_interview_keeps_its_uid_and_href_and_sequence_rises(target) -> None:
    book = MemoryRecordBook()
    sync_once(CalDavStore(target, book, NOW), reminders(ACME))
    key = reminders(ACME)[0].key
    first = book.records()[key]

    later = NOW + timedelta(minutes=5)
    the_plan, done = sync_once(CalDavStore(target, book, later), reminders(ACME_MOVED))

    assert [a.kind for a in the_plan.actions] == [Kind.UPDATE] and done.updated == 1
    record = book.records()[key]
    assert record.extra["href"] == first.extra["href"]
    text = helpers.get_text(target, record.extra["href"])
    marked = read_resource(text)
    assert marked is not None and marked.uid == reminders(ACME)[0].uid
    assert marked.sequence == record.sequence > first.sequence
    assert marked.sequence == next_sequence(first.sequence, later)
    assert len(hrefs(target)) == 1


def test_sequence_rises_even_when_the_status_database_was_lost(target) -> None:
    sync_once(CalDavStore(target, MemoryRecordBook(), NOW), reminders(ACME))
    key = reminders(ACME)[0].key
    href = str(target.url.join(f"{key}.ics"))
    before = read_resource(helpers.get_text(target, href))

    sync_once(CalDavStore(target, MemoryRecordBook(), NOW), reminders(ACME_MOVED))

    after = read_resource(helpers.get_text(target, href))
    assert before is not None and after is not None
    assert after.sequence > before.sequence


def test_a_create_whose_answer_was_lost_is_a_conflict_the_pass_settles(target) -> None:
    from sync.passes import settle

    desired = reminders(ACME)
    the_plan = plan(desired, {})
    CalDavStore(target, MemoryRecordBook(), NOW).apply(the_plan)  # answer "lost"

    book = MemoryRecordBook()
    store = CalDavStore(target, book, NOW)
    assert store.apply(the_plan).conflicts == [desired[0].key]  # a fact, not settled here
    want = [Wants(SOURCE, tuple(desired))]
    _, done = settle(CalDavStore(target, book, NOW), want, the_plan, now=NOW)

    assert not done.conflicts and not done.warnings
    assert len(hrefs(target)) == 1
    assert book.records()[desired[0].key].status is RecordStatus.ACTIVE
    assert plan(desired, CalDavStore(target, book, NOW).existing()).empty


def test_something_not_ours_at_our_address_is_left_alone(target) -> None:
    desired = reminders(ACME)
    key = desired[0].key
    helpers.put_event(target, key, "The user's own event", NOW)
    href = str(target.url.join(f"{key}.ics"))
    original = helpers.get_text(target, href)

    from sync.passes import settle

    store = CalDavStore(target, MemoryRecordBook(), NOW)
    the_plan = plan(desired, store.existing())
    _, done = settle(store, [Wants(SOURCE, tuple(desired))], the_plan, now=NOW)

    assert done.created == 0
    assert "not written by followup" in done.warnings[0]
    assert helpers.get_text(target, href) == original


def test_a_server_refusing_one_resource_does_not_stop_the_others(
    target, caldav_server: RunningServer
) -> None:
    desired = reminders(ACME, GLOBEX)
    refused = reminders(GLOBEX)[0]
    caldav_server.counter.fail[("PUT", refused.key)] = "507 Insufficient Storage"

    _, done = sync_once(CalDavStore(target, MemoryRecordBook(), NOW), desired)

    assert done.created == 1
    assert len(done.warnings) == 1 and refused.title in done.warnings[0]
    assert "507" in done.warnings[0]
    caldav_server.counter.fail.clear()
    book = MemoryRecordBook()
    the_plan, done = sync_once(CalDavStore(target, book, NOW), desired)
    assert [a.key for a in the_plan.actions] == [refused.key] and done.created == 1


def test_sources_sharing_a_target_never_see_each_others_reminders(target) -> None:
    book = MemoryRecordBook()
    mine = reminders(ACME)
    theirs = reminders(GLOBEX, calendar_id=OTHER)
    sync_once(CalDavStore(target, book, NOW), mine)
    sync_once(CalDavStore(target, book, NOW), theirs, source=OTHER)

    # the first source now lists nothing at all, and the user forces the deletion
    sync_once(CalDavStore(target, book, NOW), [], force_delete=True)

    existing = CalDavStore(target, book, NOW).existing()
    assert {k for k, e in existing.items() if not e.deleted} == {theirs[0].key}
    assert len(hrefs(target)) == 1
    # and the records of a lost database are rebuilt with each reminder's source
    rebuilt = CalDavStore(target, MemoryRecordBook(), NOW).existing()
    assert set(rebuilt) == {theirs[0].key} and rebuilt[theirs[0].key].source == OTHER


def test_an_unchanged_pass_can_plan_from_the_records_without_a_request(
    target, caldav_server: RunningServer
) -> None:
    book = MemoryRecordBook()
    desired = reminders(ACME, GLOBEX)
    sync_once(CalDavStore(target, book, NOW), desired)
    caldav_server.counter.reset()

    believed = CalDavStore(target, book, NOW).believed()

    assert plan(desired, believed).empty
    assert caldav_server.counter.requests == []


def test_listing_fetches_only_what_changed_since_our_writes(
    target, caldav_server: RunningServer
) -> None:
    book = MemoryRecordBook()
    sync_once(CalDavStore(target, book, NOW), reminders(ACME, GLOBEX))
    caldav_server.counter.reset()

    CalDavStore(target, book, NOW).existing()

    assert caldav_server.counter.methods() == ["REPORT"]  # ETags as recorded: no multiget


def test_a_server_that_stops_answering_is_a_temporary_failure(target) -> None:
    from caldav import Calendar

    from sync.caldav.client import open_client
    from tests.caldav.servers import free_port

    dead = open_client(f"http://127.0.0.1:{free_port()}/", "user1", "x", timeout=5)
    gone = Calendar(client=dead, url=f"{dead.url}user1/followups/")
    with pytest.raises(TemporaryError, match="did not answer for 2 reminder"):
        CalDavStore(gone, MemoryRecordBook(), NOW).apply(plan(reminders(ACME, GLOBEX), {}))


def test_a_deletion_planned_from_the_records_leaves_a_user_edit_alone(target) -> None:
    book = MemoryRecordBook()
    sync_once(CalDavStore(target, book, NOW), reminders(ACME, GLOBEX))
    acme, globex = reminders(ACME)[0].key, reminders(GLOBEX)[0].key
    helpers.edit_summary(target, str(target.url.join(f"{acme}.ics")), "My own words")

    store = CalDavStore(target, book, NOW)
    the_plan = plan([], store.believed(), force_delete=True)  # nothing listed this pass
    done = store.apply(the_plan)

    assert done.deleted == 1
    assert "left as it is" in done.warnings[0]
    assert [helpers.summary_of(helpers.get_text(target, h) or "") for h in hrefs(target)] == [
        "My own words"
    ]
    assert book.records()[globex].status is RecordStatus.WITHDRAWN


def test_a_target_calendar_deleted_on_the_server_is_reported_as_gone(
    caldav_server: RunningServer,
) -> None:
    from sync.caldav.client import CalendarGone

    calendar = helpers.fresh_calendar(caldav_server)
    calendar.delete()

    with pytest.raises(CalendarGone) as caught:
        CalDavStore(calendar, MemoryRecordBook(), NOW).existing()
    assert caught.value.exit_code == 2 and caught.value.url == str(calendar.url)
