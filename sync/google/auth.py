"""Google OAuth for an installed app: the client file, the token file, refresh, revoke.

Least privilege (GOOGLE-NOTES "OAuth"): the tool reads with `calendar.events.readonly`
and writes only into the calendar it creates (`calendar.app.created`). Only
`--target primary` asks for `calendar.events.owned`, and then not `app.created`. The
full `calendar` scope is never requested.

The token file is `creds.to_json()` plus a `followup` object with what google-auth
forgets: `Credentials.from_authorized_user_file` resets `token_uri` to Google's, so a
non-default one (an emulator, a proxy) is kept there and restored with
`.with_token_uri`; the revoke endpoint and the target mode ride along. It is written
with mode 0600 from creation, atomically, never pickled. No token text ever goes into
a message or a log line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rules.errors import Problem
from sync.config import Config, is_loopback_url
from sync.errors import ConfigError, NotConnectedError, TemporaryError
from sync.fileio import private_dir, write_atomic
from sync.paths import Paths

SCOPE_ROOT = "https://www.googleapis.com/auth/"
READ_SCOPE = SCOPE_ROOT + "calendar.events.readonly"
APP_CREATED_SCOPE = SCOPE_ROOT + "calendar.app.created"
OWNED_SCOPE = SCOPE_ROOT + "calendar.events.owned"
# Read-only list of the account's calendars: the only way to find the follow-ups
# calendar again after a lost status file or from a second machine (`app.created`
# cannot list calendars). It reveals calendar names, never events.
CALENDARLIST_SCOPE = SCOPE_ROOT + "calendar.calendarlist.readonly"

TARGET_FOLLOWUPS = "followups"
TARGET_PRIMARY = "primary"

GET_CREDENTIALS = (
    "download a correct one from the Google Cloud console: APIs & Services -> "
    "Credentials -> Create credentials -> OAuth client ID -> Desktop app"
)
CONNECT = "run `followup connect`"
# Why a token that worked stops working: the top complaint of calendar tools.
RECONNECT = (
    "run `followup connect`; if this happens every week, your OAuth app is still in "
    '"Testing", where Google expires tokens after 7 days: publish it (README, step 2)'
)
_REQUIRED = ("client_id", "client_secret", "auth_uri", "token_uri")


def scopes_for(target: str, *, clean_primary: bool = False) -> list[str]:
    """The scopes to ask for: read everywhere, write only where the tool must.

    Reminders in the follow-ups calendar need `app.created`; in the primary calendar
    `events.owned`. Switching targets moves the reminders, so the old target's scope
    is asked for too: `app.created` with `--target primary` (to empty the follow-ups
    calendar), `events.owned` when reminders are left in primary (`clean_primary`)."""
    scopes = [READ_SCOPE, CALENDARLIST_SCOPE, APP_CREATED_SCOPE]
    if target == TARGET_PRIMARY or clean_primary:
        scopes.append(OWNED_SCOPE)
    return scopes


@dataclass(frozen=True)
class ClientFile:
    """A validated installed-app OAuth client file."""

    path: Path
    config: dict[str, Any]  # {"installed": {...}}

    @property
    def auth_uri(self) -> str:
        return str(self.config["installed"]["auth_uri"])

    @property
    def token_uri(self) -> str:
        return str(self.config["installed"]["token_uri"])


def credentials_path(paths: Paths, config: Config, override: Path | None = None) -> Path:
    return override or config.google.credentials or paths.credentials_file


def load_client_file(path: Path) -> ClientFile:
    """Read and check the OAuth client file; every problem named with the field."""
    where = str(path)
    if not path.exists():
        raise ConfigError(
            "no OAuth client file",
            [Problem("file not found", file=where)],
            next_step=GET_CREDENTIALS + f", and save it as {where} (or pass --credentials)",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(
            "the OAuth client file is not JSON",
            [Problem(f"cannot parse: {exc}", file=where, line=line)],
            next_step=GET_CREDENTIALS,
        ) from exc
    except OSError as exc:
        raise ConfigError(
            "cannot read the OAuth client file", [Problem(str(exc), file=where)]
        ) from exc
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(Problem('must be a JSON object with an "installed" client', file=where))
    elif "installed" not in data:
        if "web" in data:
            problems.append(
                Problem(
                    'is a "web" client; this tool needs a "Desktop app" client',
                    file=where,
                    field="web",
                )
            )
        else:
            problems.append(
                Problem('missing the "installed" client object', file=where, field="installed")
            )
    elif not isinstance(data["installed"], dict):
        problems.append(Problem("must be an object", file=where, field="installed"))
    else:
        body = data["installed"]
        for key in _REQUIRED:
            value = body.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem("missing or empty", file=where, field=f"installed.{key}"))
        for key in ("auth_uri", "token_uri"):
            value = body.get(key)
            if isinstance(value, str) and value:
                problems.extend(_check_endpoint(value, where, f"installed.{key}"))
    if problems:
        raise ConfigError(
            "the OAuth client file cannot be used", problems, next_step=GET_CREDENTIALS
        )
    return ClientFile(path=path, config=data)


def _check_endpoint(url: str, where: str, field: str) -> list[Problem]:
    split = urlsplit(url)
    if split.scheme not in ("http", "https") or not split.netloc:
        return [Problem("must be an https URL", file=where, field=field, value=url)]
    if split.scheme == "http" and not is_loopback_url(url):
        return [
            Problem("plain http is allowed only on loopback", file=where, field=field, value=url)
        ]
    return []


def allow_loopback_http(*urls: str) -> None:
    """oauthlib refuses http endpoints; allow them in this process for loopback only."""
    plain = [u for u in urls if u.startswith("http://")]
    if plain and all(is_loopback_url(u) for u in plain):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def revoke_uri_for(token_uri: str) -> str:
    """Google's revoke endpoint lives beside the token endpoint: `<origin>/revoke`."""
    split = urlsplit(token_uri)
    return f"{split.scheme}://{split.netloc}/revoke"


# -- the token file ------------------------------------------------------------------


@dataclass
class Connection:
    """Loaded credentials and what the token file says about them."""

    credentials: Any  # google.oauth2.credentials.Credentials
    target: str
    token_uri: str
    revoke_uri: str
    path: Path
    saved_token: str | None  # the access token as last saved (to notice refreshes)
    target_calendar: str | None = None  # the calendar the tool created for this account
    notices: tuple[str, ...] = ()  # what loading the file repaired (its mode)

    @property
    def scopes(self) -> frozenset[str]:
        """The scopes granted (as saved with the token)."""
        return frozenset(self.credentials.scopes or ())

    def save_if_refreshed(self) -> None:
        if self.credentials.token and self.credentials.token != self.saved_token:
            self.save()

    def save(self) -> None:
        save_token(
            self.path, self.credentials, target=self.target, target_calendar=self.target_calendar
        )
        self.saved_token = self.credentials.token

    def remember_target_calendar(self, calendar_id: str) -> None:
        """Kept beside the token too: a lost status file must not lead to a second
        follow-ups calendar, even for a token granted without the calendar list."""
        if calendar_id != self.target_calendar:
            self.target_calendar = calendar_id
            self.save()


def save_token(
    path: Path, credentials: Any, *, target: str, target_calendar: str | None = None
) -> None:
    data = json.loads(credentials.to_json())
    data["followup"] = {
        "target": target,
        "token_uri": credentials.token_uri,
        "revoke_uri": revoke_uri_for(credentials.token_uri),
    }
    if target_calendar:
        data["followup"]["target_calendar"] = target_calendar
    private_dir(path.parent)
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode(), mode=0o600)


def read_token_file(path: Path) -> dict[str, Any]:
    """The token file's JSON. Every problem is one line naming the file and the next
    step; the content is never echoed (it is a secret)."""
    if not path.exists():
        raise NotConnectedError("not connected to Google", next_step=CONNECT)
    try:
        text = path.read_text(encoding="utf-8")
    except PermissionError:
        raise NotConnectedError(
            f"the token file {path} cannot be read (permission denied)",
            next_step=f"make it readable by you (chmod 600 {path}) or {CONNECT}",
        ) from None
    except (OSError, UnicodeDecodeError):
        raise NotConnectedError(
            f"the token file {path} cannot be read", next_step=CONNECT
        ) from None
    try:
        data = json.loads(text)
    except ValueError:
        raise NotConnectedError(
            f"the token file {path} is damaged (not JSON)", next_step=CONNECT
        ) from None
    if not isinstance(data, dict) or not data.get("refresh_token"):
        raise NotConnectedError(
            f"the token file {path} holds no refresh token", next_step=CONNECT
        ) from None
    return data


def _make_private(path: Path) -> tuple[str, ...]:
    """A token readable by others is made 0600, and the user is told once."""
    mode = path.stat().st_mode & 0o777
    if not mode & 0o077:
        return ()
    os.chmod(path, 0o600)
    return (f"the token file {path} was readable by others (mode {mode:o}); made it private (600)",)


def load_connection(paths: Paths) -> Connection:
    """The stored credentials, refreshed if needed (and saved back after a refresh)."""
    from google.oauth2.credentials import Credentials

    path = paths.token_file
    data = read_token_file(path)
    notices = _make_private(path)
    extra = data.get("followup") or {}
    token_uri = extra.get("token_uri") or data.get("token_uri")
    info = {k: v for k, v in data.items() if k != "followup"}
    try:
        creds = Credentials.from_authorized_user_info(info)
    except ValueError:
        raise NotConnectedError(
            f"the token file {path} is incomplete (no client id or secret)", next_step=CONNECT
        ) from None
    if token_uri and creds.token_uri != token_uri:
        creds = creds.with_token_uri(token_uri)
    token_uri = creds.token_uri
    target = extra.get("target") or TARGET_FOLLOWUPS
    return Connection(
        credentials=creds,
        target=target,
        token_uri=token_uri,
        revoke_uri=extra.get("revoke_uri") or revoke_uri_for(token_uri),
        path=path,
        saved_token=creds.token,
        target_calendar=extra.get("target_calendar"),
        notices=notices,
    )


def ensure_fresh(connection: Connection, http: Any) -> None:
    """Refresh an expired access token now, so a revoked grant shows up as one clear
    error before any work, and save the new token atomically."""
    import google_auth_httplib2

    creds = connection.credentials
    if creds.valid:
        return
    try:
        creds.refresh(google_auth_httplib2.Request(http))
    except Exception as exc:
        raise auth_error(exc) from None
    connection.save_if_refreshed()


def auth_error(exc: BaseException) -> Exception:
    """Map google-auth failures to our errors, without any token text."""
    from google.auth.exceptions import RefreshError, TransportError

    if isinstance(exc, RefreshError) and getattr(exc, "retryable", False):
        return TemporaryError("Google's token endpoint failed; try again later")
    if isinstance(exc, RefreshError):
        return NotConnectedError(
            "Google refused the stored token (revoked or expired)", next_step=RECONNECT
        )
    if isinstance(exc, TransportError):
        return TemporaryError("cannot reach Google's token endpoint; try again later")
    return TemporaryError(f"token refresh failed ({type(exc).__name__})")


# -- connect / disconnect -------------------------------------------------------------


def connect(
    paths: Paths,
    client: ClientFile,
    *,
    target: str,
    open_browser: bool,
    port: int,
    timeout_seconds: int | None,
    echo: Any,
    clean_primary: bool = False,
) -> Any:
    """Run the installed-app flow on a loopback port and save the token (0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    allow_loopback_http(client.auth_uri, client.token_uri)
    # Google may answer with a superset (e.g. already granted scopes): not an error.
    os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    flow = InstalledAppFlow.from_client_config(
        client.config, scopes=scopes_for(target, clean_primary=clean_primary)
    )
    if open_browser:
        prompt = "Opening your browser to authorise access. If it does not open, visit:\n{url}"
    else:
        prompt = (
            "Open this URL in a browser (on any machine):\n{url}\n\n"
            f"On a remote server, first forward the port: ssh -L {port}:localhost:{port} "
            "<this server>\nthen open the URL on your own machine."
        )
    try:
        creds = flow.run_local_server(
            host="localhost",
            port=port,
            open_browser=open_browser,
            timeout_seconds=timeout_seconds,
            authorization_prompt_message=prompt,
            success_message="Connected: interview-followup can now sync. You may close this tab.",
            access_type="offline",
            prompt="consent",
        )
    except Exception as exc:
        name = type(exc).__name__
        if name == "WSGITimeoutError":
            raise TemporaryError(
                f"no answer from the browser within {timeout_seconds} s",
                next_step="run `followup connect` again",
            ) from None
        if name in ("AccessDeniedError",) or "access_denied" in str(exc):
            raise NotConnectedError("access was not granted in the browser") from None
        raise NotConnectedError(f"the authorisation failed ({name})") from None
    if not creds.refresh_token:
        raise NotConnectedError("Google sent no refresh token")
    previous = None
    if paths.token_file.exists():
        try:  # reconnecting (expiry, another target): keep knowing the same calendar
            previous = (read_token_file(paths.token_file).get("followup") or {}).get(
                "target_calendar"
            )
        except NotConnectedError:
            previous = None
    save_token(paths.token_file, creds, target=target, target_calendar=previous)
    return creds


def disconnect(paths: Paths, *, timeout: float = 20.0) -> str | None:
    """Revoke the refresh token and delete the token file. Returns a warning when the
    revoke failed (the file is deleted anyway: the user asked to forget it)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    path = paths.token_file
    if not path.exists():
        return "not connected (no token file); nothing to revoke"
    warning = None
    try:
        data = read_token_file(path)
        extra = data.get("followup") or {}
        token_uri = extra.get("token_uri") or data.get("token_uri") or ""
        revoke = extra.get("revoke_uri") or revoke_uri_for(token_uri)
        split = urlsplit(revoke)
        if split.scheme != "https" and not (split.scheme == "http" and is_loopback_url(revoke)):
            raise ValueError("revoke endpoint is not https")
        body = urllib.parse.urlencode({"token": data["refresh_token"]}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            revoke,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            answer.read()
    except urllib.error.HTTPError as exc:
        warning = f"Google did not revoke the token (HTTP {exc.code}); it was deleted here anyway"
    except NotConnectedError:
        warning = "the token file was unreadable; deleted it without revoking"
    except (OSError, ValueError) as exc:
        warning = (
            f"could not reach the revoke endpoint ({type(exc).__name__}); the token was "
            "deleted here; remove access at https://myaccount.google.com/permissions"
        )
    path.unlink(missing_ok=True)
    return warning
