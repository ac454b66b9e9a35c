"""`followup connect` and `followup disconnect`: the Google account, once."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from sync.config import load_config
from sync.paths import default_paths


@click.command()
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False, path_type=Path),
    help="OAuth client file (Desktop app). Default: credentials.json in the config folder.",
)
@click.option(
    "--no-browser",
    is_flag=True,
    help="Print the URL instead of opening a browser (headless machine; forward the port).",
)
@click.option(
    "--target",
    type=click.Choice(["followups", "primary"]),
    default=None,
    help="Where reminders go: a calendar the tool creates (default) or your primary one.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Loopback port for Google's redirect (default: any free one; 8765 with --no-browser).",
)
@click.option(
    "--timeout",
    type=click.IntRange(1, 3600),
    default=300,
    show_default=True,
    help="Seconds to wait for the browser.",
)
def connect(
    credentials: Path | None, no_browser: bool, target: str | None, port: int | None, timeout: int
) -> None:
    """Connect your Google account once (OAuth in your browser).

    Asks only to read events and to write into a calendar the tool creates
    ("Interview follow-ups"); --target primary asks to write your own calendars.

    \b
    Example:
      followup connect
      followup connect --no-browser --port 8765   # then: ssh -L 8765:localhost:8765 server
    """
    from sync.google import auth

    paths = default_paths()
    config = load_config(paths)
    client = auth.load_client_file(auth.credentials_path(paths, config, credentials))
    chosen = target or _previous_target(paths) or config.google.target
    if port is None:
        port = 8765 if no_browser else 0
    auth.connect(
        paths,
        client,
        target=chosen,
        open_browser=not no_browser,
        port=port,
        timeout_seconds=timeout,
        echo=click.echo,
        clean_primary=chosen != "primary" and _reminders_in_primary(paths),
    )
    where = (
        "your primary calendar" if chosen == "primary" else 'the calendar "Interview follow-ups"'
    )
    click.echo(f"Connected. Follow-ups will go into {where}. Token saved to {paths.token_file}.")


def _previous_target(paths) -> str | None:
    """Reconnecting keeps the target: the token's, else the one the last sync used."""
    from sync.google import auth
    from sync.statusdb import StatusDB

    if paths.token_file.exists():
        with contextlib.suppress(Exception):  # an unusable token: ask the status file
            return (auth.read_token_file(paths.token_file).get("followup") or {}).get("target")
    if not paths.state_file.exists():
        return None
    status = StatusDB(paths.state_file)
    try:
        known = status.target("google")
    finally:
        status.close()
    return "primary" if known and known[0] == "primary" else None


def _reminders_in_primary(paths) -> bool:
    """Reminders left in the primary calendar: moving them needs `events.owned`."""
    from sync.statusdb import StatusDB
    from sync.stores.records import RecordStatus

    if not paths.state_file.exists():
        return False
    status = StatusDB(paths.state_file)
    try:
        rows = status.records("google:primary").values()
        return any(r.status is RecordStatus.ACTIVE for r in rows)
    finally:
        status.close()


@click.command()
def disconnect() -> None:
    """Revoke the stored Google token and delete it.

    \b
    Example:
      followup disconnect
    """
    from sync.google import auth

    paths = default_paths()
    warning = auth.disconnect(paths)
    if warning:
        click.echo(f"followup: warning: {warning}", err=True)
    else:
        click.echo("Disconnected: the token was revoked and deleted.")
