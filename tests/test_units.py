"""The schedules `followup cron` prints: a systemd timer that catches up after downtime."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta

import pytest

from sync.units import cron_schedule, systemd_timer


def _timer_settings(text: str) -> dict[str, str]:
    settings: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings[f"{section}.{key}"] = value
    return settings


def test_persistent_timer_is_a_calendar_timer() -> None:
    # systemd.timer(5): Persistent= "only has an effect on timers configured with
    # OnCalendar="; paired with OnUnitActiveSec= a run missed while off is never made up.
    settings = _timer_settings(systemd_timer(timedelta(minutes=15)))
    assert settings["Timer.Persistent"] == "true"
    assert settings["Timer.OnCalendar"] == "*:0/15"
    monotonic = {"OnUnitActiveSec", "OnUnitInactiveSec", "OnBootSec", "OnStartupSec"}
    assert not {k.split(".", 1)[1] for k in settings} & monotonic


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(15, "*:0/15"), (1, "*:0/1"), (5, "*:0/5"), (60, "*:00"), (120, "0/2:00"), (7, "*:0/15")],
)
def test_calendar_schedule_is_on_the_crontab_grid(minutes: int, expected: str) -> None:
    from sync.units import calendar_schedule

    assert calendar_schedule(timedelta(minutes=minutes)) == expected
    # the same moments as the crontab line: cron's */N minutes or 0 */N hours
    cron = cron_schedule(timedelta(minutes=minutes))
    if expected.startswith("*:0/"):
        step = expected.removeprefix("*:0/")
        assert cron == ("* * * * *" if step == "1" else f"*/{step} * * * *")
    else:
        assert cron.startswith("0 ")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
@pytest.mark.parametrize("minutes", [1, 5, 15, 30, 60, 120, 360])
def test_systemd_accepts_the_calendar_expression(minutes: int) -> None:
    from sync.units import calendar_schedule

    spec = calendar_schedule(timedelta(minutes=minutes))
    done = subprocess.run(
        ["systemd-analyze", "calendar", spec], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


FEED = "https://calendar.google.com/calendar/ical/sam%40gmail.com/private-abc/basic.ics"


def test_a_percent_in_a_feed_address_survives_cron_and_systemd(tmp_path) -> None:
    # Google's secret address holds "%40": cron reads a bare "%" as a newline, systemd
    # as a unit specifier ("Invalid slot"), and the scheduled sync then reads nothing.
    import shlex

    from sync.units import crontab_line, systemd_service

    options = ["--from", FEED, "--out", "/srv/out"]
    line = crontab_line("/opt/f/followup", timedelta(minutes=15), {}, options)
    command = line.split(" ", 5)[5]
    assert "%" not in command.replace("\\%", "")  # every % escaped
    as_cron_runs_it = command.replace("\\%", "%")  # crontab(5): "\%" is a literal %
    assert shlex.split(as_cron_runs_it)[3] == FEED
    unit = systemd_service("/bin/true", {"FOLLOWUP_DATA_DIR": "/srv/50%"}, options)
    assert "sam%%40gmail.com" in unit and "/srv/50%%" in unit
    if shutil.which("systemd-analyze"):
        path = tmp_path / "interview-followup.service"
        path.write_text(unit)
        done = subprocess.run(
            ["systemd-analyze", "verify", str(path)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
