"""`followup sync` end to end: the CLI as a subprocess, the real client, the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .helpers import followup_calendars, interview_body, reminders_in

NOW = datetime.now(UTC).replace(microsecond=0, second=0)


@pytest.fixture
def seeded(connected):
    emu = connected.emulator
    emu.put_event(emu.primary_id, {**interview_body("Phone screen with Acme Corp", NOW - timedelta(days=1)), "id": "acme00001"})
    emu.put_event(emu.primary_id, {**interview_body("Final round onsite interview at Globex", NOW + timedelta(days=2), minutes=240), "id": "glob00001"})
    emu.put_event(emu.primary_id, {**interview_body("Dentist", NOW + timedelta(days=1)), "id": "dent00001"})
    return connected


def sync(home, *args, **env):
    return home.run("sync", *args, **env)


def test_first_sync_creates_calendar_and_one_reminder_per_interview(seeded):
    emu = seeded.emulator
    result = sync(seeded)
    assert result.returncode == 0, result.stderr
    cals = followup_calendars(emu)
    assert len(cals) == 1
    got = reminders_in(emu, cals[0])
    assert len(got) == 2
    assert all(e["reminders"]["useDefault"] is False for e in got)
    assert all(e["transparency"] == "transparent" for e in got)
    assert not reminders_in(emu, emu.primary_id)
    assert (seeded.data_dir / "ics" / "followups.ics").exists()
