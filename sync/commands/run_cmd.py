"""`followup run` (the background syncer) and `followup cron` (schedules to install)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import click

log = logging.getLogger("followup.run")


def _interval(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    from sync.config import parse_interval

    try:
        return parse_interval(value, minimum=1)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command()
@click.option(
    "--every", callback=_interval, metavar="INTERVAL", help="e.g. 15m, 1h (default: config, 15m)."
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sync this .ics file instead of Google (re-read at every pass).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for .ics output."
)
@click.option("-v", "--verbose", count=True, help="Log each pass on stderr too.")
def run(every: timedelta | None, from_file: Path | None, out: Path | None, verbose: int) -> None:
    """Run `followup sync` now and then on a schedule, until stopped (SIGTERM or
    Ctrl-C stop it between passes). Stops with exit 3 if the Google token is revoked.

    \b
    Examples:
      followup run                 # every 15 minutes
      followup run --every 1h &
      followup run --from ~/exports/outlook.ics --out ~/followups
    """
    from sync.config import load_config
    from sync.logs import setup_logging
    from sync.paths import default_paths
    from sync.runner import Runner, sync_argv

    paths = default_paths()
    setup_logging(paths.log_file, verbose)
    interval = every or load_config(paths).every
    if interval < timedelta(minutes=1):
        click.echo(f"followup run: every {interval}: mind Google's per-minute quota", err=True)
    extra: list[str] = []
    if from_file is not None:
        extra += ["--from", str(from_file.absolute())]
    if out is not None:
        extra += ["--out", str(out.absolute())]
    if verbose > 1:
        extra.append("-v")
    runner = Runner(
        argv=sync_argv(extra),
        every=interval,
        echo=lambda line: click.echo(line, err=True),
    )
    runner.install_signal_handlers()
    log.info("runner started: a pass every %s", interval)
    code = runner.loop()
    log.info("runner stopped after %d pass(es)", runner.passes)
    sys.exit(code)


@click.command()
def cron() -> None:
    """Print a crontab line and systemd user units for this install (absolute paths).

    \b
    Example:
      followup cron
    """
    from sync.config import load_config
    from sync.paths import default_paths
    from sync.units import install_text

    paths = default_paths()
    config = load_config(paths)
    env = {
        k: os.environ[k] for k in ("FOLLOWUP_CONFIG_DIR", "FOLLOWUP_DATA_DIR") if k in os.environ
    }
    env = {k: str(Path(v).resolve()) for k, v in env.items()}
    click.echo(install_text(installed_followup(), config.every, env), nl=False)


def installed_followup() -> str:
    """Absolute path of the `followup` script next to this interpreter (the venv's)."""
    beside = Path(sys.executable).parent / "followup"
    if beside.exists():
        return str(beside.absolute())
    found = shutil.which("followup")
    return str(Path(found).absolute()) if found else f"{sys.executable} -m sync.cli"
