"""The `followup` command line: thin commands over library calls.

Commands live in `sync/commands/*` and are imported only when run, so `followup
--help` never pays for the Google client. Errors become messages and exit codes in
one place, `main()` (vdirsyncer's `catch_errors`), not in each command.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from rules.errors import FollowupError, UserError

# name -> ("module:attribute", one-line help). Each module holds a few related
# commands; the help line is kept here so `followup --help` imports none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "connect": ("sync.commands.account:connect", "Connect your Google account (once)."),
    "disconnect": ("sync.commands.account:disconnect", "Revoke and delete the Google token."),
    "classify": ("sync.commands.inspect:classify", "Classify events from .ics or JSON files."),
    "explain": ("sync.commands.inspect:explain", "Explain why one event is (not) an interview."),
    "sync": ("sync.commands.sync_cmd:sync", "One pass: find interviews, reconcile follow-ups."),
    "list": ("sync.commands.views:list_cmd", "Upcoming follow-ups and their interviews."),
    "status": ("sync.commands.status:status", "Account, token health, last passes, next reminders."),
    "run": ("sync.commands.run_cmd:run", "Sync on a schedule until stopped."),
    "cron": ("sync.commands.run_cmd:cron", "Print a crontab line and systemd units."),
}

log = logging.getLogger("followup")


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="interview-followup", prog_name="followup")
def cli() -> None:
    """Find job interviews in your calendar and put a well-timed follow-up reminder
    after each: 5-7 days after a phone screen, 7-10 days after a final round.

    \b
    Example:
      followup sync --from ~/Downloads/calendar.ics --out ~/followups
    """


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the CLI and map every error to one line + exit code."""
    try:
        cli.main(args=argv, prog_name="followup", standalone_mode=False)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    except click.Abort:
        click.echo("followup: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except FollowupError as exc:
        log.debug("failed", exc_info=True)
        click.echo(f"followup: {_one_line(exc)}", err=True)
        if isinstance(exc, UserError) and len(exc.problems) > 1:
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("followup: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for cron, the traceback in the log
        log.critical("unexpected error", exc_info=True)
        click.echo(
            f"followup: internal error: {type(exc).__name__}: {exc} "
            "(details in the log; please report it)",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)


def _one_line(exc: FollowupError) -> str:
    if isinstance(exc, UserError) and len(exc.problems) > 1:
        text = f"{exc.message} ({len(exc.problems)} problems, listed below)"
        if exc.next_step:
            text += f" -- {exc.next_step}"
        return text
    return " ".join(str(exc).split())


if __name__ == "__main__":
    main()
