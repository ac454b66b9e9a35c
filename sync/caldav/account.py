"""A connected CalDAV account: discovery, the target calendar, and the stored password.

`followup connect --caldav URL --username NAME` calls `connect()`: it discovers the
principal and its calendars (that proves the password), finds the target calendar by
display name or creates it (MKCALENDAR), and saves everything to `caldav.json` in the
data folder, mode 0600 (the password is a secret: it never goes into config.toml).
`FOLLOWUP_CALDAV_PASSWORD` overrides the stored password.

The file also keeps the URLs found (every calendar by display name, and the target), so
a pass opens its calendars by URL: an unchanged pass costs one REPORT per source
calendar, no discovery round-trips. A calendar that is not in that snapshot (the user
added it to `[caldav] sources` later) is looked up on the server.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from rules.errors import Problem
from sync.caldav.client import AUTH_SCHEMES, CONNECT_STEP, auth_scheme, caldav_errors, open_client
from sync.errors import ConfigError, NotConnectedError, UserError
from sync.fileio import private_dir, write_atomic
from sync.paths import Paths

log = logging.getLogger("followup.caldav")

ACCOUNT_FILE = "caldav.json"
PASSWORD_ENV = "FOLLOWUP_CALDAV_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
DEFAULT_TARGET = "Interview follow-ups"
_VERSION = 1


@dataclass(frozen=True)
class CalDavAccount:
    """What `connect` proved and found. `calendars` maps display name -> URL."""

    url: str
    username: str
    password: str
    principal_url: str
    calendars: dict[str, str] = field(default_factory=dict)
    target_name: str = DEFAULT_TARGET
    target_url: str | None = None
    auth_type: str | None = None  # the scheme the server asked for at connect (basic, ...)

    def identity(self, calendar_url: str) -> str:
        """The source identity of one of this account's calendars."""
        return source_identity(self.username, calendar_url)


def source_identity(username: str, calendar_url: str) -> str:
    """`caldav:<username>@<calendar url>`: stable, and distinct per account and calendar."""
    return f"caldav:{username}@{normalise_url(calendar_url)}"


def normalise_url(url: str) -> str:
    """A collection URL with one trailing slash, so `/cal` and `/cal/` are one calendar."""
    return url.rstrip("/") + "/"


def account_file(paths: Paths) -> Path:
    return paths.data_dir / ACCOUNT_FILE


@dataclass(frozen=True)
class Connected:
    """What `connect` reports: the account saved, and whether the target was created."""

    account: CalDavAccount
    created_target: bool
    path: Path


def connect(
    paths: Paths,
    *,
    url: str,
    username: str,
    password: str,
    target_name: str = DEFAULT_TARGET,
    timeout: int = 30,
) -> Connected:
    """Discover the account (proving the password), find or create the target, save."""
    if not password:
        raise UserError(
            "no CalDAV password given",
            next_step="type it when asked, or pipe it with --password-stdin",
        )
    client = open_client(url, username, password, timeout=timeout)
    with caldav_errors(url, "discovering the account's calendars", discovering=True):
        principal = client.principal()
        calendars = principal.calendars()
    found = {_display_name(cal): normalise_url(str(cal.url)) for cal in calendars}
    created = False
    target_url = _find(found, target_name)
    if target_url is None:
        with caldav_errors(url, f"creating the calendar {target_name!r}"):
            made = principal.make_calendar(name=target_name)
        target_url = normalise_url(str(made.url))
        found[target_name] = target_url
        created = True
    account = CalDavAccount(
        url=url,
        username=username,
        password=password,
        principal_url=normalise_url(str(principal.url)),
        calendars=found,
        target_name=target_name,
        target_url=target_url,
        auth_type=auth_scheme(client),
    )
    path = save_account(paths, account)
    return Connected(account, created, path)


def disconnect(paths: Paths) -> bool:
    """Forget the account (the stored password with it). False if none was connected."""
    path = account_file(paths)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def save_account(paths: Paths, account: CalDavAccount) -> Path:
    path = account_file(paths)
    private_dir(paths.data_dir)
    body = {
        "version": _VERSION,
        "url": account.url,
        "username": account.username,
        "password": account.password,
        "principal_url": account.principal_url,
        "calendars": account.calendars,
        "target_name": account.target_name,
        "target_url": account.target_url,
        "auth_type": account.auth_type,
    }
    write_atomic(path, (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode(), mode=0o600)
    return path


def load_account(paths: Paths) -> CalDavAccount | None:
    """The connected account, or None. A malformed file is a `ConfigError` naming it;
    a file others can read is made 0600 (and the log says so)."""
    path = account_file(paths)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "cannot read the CalDAV account file",
            [Problem(str(exc), file=str(path))],
            next_step=CONNECT_STEP,
        ) from None
    if stat.S_IMODE(mode) & 0o077:
        os.chmod(path, 0o600)
        log.warning("%s was readable by others; it is now private (0600)", path)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            "cannot read the CalDAV account file",
            [Problem(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno)],
            next_step=CONNECT_STEP,
        ) from None
    problems: list[Problem] = []
    if not isinstance(data, dict):
        data = {}
        problems.append(Problem("must be a JSON object", file=str(path)))
    for name in ("url", "username", "password", "principal_url"):
        if not isinstance(data.get(name), str) or not data.get(name):
            problems.append(Problem("missing or not a string", file=str(path), field=name))
    calendars = data.get("calendars", {})
    if not isinstance(calendars, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in calendars.items()
    ):
        problems.append(Problem("must map names to URLs", file=str(path), field="calendars"))
        calendars = {}
    target_url = data.get("target_url")
    if target_url is not None and not isinstance(target_url, str):
        problems.append(Problem("must be a URL or null", file=str(path), field="target_url"))
    if problems:
        raise ConfigError("the CalDAV account file is damaged", problems, next_step=CONNECT_STEP)
    return CalDavAccount(
        url=data["url"],
        username=data["username"],
        password=data["password"],
        principal_url=data["principal_url"],
        calendars=dict(calendars),
        target_name=str(data.get("target_name") or DEFAULT_TARGET),
        target_url=target_url,
        auth_type=auth_type if (auth_type := data.get("auth_type")) in AUTH_SCHEMES else None,
    )


def require_account(paths: Paths) -> CalDavAccount:
    """The connected account with `FOLLOWUP_CALDAV_PASSWORD` applied; exit 3 if none."""
    account = load_account(paths)
    if account is None:
        raise NotConnectedError("no CalDAV account is connected", next_step=CONNECT_STEP)
    override = os.environ.get(PASSWORD_ENV)
    return replace(account, password=override) if override else account


@dataclass
class Session:
    """An open connection to a connected account: calendars by URL, discovery on demand."""

    account: CalDavAccount
    client: Any  # caldav.DAVClient
    _principal: Any = None

    @classmethod
    def open(cls, account: CalDavAccount, *, timeout: int = 30) -> Session:
        client = open_client(
            account.url,
            account.username,
            account.password,
            timeout=timeout,
            auth_type=account.auth_type,
        )
        return cls(account, client)

    def calendar(self, url: str) -> Any:
        """A `caldav.Calendar` at `url`, without a request."""
        from caldav import Calendar

        return Calendar(client=self.client, url=url)

    def principal(self) -> Any:
        if self._principal is None:
            with caldav_errors(self.account.url, "discovering the account's calendars"):
                self._principal = self.client.principal()
        return self._principal

    def discover(self) -> dict[str, str]:
        """Every calendar of the account now, display name -> URL (a few PROPFINDs)."""
        principal = self.principal()
        with caldav_errors(self.account.url, "listing the account's calendars"):
            calendars = principal.calendars()
        return {_display_name(cal): normalise_url(str(cal.url)) for cal in calendars}

    def source_calendars(self, wanted: Sequence[str]) -> list[Any]:
        """The calendars `[caldav] sources` names (display names or URLs), in order.

        Names come from the snapshot `connect` saved; one not in it is looked up on
        the server, and `self.account` then holds the new snapshot for the caller to
        save. Every name found nowhere is reported together (exit 2)."""
        known = dict(self.account.calendars)
        urls: list[str | None] = [self._resolve(known, name) for name in wanted]
        if any(u is None for u in urls):
            known.update(self.discover())
            urls = [u or self._resolve(known, name) for u, name in zip(urls, wanted, strict=True)]
            # Remembered (the caller saves the account), so the next pass opens them by URL.
            self.account = replace(self.account, calendars=known)
        missing = [name for u, name in zip(urls, wanted, strict=True) if u is None]
        if missing:
            names = ", ".join(repr(n) for n in sorted(known)) or "none"
            raise ConfigError(
                "caldav.sources names calendars the account does not have",
                [
                    Problem(
                        f"no such calendar (the account has: {names})",
                        field="caldav.sources",
                        value=name,
                    )
                    for name in missing
                ],
                next_step="use a display name or URL from that list",
            )
        return [self.calendar(u) for u in urls if u is not None]

    def target_calendar(
        self, name: str, *, refresh: bool = False
    ) -> tuple[Any, CalDavAccount | None]:
        """The target calendar, and a new account value when it had to be found again
        (another name in config, none saved, or `refresh` after a `CalendarGone`): the
        caller saves that. Found by display name or URL; created (MKCALENDAR) only when
        the server has none of that name, so never twice."""
        account = self.account
        if not refresh and account.target_url and name in (account.target_name, account.target_url):
            return self.calendar(account.target_url), None
        found = self.discover()
        url = self._resolve(found, name)
        if url is None:
            principal = self.principal()
            with caldav_errors(account.url, f"creating the calendar {name!r}"):
                made = principal.make_calendar(name=name)
            url = normalise_url(str(made.url))
            found[name] = url
        changed = replace(account, calendars=found, target_name=name, target_url=url)
        self.account = changed
        return self.calendar(url), changed

    def _resolve(self, known: dict[str, str], wanted: str) -> str | None:
        if wanted.startswith(("http://", "https://", "/")):
            url = normalise_url(urljoin(self.account.url, wanted))
            return url if urlsplit(url).netloc else None
        return _find(known, wanted)


def _find(known: dict[str, str], wanted: str) -> str | None:
    if wanted in known:
        return known[wanted]
    folded = {name.casefold(): url for name, url in known.items()}
    return folded.get(wanted.casefold())


def _display_name(calendar: Any) -> str:
    """The calendar's display name (cached from the listing's PROPFIND), else the last
    segment of its URL (a server without displayname)."""
    try:
        name = calendar.get_display_name()
    except Exception:  # the server would not say: the URL names it well enough
        name = None
    return str(name or str(calendar.url).rstrip("/").rsplit("/", 1)[-1])
