"""`followup status`: is it connected, did the last passes work, what comes next."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click


@click.command()
@click.option("--check", is_flag=True, help="Also try a token refresh against Google now.")
@click.option("--json", "as_json", is_flag=True, help="The same facts as one JSON object.")
def status(check: bool, as_json: bool) -> None:
    """Show the accounts and token health, the last passes, warnings, and the next
    reminders. Exits 3 when nothing is connected and no .ics pass ever ran (a setup
    that only syncs .ics files or feeds exits 0), so scripts can check it.

    \b
    Examples:
      followup status
      followup status --check      # also proves the token still refreshes
    """
    from sync.paths import default_paths
    from sync.status import format_status, gather

    paths = default_paths()
    facts = gather(paths, now=datetime.now(UTC), check=check)
    if as_json:
        click.echo(json.dumps(facts.as_json(), sort_keys=True, default=str))
    else:
        click.echo(format_status(facts))
    if facts.exit_code:
        raise SystemExit(facts.exit_code)
