"""`followup sync --from FILE.ics --out DIR` end to end, as a user runs it."""

from __future__ import annotations

import json
import re
import shlex
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.cli import EXAMPLE, ROOT, Home

sys.path.insert(0, str(ROOT / "examples"))
from shift_calendar import shift  # noqa: E402


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home.at(tmp_path)


@pytest.fixture
def calendar(tmp_path: Path) -> Path:
    """The sample calendar moved to this week, as `make demo` does."""
    path = tmp_path / "calendar.ics"
    path.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ics"))}


def vevents(path: Path) -> dict[str, dict]:
    cal = Calendar.from_ical(path.read_bytes())
    return {
        str(e["UID"]): {
            "status": str(e.get("STATUS")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "dtstamp": e.decoded("DTSTAMP"),
            "start": e.decoded("DTSTART"),
            "summary": str(e["SUMMARY"]),
        }
        for e in cal.walk("VEVENT")
    }


def edit_event(path: Path, uid: str, **changes: object) -> None:
    """Change one event of an .ics file (as the user's calendar app would)."""
    cal = Calendar.from_ical(path.read_bytes())
    for event in cal.walk("VEVENT"):
        if str(event["UID"]) == uid:
            for name, value in changes.items():
                if name.upper() in event:
                    del event[name.upper()]
                event.add(name, value)
    path.write_bytes(cal.to_ical())


NORTHWIND_FINAL = "demo002x7k2q9@google.com"


def move_northwind_final(calendar: Path, days: int = 1) -> None:
    """The user moves the Northwind final round by `days` in their calendar app."""
    event = next(
        e
        for e in Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
        if str(e["UID"]) == NORTHWIND_FINAL
    )
    shift_by = timedelta(days=days)
    edit_event(
        calendar,
        NORTHWIND_FINAL,
        dtstart=event.decoded("DTSTART") + shift_by,
        dtend=event.decoded("DTEND") + shift_by,
    )


def initrode_soon() -> str:
    """Another calendar file: one phone screen, two days from now."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    return LATE.format(
        start=start.strftime("%Y%m%dT%H%M%SZ"),
        end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
    )


def test_sync_writes_one_file_per_reminder_and_a_calendar(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    result = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # quiet on success: cron mails any output
    reminders = vevents(out / "followups.ics")
    singles = sorted(p for p in out.glob("*.ics") if p.name != "followups.ics")
    assert len(reminders) >= 8
    assert len(singles) == len(reminders)
    for path in singles:
        (uid,) = vevents(path)
        assert uid in reminders
        assert b"METHOD" not in path.read_bytes()
    # SEQUENCE is derived from the time of the change: positive, never reset to 0.
    assert all(r["status"] == "CONFIRMED" and r["sequence"] > 0 for r in reminders.values())


def test_unchanged_rerun_rewrites_nothing(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = snapshot(out)
    again = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == before  # same bytes, same mtimes


def test_moved_interview_raises_sequence_of_its_reminder_only(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    first = vevents(out / "followups.ics")
    move_northwind_final(calendar)
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    second = vevents(out / "followups.ics")
    assert first.keys() == second.keys()
    changed = {uid for uid in first if first[uid] != second[uid]}
    assert len(changed) == 1
    (uid,) = changed
    assert second[uid]["sequence"] > first[uid]["sequence"]
    assert second[uid]["summary"] != first[uid]["summary"]  # its window moved a day
    assert "Northwind" in second[uid]["summary"]


def test_a_cancellation_stays_exported_until_its_window_and_two_weeks_have_passed(
    home: Home, calendar: Path
) -> None:
    """A user who imports weekly, with cron every 15 minutes, still gets the cancellation."""
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = vevents(out / "followups.ics")
    northwind = [u for u, r in before.items() if "Northwind" in r["summary"]]
    assert len(northwind) == 1  # the phone screen's reminder was superseded by the final
    edit_event(calendar, NORTHWIND_FINAL, status="CANCELLED")
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    after = vevents(out / "followups.ics")
    (uid,) = northwind
    assert after[uid]["status"] == "CANCELLED"
    assert after[uid]["sequence"] > before[uid]["sequence"]
    single = out / (uid.split("@")[0] + ".ics")
    assert vevents(single)[uid]["status"] == "CANCELLED"
    # Many passes later (cron), it is still there, cancelled, with its own file.
    for _ in range(3):
        assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    assert vevents(out / "followups.ics")[uid]["status"] == "CANCELLED"
    assert single.exists()
    # Restored: the same UID comes back with a higher SEQUENCE.
    edit_event(calendar, NORTHWIND_FINAL, status="CONFIRMED")
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    back = vevents(out / "followups.ics")[uid]
    assert back["status"] == "CONFIRMED" and back["sequence"] > after[uid]["sequence"]


def test_a_cancellation_leaves_the_export_once_kept_long_enough(tmp_path: Path) -> None:
    from sync.config import Config
    from sync.passes import PassContext, run_pass
    from sync.ruleset import RuleSet
    from sync.setup import ics_slot
    from sync.sources.ics_file import IcsFileSource
    from sync.statusdb import StatusDB

    calendar = tmp_path / "cal.ics"
    today = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), today.date()))
    status = StatusDB(tmp_path / "state.sqlite3")
    out = tmp_path / "out"
    vocab = _vocab()

    def sync_at(now: datetime):
        ctx = PassContext(config=Config(), status=status, now=now, rules=RuleSet.of(vocab))
        return run_pass(ctx, [IcsFileSource(calendar, ctx.rules)], [ics_slot(status, out, now)])

    sync_at(today)
    uid = next(u for u, r in vevents(out / "followups.ics").items() if "Northwind" in r["summary"])
    edit_event(calendar, NORTHWIND_FINAL, status="CANCELLED")
    sync_at(today + timedelta(hours=1))
    assert vevents(out / "followups.ics")[uid]["status"] == "CANCELLED"
    sync_at(today + timedelta(days=13))  # window over, but not two weeks yet
    assert vevents(out / "followups.ics")[uid]["status"] == "CANCELLED"
    report = sync_at(today + timedelta(days=15))
    assert uid not in vevents(out / "followups.ics")
    assert not (out / (uid.split("@")[0] + ".ics")).exists()
    assert any(a.kind == "purge" for p in report.plans.values() for a in p.actions)
    status.close()


def _vocab():
    from rules.vocabulary import default_vocabulary

    return default_vocabulary()


def test_sequence_never_decreases_after_the_status_file_is_lost(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = vevents(out / "followups.ics")
    home.state_file.unlink()
    move_northwind_final(calendar)
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    after = vevents(out / "followups.ics")
    assert after.keys() == before.keys()  # no duplicate, nothing lost
    assert all(after[u]["sequence"] >= before[u]["sequence"] for u in before)
    changed = [u for u in before if after[u]["summary"] != before[u]["summary"]]
    assert changed and all(after[u]["sequence"] > before[u]["sequence"] for u in changed)


def test_two_files_keep_their_own_reminders(home: Home, calendar: Path) -> None:
    """Syncing file B never withdraws file A's; alternating flips nothing."""
    out = home.base / "out"
    other = home.base / "other.ics"
    other.write_text(initrode_soon())
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    first = vevents(out / "followups.ics")
    assert home.run("sync", "--from", str(other), "--out", str(out)).returncode == 0
    both = vevents(out / "followups.ics")
    assert first.items() <= both.items()  # A's untouched
    assert len(both) == len(first) + 1
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    assert vevents(out / "followups.ics") == both


def test_several_from_are_all_synced_in_one_pass(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    other = home.base / "other.ics"
    other.write_text(initrode_soon())
    result = home.run("sync", "--from", str(calendar), "--from", str(other), "--out", str(out))
    assert result.returncode == 0, result.stderr
    summaries = [r["summary"] for r in vevents(out / "followups.ics").values()]
    assert any("Initrode" in s for s in summaries) and any("Northwind" in s for s in summaries)


def test_two_files_into_two_folders_share_nothing(home: Home, calendar: Path) -> None:
    other = home.base / "other.ics"
    other.write_text(initrode_soon())
    a, b = home.base / "a", home.base / "b"
    for _ in range(2):
        assert home.run("sync", "--from", str(calendar), "--out", str(a)).returncode == 0
        assert home.run("sync", "--from", str(other), "--out", str(b)).returncode == 0
    assert {r["status"] for r in vevents(a / "followups.ics").values()} == {"CONFIRMED"}
    (only,) = vevents(b / "followups.ics").values()
    assert only["status"] == "CONFIRMED" and "Initrode" in only["summary"]


EMPTY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:dentist@x\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART:20261201T100000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_mass_withdrawal_is_refused_without_force_delete(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = vevents(out / "followups.ics")
    wrong = calendar  # the same file, suddenly listing no interviews (a bad export)
    wrong.write_text(EMPTY)
    held = home.run("sync", "--from", str(wrong), "--out", str(out))
    assert held.returncode == 0
    assert "--force-delete" in held.stderr and "lists no interviews" in held.stderr
    assert vevents(out / "followups.ics") == before
    # The hint is this very sync with --force-delete (a bare `followup sync
    # --force-delete` has no source to sync here and exits 3): run it as printed.
    hint = held.stderr.split("run `", 1)[1].split("`", 1)[0]
    assert hint == f"followup sync --from {wrong.resolve()} --out {out.resolve()} --force-delete"
    forced = home.run(*shlex.split(hint)[1:])
    assert forced.returncode == 0, forced.stderr
    after = vevents(out / "followups.ics")
    assert after.keys() == before.keys()
    assert {r["status"] for r in after.values()} == {"CANCELLED"}


def test_unreadable_calendar_is_refused_and_nothing_written_is_lost(
    home: Home, calendar: Path
) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = snapshot(out)
    broken = home.base / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is not a content line\r\n")
    result = home.run("sync", "--from", str(broken), "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.ics" in lines[0] and re.search(r"line \d+|:\d+", lines[0])
    assert snapshot(out) == before


def test_missing_calendar_file_is_a_usage_error(home: Home) -> None:
    result = home.run("sync", "--from", str(home.base / "nope.ics"))
    assert result.returncode == 2
    assert "nope.ics" in result.stderr


def test_bad_config_names_every_field_and_writes_nothing(home: Home, calendar: Path) -> None:
    home.config_dir.mkdir(parents=True)
    (home.config_dir / "config.toml").write_text(
        '[reminders]\ntime = "25:99"\nlookback_days = "a month"\n[colour]\nx = 1\n'
    )
    out = home.base / "out"
    result = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert result.returncode == 2
    for needle in ("config.toml", "reminders.time", "reminders.lookback_days", "colour"):
        assert needle in result.stderr
    assert not out.exists()


def test_config_reminder_time_and_zone_are_used(home: Home, calendar: Path) -> None:
    home.config_dir.mkdir(parents=True)
    (home.config_dir / "config.toml").write_text(
        '[reminders]\ntime = "08:15"\ntimezone = "Europe/Berlin"\n'
    )
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    starts = [r["start"] for r in vevents(out / "followups.ics").values()]
    assert starts and all((s.hour, s.minute) == (8, 15) for s in starts)
    assert all(str(s.tzinfo) == "Europe/Berlin" for s in starts)


def test_second_run_while_locked_exits_75_and_touches_nothing(home: Home, calendar: Path) -> None:
    from sync.lock import state_lock

    out = home.base / "out"
    with state_lock(home.data_dir / "sync.lock"):
        result = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert result.returncode == 75
    assert "another followup run" in result.stderr
    assert "the next scheduled run will try again" in result.stderr  # cron: no terminal
    assert not out.exists()
    assert not (home.data_dir / "state.sqlite3").exists()


def test_a_manual_run_that_meets_the_lock_says_to_run_it_again() -> None:
    import tempfile

    from sync.errors import LockedError
    from sync.lock import state_lock

    with tempfile.TemporaryDirectory() as tmp:
        lock = Path(tmp) / "sync.lock"
        with state_lock(lock), pytest.raises(LockedError) as caught, state_lock(lock, by_hand=True):
            pass
    assert "run the command again" in str(caught.value)
    assert "retried" not in str(caught.value)


def test_a_cancelled_interview_is_named_with_the_real_reason(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    edit_event(calendar, NORTHWIND_FINAL, status="CANCELLED")
    result = home.run("sync", "--from", str(calendar), "--out", str(out), "-v")
    (line,) = [x for x in result.stdout.splitlines() if x.strip().startswith("withdraw")]
    assert "Northwind" in line and "the interview was cancelled" in line


def test_a_settings_change_is_not_called_an_interview_change(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    home.config_dir.mkdir(parents=True, exist_ok=True)
    home.config_file.write_text('[reminders]\nname = "Sam Doe"\n')
    result = home.run("sync", "--from", str(calendar), "--out", str(out), "-v")
    updates = [x for x in result.stdout.splitlines() if x.strip().startswith("update")]
    assert updates and all("reminder text changed" in x for x in updates)
    assert "interview changed" not in result.stdout


def test_a_dry_run_is_not_shown_as_the_last_pass(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = home.run("status", "--json")
    assert home.run("sync", "--from", str(calendar), "--out", str(out), "--dry-run").returncode == 0
    after = home.run("status", "--json")
    assert json.loads(after.stdout)["last_pass"] == json.loads(before.stdout)["last_pass"]


def test_list_shows_upcoming_reminders(home: Home, calendar: Path) -> None:
    assert home.run("sync", "--from", str(calendar), "--out", str(home.base / "o")).returncode == 0
    listed = home.run("list", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    exported = vevents(home.base / "o" / "followups.ics")
    assert {r["uid"] for r in rows} == set(exported)
    assert all(r["stage"] in ("phone", "final") for r in rows)
    table = home.run("list", "--all")
    assert "Umbrella Corp" in table.stdout and "remind at" in table.stdout


def test_dry_run_shows_the_plan_and_writes_nothing(home: Home, calendar: Path) -> None:
    out = home.base / "out"
    result = home.run("sync", "--from", str(calendar), "--out", str(out), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would do" in result.stdout and "create" in result.stdout
    assert not out.exists()


def test_unwritable_output_fails_in_one_line_and_the_next_run_recovers(
    home: Home, calendar: Path
) -> None:
    out = home.base / "out"
    (out / "followups.ics").mkdir(parents=True)  # something in the way of the file
    result = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (
        len(lines) == 1
        and "cannot write the .ics files" in lines[0]
        and "followups.ics" in lines[0]
    )
    assert "Traceback" not in result.stderr
    (out / "followups.ics").rmdir()
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    assert len(vevents(out / "followups.ics")) >= 8


LATE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
X-WR-TIMEZONE:Europe/Berlin\r
BEGIN:VEVENT\r
UID:late-phone@example.com\r
DTSTAMP:20261101T000000Z\r
DTSTART:{start}\r
DTEND:{end}\r
SUMMARY:Phone screen - Initrode (Analyst)\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_reminder_whose_moment_passed_before_it_was_written_goes_on_the_next_weekday(
    home: Home,
) -> None:
    now = datetime.now(UTC)
    start = now - timedelta(days=12)  # its 5-7 day window is over
    calendar = home.base / "late.ics"
    calendar.write_text(
        LATE.format(
            start=start.strftime("%Y%m%dT%H%M%SZ"),
            end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
        )
    )
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    (late,) = vevents(out / "followups.ics").values()
    assert now < late["start"] < now + timedelta(days=4)
    assert late["start"].weekday() < 5 and (late["start"].hour, late["start"].minute) == (9, 30)
    text = Calendar.from_ical((out / "followups.ics").read_bytes()).walk("VEVENT")[0]
    assert "Set late" in str(text["DESCRIPTION"])
    before = snapshot(out)
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    assert snapshot(out) == before  # it stays where it was put: no churn


def test_a_reminder_written_on_time_stays_put_once_its_moment_passed() -> None:
    from rules.model import Policy
    from rules.placement import Placement, place_late
    from tests.test_reconcile import make_reminder

    reminder = make_reminder("a")  # reminds on 2026-12-08 09:30 UTC
    later = reminder.start + timedelta(days=3)
    on_time = {reminder.key: Placement.of(reminder)}
    (kept,) = place_late([reminder], now=later, previous=on_time, policy=Policy())
    assert kept is reminder
    (moved,) = place_late([reminder], now=later, previous={}, policy=Policy())
    assert moved.start > later and "Set late" in moved.description


def _pass_over(tmp_path: Path, calendar: Path, now: datetime, vocab=None):
    from sync.config import Config
    from sync.passes import PassContext, run_pass
    from sync.ruleset import RuleSet
    from sync.setup import ics_slot
    from sync.sources.ics_file import IcsFileSource
    from sync.statusdb import StatusDB

    vocab = vocab or _vocab()
    status = StatusDB(tmp_path / "state.sqlite3")
    try:
        ctx = PassContext(config=Config(), status=status, now=now, rules=RuleSet.of(vocab))
        slot = ics_slot(status, tmp_path / "out", now)
        return run_pass(ctx, [IcsFileSource(calendar, ctx.rules)], [slot])
    finally:
        status.close()


def test_an_unchanged_file_is_not_parsed_again_and_decides_the_same(tmp_path: Path) -> None:
    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    first = _pass_over(tmp_path, calendar, now)
    assert first.sources[0].read.changed
    second = _pass_over(tmp_path, calendar, now)
    (read,) = [s.read for s in second.sources]
    assert not read.changed  # from the cache: the file was fingerprinted, not parsed
    assert read.cache is None
    assert [r.key for r in second.sources[0].wants.desired] == [
        r.key for r in first.sources[0].wants.desired
    ]
    assert all(p.empty for p in second.plans.values())
    # A later "now" still decides afresh from the cached candidates.
    later = _pass_over(tmp_path, calendar, now + timedelta(days=40))
    assert not later.sources[0].read.changed
    assert not later.sources[0].wants.desired  # all past the look-back now


def test_a_rules_change_or_an_edit_reads_the_file_again(tmp_path: Path) -> None:
    from rules.vocabulary import default_vocabulary, extend_vocabulary

    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    _pass_over(tmp_path, calendar, now)
    extended = extend_vocabulary(
        default_vocabulary(), '[interview.words]\n"coffee with the team" = 1.0\n', origin="r.toml"
    )
    assert _pass_over(tmp_path, calendar, now, extended).sources[0].read.changed
    edit_event(calendar, NORTHWIND_FINAL, summary="Final round onsite - Northwind Traders!")
    assert _pass_over(tmp_path, calendar, now).sources[0].read.changed


def test_an_interview_renamed_into_a_meeting_is_withdrawn_not_held(tmp_path: Path) -> None:
    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    _pass_over(tmp_path, calendar, now)
    edit_event(calendar, NORTHWIND_FINAL, summary="Lunch with Pat", description="Tacos")
    report = _pass_over(tmp_path, calendar, now)
    (plan,) = report.plans.values()
    withdrawn = [a for a in plan.actions if a.kind == "delete"]
    assert len(withdrawn) == 1 and not plan.held
    assert "Lunch with Pat" in withdrawn[0].label


def test_a_confirmation_of_another_sources_event_costs_one_read_at_most(tmp_path: Path) -> None:
    from sync.statusdb import StatusDB

    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    _pass_over(tmp_path, calendar, now)
    status = StatusDB(tmp_path / "state.sqlite3")
    status.confirm("some-google-event", "phone", now)
    status.close()
    assert _pass_over(tmp_path, calendar, now).sources[0].read.changed  # read once, keeping it
    assert not _pass_over(tmp_path, calendar, now).sources[0].read.changed  # then cached


FAR_AND_NEAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//hand//EN\r
BEGIN:VEVENT\r
UID:acme-1\r
DTSTAMP:20261120T120000Z\r
DTSTART:{start}\r
SUMMARY:Phone screen with Acme Corp - Software Engineer\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:far-1\r
DTSTAMP:20261120T120000Z\r
DTSTART:99991231T100000Z\r
SUMMARY:Phone screen with Initech - QA\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_interview_dated_9999_gets_no_window_and_the_others_still_sync(home: Home) -> None:
    # A typo'd year in one invite used to stop every pass ("internal error: OverflowError").
    start = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y%m%dT150000Z")
    path = home.base / "both.ics"
    path.write_text(FAR_AND_NEAR.format(start=start), newline="")
    out = home.base / "out"
    result = home.run("sync", "--from", str(path), "--out", str(out))
    assert result.returncode == 0, result.stderr
    (reminder,) = vevents(out / "followups.ics").values()
    assert "Acme" in reminder["summary"]
    listed = home.run("classify", str(path))
    assert listed.returncode == 0, listed.stderr
    assert "9999-12-31" in listed.stdout and "internal error" not in listed.stderr


def test_out_with_a_tilde_the_shell_left_is_the_home_folder(home: Home, calendar: Path) -> None:
    # bash leaves the ~ of "--out=~/followups" alone: the files still go to $HOME.
    fake_home = home.base / "me"
    fake_home.mkdir()
    result = home.run("sync", "--from", str(calendar), "--out=~/followups", HOME=str(fake_home))
    assert result.returncode == 0, result.stderr
    assert (fake_home / "followups" / "followups.ics").exists()
    assert not list(ROOT.glob("~*"))  # nothing written to a folder named "~"


def test_a_data_folder_that_is_a_file_or_a_config_that_is_a_folder_is_one_line(
    home: Home, calendar: Path
) -> None:
    # Both used to print a Python traceback and "internal error" (exit 1).
    blocker = home.base / "not-a-folder"
    blocker.write_text("x")
    result = home.run(
        "sync",
        "--from",
        str(calendar),
        "--out",
        str(home.base / "out"),
        FOLLOWUP_DATA_DIR=str(blocker),
    )
    assert result.returncode == 2
    assert f"cannot use the data folder {blocker}" in result.stderr
    assert "Traceback" not in result.stderr and "FOLLOWUP_DATA_DIR" in result.stderr
    (home.config_dir / "config.toml").mkdir(parents=True)
    result = home.run("sync", "--from", str(calendar), "--out", str(home.base / "out"))
    assert result.returncode == 2
    assert "cannot read the config file" in result.stderr and "config.toml" in result.stderr
    assert "internal error" not in result.stderr
    assert not (home.base / "out").exists()  # nothing written


def test_relative_paths_in_the_config_are_taken_from_its_folder(home: Home, calendar: Path) -> None:
    # cron runs `followup sync` from $HOME: "work.ics" in the config used to be looked
    # for there (exit 2), and [export] dir = "followups" created a folder wherever it ran.
    home.config_dir.mkdir(parents=True)
    (home.config_dir / "work.ics").write_bytes(calendar.read_bytes())
    (home.config_dir / "config.toml").write_text(
        '[ics]\nsources = ["work.ics"]\n[export]\ndir = "followups"\n'
    )
    result = home.run("sync")  # the tests run it from the repository, not the config folder
    assert result.returncode == 0, result.stderr
    assert (home.config_dir / "followups" / "followups.ics").exists()
    assert not (ROOT / "followups").exists()


def test_a_feed_that_is_down_does_not_stop_the_other_calendars(home: Home, calendar: Path) -> None:
    # One unreachable feed used to end the pass before anything was written (exit 75).
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = f"http://127.0.0.1:{port}/down.ics"
    out = home.base / "out"
    result = home.run("sync", "--from", str(calendar), "--from", down, "--out", str(out))
    assert result.returncode == 75, result.stderr
    assert "1 of 2 calendars could not be read, the others were synced" in result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    assert len(vevents(out / "followups.ics")) >= 8  # the file's reminders are written


def test_list_still_knows_each_interview_after_the_state_file_is_lost(
    home: Home, calendar: Path
) -> None:
    # Rebuilt from the files alone, the records used to show "?" and "None .. None".
    out = home.base / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    before = home.run("list", "--json").stdout
    for path in home.data_dir.glob("state.sqlite3*"):
        path.unlink()
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    after = home.run("list", "--json").stdout
    assert after == before and '"company": "Northwind' in after
    assert "None .. None" not in home.run("list").stdout


# LATE without its calendar zone: the event's times are floating (no TZID, no Z).
FLOATING = LATE.replace("X-WR-TIMEZONE:Europe/Berlin\r\n", "").replace("late-", "floating-")


def _floating_calendar(home: Home) -> tuple[Path, datetime]:
    """A phone screen at 10:00 two days ago, written with a floating time (no TZID, no
    Z) in a file that names no X-WR-TIMEZONE, as Apple and some exporters write them."""
    wall = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    wall -= timedelta(days=2)
    path = home.base / "floating.ics"
    path.write_text(
        FLOATING.format(
            start=wall.strftime("%Y%m%dT%H%M%S"),
            end=(wall + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%S"),
        ),
        newline="",
    )
    return path, wall.replace(tzinfo=None)


def _interview_starts(home: Home) -> list[datetime]:
    listed = home.run("list", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    return [
        datetime.fromisoformat(json.loads(line)["interview_start"])
        for line in listed.stdout.splitlines()
    ]


def test_floating_times_are_read_in_the_users_zone_by_sync_and_classify(home: Home) -> None:
    """`reminders.timezone` is where the user is: a floating 10:00 is 10:00 there, in
    `sync` as in `classify`; and setting it later re-reads the (unchanged) file."""
    calendar, wall = _floating_calendar(home)
    out = home.base / "out"
    first = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert first.returncode == 0, first.stderr
    (before,) = _interview_starts(home)
    assert before == wall.replace(tzinfo=UTC)

    home.config_dir.mkdir(parents=True, exist_ok=True)
    (home.config_dir / "config.toml").write_text('[reminders]\ntimezone = "America/New_York"\n')
    zone = ZoneInfo("America/New_York")
    again = home.run("sync", "--from", str(calendar), "--out", str(out))
    assert again.returncode == 0, again.stderr
    (after,) = _interview_starts(home)
    assert after == wall.replace(tzinfo=zone)  # the same instant as New York's 10:00

    explained = home.run("explain", "Initrode", "--from", str(calendar))
    assert explained.returncode == 0, explained.stderr
    assert f"start: {wall:%Y-%m-%d} 10:00 (America/New_York)" in explained.stdout


def test_explain_without_from_looks_in_what_an_offline_sync_kept(
    home: Home, calendar: Path
) -> None:
    """After `sync --from FILE`, `explain "loop at Umbrella"` needs no --from: it tells what the
    file itself tells; an event the sync did not keep is not found, with the next step."""
    before = home.run("explain", "loop at Umbrella")
    assert before.returncode == 2 and "--from" in before.stderr
    assert home.run("sync", "--from", str(calendar), "--out", str(home.base / "o")).returncode == 0
    kept = home.run("explain", "loop at Umbrella")
    assert kept.returncode == 0, kept.stderr
    direct = home.run("explain", "loop at Umbrella", "--from", str(calendar))
    assert direct.returncode == 0, direct.stderr
    strip = re.compile(r"\(calendar\.ics line \d+\)")  # the file read names the line
    assert strip.sub("", kept.stdout) == strip.sub("", direct.stdout)
    assert "Reminder: " in kept.stdout
    missing = home.run("explain", "Dentist appointment nobody has")
    assert missing.returncode == 2
    assert "pass --from" in missing.stderr


def test_list_and_status_say_when_the_status_file_was_corrupt(home: Home, calendar: Path) -> None:
    """`list` moved a corrupt status file aside and printed "No upcoming follow-ups."
    as if there were nothing to do; `list` and `status` now say what happened."""
    assert home.run("sync", "--from", str(calendar), "--out", str(home.base / "o")).returncode == 0
    home.state_file.write_bytes(b"not a database, not at all" * 100)
    listed = home.run("list")
    assert listed.returncode == 0, listed.stderr
    assert "could not be read" in listed.stderr and "next sync rebuilds it" in listed.stderr
    home.state_file.write_bytes(b"not a database, not at all" * 100)
    shown = home.run("status")
    assert "could not be read" in shown.stdout + shown.stderr
    assert home.run("sync", "--from", str(calendar), "--out", str(home.base / "o")).returncode == 0
    assert home.run("list", "--all").stderr == ""  # rebuilt: nothing more to say


def _drop_events(path: Path, keep) -> list[str]:
    """Rewrite an .ics file without the single events `keep(event)` refuses (as an export
    of a date range leaves them out); the UIDs dropped."""
    cal = Calendar.from_ical(path.read_bytes())
    dropped = [
        str(e["UID"])
        for e in cal.subcomponents
        if e.name == "VEVENT" and "RRULE" not in e and not keep(e)
    ]
    cal.subcomponents = [
        c for c in cal.subcomponents if c.name != "VEVENT" or str(c.get("UID")) not in dropped
    ]
    path.write_bytes(cal.to_ical())
    return dropped


def test_a_weekly_export_of_a_date_range_keeps_the_reminders_of_last_weeks_interviews(
    tmp_path: Path,
) -> None:
    """Outlook exports a date range: last week's interview is no longer in this week's
    file, but it was not deleted, and its follow-up is still ahead."""
    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    first = _pass_over(tmp_path, calendar, now)
    wanted = {r.key for r in first.sources[0].wants.desired}
    # A week later the user exports "today and after": every earlier event is left out.
    later = now + timedelta(days=7)
    cut = later.date()
    dropped = _drop_events(calendar, lambda e: _day(e.decoded("DTSTART")) >= cut)
    gone = [d for d in first.sources[0].decisions.interviews if d.event.id in dropped]
    assert gone and any(d.reminder is not None for d in gone)
    report = _pass_over(tmp_path, calendar, later)
    (plan,) = report.plans.values()
    assert not [a for a in plan.actions if a.kind == "delete"], plan.actions
    assert not plan.held
    still = {r.key for r in report.sources[0].wants.desired}
    assert {d.reminder.key for d in gone if d.reminder is not None} & wanted <= still | {
        k for s in report.sources for k in s.wants.retain
    }
    assert any("outside the days this calendar covers" in w for w in report.warnings)
    # The next week's unchanged file decides the same from the cache.
    again = _pass_over(tmp_path, calendar, later)
    assert not again.sources[0].read.changed
    assert all(p.empty for p in again.plans.values())


def test_an_interview_deleted_inside_the_days_a_file_covers_is_still_withdrawn(
    tmp_path: Path,
) -> None:
    calendar = tmp_path / "cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), now.date()))
    first = _pass_over(tmp_path, calendar, now)
    with_reminders = sorted(
        (d for d in first.sources[0].decisions.interviews if d.reminder is not None),
        key=lambda d: d.event.start,
    )
    middle = with_reminders[len(with_reminders) // 2].event
    _drop_events(calendar, lambda e: str(e["UID"]) != middle.id)
    report = _pass_over(tmp_path, calendar, now)
    (plan,) = report.plans.values()
    deleted = [a for a in plan.actions if a.kind == "delete"]
    assert [a.key for a in deleted] == [reminder_key_of(middle)]
    assert not any("outside the days" in w for w in report.warnings)


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def reminder_key_of(event) -> str:
    from rules.model import reminder_key

    return reminder_key(event.calendar_id, event.id)


def test_explain_times_each_files_interview_in_that_files_zone(home: Home) -> None:
    """Every file's events have the calendar id `ics`: `explain` without --from used the
    zone of whichever file was read last for all of them, while `sync` used each
    file's own."""
    start = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    start -= timedelta(days=1)
    files = []
    for name, zone in (("Initrode", "Europe/Paris"), ("Globex", "Pacific/Auckland")):
        path = home.base / f"{name.lower()}.ics"
        text = LATE.replace("Europe/Berlin", zone).replace("Initrode", name)
        text = text.replace("late-phone@", f"{name.lower()}-phone@")
        path.write_text(
            text.format(
                start=start.strftime("%Y%m%dT%H%M%SZ"),
                end=(start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ"),
            ),
            newline="",
        )
        files += ["--from", str(path)]
    synced = home.run("sync", *files, "--out", str(home.base / "out"))
    assert synced.returncode == 0, synced.stderr
    for name, offset in (("Initrode", "+01:00"), ("Globex", "+13:00")):
        kept = home.run("explain", name)
        direct = home.run("explain", name, "--from", str(home.base / f"{name.lower()}.ics"))
        assert kept.returncode == direct.returncode == 0, kept.stderr + direct.stderr
        reminder = [line for line in kept.stdout.splitlines() if "Reminder: " in line]
        assert reminder and reminder[0].endswith(offset), kept.stdout
        assert reminder == [line for line in direct.stdout.splitlines() if "Reminder: " in line]
