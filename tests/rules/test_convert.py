"""Google Calendar API v3 event JSON -> SourceEvent (sync/google/convert.py)."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from rules.errors import ParseError
from sync.google.convert import event_from_api, html_to_text, load_events_json, read_events_json

BASE = {
    "kind": "calendar#event",
    "id": "abc123",
    "status": "confirmed",
    "htmlLink": "https://www.google.com/calendar/event?eid=abc",
    "summary": "Phone screen - Acme",
    "start": {"dateTime": "2026-12-03T23:30:00+09:00", "timeZone": "Asia/Tokyo"},
    "end": {"dateTime": "2026-12-04T00:30:00+09:00", "timeZone": "Asia/Tokyo"},
    "organizer": {"email": "jane@acme.com", "displayName": "Jane Roe"},
    "attendees": [
        {"email": "sam@gmail.com", "self": True, "responseStatus": "declined"},
        {
            "email": "jane@acme.com",
            "displayName": "Jane Roe",
            "organizer": True,
            "responseStatus": "accepted",
        },
        {"email": "c_1@resource.calendar.google.com", "displayName": "Room", "resource": True},
    ],
}


def test_fields_map():
    event = event_from_api(BASE, calendar_id="primary")
    assert event.start == datetime(2026, 12, 3, 23, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert event.start.tzinfo == ZoneInfo("Asia/Tokyo") and event.timezone == "Asia/Tokyo"
    assert event.self_response == "declined"
    assert event.organizer.name == "Jane Roe" and event.organizer.response == "accepted"
    assert event.attendees[2].resource
    assert event.link == BASE["htmlLink"]
    assert not event.recurring and not event.managed and event.event_type == "default"


def test_offset_converted_into_named_zone():
    resource = {**BASE, "start": {"dateTime": "2026-12-03T14:30:00Z", "timeZone": "Asia/Tokyo"}}
    event = event_from_api(resource, calendar_id="c")
    assert event.start.hour == 23 and event.start.date() == date(2026, 12, 3)


def test_all_day_recurring_managed_event_type_and_meet_link():
    resource = {
        **BASE,
        "start": {"date": "2026-12-03"},
        "end": {"date": "2026-12-04"},
        "recurringEventId": "series1",
        "eventType": "outOfOffice",
        "extendedProperties": {"private": {"followup_managed": "1"}},
        "hangoutLink": "https://meet.google.com/abc-defg-hij",
    }
    event = event_from_api(resource, calendar_id="c", calendar_tz="Europe/Berlin")
    assert event.start == date(2026, 12, 3) and event.all_day
    assert event.recurring and event.managed and event.event_type == "outOfOffice"
    assert event.conference == "https://meet.google.com/abc-defg-hij"


def test_cancelled_stub_from_incremental_sync():
    event = event_from_api({"id": "gone", "status": "cancelled"}, calendar_id="c")
    assert event.status == "cancelled" and event.id == "gone"


def test_html_description_is_plain_text_with_links():
    text = html_to_text('Join <a href="https://zoom.us/j/1">here</a><br>Thanks &amp; bye')
    assert text == "Join here (https://zoom.us/j/1)\nThanks & bye"


def test_unknown_zone_names_event_and_field():
    resource = {**BASE, "start": {"dateTime": "2026-12-03T10:00:00", "timeZone": "Mars/Olympus"}}
    with pytest.raises(ParseError) as caught:
        event_from_api(resource, calendar_id="c")
    text = str(caught.value)
    assert "abc123" in text and "start.timeZone" in text and "Mars/Olympus" in text


def test_events_list_response_uses_calendar_zone(tmp_path):
    no_zone = {
        **BASE,
        "id": "n",
        "start": {"dateTime": "2026-12-03T10:00:00"},
        "end": {"dateTime": "2026-12-03T11:00:00"},
    }
    bad = {
        **BASE,
        "id": "bad",
        "start": {"dateTime": "2026-12-03T10:00:00", "timeZone": "Nowhere/Town"},
    }
    path = tmp_path / "events.json"
    path.write_text(
        json.dumps(
            {"kind": "calendar#events", "timeZone": "Europe/Berlin", "items": [no_zone, bad, BASE]}
        )
    )
    got = read_events_json(path)
    assert [e.id for e in got.events] == ["n", "abc123"]
    assert got.events[0].start.tzinfo == ZoneInfo("Europe/Berlin")
    assert len(got.warnings) == 1 and "bad" in got.warnings[0] and "item 1" in got.warnings[0]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(BASE))
    assert [e.id for e in load_events_json(single)] == ["abc123"]


def test_malformed_json_names_file_and_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": "a",\n   "summary": oops}\n]\n')
    with pytest.raises(ParseError) as caught:
        read_events_json(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.line == 3
