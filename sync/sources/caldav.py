"""A CalDAV calendar as a source of interviews, read incrementally (RFC 6578).

`read_calendar()` reads one calendar with `calendar.objects_by_sync_token` and a cursor
the caller keeps between passes (a JSON-able dict: the sync token and the raw resources
by href). It only reads: never a PUT, never a DELETE on a source calendar.

What a pass costs:

- unchanged: one sync-collection REPORT, answered with no members; nothing fetched;
- changed: that REPORT, then one calendar-multiget REPORT for the members whose ETag
  changed (Radicale's ETags are content hashes, so rewriting the same bytes is no
  change). Xandikos answers calendar-data with 404 inside sync reports (CALDAV-NOTES),
  which is why the data is always fetched separately;
- first pass, or a cursor from another calendar: the REPORT lists every member with
  its ETag, and only members not already cached with that ETag are fetched.

When a server's tokens break (Radicale answers a bad token with 403, Xandikos with 412)
python-caldav falls back to a full listing under a `fake-<md5>` token. The next pass
then tries a real token again (a fresh sync-collection without a token), instead of
staying on the fallback for good; a server without sync support stays on it (one full
listing per pass, the library's documented behaviour).

Events come from `sync.ics.reader.parse_ics_bytes`, resource by resource: one bad
resource is skipped with a warning naming it, the rest are read.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from rules.errors import ParseError
from rules.model import SourceEvent
from sync.caldav.account import normalise_url, source_identity
from sync.caldav.client import caldav_errors, is_network_error, object_data, object_etag
from sync.ics.reader import parse_ics_bytes

log = logging.getLogger("followup.caldav")

CURSOR_VERSION = 1

__all__ = ["CURSOR_VERSION", "CalDavRead", "read_calendar", "source_identity"]


class CalDavRead(NamedTuple):
    """What one read of one calendar gives: unpack as `events, cursor, changed, warnings`."""

    events: list[SourceEvent]
    cursor: dict[str, Any]  # JSON-able; hand it back on the next pass
    changed: bool  # False: the server reported nothing new since the cursor
    warnings: list[str]


def read_calendar(
    calendar: Any,
    *,
    username: str,
    cursor: Mapping[str, Any] | None = None,
    self_emails: Collection[str] = (),
    name: str | None = None,
    floating_zone: Any = None,
) -> CalDavRead:
    """Read one source calendar (a `caldav.Calendar`) from `cursor` on.

    The events' `calendar_id` is the source identity `caldav:<username>@<calendar url>`,
    so reminder keys never collide across accounts, calendars or kinds of source.
    `name` is how messages call the calendar (default: its URL); floating times are read
    in `floating_zone` (reminders.timezone) when given."""
    url = normalise_url(str(calendar.url))
    identity = source_identity(username, url)
    label = name or url
    old_token, cached = _from_cursor(cursor, url)
    resources = dict(cached)
    with caldav_errors(url, f"reading the calendar {label}"):
        result = calendar.objects_by_sync_token(sync_token=old_token, load_objects=False)
        token = result.sync_token
        if _is_fake(token):
            # The library's full-listing fallback: these objects are every member, with
            # data (or none at all when nothing changed since our own fake token).
            if not (old_token == token and len(result) == 0):
                resources = {
                    _href(obj): {"etag": object_etag(obj), "data": object_data(obj)}
                    for obj in result
                    if object_data(obj) is not None
                }
            if old_token is not None and not _is_fake(old_token):
                token = None  # the real token broke: try a fresh real one next pass
        else:
            if old_token is None:  # full listing: what is not listed is gone
                listed = {_href(obj) for obj in result}
                resources = {h: r for h, r in resources.items() if h in listed}
            deleted = {str(u) for u in getattr(result, "deleted_urls", ())}
            wanted = []
            for obj in result:
                href = _href(obj)
                if href in deleted or str(obj.url) in deleted:
                    resources.pop(href, None)
                elif href not in resources or resources[href].get("etag") != object_etag(obj):
                    wanted.append(obj)
            for href, obj in _fetch(calendar, wanted).items():
                data = object_data(obj) if obj is not None else None
                if data is None:  # gone between the listing and the fetch
                    resources.pop(href, None)
                else:
                    resources[href] = {"etag": object_etag(obj), "data": data}
    changed = resources != cached or old_token is None
    events, warnings = _parse(resources, identity, label, self_emails, floating_zone)
    new_cursor = {"version": CURSOR_VERSION, "url": url, "token": token, "resources": resources}
    return CalDavRead(events, new_cursor, changed, warnings)


def _from_cursor(
    cursor: Mapping[str, Any] | None, url: str
) -> tuple[str | None, dict[str, dict[str, Any]]]:
    """The token and cached resources, if the cursor is sound and for this calendar."""
    if not isinstance(cursor, Mapping) or cursor.get("version") != CURSOR_VERSION:
        return None, {}
    if cursor.get("url") != url:
        return None, {}
    token = cursor.get("token")
    raw = cursor.get("resources")
    if not isinstance(raw, Mapping):
        return None, {}
    resources = {
        str(href): {"etag": item.get("etag"), "data": item["data"]}
        for href, item in raw.items()
        if isinstance(item, Mapping) and isinstance(item.get("data"), str)
    }
    return (token if isinstance(token, str) and token else None), resources


def _fetch(calendar: Any, objects: list[Any]) -> dict[str, Any]:
    """href -> loaded object (None when it is gone), in one multiget REPORT if the
    server takes it, else one GET each."""
    if not objects:
        return {}
    out: dict[str, Any] = {_href(obj): None for obj in objects}
    try:
        for obj in calendar.multiget([obj.url for obj in objects]):
            out[_href(obj)] = obj
        return out
    except Exception as exc:
        if is_network_error(exc):
            raise
        log.debug("multiget refused (%s); fetching one by one", exc)
    for obj in objects:
        try:
            obj.load()
        except Exception as exc:
            if is_network_error(exc):
                raise
            continue
        out[_href(obj)] = obj
    return out


def _parse(
    resources: Mapping[str, Mapping[str, Any]],
    identity: str,
    label: str,
    self_emails: Collection[str],
    floating_zone: Any = None,
) -> tuple[list[SourceEvent], list[str]]:
    events: list[SourceEvent] = []
    warnings: list[str] = []
    for href in sorted(resources):
        origin = f"{label} {href.rstrip('/').rsplit('/', 1)[-1]}"
        data = str(resources[href]["data"])
        try:
            read = parse_ics_bytes(
                data.encode("utf-8"),
                origin=origin,
                calendar_id=identity,
                self_emails=self_emails,
                floating_zone=floating_zone,
            )
        except ParseError as exc:
            warnings.append(f"skipped {origin}: {exc}")
            continue
        events.extend(read.events)
        warnings.extend(read.warnings)
    return events, warnings


def _is_fake(token: object) -> bool:
    return isinstance(token, str) and token.startswith("fake-")


def _href(obj: Any) -> str:
    return str(obj.url.canonical())


@dataclass
class CalDavSource:
    """One CalDAV calendar as a pass's `Source`: its cursor lives in the status DB."""

    calendar: Any
    username: str
    self_emails: Collection[str] = ()
    name: str | None = None
    floating_zone: Any = None  # reminders.timezone (a ZoneInfo): floating times are there

    @property
    def identity(self) -> str:
        return source_identity(self.username, normalise_url(str(self.calendar.url)))

    def read(self, status: Any, known_keys: set[str]) -> Any:
        from sync.sources.base import SourceRead

        del known_keys  # the whole calendar is cached in the cursor
        row = status.source(self.identity)
        read = read_calendar(
            self.calendar,
            username=self.username,
            cursor=row.cursor if row else None,
            self_emails=self.self_emails,
            name=self.name,
            floating_zone=self.floating_zone,
        )
        return SourceRead(
            identity=self.identity,
            label=self.name or normalise_url(str(self.calendar.url)),
            events=read.events,
            warnings=read.warnings,
            changed=read.changed,
            cursor=read.cursor,
        )
