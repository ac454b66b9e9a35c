"""`followup classify` / `followup explain`, run as the user runs them (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
LABELLED = DATA / "labelled" / "events.json"
KEYS = {"id", "interview", "stage", "sure", "side", "kind", "reasons", "followup"}


@pytest.fixture
def env(tmp_path):
    """An empty config dir, so the user's own config or rules never leak in."""
    (tmp_path / "config").mkdir()
    return {
        **os.environ,
        "FOLLOWUP_CONFIG_DIR": str(tmp_path / "config"),
        "FOLLOWUP_DATA_DIR": str(tmp_path / "data"),
    }


def followup(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "sync.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def events_file(tmp_path):
    """An events.list response: twenty labelled events, a cancelled one, the last five."""
    items = [item["event"] for item in json.loads(LABELLED.read_text())]
    cancelled = [i for i in items if i.get("status") == "cancelled"][:1]
    chosen = items[:20] + cancelled + items[-5:]
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"kind": "calendar#events", "items": chosen}))
    return path, chosen


def test_classify_json_prints_one_object_per_event(events_file, env):
    path, items = events_file
    run = followup("classify", path, "--json", env=env)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == len(items)
    objects = [json.loads(line) for line in lines]
    assert [o["id"] for o in objects] == [i["id"] for i in items]
    for obj in objects:
        assert set(obj) == KEYS
        assert isinstance(obj["interview"], bool)
        assert obj["stage"] in ("phone", "final", None)
        assert all(isinstance(r, str) for r in obj["reasons"]) and obj["reasons"]
        if obj["interview"]:
            assert set(obj["followup"]) == {"window_start", "window_end", "remind_at"}
        else:
            assert obj["followup"] is None and obj["stage"] is None
    first = objects[0]  # "Phone screen - Acme Corp" on Tue 2026-12-01 10:00 New York
    assert first["followup"] == {
        "window_start": "2026-12-06",
        "window_end": "2026-12-08",
        "remind_at": "2026-12-07T09:30:00-05:00",
    }


def test_classify_ics_uses_uid(env):
    path = DATA / "ics" / "outlook_phone_screen.ics"
    run = followup("classify", "--json", path, env=env)
    assert run.returncode == 0, run.stderr
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert objects and all(set(o) == KEYS for o in objects)
    uids = [
        line.split(":", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("UID:")
    ]
    assert objects[0]["id"] == uids[0]
    assert objects[0]["interview"] and objects[0]["stage"] == "phone"


def test_classify_table_is_aligned(events_file, env):
    path, items = events_file
    run = followup("classify", path, env=env)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("start") and len(lines) == len(items) + 2  # header, rule
    column = lines[0].index("interview")
    assert lines[1][column - 2 : column] == "  " and lines[1][column] == "-"
    assert all(line[column - 2 : column] == "  " for line in lines[2:])


def test_malformed_json_exits_2_with_one_line_naming_file_and_line(tmp_path, env):
    path = tmp_path / "bad.json"
    path.write_text('{"items": [\n  {"id": "x"\n  "summary": "y"}\n]}\n')
    run = followup("classify", "--json", path, env=env)
    assert run.returncode == 2
    assert run.stdout == ""
    error = run.stderr.strip().splitlines()
    assert len(error) == 1
    assert f"{path}:3" in error[0]


def test_missing_and_unsupported_files_exit_2(tmp_path, env):
    run = followup("classify", tmp_path / "nope.json", env=env)
    assert run.returncode == 2 and "nope.json" in run.stderr and "no such file" in run.stderr
    other = tmp_path / "cal.txt"
    other.write_text("hi")
    run = followup("classify", other, env=env)
    assert run.returncode == 2 and "cal.txt" in run.stderr and ".json or .ics" in run.stderr


def test_event_with_unknown_zone_is_skipped_with_a_warning(tmp_path, env):
    items = [
        {
            "id": "ok",
            "summary": "Phone screen - Acme",
            "start": {"dateTime": "2026-12-03T10:00:00-05:00"},
            "end": {"dateTime": "2026-12-03T11:00:00-05:00"},
        },
        {
            "id": "odd",
            "summary": "Phone screen - Globex",
            "start": {"dateTime": "2026-12-03T10:00:00", "timeZone": "Atlantis/Capital"},
        },
    ]
    path = tmp_path / "e.json"
    path.write_text(json.dumps(items))
    run = followup("classify", "--json", path, env=env)
    assert run.returncode == 0
    assert [json.loads(x)["id"] for x in run.stdout.splitlines()] == ["ok"]
    assert "odd" in run.stderr and "Atlantis/Capital" in run.stderr


def test_bad_rules_file_exits_2_listing_problems(tmp_path, env, events_file):
    rules = tmp_path / "rules.toml"
    rules.write_text("[thresholds]\ninterview = 'x'\n[nonsense]\n")
    run = followup("classify", events_file[0], "--rules", rules, env=env)
    assert run.returncode == 2
    assert "2 problems" in run.stderr
    assert f"{rules}:2: thresholds.interview" in run.stderr
    assert f"{rules}:3: nonsense" in run.stderr


def test_default_rules_file_in_config_dir_is_used(tmp_path, env):
    (Path(env["FOLLOWUP_CONFIG_DIR"]) / "rules.toml").write_text(
        '[interview.words]\n"coffee chat" = 1.0\n'
    )
    path = tmp_path / "e.json"
    path.write_text(
        json.dumps(
            {
                "id": "c",
                "summary": "Coffee chat with Acme",
                "start": {"dateTime": "2026-12-03T10:00:00Z"},
            }
        )
    )
    run = followup("classify", "--json", path, env=env)
    assert json.loads(run.stdout)["interview"] is True


def test_explain_prints_reasons_window_and_reminder(events_file, env):
    run = followup("explain", "Phone screen - Acme Corp", "--from", events_file[0], env=env)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Verdict: interview, phone stage" in out
    assert "phone screen' in summary" in out
    assert "Company: Acme Corp" in out
    assert "Window: 2026-12-06 .. 2026-12-08" in out
    assert "Reminder: 2026-12-07T09:30:00-05:00" in out


def test_explain_by_id_says_why_not(events_file, env):
    path, items = events_file
    cancelled = next(i for i in items if i.get("status") == "cancelled")
    run = followup("explain", cancelled["id"], "--from", path, "--tz", "Europe/Berlin", env=env)
    assert run.returncode == 0, run.stderr
    assert "not an interview" in run.stdout and "cancelled" in run.stdout


def test_explain_errors(events_file, env):
    run = followup("explain", "no such thing at all", "--from", events_file[0], env=env)
    assert run.returncode == 2 and "no event matches" in run.stderr
    run = followup("explain", "Acme", env=env)
    assert run.returncode == 2 and "--from" in run.stderr
    run = followup("explain", "Acme", "--from", events_file[0], "--tz", "Mars/Base", env=env)
    assert run.returncode == 2 and "Mars/Base" in run.stderr


@pytest.mark.parametrize("command", ["classify", "explain"])
def test_help_has_an_example(command, env):
    run = followup(command, "--help", env=env)
    assert run.returncode == 0
    assert "Example:" in run.stdout
    assert f"followup {command} " in run.stdout


def test_explain_without_from_uses_the_events_the_last_google_sync_cached(tmp_path, env):
    from sync.statusdb import CacheUpdate, SourceRow, StatusDB

    items = [item["event"] for item in json.loads(LABELLED.read_text())]
    status = StatusDB(tmp_path / "data" / "state.sqlite3")
    status.save_source(SourceRow("google:primary"))
    status.update_cache("google:primary", CacheUpdate(put={i["id"]: i for i in items[:10]}))
    status.close()
    target = items[0]
    run = followup("explain", target["id"], env=env)
    assert run.returncode == 0, run.stderr
    assert target["summary"][:20] in run.stdout


def test_explain_and_classify_show_an_unsure_verdict_with_the_command_that_settles_it(
    tmp_path, env
):
    event = {
        "id": "unsure1",
        "summary": "final round",
        "start": {"dateTime": "2026-12-03T10:00:00-05:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2026-12-03T11:00:00-05:00", "timeZone": "America/New_York"},
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([event]))
    run = followup("explain", "unsure1", "--from", path, env=env)
    assert run.returncode == 0, run.stderr
    assert "Verdict: unsure" in run.stdout
    assert "followup confirm unsure1 phone|final|skip" in run.stdout
    assert "Side: candidate" in run.stdout and "Kind: interview" in run.stdout
    (obj,) = [
        json.loads(line)
        for line in followup("classify", "--json", path, env=env).stdout.splitlines()
    ]
    assert obj["interview"] and obj["sure"] is False and obj["stage"] == "final"
    assert obj["followup"] is not None  # computed for any interview, sure or not


def test_explain_shows_the_fitted_veto_and_how_to_overrule_it(tmp_path, env):
    """A landlord's tenant interview ("colloquio"): the words say interview, the fitted
    model turns it down; explain says so, and the confirm line takes it back."""
    event = {
        "id": "flat1",
        "summary": "Colloquio con il proprietario \u2013 casa a Milano",
        "description": "Bring payslips / employment contract from Vetrano",
        "location": "Via Pastrengo 15, Milano",
        "start": {"dateTime": "2026-11-11T16:15:00+01:00", "timeZone": "Europe/Rome"},
        "end": {"dateTime": "2026-11-11T17:00:00+01:00", "timeZone": "Europe/Rome"},
        "organizer": {"email": "sam.seeker@gmail.com"},
        "attendees": [{"email": "sam.seeker@gmail.com", "self": True}],
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps([event]))
    run = followup("explain", "flat1", "--from", path, env=env)
    assert run.returncode == 0, run.stderr
    assert "Verdict: not an interview (its words read as an interview, but the fitted" in (
        run.stdout
    )
    assert "followup confirm flat1 phone|final" in run.stdout
    assert "fitted:veto: 'fitted chance" in run.stdout
    table = followup("classify", path, env=env).stdout
    assert "fitted chance" in table  # the "why" column names the veto, not a matched word
    (config := tmp_path / "config" / "rules.toml").write_text("[thresholds]\nfitted_veto = 0\n")
    assert config.exists()
    (obj,) = [
        json.loads(line)
        for line in followup("classify", "--json", path, env=env).stdout.splitlines()
    ]
    assert obj["interview"] and obj["stage"] == "final"
