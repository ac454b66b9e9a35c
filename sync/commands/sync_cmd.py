"""`followup sync`: one pass, meant for cron. Quiet on success, one line on failure."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from rules.errors import FollowupError

log = logging.getLogger("followup.sync")


@click.command()
@click.option(
    "--from",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read this .ics calendar instead of Google (no account needed).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for followups.ics and one .ics per reminder (default: config, then data dir).",
)
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
@click.option(
    "--force-delete",
    is_flag=True,
    help="Withdraw reminders even when the source suddenly lists no interviews.",
)
@click.option("-v", "--verbose", count=True, help="Say what happens (-vv: every request).")
def sync(
    from_file: Path | None, out: Path | None, dry_run: bool, force_delete: bool, verbose: int
) -> None:
    """One pass: read the calendar, find interviews, reconcile follow-up reminders
    in the calendar and in .ics files. Prints nothing when all is well (for cron).

    \b
    Examples:
      followup sync                                  # Google, after `followup connect`
      followup sync --from calendar.ics --out ~/followups
      followup sync --dry-run -v                     # show what would change
    """
    from sync.config import load_config, load_vocabulary
    from sync.engine import PassContext, PassReport, offline_pass
    from sync.lock import state_lock
    from sync.logs import setup_logging
    from sync.paths import default_paths
    from sync.state import State
    from sync.views import format_report

    paths = default_paths()
    setup_logging(paths.log_file, verbose)
    config = load_config(paths)
    vocab = load_vocabulary(paths)
    with state_lock(paths.lock_file):
        state = State(paths.state_file)
        source = str(from_file) if from_file else "google"
        pass_id = state.start_pass(source)
        ctx = PassContext(
            paths=paths,
            config=config,
            state=state,
            now=datetime.now(UTC),
            vocab=vocab,
            force_delete=force_delete,
            dry_run=dry_run,
            out_dir=out,
            # A long first read shows progress on a terminal; under cron, nothing.
            progress=_progress if sys.stderr.isatty() else None,
        )
        try:
            report: PassReport
            if from_file is not None:
                report = offline_pass(ctx, from_file)
            else:
                from sync.google.run import google_pass

                report = google_pass(ctx)
        except FollowupError as exc:
            _end_progress(ctx)
            state.finish_pass(pass_id, _result_name(exc.exit_code), message=str(exc))
            log.error("pass failed: %s", exc)
            raise
        except Exception as exc:
            _end_progress(ctx)
            state.finish_pass(pass_id, "failed", message=f"{type(exc).__name__}: {exc}")
            log.exception("pass failed")
            raise
        _end_progress(ctx)
        state.finish_pass(pass_id, "ok", report.counts, message="; ".join(report.notices))
        state.close()
    for warning in report.warnings:
        log.warning("%s", warning)
    for notice in report.notices:
        click.echo(notice, err=True)
    log.info("pass done: %s", ", ".join(f"{k}={v}" for k, v in report.counts.items()))
    if verbose or dry_run:
        click.echo(format_report(report, dry_run=dry_run))


def _end_progress(ctx: object) -> None:
    progress = getattr(ctx, "progress", None)
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
