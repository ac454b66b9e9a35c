"""One `DAVClient` per account, and the one place CalDAV failures become project errors.

What the library raises, and what it means for the user:

- `caldav.lib.error.AuthorizationError` on 401 (after the client has answered the
  server's challenge): the username or password is wrong -> `NotConnectedError` (exit 3);
- niquests' `ConnectionError` / `Timeout`, and 429/503 (`RateLimitError`): the server is
  unreachable or busy -> `TemporaryError` (exit 75), cron's next run retries;
- any other `DAVError` during discovery: whatever answers there is no CalDAV server ->
  `UserError` (exit 2) naming what was found (`describe_url` looks with a plain GET).
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from typing import Any

from sync.errors import NotConnectedError, TemporaryError, UserError

DEFAULT_TIMEOUT = 30  # seconds per request
CONNECT_STEP = "run `followup connect --caldav URL --username NAME`"


class CalendarGone(UserError):
    """A calendar answered 404: deleted or renamed on the server (exit 2). For the
    target, the pass finds or creates it again (`Session.target_calendar(refresh=True)`)."""

    def __init__(self, url: str, doing: str) -> None:
        super().__init__(
            f"the calendar at {url} is gone (404 while {doing})",
            next_step="check [caldav] sources in config.toml, or run "
            "`followup connect --caldav URL --username NAME` again",
        )
        self.url = url


AUTH_SCHEMES = ("basic", "digest", "bearer")


def open_client(
    url: str,
    username: str,
    password: str,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    auth_type: str | None = None,
):
    """A `caldav.DAVClient` for `url`. RFC 6764 DNS discovery is off: the user gives a
    server URL (`https://caldav.icloud.com/`), and nothing is looked up elsewhere.

    `auth_type` is the scheme `connect` saw the server ask for (`auth_scheme`): with it
    the first request already carries the credentials. Without it every new process
    pays a 401 challenge first, so an unchanged pass would cost two REPORTs."""
    import caldav

    return caldav.DAVClient(
        url=url,
        username=username,
        password=password,
        timeout=timeout,
        enable_rfc6764=False,
        auth_type=auth_type if auth_type in AUTH_SCHEMES else None,
    )


def auth_scheme(client: Any) -> str | None:
    """The scheme a client settled on after the server's challenge (None: the server
    asked for no credentials)."""
    name = type(getattr(client, "auth", None)).__name__.lower()
    return next((scheme for scheme in AUTH_SCHEMES if scheme in name), None)


def is_network_error(exc: BaseException) -> bool:
    """No HTTP answer at all (refused, reset, timed out, DNS): worth retrying later."""
    from caldav.lib import error
    from niquests import exceptions as http

    if isinstance(exc, error.RateLimitError):
        return True
    return isinstance(exc, http.ConnectionError | http.Timeout | TimeoutError | ConnectionError)


@contextlib.contextmanager
def caldav_errors(url: str, doing: str, *, discovering: bool = False) -> Iterator[None]:
    """Run a CalDAV exchange; raise the project's error for what went wrong, in one line.

    `doing` says what was being done ("reading the calendar Personal"). With
    `discovering`, an answer that is not CalDAV is the user's wrong URL (exit 2)."""
    from caldav.lib import error

    try:
        yield
    except error.NotFoundError:
        if discovering:
            raise UserError(
                f"{url} is not a CalDAV server: {describe_url(url)}",
                next_step='give the server\'s CalDAV address (README, "Use it with CalDAV")',
            ) from None
        raise CalendarGone(url, doing) from None
    except error.AuthorizationError as exc:
        if _status(exc) == 403 and not discovering:
            raise TemporaryError(
                f"the CalDAV server at {url} refused {doing} (403 Forbidden)",
                next_step="check the account's rights on that calendar",
            ) from None
        raise NotConnectedError(
            f"the CalDAV server at {url} refused the username or password while {doing}",
            next_step=CONNECT_STEP + " again; iCloud needs an app-specific password",
        ) from None
    except error.RateLimitError:
        raise TemporaryError(
            f"the CalDAV server at {url} is busy (rate limited) while {doing}",
            next_step="try again later",
        ) from None
    except Exception as exc:
        if is_network_error(exc):
            raise TemporaryError(
                f"cannot reach the CalDAV server at {url} while {doing}: {_reason(exc)}",
                next_step="check the network and the URL; the next run retries",
            ) from None
        if discovering and isinstance(exc, error.DAVError | ValueError | KeyError):
            raise UserError(
                f"{url} is not a CalDAV server: {describe_url(url)}",
                next_step='give the server\'s CalDAV address (README, "Use it with CalDAV")',
            ) from None
        if isinstance(exc, error.DAVError):
            raise TemporaryError(
                f"the CalDAV server at {url} failed while {doing}: {_first_line(exc)}",
                next_step="the next run retries",
            ) from None
        raise


def describe_url(url: str, *, timeout: int = 10) -> str:
    """What answers at `url` to a plain GET: status, content type, and an HTML title."""
    import niquests

    try:
        answer = niquests.get(url, timeout=timeout, allow_redirects=True)
    except Exception as exc:
        return f"a GET failed too ({_reason(exc)})"
    kind = (answer.headers.get("Content-Type") or "no content type").split(";")[0].strip()
    text = f"it answers {answer.status_code} {answer.reason or ''}".rstrip()
    text += f" with {kind}"
    title = page_title(answer.content or b"")
    if title:
        text += f" (a web page titled {title!r})"
    return text


def page_title(body: bytes) -> str | None:
    """The <title> of an HTML page, if the bytes are one."""
    match = re.search(rb"<title[^>]*>(.*?)</title>", body[:65536], re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    title = html.unescape(match[1].decode("utf-8", "replace"))
    title = " ".join(title.split())
    return title[:80] or None


def _status(exc: Any) -> int | None:
    reason = str(getattr(exc, "reason", "") or "")
    if "Forbidden" in reason or "403" in reason:
        return 403
    return None


def _reason(exc: BaseException) -> str:
    text = str(exc)
    for pattern, said in (
        (r"Connection refused", "connection refused"),
        (r"timed out|Timeout", "timed out"),
        (r"Name or service not known|nodename nor servname|getaddrinfo", "unknown host"),
        (r"Connection reset", "connection reset"),
    ):
        if re.search(pattern, text, re.IGNORECASE):
            return said
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    """The library's message without its exception's name (users read this line)."""
    text = " ".join(str(exc).split())
    text = re.sub(r"^[A-Za-z]*Error at ", "", text)
    text = re.sub(r",? reason no reason$", "", text)
    return (text[:157] + "...") if len(text) > 160 else text or "no details"


def object_etag(obj: Any) -> str | None:
    """The ETag a listing reported for a calendar object (None when it gave none)."""
    props = getattr(obj, "props", None) or {}
    value = props.get("{DAV:}getetag")
    return str(value) if value else None


def object_data(obj: Any) -> str | None:
    """A calendar object's iCalendar text, or None when it has none (not loaded, gone)."""
    try:
        data = obj.data
    except Exception:
        return None
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    return data or None
