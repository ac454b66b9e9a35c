"""One follow-ups calendar, ever; switching the target moves the reminders; a dry run
changes nothing that lasts; token file problems are one clear line.

Every path a user reaches the calendar by: a lost status file, a reconnect, a second
machine, a lost answer to `calendars.insert`, duplicates an earlier version left.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest

from .helpers import followup_calendars, interview_body, make_home, reminders_in

NOW = datetime.now(UTC).replace(microsecond=0, second=0)


@pytest.fixture
def seeded(connected):
    emu = connected.emulator
    emu.put_event(
        emu.primary_id,
        {**interview_body("Phone screen with Acme Corp", NOW + timedelta(days=1)), "id": "acme1"},
    )
    emu.put_event(
        emu.primary_id,
        {
            **interview_body("Final round onsite at Globex", NOW + timedelta(days=2), minutes=240),
            "id": "glob1",
        },
    )
    return connected


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def live(emu, calendar_id):
    return sorted(e["id"] for e in reminders_in(emu, calendar_id))


def all_live(emu):
    return sorted(
        e["id"]
        for cal in [emu.primary_id, *followup_calendars(emu)]
        for e in reminders_in(emu, cal)
    )


def lose_state(home):
    for suffix in ("", "-wal", "-shm"):
        path = home.state_file.with_name(home.state_file.name + suffix)
        path.unlink(missing_ok=True)


def test_a_lost_status_file_and_a_reconnect_find_the_same_calendar(seeded):
    emu = seeded.emulator
    ok(seeded.run("sync"))
    (calendar,) = followup_calendars(emu)
    before = live(emu, calendar)
    ok(seeded.run("disconnect"))
    ok(seeded.run("connect"))
    lose_state(seeded)
    ok(seeded.run("sync"))
    assert followup_calendars(emu) == [calendar]
    assert live(emu, calendar) == before


def test_a_second_machine_with_the_same_account_uses_the_same_calendar(seeded, tmp_path):
    emu = seeded.emulator
    ok(seeded.run("sync"))
    (tmp_path / "machine2").mkdir()
    other = make_home(tmp_path / "machine2", emu)
    ok(other.run("connect"))
    ok(other.run("sync"))
    (calendar,) = followup_calendars(emu)
    assert all_live(emu) == live(emu, calendar) and len(live(emu, calendar)) == 2


def test_a_lost_answer_to_calendars_insert_makes_no_second_calendar(seeded):
    emu = seeded.emulator
    emu.lose_answer(kind="calendars.insert")
    ok(seeded.run("sync"))
    assert len(followup_calendars(emu)) == 1
    assert len(all_live(emu)) == 2


def test_duplicates_an_earlier_version_left_are_merged_once(seeded):
    emu = seeded.emulator
    from sync.google.target import DESCRIPTION

    first = emu.add_calendar(
        "Interview follow-ups", owner_app=emu.client_id, description=DESCRIPTION
    )
    second = emu.add_calendar(
        "Interview follow-ups", owner_app=emu.client_id, description=DESCRIPTION
    )
    result = ok(seeded.run("sync"))
    assert "merged them into one" in result.stderr
    assert followup_calendars(emu) == [first]
    assert second not in [c["id"] for c in emu.calendars()]
    assert len(live(emu, first)) == 2
    again = ok(seeded.run("sync"))
    assert again.stderr == ""


def test_switching_the_target_moves_the_reminders_and_back(seeded):
    emu = seeded.emulator
    ok(seeded.run("sync"))
    (calendar,) = followup_calendars(emu)
    assert len(live(emu, calendar)) == 2
    ok(seeded.run("connect", "--target", "primary"))
    moved = ok(seeded.run("sync"))
    assert "moved 2 reminder(s)" in moved.stderr
    assert live(emu, calendar) == [] and len(live(emu, emu.primary_id)) == 2
    ok(seeded.run("connect", "--target", "followups"))
    ok(seeded.run("sync"))
    assert live(emu, emu.primary_id) == [] and len(live(emu, calendar)) == 2
    assert followup_calendars(emu) == [calendar]
    assert len(all_live(emu)) == 2


def test_a_reconnect_without_target_keeps_the_target(seeded):
    ok(seeded.run("connect", "--target", "primary"))
    ok(seeded.run("sync"))
    ok(seeded.run("connect"))
    data = json.loads(seeded.token_file.read_text())
    assert data["followup"]["target"] == "primary"


def test_a_dry_run_changes_nothing_that_lasts(seeded):
    from sync.statusdb import StatusDB

    emu = seeded.emulator
    dry = ok(seeded.run("sync", "--dry-run"))
    assert "would do" in dry.stdout
    assert followup_calendars(emu) == []  # no calendar created
    if seeded.state_file.exists():
        status = StatusDB(seeded.state_file)
        assert status.sources() == [] and status.passes() == []
        status.close()
    ok(seeded.run("sync"))
    # The real pass still reads in full and writes everything.
    assert len(all_live(emu)) == 2


def test_dry_run_with_force_delete_keeps_the_guard(seeded):
    emu = seeded.emulator
    ok(seeded.run("sync"))
    # An outage answering empty: the events vanish from a full read, no tombstones.
    for event_id in ("acme1", "glob1"):
        emu.delete_event_direct(emu.primary_id, event_id)
    emu.expire_sync_tokens()
    ok(seeded.run("sync", "--dry-run", "--force-delete"))
    held = ok(seeded.run("sync"))
    assert "--force-delete" in held.stderr
    assert len(all_live(emu)) == 2


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "damaged (not JSON)"),
        ('{"token": "x"}', "holds no refresh token"),
        ('{"refresh_token": "r"}', "incomplete"),
    ],
)
def test_token_file_problems_are_one_line_naming_the_file(connected, content, says):
    connected.token_file.write_text(content)
    result = connected.run("sync")
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(connected.token_file) in lines[0] and says in lines[0]
    assert "followup connect" in lines[0]
    assert "Error" not in lines[0] and "Testing" not in lines[0]


def test_a_token_readable_by_others_is_made_private_and_the_user_told(seeded):
    os.chmod(seeded.token_file, 0o644)
    result = ok(seeded.run("sync"))
    assert "made it private" in result.stderr and str(seeded.token_file) in result.stderr
    assert stat.S_IMODE(seeded.token_file.stat().st_mode) == 0o600


def test_an_expired_access_token_is_refreshed_with_the_saved_token_uri(seeded):
    emu = seeded.emulator
    data = json.loads(seeded.token_file.read_text())
    data["expiry"] = "2000-01-01T00:00:00Z"
    data.pop("token_uri", None)  # only the followup section remembers the emulator's
    seeded.token_file.write_text(json.dumps(data))
    emu.expire_access_tokens()  # the old access token is refused: only a refresh helps
    ok(seeded.run("sync"))
    assert json.loads(seeded.token_file.read_text())["token"] != data["token"]
    assert len(all_live(emu)) == 2


FILE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:initech-screen@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:Phone screen - Initech (Analyst)\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_google_calendar_and_a_file_never_collide(seeded):
    """One pass syncs both; each keeps its own reminders, each in its own place."""
    from icalendar import Calendar

    emu = seeded.emulator
    start = NOW + timedelta(days=1)
    path = seeded.base / "work.ics"
    path.write_text(
        FILE.format(
            start=start.strftime("%Y%m%dT%H%M%SZ"),
            end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
        )
    )
    out = seeded.base / "out"
    seeded.config_file.write_text(f'[ics]\nsources = ["{path}"]\n\n[export]\ndir = "{out}"\n')
    ok(seeded.run("sync"))
    (calendar,) = followup_calendars(emu)
    assert len(live(emu, calendar)) == 2  # the Google interviews' reminders only
    exported = Calendar.from_ical((out / "followups.ics").read_bytes()).walk("VEVENT")
    titles = sorted(str(e["SUMMARY"]) for e in exported)
    assert len(titles) == 3 and any("Initech" in t for t in titles)
    # The file's interview goes away: only its reminder is withdrawn.
    path.write_text(
        FILE.replace("Phone screen - Initech (Analyst)", "Lunch").format(
            start=start.strftime("%Y%m%dT%H%M%SZ"),
            end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
        )
    )
    ok(seeded.run("sync"))
    assert len(live(emu, calendar)) == 2
    states = {
        str(e["SUMMARY"]): str(e["STATUS"])
        for e in Calendar.from_ical((out / "followups.ics").read_bytes()).walk("VEVENT")
    }
    assert sorted(states.values()) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]
    assert [t for t, s in states.items() if s == "CANCELLED"][0].find("Initech") >= 0


def test_a_first_sync_lists_pages_once_and_never_the_calendar_it_just_made(seeded):
    emu = seeded.emulator
    emu.reset_request_log()
    ok(seeded.run("sync"))
    assert emu.count("events.list") == 1  # the one page of the source, not the new target
    assert emu.count("calendars.insert") == 1
    # Looking for the calendar before making it, and for a twin made behind our back.
    assert emu.count("calendarList.list") == 2
