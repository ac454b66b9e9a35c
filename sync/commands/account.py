"""`followup connect` and `followup disconnect`: the Google account, or a CalDAV one
(`--caldav URL --username NAME`), once."""

from __future__ import annotations

import contextlib
import os
import sys
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
@click.option(
    "--caldav",
    "caldav_url",
    metavar="URL",
    help="Connect a CalDAV account instead (iCloud, Fastmail, Nextcloud, any server).",
)
@click.option("--username", metavar="NAME", help="The CalDAV account's username (with --caldav).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the CalDAV password from standard input instead of asking for it.",
)
def connect(
    credentials: Path | None,
    no_browser: bool,
    target: str | None,
    port: int | None,
    timeout: int,
    caldav_url: str | None,
    username: str | None,
    password_stdin: bool,
) -> None:
    """Connect your Google account once (OAuth in your browser), or a CalDAV account.

    Google: asks only to read events and to write into a calendar the tool creates
    ("Interview follow-ups"); --target primary asks to write your own calendars.

    CalDAV: proves the password by finding the account's calendars, creates the
    "Interview follow-ups" calendar if missing, and keeps the password in a private
    file (FOLLOWUP_CALDAV_PASSWORD overrides it). iCloud needs an app-specific password.

    \b
    Examples:
      followup connect
      followup connect --no-browser --port 8765   # then: ssh -L 8765:localhost:8765 server
      followup connect --caldav https://caldav.fastmail.com/dav/ --username sam@fastmail.com
      pass show fastmail | followup connect --caldav URL --username NAME --password-stdin
    """
    if caldav_url is not None or username is not None or password_stdin:
        _connect_caldav(caldav_url, username, password_stdin)
        return
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


def _connect_caldav(url: str | None, username: str | None, password_stdin: bool) -> None:
    from sync.caldav import account
    from sync.config import is_loopback_url
    from sync.errors import UserError

    if not url or not username:
        raise UserError(
            "connecting a CalDAV account needs both --caldav URL and --username NAME",
            next_step="e.g. followup connect --caldav https://caldav.icloud.com/ "
            "--username you@icloud.com",
        )
    if not url.startswith(("https://", "http://")):
        raise UserError(
            f"--caldav must be an https:// address, got {url!r}",
            next_step="the README's \"Use it with CalDAV\" gives each provider's address",
        )
    if url.startswith("http://") and not is_loopback_url(url):
        raise UserError(
            f"{url} is plain http: the password would travel in clear",
            next_step="use the server's https:// address",
        )
    paths = default_paths()
    config = load_config(paths)
    password = _caldav_password(password_stdin)
    done = account.connect(
        paths, url=url, username=username, password=password, target_name=config.caldav.target
    )
    found = done.account
    names = sorted(n for n in found.calendars if found.calendars[n] != found.target_url)
    made = " (created)" if done.created_target else ""
    click.echo(f"Connected to {url} as {username}.")
    click.echo(f'Follow-ups will go into the calendar "{found.target_name}"{made}.')
    reading = ", ".join(config.caldav.sources) if config.caldav.sources else None
    if reading:
        click.echo(f"Interviews are read from: {reading} ([caldav] sources in config.toml).")
    else:
        shown = ", ".join(names) or "none yet"
        click.echo(
            f"Calendars found: {shown}. Choose those to read with [caldav] sources in "
            f"{paths.config_file}."
        )
    click.echo(f"Password saved to {done.path} (readable by you only).")


def _caldav_password(from_stdin: bool) -> str:
    """--password-stdin, else FOLLOWUP_CALDAV_PASSWORD, else ask on the terminal."""
    from sync.caldav.account import PASSWORD_ENV
    from sync.errors import UserError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise UserError(
            "no terminal to ask for the CalDAV password",
            next_step=f"pipe it with --password-stdin, or set {PASSWORD_ENV}",
        )
    return click.prompt("CalDAV password (iCloud: an app-specific one)", hide_input=True)


@click.command()
@click.option("--caldav", "caldav", is_flag=True, help="Forget the CalDAV account instead.")
def disconnect(caldav: bool) -> None:
    """Revoke the stored Google token and delete it; with --caldav, forget the CalDAV
    account and its stored password.

    \b
    Examples:
      followup disconnect
      followup disconnect --caldav
    """
    if caldav:
        from sync.caldav import account
        from sync.errors import ConfigError

        paths = default_paths()
        try:
            known = account.load_account(paths)
        except ConfigError:  # a damaged file is forgotten all the same
            known = None
        if account.disconnect(paths):
            who = f" {known.username} at {known.url}" if known else ""
            click.echo(f"Disconnected the CalDAV account{who}: its stored password is deleted.")
        else:
            click.echo("No CalDAV account was connected.")
        return
    from sync.google import auth

    paths = default_paths()
    warning = auth.disconnect(paths)
    if warning:
        click.echo(f"followup: warning: {warning}", err=True)
    else:
        click.echo("Disconnected: the token was revoked and deleted.")
