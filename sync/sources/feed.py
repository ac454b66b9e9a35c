"""An `.ics` feed by URL as a source: Google's secret iCal address, Outlook's published
calendar, any `webcal://` subscription.

`fetch_feed()` is one conditional GET (`If-None-Match` with the last ETag,
`If-Modified-Since` with the last Last-Modified): an unchanged feed answers 304 and
nothing is parsed. `read_feed()` wraps it as a source: a cursor (JSON-able: the
validators and the last body) in, events out, parsed only when asked for (`FeedRead.events`
is lazy, so a 304 pass parses nothing unless the pass wants the events again).

Event ids are the UIDs under the calendar id files have (`ICS_CALENDAR`): UIDs are
global, so a feed and an export of the same calendar (a user who imported a file, then
subscribed) are one calendar, and an interview in both gets one reminder.

Addresses: `https://` and `http://` as given; `webcal://` (and `webcals://`) means
https, except on a loopback host, where it means http (a local test server has no TLS).

Failures, each one line naming the URL:

- no answer in time, connection refused or reset, 408, 429, 5xx: `TemporaryError`
  (exit 75), the next run retries;
- more than a few redirects, 404, 410, 401, 403, any other 4xx: `UserError` (exit 2),
  the address is wrong or no longer published;
- a 200 whose body is not iCalendar (a login or error page): `UserError` naming what
  came back (its content type and, for HTML, the page title).

The HTTP client is niquests, the one python-caldav uses: a well-kept client, not
hand-made sockets. Redirects are followed up to `MAX_REDIRECTS`.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rules.model import SourceEvent
from sync.errors import TemporaryError, UserError
from sync.ics import ICS_CALENDAR

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 30.0
CURSOR_VERSION = 1
_TEMPORARY = {408, 425, 429}
_SCHEMES = ("https://", "http://", "webcal://", "webcals://")


def is_feed_address(text: str) -> bool:
    """True for the addresses `--from` and `[ics] sources` read as feeds, not files."""
    return text.lower().startswith(_SCHEMES)


def feed_url(address: str) -> str:
    """The http(s) URL to fetch for a feed address (`webcal://` -> `https://`)."""
    from sync.config import is_loopback_url

    parts = urlsplit(address.strip())
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        loopback = is_loopback_url(urlunsplit(("http", *parts[1:])))
        scheme = "http" if loopback and scheme == "webcal" else "https"
    if scheme not in ("http", "https") or not parts.netloc:
        raise UserError(
            f"{address} is not a feed address",
            next_step="use an https://, http:// or webcal:// address",
        )
    return urlunsplit((scheme, *parts[1:]))


def feed_identity(address: str) -> str:
    """`feed:<url>`: the source identity of a feed (the address as the user gave it)."""
    return f"feed:{address.strip()}"


@dataclass(frozen=True)
class FeedAnswer:
    """One conditional GET's answer. `body` is None when `not_modified` (304)."""

    not_modified: bool
    body: bytes | None
    etag: str | None
    last_modified: str | None
    url: str = ""  # where the body finally came from (after redirects)


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> FeedAnswer:
    """GET `url` (a feed address) conditionally. Raises `TemporaryError` or `UserError`
    (see the module docstring) with one line naming the address."""
    import niquests
    from niquests import exceptions as http

    target = feed_url(url)
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": "interview-followup"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with niquests.Session() as session:
        session.max_redirects = MAX_REDIRECTS
        try:
            answer = session.get(target, headers=headers, timeout=timeout, allow_redirects=True)
        except http.TooManyRedirects:
            raise UserError(
                f"the feed {url} redirects more than {MAX_REDIRECTS} times",
                next_step="copy the calendar's address again from where it is published",
            ) from None
        except http.Timeout:
            raise TemporaryError(
                f"the feed {url} did not answer within {timeout:g} s",
                next_step="the next run tries again",
            ) from None
        except (http.ConnectionError, OSError) as exc:
            raise TemporaryError(
                f"cannot reach the feed {url}: {_connection_reason(exc)}",
                next_step="check the network and the address; the next run tries again",
            ) from None
        except http.InvalidURL:
            raise UserError(f"{url} is not a valid address") from None
        status = answer.status_code or 0
        new_etag = answer.headers.get("ETag") or etag
        new_modified = answer.headers.get("Last-Modified") or last_modified
        final = str(answer.url or target)
        if status == 304:
            return FeedAnswer(True, None, new_etag, new_modified, final)
        if status in _TEMPORARY or status >= 500:
            raise TemporaryError(
                f"the feed {url} answered {status} {answer.reason or ''}".rstrip(),
                next_step="the server has trouble; the next run tries again",
            )
        if not 200 <= status < 300:
            raise UserError(
                f"the feed {url} answered {status} {answer.reason or ''}".rstrip(),
                next_step=_next_step_for(status),
            )
        body = answer.content or b""
        if not looks_like_icalendar(body):
            raise UserError(
                f"the feed {url} did not return a calendar: {_what_came_back(answer, body)}",
                next_step="use the calendar's iCal (.ics) address, not the page that shows it",
            )
        return FeedAnswer(False, body, new_etag, new_modified, final)


def looks_like_icalendar(body: bytes) -> bool:
    """Does the body start like an iCalendar stream (BOMs and blank lines allowed)?"""
    head = body[:512]
    for bom in (b"\xef\xbb\xbf",):
        head = head.removeprefix(bom)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (some Outlook exports)
        try:
            head = head.decode("utf-16").encode()
        except UnicodeDecodeError:
            return False
    return head.lstrip().upper().startswith(b"BEGIN:VCALENDAR")


@dataclass(frozen=True)
class FeedRead:
    """One read of a feed: the new cursor, whether anything changed, and the events
    (parsed from the body on first access: a 304 pass parses nothing it is not asked)."""

    identity: str
    cursor: dict[str, Any]
    changed: bool
    fetch_warnings: tuple[str, ...] = ()
    self_emails: tuple[str, ...] = ()
    _body: bytes | None = field(default=None, repr=False)

    @functools.cached_property
    def _parsed(self) -> tuple[list[SourceEvent], list[str]]:
        from sync.ics.reader import parse_ics_bytes

        if self._body is None:
            return [], []
        read = parse_ics_bytes(
            self._body,
            origin=self.identity.removeprefix("feed:"),
            calendar_id=ICS_CALENDAR,
            self_emails=self.self_emails,
        )
        return list(read.events), list(read.warnings)

    @property
    def body(self) -> bytes | None:
        """The calendar's bytes (the kept ones after a 304), None if there are none."""
        return self._body

    @property
    def events(self) -> list[SourceEvent]:
        """The feed's events. Raises `ParseError` if the body is a damaged calendar."""
        return self._parsed[0]

    @property
    def warnings(self) -> list[str]:
        return [*self.fetch_warnings, *self._parsed[1]]


def read_feed(
    address: str,
    *,
    cursor: Mapping[str, Any] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    self_emails: Collection[str] = (),
    have_events: bool = False,
) -> FeedRead:
    """Fetch a feed from `cursor` on. The cursor keeps the validators and the last body,
    so after a 304 the events can still be had without asking the server again.
    `have_events`: the caller kept the events of the last body itself (a pass's cache),
    so the validators are sent even when the cursor holds no body."""
    identity = feed_identity(address)
    etag, modified, kept = _from_cursor(cursor, address)
    validate = kept is not None or have_events
    answer = fetch_feed(
        address,
        etag=etag if validate else None,
        last_modified=modified if validate else None,
        timeout=timeout,
    )
    body = kept if answer.not_modified else answer.body
    changed = not answer.not_modified and body != kept
    new_cursor = {
        "version": CURSOR_VERSION,
        "address": address,
        "etag": answer.etag,
        "last_modified": answer.last_modified,
        **_encode_body(body),
    }
    return FeedRead(identity, new_cursor, changed, (), tuple(self_emails), body)


def _from_cursor(
    cursor: Mapping[str, Any] | None, address: str
) -> tuple[str | None, str | None, bytes | None]:
    if not isinstance(cursor, Mapping) or cursor.get("version") != CURSOR_VERSION:
        return None, None, None
    if cursor.get("address") != address:
        return None, None, None
    body: bytes | None = None
    if isinstance(cursor.get("body"), str):
        body = cursor["body"].encode("utf-8")
    elif isinstance(cursor.get("body_b64"), str):
        try:
            body = base64.b64decode(cursor["body_b64"], validate=True)
        except ValueError:
            body = None
    etag = cursor.get("etag") if isinstance(cursor.get("etag"), str) else None
    modified = cursor.get("last_modified")
    return etag, modified if isinstance(modified, str) else None, body


def _encode_body(body: bytes | None) -> dict[str, str]:
    if body is None:
        return {}
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_b64": base64.b64encode(body).decode("ascii")}


def _next_step_for(status: int) -> str:
    if status in (401, 403):
        return "the feed needs a login or is private: use its secret (published) address"
    if status in (404, 410):
        return "the calendar is no longer published there: copy its address again"
    return "check the address"


def _what_came_back(answer: Any, body: bytes) -> str:
    from sync.caldav.client import page_title

    kind = (answer.headers.get("Content-Type") or "no content type").split(";")[0].strip()
    if not body.strip():
        return f"an empty {kind} body"
    title = page_title(body)
    if title:
        return f"{kind}, a web page titled {title!r}"
    return f"{kind} starting {body[:40].decode('utf-8', 'replace').strip()!r}"


def _connection_reason(exc: BaseException) -> str:
    text = str(exc)
    for needle, said in (
        ("refused", "connection refused"),
        ("reset", "connection reset"),
        ("Name or service not known", "unknown host"),
        ("getaddrinfo", "unknown host"),
        ("certificate", "its TLS certificate is not valid"),
    ):
        if needle.lower() in text.lower():
            return said
    return "the connection failed"


@dataclass
class FeedSource:
    """An `.ics` feed (Google's secret address, Outlook's published calendar, any
    subscription) as a pass's `Source`: validators and last body ride in its cursor."""

    address: str
    rules: Any  # the pass's `sync.ruleset.RuleSet`
    self_emails: Collection[str] = ()
    timeout: float = DEFAULT_TIMEOUT
    floating_zone: Any = None  # reminders.timezone (a ZoneInfo): floating times are there

    @property
    def identity(self) -> str:
        return feed_identity(self.address)

    def read(self, status: Any, known_keys: set[str]) -> Any:
        """A 304 (or the same bytes) decides from the cached candidates, parsing nothing;
        new bytes are read with the fast read and their candidates cached. The body
        itself is never kept: the status file stays small whatever the feed's size."""
        from sync.eventcodec import event_from_json
        from sync.sources.base import SourceRead

        del known_keys
        row = status.source(self.identity)
        cached = status.cached_events(self.identity) if row else {}
        cursor = row.cursor if row else None
        read = read_feed(
            self.address,
            cursor=cursor,
            timeout=self.timeout,
            self_emails=self.self_emails,
            have_events=bool(cursor),
        )
        whole_cache = cursor is not None and len(cached) == cursor.get("kept")
        # Candidates chosen by other rules (a word added to the rules file, an upgrade)
        # may miss events these rules take: the body is read again.
        same_rules = cursor is not None and cursor.get("candidates") == self._chosen_by()
        if not read.changed and row is not None and whole_cache and same_rules:
            return SourceRead(
                identity=self.identity,
                label=self.address,
                events=[event_from_json(payload) for payload in cached.values()],
                timezone=row.timezone,
                warnings=list((cursor or {}).get("warnings") or ()),
                changed=False,
                cursor=cursor,
            )
        if read.body is None:  # a 304, but the cache is gone or stale: ask for the whole feed
            read = read_feed(self.address, timeout=self.timeout, self_emails=self.self_emails)
        return self._parsed(read, set(cached) | set(status.confirmations()), cached)

    def _chosen_by(self) -> str:
        from sync.eventcodec import candidates_key

        return candidates_key(self.rules, self.self_emails, self.floating_zone)

    def _parsed(self, read: FeedRead, keep: set[str], cached: dict[str, dict]) -> Any:
        from sync.eventcodec import event_to_json
        from sync.ics.reader import parse_ics_bytes
        from sync.sources.base import SourceRead
        from sync.sources.coverage import carried
        from sync.statusdb import CacheUpdate

        source = parse_ics_bytes(
            read.body or b"",
            origin=self.address,
            calendar_id=ICS_CALENDAR,
            self_emails=self.self_emails,
            fast=True,
            vocab=self.rules.vocab,
            keep_ids=keep,
            floating_zone=self.floating_zone,
        )
        events = list(source.events)
        warnings = list(source.warnings)
        kept, line = carried(cached, events, lambda: read.body or b"")
        events += kept
        if line:
            warnings.append(f"{self.address}: {line}")
        cursor = {k: v for k, v in read.cursor.items() if k not in ("body", "body_b64")}
        cursor["warnings"] = warnings
        cursor["kept"] = len(events)
        cursor["candidates"] = self._chosen_by()
        return SourceRead(
            identity=self.identity,
            label=self.address,
            events=events,
            timezone=source.timezone,
            warnings=warnings,
            changed=True,
            cursor=cursor,
            cache=CacheUpdate(full=True, put={e.id: event_to_json(e) for e in events}),
        )
