"""Reading a CalDAV calendar as a source, on real Radicale and Xandikos servers.

Request counts come from the servers' counting middleware: an unchanged pass must cost
one REPORT per calendar and write nothing, and no pass ever writes to a source.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from sync.errors import TemporaryError
from sync.sources.caldav import read_calendar
from tests.caldav import helpers
from tests.caldav.servers import RunningServer

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
READS = {"REPORT", "GET", "PROPFIND"}


def summaries(events) -> set[str]:
    return {event.summary for event in events}


def test_first_read_gives_every_event_with_the_source_identity(
    caldav_server: RunningServer,
) -> None:
    calendar = helpers.fresh_calendar(caldav_server)
    helpers.put_event(calendar, "acme1", "Phone screen with Acme", START)
    helpers.put_event(calendar, "dentist", "Dentist", START + timedelta(days=1))
    caldav_server.counter.reset()

    events, cursor, changed, warnings = read_calendar(calendar, username="user1")

    assert changed and not warnings
    assert summaries(events) == {"Phone screen with Acme", "Dentist"}
    url = str(calendar.url).rstrip("/") + "/"
    assert {e.calendar_id for e in events} == {f"caldav:user1@{url}"}
    # one sync-collection REPORT listing the members, one multiget REPORT for the data
    assert caldav_server.counter.methods() == ["REPORT", "REPORT"]
    json.dumps(cursor)  # the caller keeps it in the status database


def test_an_unchanged_pass_costs_one_report_and_writes_nothing(
    caldav_server: RunningServer,
) -> None:
    calendar = helpers.fresh_calendar(caldav_server)
    helpers.put_event(calendar, "acme1", "Phone screen with Acme", START)
    first = read_calendar(calendar, username="user1")
    caldav_server.counter.reset()

    again = read_calendar(calendar, username="user1", cursor=json.loads(json.dumps(first.cursor)))

    assert caldav_server.counter.methods() == ["REPORT"]
    assert not again.changed
    assert again.events == first.events  # decisions are still made from what was kept


def test_edits_deletions_and_additions_are_seen_and_only_read(
    caldav_server: RunningServer,
) -> None:
    calendar = helpers.fresh_calendar(caldav_server)
    acme = helpers.put_event(calendar, "acme1", "Phone screen with Acme", START)
    dentist = helpers.put_event(calendar, "dentist", "Dentist", START)
    first = read_calendar(calendar, username="user1")

    helpers.edit_summary(calendar, acme, "Final round onsite at Acme")
    helpers.delete(calendar, dentist)
    helpers.put_event(calendar, "globex1", "Recruiter call with Globex", START)
    caldav_server.counter.reset()

    events, cursor, changed, _ = read_calendar(calendar, username="user1", cursor=first.cursor)

    assert changed
    assert summaries(events) == {"Final round onsite at Acme", "Recruiter call with Globex"}
    assert set(caldav_server.counter.methods()) <= READS
    assert caldav_server.counter.count("REPORT") <= 2  # the delta, then one multiget
    assert len(cursor["resources"]) == 2


def test_a_broken_token_falls_back_and_the_next_pass_tries_a_real_one(
    caldav_server: RunningServer,
) -> None:
    calendar = helpers.fresh_calendar(caldav_server)
    helpers.put_event(calendar, "acme1", "Phone screen with Acme", START)
    first = read_calendar(calendar, username="user1")
    broken = {**first.cursor, "token": "http://example.invalid/sync/not-a-token"}

    fallen = read_calendar(calendar, username="user1", cursor=broken)
    assert summaries(fallen.events) == {"Phone screen with Acme"}
    assert fallen.cursor["token"] is None  # not stuck on the full-listing fallback

    again = read_calendar(calendar, username="user1", cursor=fallen.cursor)
    assert again.cursor["token"] and not str(again.cursor["token"]).startswith("fake-")
    caldav_server.counter.reset()
    quiet = read_calendar(calendar, username="user1", cursor=again.cursor)
    assert caldav_server.counter.methods() == ["REPORT"] and not quiet.changed


def test_a_cursor_of_another_calendar_is_not_trusted(caldav_server: RunningServer) -> None:
    one = helpers.fresh_calendar(caldav_server)
    other = helpers.fresh_calendar(caldav_server)
    helpers.put_event(one, "acme1", "Phone screen with Acme", START)
    helpers.put_event(other, "globex1", "Final round at Globex", START)
    cursor = read_calendar(one, username="user1").cursor

    read = read_calendar(other, username="user1", cursor=cursor)

    assert summaries(read.events) == {"Final round at Globex"}


def test_the_tools_own_reminders_in_a_source_are_marked_managed(
    caldav_server: RunningServer,
) -> None:
    calendar = helpers.fresh_calendar(caldav_server)
    helpers.put_event(calendar, "k1@interview-followup", "Follow up: Acme", START)

    events = read_calendar(calendar, username="user1").events

    assert [e.managed for e in events] == [True]


def test_a_server_that_does_not_answer_is_a_temporary_failure() -> None:
    from caldav import Calendar

    from sync.caldav.client import open_client
    from tests.caldav.servers import free_port

    dead = open_client(f"http://127.0.0.1:{free_port()}/", "user1", "x", timeout=5)
    gone = Calendar(client=dead, url=f"{dead.url}user1/personal/")
    with pytest.raises(TemporaryError, match="cannot reach the CalDAV server"):
        read_calendar(gone, username="user1")


def test_a_source_calendar_deleted_on_the_server_exits_2(caldav_server: RunningServer) -> None:
    from sync.caldav.client import CalendarGone

    calendar = helpers.fresh_calendar(caldav_server)
    calendar.delete()

    with pytest.raises(CalendarGone, match="is gone") as caught:
        read_calendar(calendar, username="user1", name="Personal")
    assert "Error" not in str(caught.value)  # no library exception names for users


def test_floating_times_are_read_in_the_users_zone(caldav_server: RunningServer) -> None:
    """A floating DTSTART (no TZID, no Z), as some apps write: `reminders.timezone` is
    where the user is, so 15:00 is 15:00 there; without it, UTC."""
    from zoneinfo import ZoneInfo

    calendar = helpers.fresh_calendar(caldav_server)
    text = helpers.event_text("float1", "Phone screen with Acme", START)
    href = str(calendar.url.join("float1.ics"))
    floating = text.replace("150000Z", "150000").replace("160000Z", "160000")
    answer = calendar.client.put(href, floating, {"Content-Type": "text/calendar"})
    assert answer.status in (201, 204), answer.status

    zone = ZoneInfo("Australia/Adelaide")
    (event,) = read_calendar(calendar, username="user1", floating_zone=zone).events
    assert event.start == START.replace(tzinfo=zone)
    (event,) = read_calendar(calendar, username="user1").events
    assert event.start == START
