"""The config file: every key parsed, every problem reported together, env overrides."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from sync.config import GOOGLE_ROOT, load_config, parse_config, parse_interval
from sync.errors import ConfigError
from sync.paths import Paths


def paths_with(tmp_path: Path, text: str | None) -> Paths:
    paths = Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    if text is not None:
        paths.config_dir.mkdir(parents=True)
        paths.config_file.write_text(text, encoding="utf-8")
    return paths


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(paths_with(tmp_path, None))
    assert config.policy.remind_time == time(9, 30)
    assert config.policy.lookback_days == 30
    assert config.google.sources == ("primary",) and config.google.target == "followups"
    assert config.google.api_root == GOOGLE_ROOT
    assert config.every == timedelta(minutes=15)


def test_every_key(tmp_path: Path) -> None:
    config = load_config(
        paths_with(
            tmp_path,
            """
[reminders]
time = "08:05"
timezone = "Asia/Tokyo"
length_minutes = 20
alert_minutes_before = 10
lookback_days = 14
salary = "EUR 70k"
name = "Sam"
emails = ["Sam@Example.com"]
[google]
sources = ["primary", "work@example.com"]
target = "primary"
credentials = "~/creds.json"
api_root = "http://127.0.0.1:9999"
[export]
dir = "~/out"
[run]
every = "1h"
""",
        )
    )
    assert config.policy.remind_time == time(8, 5)
    assert str(config.timezone) == "Asia/Tokyo"
    assert (config.policy.reminder_minutes, config.policy.alert_minutes_before) == (20, 10)
    assert config.policy.default_salary == "EUR 70k" and config.policy.user_name == "Sam"
    assert config.self_emails == ("sam@example.com",)
    assert config.google.sources == ("primary", "work@example.com")
    assert config.google.api_root == "http://127.0.0.1:9999/"
    assert config.google.credentials == Path("~/creds.json").expanduser()
    assert config.every == timedelta(hours=1)


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    paths = paths_with(
        tmp_path,
        '[reminders]\ntime = "9am"\ntimezone = "Mars/Olympus"\nlookback_days = -1\n'
        'emails = "sam"\n[google]\ntarget = "elsewhere"\napi_root = "http://proxy.example.com/"\n'
        '[run]\nevery = "10s"\n[mystery]\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(paths)
    fields = {p.field for p in caught.value.problems}
    assert fields == {
        "reminders.time",
        "reminders.timezone",
        "reminders.lookback_days",
        "reminders.emails",
        "google.target",
        "google.api_root",
        "run.every",
        "mystery",
    }
    assert all(p.file == str(paths.config_file) for p in caught.value.problems)
    assert "plain http is allowed only on loopback" in str(caught.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    paths = paths_with(tmp_path, '[reminders]\ntime = "09:30"\nname = \n')
    with pytest.raises(ConfigError) as caught:
        load_config(paths)
    (problem,) = caught.value.problems
    assert problem.line == 3 and problem.file == str(paths.config_file)


def test_env_api_root_overrides_and_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = paths_with(tmp_path, None)
    monkeypatch.setenv("FOLLOWUP_GOOGLE_API_ROOT", "http://localhost:8089")
    assert load_config(paths).google.api_root == "http://localhost:8089/"
    monkeypatch.setenv("FOLLOWUP_GOOGLE_API_ROOT", "http://10.1.2.3:8089/")
    with pytest.raises(ConfigError, match="FOLLOWUP_GOOGLE_API_ROOT"):
        load_config(paths)


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("2h", 7200), ("1d", 86400), (" 90s ", 90)]
)
def test_intervals(text: str, seconds: int) -> None:
    assert parse_interval(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["15", "m", "1w", "30s"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"reminders": {"tyme": "09:30"}}, origin="c.toml")
    assert "known: alert_minutes_before" in str(caught.value)
