"""The unsure band end to end: an unsure event gets no reminder, is announced once,
listed with the command that settles it, and `followup confirm` settles it for good.

Also: `classify` tells the reminder time `sync` writes when the calendar's zone is not
the interview's (the same zone rule everywhere)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.cli import Home

# Weak evidence: a recruiting note and a number, no job title ("the Marketing Manager
# role" would name a job, and make it sure).
UNSURE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:dana-call@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:Dana Whitfield\r
DESCRIPTION:Marigold Foods recruiting about the marketing role - they\r
  call +1 415 555 0134\r
END:VEVENT\r
END:VCALENDAR\r
"""
EVENT = "dana-call@example.com"


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home.at(tmp_path)


@pytest.fixture
def calendar(tmp_path: Path) -> Path:
    start = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=1)
    path = tmp_path / "cal.ics"
    path.write_text(
        UNSURE.format(
            start=start.strftime("%Y%m%dT%H%M%SZ"),
            end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
        )
    )
    return path


def reminders(out: Path) -> dict[str, str]:
    path = out / "followups.ics"
    if not path.exists():
        return {}
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): str(e.get("STATUS")) for e in cal.walk("VEVENT")}


def classified(home: Home, calendar: Path) -> list[dict]:
    result = home.run("classify", "--json", str(calendar))
    return [json.loads(line) for line in result.stdout.splitlines() if line]


def sync(home: Home, calendar: Path, out: Path):
    result = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return result


def test_the_event_is_one_the_rules_are_unsure_about(home: Home, calendar: Path) -> None:
    (row,) = [
        json.loads(x) for x in home.run("classify", "--json", str(calendar)).stdout.split("\n") if x
    ]
    assert row["interview"] and row["sure"] is False and row["followup"] is not None


def test_unsure_confirm_sync_and_skip_end_to_end(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    first = sync(home, calendar, out)
    assert reminders(out) == {}  # unsure: no reminder
    (line,) = first.stderr.strip().splitlines()  # announced in one line
    assert "Dana Whitfield" in line and f"followup confirm {EVENT} phone|final|skip" in line
    again = sync(home, calendar, out)
    assert again.stderr == ""  # later passes stay quiet about it

    listed = home.run("list", "--unsure")
    assert f"followup confirm {EVENT} phone|final|skip" in listed.stdout
    assert "when (UTC)" in listed.stdout  # one named zone, as `list` shows
    status = home.run("status")
    assert "Unsure:      1 event(s) wait for your answer" in status.stdout
    assert json.loads(home.run("status", "--json").stdout)["unsure"][0]["event_id"] == EVENT

    confirmed = home.run("confirm", EVENT, "phone")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "phone interview" in confirmed.stdout
    assert "Nothing to settle" in home.run("list", "--unsure").stdout  # answered at once
    sync(home, calendar, out)
    ((uid, state),) = reminders(out).items()
    assert state == "CONFIRMED"
    before = (out / "followups.ics").read_bytes()
    sync(home, calendar, out)
    assert (out / "followups.ics").read_bytes() == before  # re-sync: nothing changes
    assert "Nothing to settle" in home.run("list", "--unsure").stdout

    explained = home.run("explain", EVENT, "--from", str(calendar))
    assert "confirmed by you" in explained.stdout

    # The answer survives a lost cache of the file's events.
    from sync.statusdb import CacheUpdate, StatusDB

    status_db = StatusDB(home.state_file)
    for row in status_db.sources():
        status_db.update_cache(row.identity, CacheUpdate(full=True))
        status_db.save_source(row.__class__(row.identity, row.label, None, row.timezone, True))
    status_db.close()
    sync(home, calendar, out)
    assert reminders(out) == {uid: "CONFIRMED"}

    assert home.run("confirm", EVENT, "skip").returncode == 0
    sync(home, calendar, out)
    assert reminders(out) == {uid: "CANCELLED"}  # withdrawn


def test_a_tag_in_the_description_still_wins_over_a_confirmation(
    home: Home, calendar: Path
) -> None:
    out = home.base / "out"
    sync(home, calendar, out)
    assert home.run("confirm", EVENT, "phone").returncode == 0
    text = calendar.read_text().replace(
        "call +1 415 555 0134", "call +1 415 555 0134 #followup:skip"
    )
    calendar.write_text(text)
    sync(home, calendar, out)
    assert reminders(out) == {}


def test_confirming_an_unknown_event_says_what_to_do(home: Home, calendar: Path) -> None:
    missing = home.run("confirm", "nope@example.com", "final")
    assert missing.returncode == 2 and "followup sync" in missing.stderr
    sync(home, calendar, home.base / "out")
    unknown = home.run("confirm", "nope@example.com", "final")
    assert unknown.returncode == 2
    assert "nope@example.com" in unknown.stderr and "#followup:" in unknown.stderr
    bad = home.run("confirm", EVENT, "maybe")
    assert bad.returncode == 2


OUTLOOK = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
X-WR-TIMEZONE:Asia/Tokyo\r
BEGIN:VTIMEZONE\r
TZID:Pacific Standard Time\r
BEGIN:STANDARD\r
DTSTART:16011104T020000\r
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r
TZOFFSETFROM:-0700\r
TZOFFSETTO:-0800\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010311T020000\r
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r
TZOFFSETFROM:-0800\r
TZOFFSETTO:-0700\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:040000008200E00074C5B7101A82E008000000001@outlook\r
DTSTAMP:20261101T000000Z\r
DTSTART;TZID=Pacific Standard Time:{day}T100000\r
DTEND;TZID=Pacific Standard Time:{day}T110000\r
SUMMARY:Phone screen - Contoso (Data Engineer)\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_classify_tells_the_reminder_time_sync_writes(home: Home) -> None:
    """A Windows TZID in a file whose X-WR-TIMEZONE is another zone: one rule."""
    day = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y%m%d")
    calendar = home.base / "outlook.ics"
    calendar.parent.mkdir(parents=True, exist_ok=True)
    calendar.write_text(OUTLOOK.format(day=day))
    (row,) = [
        json.loads(x) for x in home.run("classify", "--json", str(calendar)).stdout.split("\n") if x
    ]
    out = home.base / "out"
    sync(home, calendar, out)
    (event,) = Calendar.from_ical((out / "followups.ics").read_bytes()).walk("VEVENT")
    written = event.decoded("DTSTART")
    told = datetime.fromisoformat(row["followup"]["remind_at"])
    assert written == told and str(written.tzinfo) == "Asia/Tokyo"
    explained = home.run("explain", "Contoso", "--from", str(calendar))
    assert row["followup"]["remind_at"] in explained.stdout
