"""`followup run`, `followup cron` and the help of every command."""

from __future__ import annotations

import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.command_table import COMMANDS
from sync.runner import MAX_BACKOFF, Runner
from sync.units import cron_schedule
from tests.cli import EXAMPLE, ROOT, Home, wait_for

sys.path.insert(0, str(ROOT / "examples"))
from shift_calendar import shift  # noqa: E402


def test_run_survives_a_failing_pass_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(b"not a calendar at all\r\n")
    out = tmp_path / "out"
    proc = home.popen("run", "--every", "1s", "--from", str(calendar), "--out", str(out))
    try:
        log = home.data_dir / "log" / "followup.log"
        assert wait_for(lambda: log.exists() and "failed (exit 2)" in log.read_text())
        assert proc.poll() is None  # still running after the failed pass
        calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
        # Back-off after one failure is one interval (1 s, +/- jitter): the next pass fixes it.
        assert wait_for(lambda: (out / "followups.ics").exists())
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = proc.wait(timeout=15)
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 0
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "pass 1 failed (exit 2)" in stderr
    assert "Traceback" not in stderr


def test_backoff_doubles_per_failure_and_is_capped() -> None:
    runner = Runner(argv=["true"], every=timedelta(minutes=15))
    delays = []
    for failures in range(0, 7):
        runner.failures = failures
        delays.append(runner.next_delay())
    assert delays[0] == delays[1] == timedelta(minutes=15)
    assert delays[2] == timedelta(minutes=30)
    assert max(delays) == MAX_BACKOFF
    runner.every = timedelta(hours=3)  # a long interval is never shortened by back-off
    runner.failures = 5
    assert runner.next_delay() == timedelta(hours=3)


def test_runner_stops_on_exit_3_and_reports_it(tmp_path: Path) -> None:
    script = tmp_path / "fake_sync.py"
    script.write_text(
        "import sys\nprint('followup: the Google token was revoked (run `followup connect`)',"
        " file=sys.stderr)\nsys.exit(3)\n"
    )
    lines: list[str] = []
    runner = Runner(
        argv=[sys.executable, str(script)], every=timedelta(seconds=1), echo=lines.append
    )
    assert runner.loop(max_passes=5) == 3
    assert runner.passes == 1
    assert "followup connect" in lines[-1]


def test_run_verbose_logs_every_pass_and_says_a_failure_once(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    out = tmp_path / "out"
    proc = home.popen("run", "--every", "1s", "--from", str(calendar), "--out", str(out), "-v")
    log = home.data_dir / "log" / "followup.log"
    try:
        assert wait_for(lambda: log.exists() and "pass 2: ok" in log.read_text())
        calendar.write_bytes(b"not a calendar at all\r\n")
        assert wait_for(lambda: "failed (exit 2)" in log.read_text())
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "pass 1: ok" in stderr and "pass 2: ok" in stderr  # each pass, on stderr
    failed = [line for line in stderr.splitlines() if "failed (exit 2)" in line]
    passes = {line.split(" failed")[0] for line in failed}
    assert len(failed) == len(passes)  # each failure said once, not three times
    reason = "cannot read the calendar file"
    assert sum(reason in line for line in stderr.splitlines()) == len(failed)


def test_cron_after_an_ics_only_setup_schedules_that_setup(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    out = tmp_path / "out"
    assert home.run("sync", "--from", str(calendar), "--out", str(out)).returncode == 0
    result = home.run("cron")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("*/15"))
    assert line.endswith(f"sync --from {calendar.resolve()} --out {out.resolve()}")
    assert f"--from {calendar.resolve()}" in result.stdout.split("ExecStart=")[1]


def test_cron_out_alone_sends_the_setup_this_machine_syncs_into_that_folder(
    tmp_path: Path,
) -> None:
    # `cron --out DIR` after an offline setup printed the old folder: --out was ignored.
    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    old, new = tmp_path / "old", tmp_path / "new"
    assert home.run("sync", "--from", str(calendar), "--out", str(old)).returncode == 0
    result = home.run("cron", "--out", str(new))
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("*/15"))
    assert line.endswith(f"sync --from {calendar.resolve()} --out {new.absolute()}")
    assert str(old) not in result.stdout


def test_cron_schedules_every_setup_in_one_line_one_after_the_other(tmp_path: Path) -> None:
    # Two lines for two setups started together: one met the other's lock and exited
    # 75 every time. One line (one unit) runs each setup into its own folder, in turn.
    import os
    import subprocess

    home = Home.at(tmp_path)
    calendar = tmp_path / "calendar.ics"
    calendar.write_bytes(shift(EXAMPLE.read_bytes(), datetime.now(UTC).date()))
    other = tmp_path / "other.ics"
    other.write_bytes(calendar.read_bytes())
    a, b = tmp_path / "a", tmp_path / "b"
    assert home.run("sync", "--from", str(other), "--out", str(b)).returncode == 0
    assert home.run("sync", "--from", str(calendar), "--out", str(a)).returncode == 0
    result = home.run("cron")
    lines = [x for x in result.stdout.splitlines() if x.startswith("*/15")]
    assert len(lines) == 1, result.stdout
    newest = f"sync --from {calendar.resolve()} --out {a.resolve()}"
    older = f"sync --from {other.resolve()} --out {b.resolve()}"
    assert newest in lines[0] and lines[0].endswith(older)
    assert lines[0].index(newest) < lines[0].index(older)
    execs = [x for x in result.stdout.splitlines() if x.startswith("ExecStart=")]
    assert [newest in execs[0], older in execs[1]] == [True, True]
    assert result.stdout.startswith("# this machine syncs 2 setups")
    # the line as cron runs it: both syncs, in turn, each succeeds
    for folder in (a, b):
        for path in folder.glob("*.ics"):
            path.unlink()
    command = lines[0].split(" ", 5)[5].replace("\\%", "%")
    done = subprocess.run(
        ["sh", "-c", command],
        env=home.env(PATH=os.environ["PATH"]),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (a / "followups.ics").exists() and (b / "followups.ics").exists()


def test_cron_takes_from_and_out_and_says_when_nothing_is_set_up(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    nothing = home.run("cron")
    assert nothing.returncode == 0 and "nothing is set up yet" in nothing.stdout
    feed = "webcal://example.com/published.ics"
    given = home.run("cron", "--from", feed, "--out", str(tmp_path / "o"))
    line = next(x for x in given.stdout.splitlines() if x.startswith("*/15"))
    assert line.endswith(f"sync --from {feed} --out {(tmp_path / 'o').absolute()}")
    assert "nothing is set up" not in given.stdout


def test_cron_prints_absolute_paths_of_this_install(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    result = home.run("cron")
    assert result.returncode == 0, result.stderr
    followup = Path(sys.executable).parent / "followup"
    assert f"*/15 * * * * FOLLOWUP_CONFIG_DIR={home.config_dir.resolve()}" in result.stdout
    assert f"{followup.absolute()} sync" in result.stdout
    assert f"ExecStart={followup.absolute()} sync" in result.stdout
    assert "OnCalendar=*:0/15" in result.stdout


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (15, "*/15 * * * *"),
        (1, "* * * * *"),
        (60, "0 * * * *"),
        (120, "0 */2 * * *"),
        (7, "*/15 * * * *"),
    ],
)
def test_cron_schedule(minutes: int, expected: str) -> None:
    assert cron_schedule(timedelta(minutes=minutes)) == expected


def test_examples_units_match_what_cron_prints() -> None:
    from sync.units import crontab_line, systemd_service, systemd_timer

    placeholder = "/home/you/interview-followup/.venv/bin/followup"
    every = timedelta(minutes=15)
    assert crontab_line(placeholder, every) in (ROOT / "examples/crontab.txt").read_text()
    units = ROOT / "examples" / "systemd"
    assert (units / "interview-followup.service").read_text() == systemd_service(placeholder)
    assert (units / "interview-followup.timer").read_text() == systemd_timer(every)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(tmp_path: Path, command: str) -> None:
    result = Home.at(tmp_path).run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout
    assert f"followup {command}" in result.stdout


def test_top_level_help_lists_every_command_without_importing_google(tmp_path: Path) -> None:
    probe = (
        "import sys; from sync.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('GOOGLE' if any(m.startswith('googleapiclient') for m in sys.modules) else 'LIGHT')"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.stdout.strip().endswith("LIGHT")
    for command in COMMANDS:
        assert command in result.stdout


def test_fast_top_level_help_is_what_click_would_print() -> None:
    import click

    from sync.app import cli
    from sync.cli import top_help

    ctx = click.Context(cli, info_name="followup", terminal_width=80, **cli.context_settings)
    assert top_help() == cli.get_help(ctx) + "\n"


def test_version_and_unknown_command_go_through_click(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    version = home.run("--version")
    assert version.returncode == 0 and "followup, version" in version.stdout
    unknown = home.run("frobnicate")
    assert unknown.returncode == 2 and "No such command" in unknown.stderr
