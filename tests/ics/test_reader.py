"""The .ics reader against real exports (third-party corpus) and our own fixtures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rules.errors import ParseError
from sync.ics.reader import IcsSource, parse_ics_bytes, read_ics

from .conftest import OWN, corpus_files, third_party

EXPECTED_PARSE_ERRORS = {"issue_104_broken_calendar.ics"}


def _physical_line(path: Path, number: int) -> str:
    return path.read_bytes().replace(b"\r\n", b"\n").split(b"\n")[number - 1].decode()


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_reads_or_fails_with_file_and_line(path: Path) -> None:
    if path.name in EXPECTED_PARSE_ERRORS:
        with pytest.raises(ParseError) as caught:
            read_ics(path)
        assert caught.value.problems[0].file == path.name
        assert caught.value.problems[0].line
        return
    source = read_ics(path)
    assert isinstance(source, IcsSource)
    for event in source.events:
        assert event.origin and event.origin.startswith(f"{path.name} line ")
        line = int(event.origin.rsplit(" ", 1)[1])
        assert _physical_line(path, line).strip().upper() == "BEGIN:VEVENT"
        if isinstance(event.start, datetime):
            assert event.start.utcoffset() is not None
            if event.timezone:
                assert event.start.tzinfo == ZoneInfo(event.timezone)
        if event.end is not None:
            assert type(event.end) is type(event.start)
            assert event.end >= event.start


def test_google_utc_times_are_shown_in_x_wr_timezone() -> None:
    source = read_ics(third_party("x_wr_timezone_simple_events_issue_59.ics"))
    assert source.timezone == "America/New_York"
    first = min(source.events, key=lambda e: e.start)
    # DTSTART:20211222T170000Z; Google displays it as noon in New York.
    assert first.start == datetime(2021, 12, 22, 17, 0, tzinfo=UTC)
    assert first.start.tzinfo == ZoneInfo("America/New_York")
    assert (first.start.hour, first.timezone) == (12, "America/New_York")


def test_floating_times_are_read_in_x_wr_timezone() -> None:
    source = read_ics(third_party("issue_86_x_wr_timezone_without_time_zone_in_dt.ics"))
    (event,) = source.events
    assert event.start == datetime(2021, 9, 16, 21, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert event.timezone == "Europe/Brussels"
    assert not source.warnings


def test_floating_times_without_calendar_zone_are_utc_with_a_warning() -> None:
    data = third_party("issue_86_x_wr_timezone_without_time_zone_in_dt.ics").read_bytes()
    data = b"\n".join(x for x in data.split(b"\n") if not x.startswith(b"X-WR-TIMEZONE"))
    source = parse_ics_bytes(data, origin="floating.ics")
    assert source.events[0].start == datetime(2021, 9, 16, 21, 0, tzinfo=UTC)
    assert source.events[0].timezone is None
    assert any("floating" in w and "UTC" in w for w in source.warnings)
    assert any("reminders.timezone" in w for w in source.warnings)  # and how to change it


@pytest.mark.parametrize("fast", [False, True])
def test_floating_times_without_calendar_zone_are_read_in_the_users_zone(fast: bool) -> None:
    """`reminders.timezone` is where the user is: a floating time is a time there."""
    data = third_party("issue_86_x_wr_timezone_without_time_zone_in_dt.ics").read_bytes()
    data = b"\n".join(x for x in data.split(b"\n") if not x.startswith(b"X-WR-TIMEZONE"))
    zone = ZoneInfo("Asia/Kolkata")
    keep = ["match_1025179"] if fast else []  # the fast read returns it only when kept
    source = parse_ics_bytes(
        data, origin="floating.ics", fast=fast, keep_ids=keep, floating_zone=zone
    )
    (event,) = source.events
    assert event.start == datetime(2021, 9, 16, 21, 0, tzinfo=zone)
    assert event.timezone == "Asia/Kolkata"
    assert not source.warnings


def test_the_calendars_own_zone_wins_over_the_users_for_floating_times() -> None:
    """Google's reading: the calendar app showed them in X-WR-TIMEZONE."""
    path = third_party("issue_86_x_wr_timezone_without_time_zone_in_dt.ics")
    source = read_ics(path, floating_zone=ZoneInfo("Asia/Kolkata"))
    (event,) = source.events
    assert event.start == datetime(2021, 9, 16, 21, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.mark.parametrize(
    ("name", "zone", "wall"),
    [
        ("issue_836_do_not_quote_tzid.ics", "America/New_York", datetime(2024, 10, 28, 17, 0)),  # noqa: DTZ001 - wall clock
        ("timezone_same_start.ics", "America/Los_Angeles", datetime(2017, 2, 24, 12, 0)),  # noqa: DTZ001 - wall clock
        ("issue_27_t1.ics", "Europe/Berlin", datetime(2020, 4, 26, 14, 0)),  # noqa: DTZ001 - wall clock
    ],
)
def test_windows_and_missing_vtimezone_tzids_map_to_iana(
    name: str, zone: str, wall: datetime
) -> None:
    (event,) = read_ics(third_party(name)).events
    assert event.timezone == zone
    assert event.start == wall.replace(tzinfo=ZoneInfo(zone))
    assert isinstance(event.start.tzinfo, ZoneInfo)


def test_windows_tzid_without_vtimezone_maps_to_iana() -> None:
    data = (OWN / "outlook_phone_screen.ics").read_bytes()
    start = data.index(b"BEGIN:VTIMEZONE")
    end = data.index(b"END:VTIMEZONE\r\n") + len(b"END:VTIMEZONE\r\n")
    (event,) = parse_ics_bytes(data[:start] + data[end:], origin="o.ics").events
    assert event.start == datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_custom_vtimezones_give_fixed_offsets_at_the_right_instant() -> None:
    (quoted,) = read_ics(third_party("issue_165_missing_event.ics")).events
    assert quoted.start == datetime(2015, 7, 3, 8, 0, tzinfo=UTC)  # CEST, +02:00
    assert quoted.start.date() == date(2015, 7, 3) and quoted.timezone is None
    (eleven,) = read_ics(third_party("issue_218_bad_tzid.ics")).events
    assert eleven.start.utcoffset() == timedelta(hours=11)
    (brasilia,) = read_ics(
        third_party("issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics")
    ).events
    assert brasilia.start.utcoffset() == timedelta(hours=-3)


def test_missing_uid_gets_a_stable_synthesized_id_and_a_warning() -> None:
    path = third_party("issue_165_missing_event.ics")
    first, second = read_ics(path), read_ics(path)
    (event,) = first.events
    assert event.id.startswith("nouid-") and event.id == second.events[0].id
    assert any("no UID" in w and "line 20" in w for w in first.warnings)
    assert event.recurring  # RRULE, even with a broken BYDAY


def test_bom_is_accepted() -> None:
    assert read_ics(third_party("bom_calendar.ics")).events == ()
    data = b"\xef\xbb\xbf" + (OWN / "apple_final_onsite.ics").read_bytes()
    assert len(parse_ics_bytes(data, origin="bom.ics").events) == 1


def test_tab_folding_and_text_after_end_vcalendar() -> None:
    source = read_ics(third_party("issue_350.ics"))
    (event,) = source.events
    assert event.link == "https://podio.com/xxxxxxyyyyyy/zpodio-testgelande/apps/calendar/items/5"
    assert any("after END:VCALENDAR" in w for w in source.warnings)


def test_dtend_before_dtstart_reads_without_end_and_warns() -> None:
    source = read_ics(third_party("end_before_start_event.ics"))
    (event,) = source.events
    assert event.end is None
    assert any("before DTSTART" in w and event.id in w for w in source.warnings)


def test_duration_instead_of_dtend() -> None:
    (event,) = read_ics(third_party("issue_20_exdate_ignored.ics")).events
    assert event.end - event.start == timedelta(hours=1, minutes=30)


def test_duration_with_days_is_nominal_across_dst() -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:d\n"
        "DTSTART;TZID=Europe/Berlin:20260328T100000\nDURATION:P1DT1H\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    (event,) = parse_ics_bytes(text.encode(), origin="d.ics").events
    assert event.end == datetime(2026, 3, 29, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_no_dtend_means_no_end() -> None:
    events = read_ics(third_party("discourse_no_dtend.ics")).events
    assert any(e.end is None for e in events)


def test_all_day_events_are_dates() -> None:
    events = read_ics(third_party("Germany.ics")).events
    assert len(events) == 159
    assert all(type(e.start) is date and e.all_day for e in events)


def test_recurring_masters_and_overrides() -> None:
    events = {e.id: e for e in read_ics(third_party("issue_18_cancel_status.ics")).events}
    master = events["b65c2b5b-b785-4edc-9560-e0379036d1f2"]
    override = next(e for key, e in events.items() if key != master.id)
    assert override.id.startswith(master.id + "/2020-01-29T22:00:00")
    assert master.recurring and override.recurring
    assert override.status == "cancelled" and master.status == "confirmed"


def test_large_google_export_keeps_every_instance() -> None:
    source = read_ics(third_party("issue_173_only_modifications_error.ics"))
    assert len(source.events) == 677
    assert len({e.id for e in source.events}) == 677


def test_apple_structured_location_and_html_description() -> None:
    (event,) = read_ics(third_party("x_location.ics")).events
    assert event.location
    moved = read_ics(third_party("issue_62_moved_event.ics")).events
    assert all("<" not in e.description for e in moved)


def test_html_description_keeps_text_and_links() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:h\r\n"
        "DTSTART:20261201T100000Z\r\nSUMMARY:Interview\r\nDESCRIPTION:<p>Phone &amp; "
        'video screen</p><br><a href="https://zoom.us/j/123">Join</a>\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = parse_ics_bytes(text.encode(), origin="h.ics").events
    assert "Phone & video screen" in event.description
    assert "Join (https://zoom.us/j/123)" in event.description


def test_broken_calendar_names_the_stray_line() -> None:
    path = third_party("issue_104_broken_calendar.ics")
    with pytest.raises(ParseError) as caught:
        read_ics(path)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.value) == (path.name, 13, "X")
    assert "issue_104_broken_calendar.ics:13" in str(caught.value)
    assert "export the calendar again" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", None),
        (b"hello world\n", 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026", 3),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 3),
    ],
    ids=["empty", "text", "binary", "truncated", "unbalanced"],
)
def test_unreadable_files_raise_parse_error_with_line(data: bytes, line: int | None) -> None:
    with pytest.raises(ParseError) as caught:
        parse_ics_bytes(data, origin="bad.ics")
    assert caught.value.problems[0].file == "bad.ics"
    assert caught.value.problems[0].line == line


def test_one_bad_event_is_skipped_not_the_file() -> None:
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
        "BEGIN:VEVENT\nUID:bad\nDTSTART:not-a-date\nSUMMARY:Broken\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:zone\nDTSTART;TZID=Mars/Olympus:20261201T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:good\nDTSTART:20261201T100000Z\nSUMMARY:Phone screen\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    source = parse_ics_bytes(text.encode(), origin="mixed.ics")
    assert [e.id for e in source.events] == ["good"]
    assert source.events[0].origin == "mixed.ics line 13"
    assert any("line 4" in w and "DTSTART" in w for w in source.warnings)
    assert any("line 9" in w and "Mars/Olympus" in w for w in source.warnings)


def test_lf_only_and_cr_only_line_endings() -> None:
    crlf = (OWN / "outlook_phone_screen.ics").read_bytes()
    for ending in (b"\n", b"\r"):
        (event,) = parse_ics_bytes(crlf.replace(b"\r\n", ending), origin="x.ics").events
        assert event.summary.startswith("Phone screen")
        assert event.origin == "x.ics line 20"


def test_outlook_invite_fixture() -> None:
    (event,) = read_ics(OWN / "outlook_phone_screen.ics").events
    assert event.summary == "Phone screen – Contoso GmbH (Senior Data Engineer)"
    assert event.timezone == "Europe/Berlin"
    assert event.organizer is not None and event.organizer.email == "anna.schmidt@contoso.example"
    assert event.description.startswith("Hi Jamie,\n\nThank you")
    assert not event.managed and not event.recurring


def test_apple_fixture() -> None:
    (event,) = read_ics(OWN / "apple_final_onsite.ics").events
    assert event.start == datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert event.end - event.start == timedelta(hours=7)
    assert event.location.startswith("Initech HQ\n4120 Freidrich Lane")


def test_self_is_the_owner_address_and_declines_are_seen() -> None:
    path = OWN / "thunderbird_video_first_round.ics"
    (anonymous,) = read_ics(path).events
    assert anonymous.self_response is None
    (mine,) = read_ics(path, self_emails=["SAM@example.net"]).events
    assert mine.self_response == "declined"
    # Google exports name the calendar after its owner's address.
    data = path.read_bytes().replace(
        b"VERSION:2.0\n", b"VERSION:2.0\nX-WR-CALNAME:sam@example.net\n"
    )
    (google,) = parse_ics_bytes(data, origin="g.ics").events
    assert google.self_response == "declined"


def test_cancelled_status_and_method_cancel() -> None:
    data = (OWN / "outlook_phone_screen.ics").read_bytes()
    (event,) = parse_ics_bytes(data.replace(b"METHOD:REQUEST", b"METHOD:CANCEL"), origin="c").events
    assert event.status == "cancelled"
    data = data.replace(b"STATUS:CONFIRMED", b"STATUS:CANCELLED")
    assert parse_ics_bytes(data, origin="c").events[0].status == "cancelled"


def test_our_own_reminders_are_marked_managed() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//interview-followup//followup 0.1//EN\r\n"
        "BEGIN:VEVENT\r\nUID:abc@interview-followup\r\nDTSTART:20261201T100000Z\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert parse_ics_bytes(text.encode(), origin="f.ics").events[0].managed


def test_large_file_parses_at_a_reasonable_pace() -> None:
    import time

    event = (
        "BEGIN:VEVENT\r\nUID:{n}@example.com\r\nDTSTART;TZID=Europe/Berlin:20260101T100000\r\n"
        "DTEND;TZID=Europe/Berlin:20260101T110000\r\nSUMMARY:Meeting {n}\r\n"
        "DESCRIPTION:Some text\\, with commas\r\nEND:VEVENT\r\n"
    )
    body = "".join(event.format(n=n) for n in range(5000))
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()
    began = time.perf_counter()
    source = parse_ics_bytes(data, origin="big.ics")
    elapsed = time.perf_counter() - began
    assert len(source.events) == 5000
    assert elapsed < 10, f"5000 events took {elapsed:.1f}s"


def test_concatenated_calendars_are_all_read() -> None:
    one = (OWN / "apple_final_onsite.ics").read_bytes()
    two = (OWN / "outlook_phone_screen.ics").read_bytes()
    source = parse_ics_bytes(one + two, origin="both.ics")
    assert len(source.events) == 2
    lines_before = one.count(b"\n")
    assert source.events[1].origin == f"both.ics line {lines_before + 20}"


def test_other_encodings() -> None:
    text = (OWN / "thunderbird_video_first_round.ics").read_text(encoding="utf-8")
    (utf16,) = parse_ics_bytes(text.encode("utf-16"), origin="u.ics").events
    assert utf16.summary.startswith("Video interview with Globex")
    latin = text.replace("–", "-").replace("first round", "Zürich").encode("cp1252")
    source = parse_ics_bytes(latin, origin="l.ics")
    assert "Zürich" in source.events[0].summary
    assert any("UTF-8" in w for w in source.warnings)


def test_two_files_with_the_same_custom_tzid_keep_their_own_offsets() -> None:
    # Outlook names every customised zone alike; icalendar caches custom zones by name
    # for the whole process, so the second file used to get the first file's offset.
    def calendar(offset: str) -> bytes:
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
            "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone 7\r\nBEGIN:STANDARD\r\n"
            f"DTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z1\r\n"
            "DTSTART;TZID=Customized Time Zone 7:20261203T100000\r\n"
            "DTEND;TZID=Customized Time Zone 7:20261203T110000\r\n"
            "SUMMARY:Phone screen with Initech\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()

    (east,) = parse_ics_bytes(calendar("+0930"), origin="east.ics").events
    (west,) = parse_ics_bytes(calendar("-0600"), origin="west.ics").events
    assert east.start.utcoffset() == timedelta(hours=9, minutes=30)
    assert west.start.utcoffset() == timedelta(hours=-6)
