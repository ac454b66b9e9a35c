"""The click application behind `followup`, and the one place errors become exits.

Commands live in `sync/commands/*` and are imported only when run, so no command pays
for another's imports (the Google client above all). Errors become one line and an
exit code here (vdirsyncer's `catch_errors`), not in each command.
"""

from __future__ import annotations

import importlib
import logging

import click

from rules.errors import FollowupError, UserError
from sync.command_table import ABOUT, COMMANDS, EXAMPLE

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
    pass


cli.help = f"{ABOUT}\n\n\b\nExample:\n  {EXAMPLE}"


def run(args: list[str]) -> int:
    """Run the CLI and map every error to one line + exit code."""
    try:
        cli.main(args=args, prog_name="followup", standalone_mode=False)
    except click.exceptions.Exit as stop:
        return stop.exit_code
    except click.Abort:
        click.echo("followup: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except KeyboardInterrupt:
        click.echo("followup: interrupted", err=True)
        return 130
    except Exception as exc:
        return _report(exc)
    return 0


def _report(exc: Exception) -> int:
    """Say what went wrong in one line (cron mails it) and return the exit code."""
    if isinstance(exc, FollowupError):
        log.debug("failed", exc_info=True)
        click.echo(f"followup: {_one_line(exc)}", err=True)
        if isinstance(exc, UserError) and len(exc.problems) > 1:
            for problem in exc.problems:
                click.echo(f"  - {problem}", err=True)
        return exc.exit_code
    # A bug: one line for cron, the traceback in the log.
    log.critical("unexpected error", exc_info=True)
    click.echo(
        f"followup: internal error: {type(exc).__name__}: {exc} "
        "(details in the log; please report it)",
        err=True,
    )
    return 1


def _one_line(exc: FollowupError) -> str:
    if isinstance(exc, UserError) and len(exc.problems) > 1:
        text = f"{exc.message} ({len(exc.problems)} problems, listed below)"
        if exc.next_step:
            text += f" -- {exc.next_step}"
        return text
    return " ".join(str(exc).split())
