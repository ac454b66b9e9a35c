"""`SourceEvent` to JSON and back, exactly; and a cheap fingerprint of a source file.

The pass keeps a file's candidate events (what `read_ics(..., fast=True)` returned) in
its status database, so an unchanged file is not parsed at all: the rules decide again
each pass from what was kept (SPEC: decisions are never cached, inputs are).

The round trip is exact: `event_from_json(event_to_json(e)) == e` for every field, and
the times keep their kind and zone, which `==` alone would not check (an aware datetime
compares equal to the same instant in another zone):

- a `date` stays a date (`{"date": "2026-12-03"}`), a datetime stays a datetime;
- a `ZoneInfo` zone is stored by its IANA key (`{"dt": "...", "zone": "Europe/Berlin"}`),
  so the wall clock and later DST rules are those of that zone again;
- a fixed offset (`timezone(timedelta(hours=5, minutes=30))`, UTC included) is stored
  as the ISO offset of the value (`"zone": null`), and read back as that fixed offset;
- people keep every field (`is_self`, `response`, `resource`).

A format `"v": 1` is written; anything else is refused with `ValueError`, so a cache
written by another version is dropped and the file parsed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules.model import Person, SourceEvent
from sync.ruleset import RuleSet

__all__ = ["FORMAT", "candidates_key", "event_from_json", "event_to_json", "fingerprint"]

FORMAT = 1


def _moment_to_json(value: datetime | date | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return {"date": value.isoformat()}
    zone = value.tzinfo
    if zone is None:
        raise ValueError("naive datetime in a SourceEvent (all times must be aware)")
    if isinstance(zone, ZoneInfo) and zone.key:
        # The wall clock and the fold: the offset is the zone's business on the way back.
        return {
            "dt": value.replace(tzinfo=None).isoformat(),
            "zone": zone.key,
            "fold": value.fold,
        }
    offset = value.utcoffset()
    if not isinstance(zone, timezone) or offset is None:
        raise ValueError(f"unsupported tzinfo {type(zone).__name__} (need ZoneInfo or offset)")
    name = zone.tzname(None)
    plain = timezone(offset).tzname(None)
    return {
        "dt": value.isoformat(),
        "zone": None,
        "utc": zone is UTC,
        "name": None if name == plain else name,
        "fold": value.fold,
    }


def _moment_from_json(value: dict[str, Any] | None) -> datetime | date | None:
    if value is None:
        return None
    if "date" in value:
        return date.fromisoformat(value["date"])
    if value.get("zone"):
        wall = datetime.fromisoformat(value["dt"])
        return wall.replace(tzinfo=ZoneInfo(value["zone"]), fold=int(value.get("fold", 0)))
    moment = datetime.fromisoformat(value["dt"])
    if moment.tzinfo is None:
        raise ValueError(f"a fixed-offset time without its offset: {value['dt']!r}")
    fold = int(value.get("fold", 0))
    if value.get("utc"):
        return moment.replace(tzinfo=UTC, fold=fold)
    offset = moment.utcoffset() or timedelta(0)
    name = value.get("name")
    zone = timezone(offset, name) if name else timezone(offset)
    return moment.replace(tzinfo=zone, fold=fold)


def _person_to_json(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "email": person.email,
        "name": person.name,
        "is_self": person.is_self,
        "response": person.response,
        "resource": person.resource,
    }


def _person_from_json(value: dict[str, Any] | None) -> Person | None:
    if value is None:
        return None
    return Person(
        email=value["email"],
        name=value["name"],
        is_self=bool(value["is_self"]),
        response=value["response"],
        resource=bool(value["resource"]),
    )


def event_to_json(event: SourceEvent) -> dict[str, Any]:
    """A JSON-ready dict of every field of `event` (see the module docstring)."""
    return {
        "v": FORMAT,
        "id": event.id,
        "calendar_id": event.calendar_id,
        "summary": event.summary,
        "start": _moment_to_json(event.start),
        "end": _moment_to_json(event.end),
        "timezone": event.timezone,
        "description": event.description,
        "location": event.location,
        "status": event.status,
        "event_type": event.event_type,
        "organizer": _person_to_json(event.organizer),
        "attendees": [_person_to_json(p) for p in event.attendees],
        "link": event.link,
        "recurring": event.recurring,
        "managed": event.managed,
        "origin": event.origin,
        "conference": event.conference,
    }


def event_from_json(value: dict[str, Any]) -> SourceEvent:
    """The `SourceEvent` `event_to_json` was given. Raises `ValueError` (or `KeyError`
    / `TypeError` for a dict of another shape) when the value is not one of ours."""
    if value.get("v") != FORMAT:
        raise ValueError(f"not an event of cache format {FORMAT}: v={value.get('v')!r}")
    start = _moment_from_json(value["start"])
    if start is None:
        raise ValueError("an event without a start")
    return SourceEvent(
        id=value["id"],
        calendar_id=value["calendar_id"],
        summary=value["summary"],
        start=start,
        end=_moment_from_json(value["end"]),
        timezone=value["timezone"],
        description=value["description"],
        location=value["location"],
        status=value["status"],
        event_type=value["event_type"],
        organizer=_person_from_json(value["organizer"]),
        attendees=tuple(p for p in map(_person_from_json, value["attendees"]) if p is not None),
        link=value["link"],
        recurring=bool(value["recurring"]),
        managed=bool(value["managed"]),
        origin=value["origin"],
        conference=value["conference"],
    )


def fingerprint(path: Path) -> str:
    """`"<size>:<mtime_ns>:<blake2b-128 of the bytes>"` for a source file.

    Size and mtime alone miss an edit that keeps both (a copy with `cp -p`, a tool that
    restores the mtime, a second edit within the file system's timestamp resolution); the
    hash catches those. BLAKE2b (hashlib, C) reads about as fast as the disk delivers:
    tens of milliseconds for a 40 MB export, against tens of seconds to parse it. A
    caller that trusts size and mtime can compare the first two fields only.
    Raises `OSError` when the file cannot be read.
    """
    path = Path(path)
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        digest = hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16))
    return f"{stat.st_size}:{stat.st_mtime_ns}:{digest.hexdigest()}"


def candidates_key(
    rules: RuleSet, self_emails: Iterable[str] = (), floating_zone: ZoneInfo | None = None
) -> str:
    """What else a cached candidate list depends on besides the file: the rules that
    chose the candidates (`RuleSet.made_of`: a rules-file word added later must find its
    events, an upgrade may read events differently) and the user's addresses (they
    decide `is_self`), and the zone floating times are read in (`reminders.timezone`).
    Store it beside `fingerprint(path)`; a cache is good only when
    both match. The `keep_ids` of the read are not in it: an id to keep that the cache
    lacks means reading the file again. Known without loading the vocabulary.
    """
    emails = sorted({e.strip().lower() for e in self_emails if e})
    zone = [f"floating={floating_zone.key}"] if floating_zone is not None else []
    return rules.key("candidates", str(FORMAT), *emails, *zone)
