"""The .ics writer: RFC 5545 framing, round trips through two parsers, file handling."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from sync.ics import writer
from sync.ics.reader import parse_ics_bytes
from sync.ics.writer import (
    IcsEntry,
    render_calendar,
    render_event_file,
    write_export,
)

STAMP = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def make_entry(n: int = 1, *, zone: str | None = "Europe/Zurich", **changes: object) -> IcsEntry:
    tz = ZoneInfo(zone) if zone else UTC
    start = datetime(2026, 12, 8, 9, 30, tzinfo=tz) + timedelta(days=n)
    fields: dict[str, object] = {
        "uid": f"k{n:03d}abcdefghijklmnopqrstu@interview-followup",
        "sequence": n,
        "dtstamp": STAMP,
        "status": "CONFIRMED",
        "summary": f"Follow up: Acme AG, Zürich — São Paulo; phone screen #{n}",
        "description": (
            "Interview: phone screen, Thu 3 Dec 2026.\nWindow: Tue 8 – Thu 10 Dec.\n"
            "Write to: Anna Schmidt <anna@contoso.example>\\n (literal backslash-n)\n"
            "One brief, professional message; no LinkedIn request. Salary: 85,000 €; "
            "keep it consistent.\n" + "Ünïcödé text, long enough to fold " * 4
        ),
        "start": start,
        "end": start + timedelta(minutes=15),
        "alert_minutes_before": 10,
        "url": "https://calendar.example.com/event?eid=abc,def;x=1",
    }
    fields.update(changes)
    return IcsEntry(**fields)  # type: ignore[arg-type]


ENTRIES = [
    make_entry(1),
    make_entry(2, zone="America/Sao_Paulo"),
    make_entry(3, zone=None, status="CANCELLED"),
    make_entry(4, zone="Asia/Kolkata", alert_minutes_before=0, url=None),
]


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


@pytest.mark.parametrize(
    "data",
    [render_event_file(e) for e in ENTRIES] + [render_calendar(ENTRIES)],
    ids=["zurich", "sao_paulo", "utc_cancelled", "kolkata", "calendar"],
)
def test_framing(data: bytes) -> None:
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = physical_lines(data)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
    text = data.decode()
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    assert unfolded[:4] == [
        "BEGIN:VCALENDAR",
        "PRODID:-//interview-followup//followup 0.1//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
    ]
    used = set(re.findall(r"^DT(?:START|END);TZID=([^:]+):", text, re.M))
    defined = set(re.findall(r"^TZID:(.+)$", "\n".join(unfolded), re.M))
    assert used == defined
    assert "METHOD:REQUEST" not in text
    assert "ORGANIZER" not in text and "ATTENDEE" not in text
    calendar = icalendar.Calendar.from_ical(data)
    for event in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION"):
            assert prop in event, prop
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        alarms = event.walk("VALARM")
        if str(event["STATUS"]) == "CANCELLED":
            assert alarms == []
        else:
            (alarm,) = alarms
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert "DESCRIPTION" in alarm and "TRIGGER" in alarm


def test_method_only_in_the_calendar_file() -> None:
    for entry in ENTRIES:
        assert b"METHOD" not in render_event_file(entry)
    whole = render_calendar(ENTRIES, name="Interview follow-ups")
    assert b"\r\nMETHOD:PUBLISH\r\n" in whole
    assert b"\r\nX-WR-CALNAME:Interview follow-ups\r\n" in whole


def test_alarm_triggers() -> None:
    assert b"TRIGGER:-PT10M\r\n" in render_event_file(ENTRIES[0])
    assert b"TRIGGER:PT0M\r\n" in render_event_file(ENTRIES[3])


def test_folding_counts_octets_not_characters() -> None:
    entry = make_entry(summary="Zürich — São Paulo " * 8)
    lines = physical_lines(render_event_file(entry))
    summary = [i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:")][0]
    assert len(lines[summary]) <= 75 and len(lines[summary].decode()) < 75
    assert lines[summary + 1].startswith(b" ")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.uid[:4])
def test_round_trip_icalendar_and_vobject_and_our_reader(entry: IcsEntry) -> None:
    data = render_event_file(entry)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["UID"]) == entry.uid
    assert str(event["SUMMARY"]) == entry.summary
    assert str(event["DESCRIPTION"]) == entry.description
    assert event["DTSTART"].dt == entry.start and event["DTEND"].dt == entry.end
    assert int(event["SEQUENCE"]) == entry.sequence

    independent = vobject.readOne(data.decode("utf-8"))
    vevent = independent.vevent
    assert vevent.uid.value == entry.uid
    assert vevent.summary.value == entry.summary
    assert vevent.description.value == entry.description
    assert vevent.dtstart.value == entry.start and vevent.dtend.value == entry.end
    assert vevent.status.value == entry.status

    (ours,) = parse_ics_bytes(data, origin="r.ics").events
    assert (ours.id, ours.summary, ours.start) == (entry.uid, entry.summary, entry.start)
    assert ours.managed
    if isinstance(entry.start.tzinfo, ZoneInfo):
        assert ours.timezone == entry.start.tzinfo.key


def test_whole_calendar_round_trips_through_vobject() -> None:
    calendars = list(vobject.readComponents(render_calendar(ENTRIES).decode()))
    assert len(calendars) == 1
    uids = [v.uid.value for v in calendars[0].vevent_list]
    assert sorted(uids) == sorted(e.uid for e in ENTRIES)


def test_output_is_byte_deterministic_and_order_independent() -> None:
    assert render_calendar(ENTRIES) == render_calendar(list(reversed(ENTRIES)))
    assert render_event_file(make_entry(7)) == render_event_file(make_entry(7))


def test_vtimezone_is_bounded_to_the_years_in_use() -> None:
    data = render_event_file(ENTRIES[0])
    assert len(data) < 3000
    assert b"2026-01-01 to 2027-12-31" in data


def test_entry_rejects_naive_times_and_unknown_status() -> None:
    with pytest.raises(ValueError, match="aware"):
        make_entry(start=datetime(2026, 12, 8, 9, 30))  # noqa: DTZ001
    with pytest.raises(ValueError, match="status"):
        make_entry(status="TENTATIVE")


# -- write_export ----------------------------------------------------------------------


def test_export_writes_calendar_and_one_file_per_entry(tmp_path: Path) -> None:
    report = write_export(tmp_path, ENTRIES)
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(["followups.ics", *(f"{e.uid.split('@')[0]}.ics" for e in ENTRIES)])
    assert names == expected
    assert report.counts == (len(ENTRIES) + 1, 0, 0)
    assert (tmp_path / "followups.ics").read_bytes() == render_calendar(ENTRIES)


def test_unchanged_rerun_rewrites_nothing(tmp_path: Path) -> None:
    write_export(tmp_path, ENTRIES)
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.iterdir()}
    report = write_export(tmp_path, ENTRIES)
    after = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.iterdir()}
    assert report.counts == (0, len(ENTRIES) + 1, 0)
    assert before == after


def test_changed_entry_rewrites_only_its_files(tmp_path: Path) -> None:
    write_export(tmp_path, ENTRIES)
    changed = [*ENTRIES[:3], make_entry(4, zone="Asia/Kolkata", sequence=5)]
    report = write_export(tmp_path, changed)
    assert sorted(p.name for p in report.written) == sorted(
        ["followups.ics", f"{ENTRIES[3].uid.split('@')[0]}.ics"]
    )


def test_removed_uids_lose_their_files(tmp_path: Path) -> None:
    write_export(tmp_path, ENTRIES)
    gone = ENTRIES[1]
    report = write_export(tmp_path, [e for e in ENTRIES if e is not gone], remove=[gone.uid])
    assert [p.name for p in report.removed] == [f"{gone.uid.split('@')[0]}.ics"]
    assert not (tmp_path / report.removed[0].name).exists()
    assert gone.uid.encode() not in (tmp_path / "followups.ics").read_bytes()
    again = write_export(tmp_path, [e for e in ENTRIES if e is not gone], remove=[gone.uid])
    assert again.removed == ()


def test_crash_during_replace_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_export(tmp_path, ENTRIES)
    target = tmp_path / "followups.ics"
    old = target.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        write_export(tmp_path, [make_entry(9)])
    assert target.read_bytes() == old
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_leftover_temp_files_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    leftover = tmp_path / ".followups.ics.abc123.tmp"
    leftover.write_bytes(b"half")
    write_export(tmp_path, ENTRIES)
    assert not leftover.exists()


def test_file_names_are_safe() -> None:
    assert writer.event_file_name("a/b\\c:d@x") == "a_b_c_d.ics"
    assert writer.event_file_name("../../etc@x") == "_.._etc.ics"
