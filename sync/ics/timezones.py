"""Time zone names as calendar producers write them, mapped to IANA `ZoneInfo`.

Producers disagree on what goes after `TZID=`:

- IANA names (`Europe/Berlin`): Google, Apple, Thunderbird, Fastmail.
- Windows names (`W. Europe Standard Time`, `Eastern Standard Time`): Outlook and
  Exchange, sometimes quoted. icalendar ships Unicode CLDR's Windows -> Olson table.
- "Globally unique" ids (`/mozilla.org/20050126_1/Europe/Berlin`, RFC 5545 3.2.19):
  old Lightning and libical; the trailing IANA name is what they mean.
- Display names (`(UTC-03:00) Brasília`, `GMT +0100 (Standard) / GMT +0200 (Daylight)`)
  and custom ones (`UTC+11`): no table maps these; only the file's own VTIMEZONE
  says what they are, and the reader falls back to it.

The lookup never touches the file system with a name taken from a file: it checks
against `zoneinfo.available_timezones()` first.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, timezone, tzinfo

from icalendar import Timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

__all__ = ["is_utc", "resolve_tzid", "vtimezone_lines"]

_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"})


@functools.cache
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA name -> canonical spelling (computed once, ~600 names)."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@functools.cache
def _windows_names() -> dict[str, str]:
    return {name.lower(): olson for name, olson in WINDOWS_TO_OLSON.items()}


def _clean(tzid: str) -> str:
    return tzid.strip().strip('"').strip()


@functools.lru_cache(maxsize=512)
def resolve_tzid(tzid: str | None) -> zoneinfo.ZoneInfo | None:
    """The IANA zone a producer's TZID means, or None when no table knows it."""
    if not tzid:
        return None
    name = _clean(tzid)
    if not name or len(name) > 200:
        return None
    key = name.lower()
    iana = _iana_names()
    olson = iana.get(key) or _windows_names().get(key)
    if olson is None and "/" in name:
        # "/mozilla.org/20050126_1/Europe/Berlin": try the longest IANA-shaped suffix.
        parts = [p for p in name.split("/") if p]
        for first in range(1, len(parts)):
            olson = iana.get("/".join(parts[first:]).lower())
            if olson:
                break
    if olson is None or olson.lower() not in iana:
        return None
    try:
        return zoneinfo.ZoneInfo(iana[olson.lower()])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # tzdata missing
        return None


def is_utc(tz: tzinfo | None) -> bool:
    """True for UTC however it is spelled (stdlib, ZoneInfo("UTC"), "Etc/UTC", ...)."""
    if tz is None:
        return False
    if tz is UTC:
        return True
    key = getattr(tz, "key", None)
    if key is not None:
        return key in _UTC_NAMES
    return False


@functools.lru_cache(maxsize=256)
def vtimezone_lines(key: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """Unfolded content lines of a VTIMEZONE for IANA zone `key`, for those years only.

    Bounded to the years in use so a file stays a few hundred bytes instead of the
    full history (icalendar's default spans 1970-2038). The caller passes one year past
    the last entry so a reminder the user drags into next year keeps correct DST.
    """
    component = Timezone.from_tzinfo(
        zoneinfo.ZoneInfo(key), key, date(first_year, 1, 1), date(last_year, 12, 31)
    )
    text = component.to_ical().decode("utf-8")
    lines: list[str] = []
    for physical in text.replace("\r\n", "\n").split("\n"):
        if not physical:
            continue
        if physical[0] in " \t" and lines:
            lines[-1] += physical[1:]
        else:
            lines.append(physical)
    return tuple(lines)


def utc_offset_zone(moment: datetime) -> timezone:
    """A fixed-offset zone equal to `moment`'s offset (for zones no table names)."""
    offset = moment.utcoffset()
    if offset is None:
        return UTC
    return timezone(offset)
