"""The table of `followup` commands and the texts of the top-level help.

Kept apart from both the entry point (`sync.cli`, which answers `--help` from it without
importing click) and the click application (`sync.app`, which builds its group from
it), so neither imports the other.
"""

from __future__ import annotations

ABOUT = (
    "Find job interviews in your calendar and put a well-timed follow-up reminder "
    "after each: 5-7 days after a phone screen, 7-10 days after a final round."
)
EXAMPLE = "followup sync --from ~/Downloads/calendar.ics --out ~/followups"

# name -> ("module:attribute", one-line help). Each module holds a few related
# commands; the help line is kept here so `followup --help` imports none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "connect": (
        "sync.commands.account:connect",
        "Connect your Google account, or a CalDAV one with --caldav (once).",
    ),
    "disconnect": (
        "sync.commands.account:disconnect",
        "Revoke and forget the Google token (--caldav: the CalDAV account).",
    ),
    "classify": ("sync.commands.inspect:classify", "Classify events from .ics or JSON files."),
    "explain": ("sync.commands.inspect:explain", "Explain why one event is (not) an interview."),
    "confirm": (
        "sync.commands.views:confirm",
        "Settle an event the rules were unsure about: phone, final or skip.",
    ),
    "sync": ("sync.commands.sync_cmd:sync", "One pass: find interviews, reconcile follow-ups."),
    "list": ("sync.commands.views:list_cmd", "Upcoming follow-ups and their interviews."),
    "status": ("sync.commands.status:status", "Token health, last passes, next reminders."),
    "run": ("sync.commands.run_cmd:run", "Sync on a schedule until stopped."),
    "cron": ("sync.commands.run_cmd:cron", "Print a crontab line and systemd units."),
}
