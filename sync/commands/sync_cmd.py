"""`followup sync`: one pass, meant for cron. Quiet on success, one line on failure."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click

from rules.errors import FollowupError

log = logging.getLogger("followup.sync")


@click.command()
@click.option(
    "--from",
    "from_files",
    multiple=True,
    metavar="FILE|URL",
    help="Read this .ics calendar file or feed address (https://, webcal://) instead of "
    "your accounts (no account needed). Repeat for several: each keeps its own reminders.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for followups.ics and one .ics per reminder (default: config, then data dir).",
)
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing that lasts.")
@click.option(
    "--force-delete",
    is_flag=True,
    help="Withdraw reminders even when a source suddenly lists no interviews.",
)
@click.option("-v", "--verbose", count=True, help="Say what happens (-vv: every request).")
def sync(
    from_files: tuple[str, ...],
    out: Path | None,
    dry_run: bool,
    force_delete: bool,
    verbose: int,
) -> None:
    """One pass: read the calendar, find interviews, reconcile follow-up reminders
    in the calendar and in .ics files. Prints nothing when all is well (for cron).

    \b
    Examples:
      followup sync                                  # your accounts, after `followup connect`
      followup sync --from calendar.ics --out ~/followups
      followup sync --from work.ics --from home.ics --out ~/followups
      followup sync --from webcal://example.com/published.ics --out ~/followups
      followup sync --dry-run -v                     # show what would change
    """
    from sync.config import load_config, load_rules
    from sync.lock import state_lock
    from sync.logs import setup_logging
    from sync.passes import PassContext, run_pass
    from sync.paths import default_paths
    from sync.setup import account_setup, offline_setup
    from sync.statusdb import StatusDB
    from sync.views import format_report

    _check_files(from_files)
    paths = default_paths()
    setup_logging(paths.log_file, verbose)
    config = load_config(paths)
    rules = load_rules(paths)
    progress = _progress if sys.stderr.isatty() else None
    with state_lock(paths.lock_file, by_hand=sys.stdin.isatty() and sys.stderr.isatty()):
        status = StatusDB(paths.state_file)
        for notice in status.notices:
            click.echo(f"followup: {notice}", err=True)
        ctx = PassContext(
            config=config,
            status=status,
            now=datetime.now(UTC),
            rules=rules,
            force_delete=force_delete,
            dry_run=dry_run,
        )
        label = ", ".join(from_files) or "accounts"
        pass_id = status.start_pass(label)
        setup = None
        try:
            if from_files:
                setup = offline_setup(ctx, paths, from_files, out)
                ctx = replace(ctx, command=f"followup sync {setup.label}")  # for its hints
            else:
                setup = account_setup(ctx, paths, out, progress)
            report = run_pass(ctx, setup.sources, setup.slots, setup.retired)
        except FollowupError as exc:
            _end_progress(progress)
            status.finish_pass(pass_id, _result_name(exc.exit_code), message=str(exc))
            log.error("pass failed: %s", exc)
            raise
        except Exception as exc:
            _end_progress(progress)
            status.finish_pass(pass_id, "failed", message=f"{type(exc).__name__}: {exc}")
            log.exception("pass failed")
            raise
        finally:
            for cleanup in setup.cleanup if setup else ():
                cleanup()
        _end_progress(progress)
        counts = report.counts()
        if setup.requests is not None:
            counts["requests"] = setup.requests()
        if dry_run:
            status.forget_pass(pass_id)  # a dry run is not a pass: `status` never shows it
        else:
            status.finish_pass(
                pass_id,
                "ok",
                counts,
                message="; ".join(report.notices),
                skipped=tuple(dict.fromkeys(report.skipped)),
                source=setup.label,
            )
        status.close()
    for warning in report.warnings:
        log.warning("%s", warning)
    for notice in report.notices:
        click.echo(notice, err=True)
    figures = ", ".join(f"{k}={v}" for k, v in counts.items())
    if dry_run:
        log.info("dry run, nothing written; it would do: %s", figures)
    else:
        log.info("pass done: %s", figures)
    if verbose or dry_run:
        click.echo(format_report(report, dry_run=dry_run))


def _check_files(addresses: tuple[str, ...]) -> None:
    """Every --from that is no feed address must be an existing file (all named at once)."""
    from rules.errors import Problem
    from sync.errors import UserError
    from sync.sources.feed import is_feed_address

    problems = []
    for address in addresses:
        if is_feed_address(address):
            continue
        path = Path(address).expanduser()
        if not path.exists():
            problems.append(Problem("no such file", file=address))
        elif path.is_dir():
            problems.append(Problem("is a folder, not a calendar file", file=address))
    if problems:
        raise UserError(
            "cannot read --from",
            problems,
            next_step="give an exported .ics file or a feed address (https://, webcal://)",
        )


def _end_progress(progress) -> None:
    if progress is not None:
        progress("")


def _progress(message: str) -> None:
    """Overwrite one status line on the terminal; an empty message clears it."""
    sys.stderr.write("\r\033[K" + message)
    if not message:
        sys.stderr.write("\r")
    sys.stderr.flush()


def _result_name(exit_code: int) -> str:
    return {3: "auth", 75: "tempfail", 2: "config"}.get(exit_code, "failed")
