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
    "from_files",
    multiple=True,
    metavar="FILE|URL",
    help="Sync this .ics file or feed instead of your accounts (re-read at every pass).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for .ics output."
)
@click.option("-v", "--verbose", count=True, help="Log each pass on stderr too.")
def run(
    every: timedelta | None, from_files: tuple[str, ...], out: Path | None, verbose: int
) -> None:
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
    if interval < timedelta(minutes=1) and not from_files:
        click.echo(f"followup run: every {interval}: mind Google's per-minute quota", err=True)
    extra = sync_options(from_files, out)
    if verbose > 1:
        extra.append("-v")
    runner = Runner(
        argv=sync_argv(extra),
        every=interval,
        echo=lambda line: click.echo(line, err=True),
        echo_failures=not verbose,
    )
    runner.install_signal_handlers()
    log.info("runner started: a pass every %s", interval)
    code = runner.loop()
    log.info("runner stopped after %d pass(es)", runner.passes)
    sys.exit(code)


def sync_options(from_files: tuple[str, ...], out: Path | None) -> list[str]:
    """`--from`/`--out` as the pass command takes them: files absolute, feeds as given."""
    from sync.sources.feed import is_feed_address

    extra: list[str] = []
    for address in from_files:
        shown = address if is_feed_address(address) else str(Path(address).expanduser().absolute())
        extra += ["--from", shown]
    if out is not None:
        extra += ["--out", str(out.expanduser().absolute())]
    return extra


@click.command()
@click.option(
    "--from",
    "from_files",
    multiple=True,
    metavar="FILE|URL",
    help="Schedule a sync of this .ics file or feed (default: what this machine syncs).",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for .ics.")
def cron(from_files: tuple[str, ...], out: Path | None) -> None:
    """Print a crontab line and systemd user units for this install (absolute paths),
    for the setup this machine has: its accounts, or the files and feeds it synced.

    \b
    Examples:
      followup cron
      followup cron --from ~/exports/outlook.ics --out ~/followups
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
    if from_files:
        setups, note = [sync_options(from_files, out)], None
    else:
        setups, note = what_this_machine_syncs(paths, config, out)
    if note:
        click.echo(f"# {note}")
    text = install_text(installed_followup(), config.every, env, setups[0], setups[1:])
    click.echo(text, nl=False)


def what_this_machine_syncs(paths, config, out: Path | None) -> tuple[list[list[str]], str | None]:
    """The `sync` options of each setup the user has, the newest first. Accounts or
    `[ics] sources`: plain `sync`. Otherwise those of the offline passes that worked
    (`--from ... --out ...`, as they ran): several are scheduled in one line, one after
    the other, and a note says so."""
    import shlex

    from sync.caldav.account import account_file

    if paths.token_file.exists() or account_file(paths).exists() or config.ics.sources:
        return [sync_options((), out)], None
    if paths.state_file.exists():
        from sync.statusdb import StatusDB

        status = StatusDB(paths.state_file)
        try:
            used = [
                p.source
                for p in status.passes(limit=200)
                if p.result == "ok" and p.source.startswith("--from ")
            ]
        finally:
            status.close()
        setups = list(dict.fromkeys(used))  # newest first, each once
        if setups and out is not None:  # `cron --out DIR`: those calendars, into DIR
            setups = list(dict.fromkeys(_with_out(s, out) for s in setups))
        if setups:
            note = None
            if len(setups) > 1:
                note = (
                    f"this machine syncs {len(setups)} setups: one schedule runs them one "
                    "after the other (two at once would meet each other's lock)"
                )
            return [shlex.split(s) for s in setups], note
    return [sync_options((), out)], (
        "nothing is set up yet: run `followup connect` (or `followup connect --caldav ...`), "
        "or give the calendar to sync: followup cron --from FILE --out DIR"
    )


def _with_out(options: str, out: Path) -> str:
    """An offline pass's options (`--from A --out B`) with DIR for its `--out`."""
    import shlex

    words = shlex.split(options)
    kept = [w for i, w in enumerate(words) if w != "--out" and (i == 0 or words[i - 1] != "--out")]
    return shlex.join([*kept, "--out", str(out.expanduser().absolute())])


def installed_followup() -> str:
    """Absolute path of the `followup` script next to this interpreter (the venv's)."""
    beside = Path(sys.executable).parent / "followup"
    if beside.exists():
        return str(beside.absolute())
    found = shutil.which("followup")
    return str(Path(found).absolute()) if found else f"{sys.executable} -m sync.cli"
