"""`followup status` on a known state."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from sync.statusdb import SourceRow, StatusDB
from tests.cli import EXAMPLE, ROOT, Home

sys.path.insert(0, str(ROOT / "examples"))
from shift_calendar import shift  # noqa: E402

TOKEN = {
    "token": "ya29.secret-access-token",
    "refresh_token": "1//secret-refresh-token-value",
    "client_id": "x.apps.googleusercontent.com",
    "client_secret": "GOCSPX-secret",
    "scopes": [
        "https://www.googleapis.com/auth/calendar.events.readonly",
        "https://www.googleapis.com/auth/calendar.app.created",
    ],
    "followup": {"target": "followups"},
}


def synced_home(tmp_path: Path) -> Home:
    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    result = home.run("sync", "--from", str(calendar), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    return home


def test_status_not_connected_exits_3_and_says_what_to_do(tmp_path: Path) -> None:
    result = Home.at(tmp_path).run("status")
    assert result.returncode == 3
    assert "not connected" in result.stdout and "followup connect" in result.stdout
    assert "none yet" in result.stdout


def test_status_of_an_ics_only_setup_shows_last_pass_and_next_reminders(tmp_path: Path) -> None:
    home = synced_home(tmp_path)
    result = home.run("status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", ok (" in result.stdout and "calendar.ics --out" in result.stdout
    assert "Next reminders:" in result.stdout
    data = json.loads(home.run("status", "--json").stdout)
    assert data["last_pass"]["result"] == "ok"
    assert data["upcoming"] and all(
        u["remind_at"] >= data["last_pass"]["finished"][:10] for u in data["upcoming"]
    )


def test_status_warns_about_repeated_invalid_grant_and_bad_config(tmp_path: Path) -> None:
    home = synced_home(tmp_path)
    token = home.data_dir / "token.json"
    token.write_text(json.dumps(TOKEN))
    token.chmod(0o600)
    state = StatusDB(home.data_dir / "state.sqlite3")
    state.save_source(SourceRow("google:primary", label="jordan.lee@example.com"))
    for _ in range(3):
        state.finish_pass(
            state.start_pass("google"), "auth", message="Google refused the stored token"
        )
    state.close()
    home.config_dir.mkdir(parents=True, exist_ok=True)
    (home.config_dir / "rules.toml").write_text("[[[ not toml")
    result = home.run("status")
    out = result.stdout
    assert "connected as jordan.lee@example.com" in out
    assert "calendar.events.readonly, calendar.app.created" in out
    assert "last 3 pass(es)" in out and "invalid_grant" in out
    assert "rules:" in out and "rules.toml" in out
    # secrets never shown
    assert "secret" not in out and "ya29" not in out and "1//" not in out


def test_status_warns_when_the_token_file_is_readable_by_others(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    home.data_dir.mkdir(parents=True)
    token = home.data_dir / "token.json"
    token.write_text(json.dumps(TOKEN))
    token.chmod(0o644)
    result = home.run("status")
    assert "readable by others" in result.stdout and "chmod 600" in result.stdout


def test_state_and_log_are_private_to_the_user(tmp_path: Path) -> None:
    home = synced_home(tmp_path)
    assert home.state_file.stat().st_mode & 0o777 == 0o600
    log = home.data_dir / "log" / "followup.log"
    assert log.exists() and log.stat().st_mode & 0o777 == 0o600
    assert home.data_dir.stat().st_mode & 0o077 == 0


ODD = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:mars@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART;TZID=Mars/Olympus:20261203T100000\r
DTEND;TZID=Mars/Olympus:20261203T110000\r
SUMMARY:Phone screen - Ares Mining\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261203T100000Z\r
DTEND:20261203T110000Z\r
RRULE:FREQ=WEEKLY\r
SUMMARY:Phone screen - Weekly Corp\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_status_lists_the_events_the_last_pass_skipped_once(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    calendar = tmp_path / "odd.ics"
    calendar.write_text(ODD)
    for _ in range(2):
        assert (
            home.run("sync", "--from", str(calendar), "--out", str(tmp_path / "o")).returncode == 0
        )
    shown = home.run("status")
    assert "Skipped by the last pass (2):" in shown.stdout
    assert shown.stdout.count("Mars/Olympus") == 1 and "Weekly Corp" in shown.stdout
    facts = json.loads(home.run("status", "--json").stdout)
    assert len(facts["skipped"]) == 2
    assert any("Mars/Olympus" in s for s in facts["skipped"])


TYPO = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:typo@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261203T100000Z\r
SUMMARY:Phone screen - Eta Labs\r
DESCRIPTION:#followup:fianl\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_misspelt_tag_is_listed_by_status(tmp_path: Path) -> None:
    # "#followup:fianl" fell back to the phone window with no word anywhere but `explain`.
    home = Home.at(tmp_path)
    calendar = tmp_path / "typo.ics"
    calendar.write_text(TYPO)
    assert home.run("sync", "--from", str(calendar), "--out", str(tmp_path / "o")).returncode == 0
    shown = home.run("status")
    assert "ignored #followup:fianl in 'Phone screen - Eta Labs'" in shown.stdout
    facts = json.loads(home.run("status", "--json").stdout)
    assert any("#followup:fianl" in s for s in facts["skipped"])


def test_list_and_status_show_times_in_one_labelled_zone(tmp_path: Path) -> None:
    home = synced_home(tmp_path)
    home.config_dir.mkdir(parents=True, exist_ok=True)
    home.config_file.write_text('[reminders]\ntimezone = "Asia/Tokyo"\n')
    listed = home.run("list")
    header = listed.stdout.splitlines()[0]
    assert "remind at (Asia/Tokyo)" in header and "interview (Asia/Tokyo)" in header
    status = home.run("status")
    assert "Asia/Tokyo" in status.stdout and " UTC," not in status.stdout
    assert "remind at (Asia/Tokyo)" in status.stdout


def test_status_warns_that_drafts_are_signed_with_a_placeholder(tmp_path: Path) -> None:
    home = synced_home(tmp_path)
    unsigned = home.run("status").stdout
    assert "drafts are signed [your name]" in unsigned and "name" in unsigned
    home.config_dir.mkdir(parents=True, exist_ok=True)
    home.config_file.write_text('[reminders]\nname = "Sam Doe"\n')
    assert "drafts are signed" not in home.run("status").stdout
