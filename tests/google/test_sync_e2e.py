"""`followup sync` end to end: the CLI as a subprocess, the real client, the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .helpers import followup_calendars, interview_body, reminders_in

NOW = datetime.now(UTC).replace(microsecond=0, second=0)


@pytest.fixture
def seeded(connected):
    emu = connected.emulator
    emu.put_event(
        emu.primary_id,
        {
            **interview_body("Phone screen with Acme Corp", NOW - timedelta(days=1)),
            "id": "acme00001",
        },
    )
    emu.put_event(
        emu.primary_id,
        {
            **interview_body(
                "Final round onsite interview at Globex", NOW + timedelta(days=2), minutes=240
            ),
            "id": "glob00001",
        },
    )
    emu.put_event(
        emu.primary_id, {**interview_body("Dentist", NOW + timedelta(days=1)), "id": "dent00001"}
    )
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


def move_acme(emu, *, days: int) -> None:
    """The user moves the Acme phone screen to NOW + days (as in Google's UI)."""
    emu.patch_event_direct(
        emu.primary_id,
        "acme00001",
        interview_body("Phone screen with Acme Corp", NOW + timedelta(days=days)),
    )


def key_of(event_id: str) -> str:
    from rules.model import reminder_key

    return reminder_key("primary", event_id)


def target_of(home) -> str:
    cals = followup_calendars(home.emulator)
    assert len(cals) == 1, cals
    return cals[0]


def ok(result):
    assert result.returncode == 0, result.stderr
    return result


def test_unchanged_second_sync_costs_one_list_per_source_and_no_writes(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    emu.reset_request_log()
    ok(sync(seeded))
    api = [r for r in emu.requests if not r.kind.startswith("oauth.")]
    assert [r.kind for r in api] == ["events.list"]
    assert api[0].query.get("syncToken")
    assert emu.count("batch") == 0


def test_moved_interview_moves_its_reminder(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    before = emu.event(cal, key_of("acme00001"))["start"]
    new_start = NOW + timedelta(days=6)
    emu.patch_event_direct(
        emu.primary_id, "acme00001", interview_body("Phone screen with Acme Corp", new_start)
    )
    ok(sync(seeded))
    after = emu.event(cal, key_of("acme00001"))
    assert after["start"] != before
    assert len(reminders_in(emu, cal)) == 2


@pytest.mark.parametrize("how", ["cancelled", "declined"])
def test_cancelled_or_declined_interview_loses_its_reminder_and_restore_brings_it_back(seeded, how):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    if how == "cancelled":
        emu.delete_event_direct(emu.primary_id, "acme00001")
    else:
        emu.patch_event_direct(
            emu.primary_id,
            "acme00001",
            {
                "attendees": [
                    {"email": emu.primary_id, "self": True, "responseStatus": "declined"},
                    {
                        "email": "recruiter@acme.example",
                        "organizer": True,
                        "responseStatus": "accepted",
                    },
                ]
            },
        )
    ok(sync(seeded))
    live = {e["id"] for e in reminders_in(emu, cal)}
    assert key_of("acme00001") not in live and len(live) == 1
    # Restored (undeleted / accepted again): the reminder comes back, once.
    if how == "cancelled":
        emu.patch_event_direct(emu.primary_id, "acme00001", {"status": "confirmed"})
    else:
        emu.patch_event_direct(
            emu.primary_id,
            "acme00001",
            {"attendees": [{"email": emu.primary_id, "self": True, "responseStatus": "accepted"}]},
        )
    ok(sync(seeded))
    live = [e["id"] for e in reminders_in(emu, cal)]
    assert sorted(live) == sorted({key_of("acme00001"), key_of("glob00001")})


def test_transient_bursts_and_dropped_connections_converge(seeded):
    emu = seeded.emulator
    emu.inject(429, 2, match=("GET", "/events"))
    emu.inject(503, 2, match=("POST", "batch"))
    emu.inject(403, 2, reason="rateLimitExceeded", inner=True)
    emu.inject(503, 1, inner=True)
    emu.drop_connections(3)
    ok(sync(seeded))
    cal = target_of(seeded)
    ids = [e["id"] for e in reminders_in(emu, cal)]
    assert sorted(ids) == sorted([key_of("acme00001"), key_of("glob00001")])
    assert emu.count("events.insert", batch_part=True) > 2  # the faults really hit


def test_quota_exceeded_is_not_retried_and_persistent_failures_exit_75_then_converge(seeded):
    emu = seeded.emulator
    emu.inject(503, 10_000, inner=True)
    result = sync(seeded)
    assert result.returncode == 75, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    emu.clear_faults()
    ok(sync(seeded))
    ids = [e["id"] for e in reminders_in(emu, target_of(seeded))]
    assert sorted(ids) == sorted([key_of("acme00001"), key_of("glob00001")])
    # quotaExceeded is not retried: one attempt, then a warning, not a loop.
    move_acme(emu, days=6)
    emu.reset_request_log()
    emu.inject(403, 10_000, reason="quotaExceeded", inner=True)
    sync(seeded)
    assert emu.count("events.patch", batch_part=True) == 1


def test_expired_sync_token_reads_in_full_without_duplicates(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    emu.expire_sync_tokens()
    emu.put_event(
        emu.primary_id, {**interview_body("Recruiter call with Initech", NOW), "id": "init00001"}
    )
    emu.reset_request_log()
    ok(sync(seeded))
    lists = [
        r
        for r in emu.requests
        if r.kind == "events.list" and "privateExtendedProperty" not in r.query
    ]
    assert [bool(r.query.get("syncToken")) for r in lists] == [True, False]
    ids = [e["id"] for e in reminders_in(emu, target_of(seeded))]
    assert sorted(ids) == sorted([key_of("acme00001"), key_of("glob00001"), key_of("init00001")])


def test_lost_state_file_duplicates_nothing(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    before = {e["id"]: e["etag"] for e in reminders_in(emu, target_of(seeded))}
    for name in ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm"):
        (seeded.data_dir / name).unlink(missing_ok=True)
    ok(sync(seeded))
    after = {e["id"]: e["etag"] for e in reminders_in(emu, target_of(seeded))}
    assert after == before  # same events, not even rewritten
    assert emu.count("calendars.insert") == 1


def test_reminder_edited_by_user_is_kept_as_edited(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    emu.patch_event_direct(cal, key_of("acme00001"), {"summary": "Write to Dana at Acme (my note)"})
    move_acme(emu, days=6)
    ok(sync(seeded))
    assert emu.event(cal, key_of("acme00001"))["summary"] == "Write to Dana at Acme (my note)"
    emu.delete_event_direct(emu.primary_id, "acme00001")  # even a cancellation leaves it
    ok(sync(seeded))
    assert emu.event(cal, key_of("acme00001"))["status"] == "confirmed"


def test_google_reformatting_our_write_is_not_taken_for_a_user_edit(seeded):
    emu = seeded.emulator

    def reformat(body):  # as Google might: trailing blanks trimmed, title spaces collapsed
        if "description" in body:
            body["description"] = body["description"].rstrip() + "\n"
        if "summary" in body:
            body["summary"] = " ".join(body["summary"].split()) + " "

    emu.store.reformat = reformat
    ok(sync(seeded))
    cal = target_of(seeded)
    before = emu.event(cal, key_of("acme00001"))
    move_acme(emu, days=3)
    ok(sync(seeded))
    after = emu.event(cal, key_of("acme00001"))
    assert after["start"] != before["start"]  # moved with its interview: still ours


def test_reminder_deleted_by_user_is_not_recreated(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    emu.delete_event_direct(cal, key_of("acme00001"))
    move_acme(emu, days=6)
    ok(sync(seeded))
    assert emu.event(cal, key_of("acme00001"))["status"] == "cancelled"
    (seeded.data_dir / "state.sqlite3").unlink()  # not even without state
    emu.patch_event_direct(
        emu.primary_id, "acme00001", {"summary": "Phone screen with Acme Corp (2)"}
    )
    ok(sync(seeded))
    assert emu.event(cal, key_of("acme00001"))["status"] == "cancelled"
    assert len(reminders_in(emu, cal)) == 1


def test_deleted_target_calendar_is_recreated_with_a_message(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    emu.delete_calendar_direct(target_of(seeded))
    move_acme(emu, days=6)
    result = ok(sync(seeded))
    assert "deleted" in result.stderr and "Interview follow-ups" in result.stderr
    ids = [e["id"] for e in reminders_in(emu, target_of(seeded))]
    assert sorted(ids) == sorted([key_of("acme00001"), key_of("glob00001")])


def test_revoked_token_exits_3_with_one_line_and_no_token_text(seeded):
    import json

    emu = seeded.emulator
    ok(sync(seeded))
    emu.patch_event_direct(
        emu.primary_id, "acme00001", {"summary": "Phone screen with Acme Corp (moved)"}
    )
    emu.revoke_refresh_tokens()
    result = sync(seeded)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "followup connect" in lines[0] and "7 days" in lines[0]
    data = json.loads(seeded.token_file.read_text())
    for secret in (data["token"], data["refresh_token"]):
        assert secret not in result.stdout + result.stderr
        assert secret not in (seeded.data_dir / "log" / "followup.log").read_text()


def test_missing_token_exits_3(home):
    result = home.run("sync")
    assert result.returncode == 3
    assert "followup connect" in result.stderr


def test_mass_withdrawal_is_held_without_force_delete(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    other = emu.add_calendar("Empty")
    (seeded.config_dir / "config.toml").write_text(f'[google]\nsources = ["{other}"]\n')
    result = ok(sync(seeded))
    assert "--force-delete" in result.stderr
    assert len(reminders_in(emu, cal)) == 2
    ok(sync(seeded, "--force-delete"))
    assert reminders_in(emu, cal) == []


def test_run_stops_with_exit_3_when_the_token_is_revoked(seeded):
    ok(sync(seeded))
    seeded.emulator.revoke_refresh_tokens()
    proc = seeded.popen("run", "--every", "1s")
    try:
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 3
    assert "stopping" in stderr and "followup connect" in stderr
    assert "Traceback" not in stderr


def test_an_event_with_our_id_but_without_our_marker_is_never_touched(seeded):
    emu = seeded.emulator
    ok(sync(seeded))
    cal = target_of(seeded)
    key = key_of("acme00001")
    # Someone else's event under the id the tool would use: no marker any more.
    emu.patch_event_direct(
        cal,
        key,
        {"summary": "Not yours", "extendedProperties": {"private": {"followup_managed": "0"}}},
    )
    seeded.state_file.unlink()  # so the tool has no memory of writing it: insert -> 409
    move_acme(emu, days=4)
    emu.reset_request_log()
    result = sync(seeded, "-v")
    assert result.returncode == 0, result.stderr
    assert any(r.kind == "events.insert" and r.status == 409 for r in emu.requests)
    assert emu.event(cal, key)["summary"] == "Not yours"
    assert "not written by followup" in result.stderr + result.stdout


def test_first_sync_shows_progress_on_a_terminal_and_nothing_under_cron(seeded):
    import os
    import pty
    import subprocess
    import sys

    from .helpers import ROOT

    emu = seeded.emulator
    emu.max_page_size = 1  # several pages even for a small calendar
    for i in range(4):
        emu.put_event(emu.primary_id, interview_body(f"Gym {i}", NOW + timedelta(days=i)))
    primary, replica = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.cli", "sync"],
        cwd=ROOT,
        env=seeded.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=replica,
    )
    os.close(replica)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(primary)
    assert proc.returncode == 0
    assert b"reading primary:" in seen
    # The same pass again (unchanged), then a full read under cron: no terminal, no output.
    emu.expire_sync_tokens()
    quiet = sync(seeded)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_status_after_a_google_sync_names_the_account_and_the_last_pass(seeded):
    ok(sync(seeded))
    result = seeded.run("status")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"connected as {seeded.emulator.primary_id}" in result.stdout
    scopes = next(line for line in result.stdout.splitlines() if line.startswith("Scopes:"))
    for scope in ("calendar.events.readonly", "calendar.app.created", "calendarlist.readonly"):
        assert scope in scopes
    assert ", ok (" in result.stdout and "[google]" in result.stdout
    checked = seeded.run("status", "--check")
    assert checked.returncode == 0 and "refresh check: ok" in checked.stdout
    seeded.emulator.revoke_refresh_tokens()
    revoked = seeded.run("status", "--check")
    assert revoked.returncode == 3 and "token refresh failed" in revoked.stdout


def test_run_survives_failing_passes_and_stops_cleanly_on_sigterm(seeded):
    import signal

    from tests.cli import wait_for

    emu = seeded.emulator
    emu.inject(503, count=10_000, match=("GET", "/events"))  # every read fails for now
    proc = seeded.popen("run", "--every", "1s")
    log = seeded.data_dir / "log" / "followup.log"

    try:
        assert wait_for(lambda: log.exists() and "failed (exit 75)" in log.read_text())
        assert proc.poll() is None
        emu.clear_faults()
        assert wait_for(
            lambda: bool(followup_calendars(emu)) and reminders_in(emu, target_of(seeded))
        )
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "failed (exit 75)" in stderr and "Traceback" not in stderr
    assert len(reminders_in(emu, target_of(seeded))) == 2
