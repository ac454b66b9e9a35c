"""The `followup` entry point: a table of commands and the top-level help.

This module stays light on purpose: `followup --help` is answered from the table
below without importing click or any command (STYLE: heavy imports only where
needed), so it costs little more than starting Python. Everything else goes to
`sync.app`, the click application, which imports each command only when it runs.
"""

from __future__ import annotations

import sys
import textwrap

ABOUT = (
    "Find job interviews in your calendar and put a well-timed follow-up reminder "
    "after each: 5-7 days after a phone screen, 7-10 days after a final round."
)
EXAMPLE = "followup sync --from ~/Downloads/calendar.ics --out ~/followups"

# name -> ("module:attribute", one-line help). Each module holds a few related
# commands; the help line is kept here so `followup --help` imports none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "connect": ("sync.commands.account:connect", "Connect your Google account (once)."),
    "disconnect": ("sync.commands.account:disconnect", "Revoke and delete the Google token."),
    "classify": ("sync.commands.inspect:classify", "Classify events from .ics or JSON files."),
    "explain": ("sync.commands.inspect:explain", "Explain why one event is (not) an interview."),
    "sync": ("sync.commands.sync_cmd:sync", "One pass: find interviews, reconcile follow-ups."),
    "list": ("sync.commands.views:list_cmd", "Upcoming follow-ups and their interviews."),
    "status": ("sync.commands.status:status", "Token health, last passes, next reminders."),
    "run": ("sync.commands.run_cmd:run", "Sync on a schedule until stopped."),
    "cron": ("sync.commands.run_cmd:cron", "Print a crontab line and systemd units."),
}


def top_help() -> str:
    """`followup --help`, from the same texts the click group shows."""
    width = max(len(name) for name in COMMANDS)
    lines = [
        "Usage: followup [OPTIONS] COMMAND [ARGS]...",
        "",
        *textwrap.wrap(ABOUT, 78, initial_indent="  ", subsequent_indent="  "),
        "",
        "  Example:",
        f"    {EXAMPLE}",
        "",
        "Options:",
        "  --version   Show the version and exit.",
        "  -h, --help  Show this message and exit.",
        "",
        "Commands:",
        *(f"  {name:<{width}}  {COMMANDS[name][1]}" for name in sorted(COMMANDS)),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--help"], ["-h"]):
        sys.stdout.write(top_help())
        sys.exit(0)
    from sync.app import run

    sys.exit(run(args))


if __name__ == "__main__":
    main()
