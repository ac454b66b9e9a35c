"""Reminder <-> Google event resource: the body the tool writes, and the way back.

The one place that knows how a `Reminder` looks in Google Calendar. `content_hash_of`
maps a Google event back to exactly the inputs of `Reminder.content_hash()` (title,
description, start, end, alert), so comparing it with the `followup_hash` marker tells
whether the user edited the reminder by hand.

Markers live in `extendedProperties.private` (keys <= 44 chars or Google silently drops
them; values <= 1024 chars or Google truncates them). The event id is `reminder.key`
(base32hex, 26 chars), so a re-run, a crash or a lost state file finds its own work.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rules.model import Reminder

MANAGED = "followup_managed"
SOURCE = "followup_source"
HASH = "followup_hash"
MAX_VALUE = 1024


def private_props(resource: dict[str, Any]) -> dict[str, str]:
    props = resource.get("extendedProperties") or {}
    private = props.get("private") or {}
    return private if isinstance(private, dict) else {}


def is_managed(resource: dict[str, Any]) -> bool:
    return private_props(resource).get(MANAGED) == "1"


def marker_hash(resource: dict[str, Any]) -> str | None:
    return private_props(resource).get(HASH)


def is_cancelled(resource: dict[str, Any]) -> bool:
    return resource.get("status") == "cancelled"


def _when(moment: datetime) -> dict[str, str]:
    out = {"dateTime": moment.isoformat()}
    zone = getattr(moment.tzinfo, "key", None)
    if zone:
        out["timeZone"] = zone
    elif moment.utcoffset() is not None and not moment.utcoffset():
        out["timeZone"] = "UTC"
    return out


def reminder_body(reminder: Reminder, *, with_id: bool = True) -> dict[str, Any]:
    """The full event resource for a reminder (insert, or patch to update/restore)."""
    interview = reminder.interview
    body: dict[str, Any] = {
        "summary": reminder.title,
        "description": reminder.description,
        "start": _when(reminder.start),
        "end": _when(reminder.end),
        "reminders": {
            "useDefault": False,
            "overrides": [{"method": "popup", "minutes": reminder.alert_minutes_before}],
        },
        "transparency": "transparent",
        "extendedProperties": {
            "private": {
                MANAGED: "1",
                SOURCE: f"{interview.calendar_id}/{interview.id}"[:MAX_VALUE],
                HASH: reminder.content_hash(),
            }
        },
    }
    link = interview.link or ""
    # `source.url` must be http(s) (discovery doc); it links the reminder to the interview.
    if link.startswith(("https://", "http://")):
        body["source"] = {"title": (interview.summary or "Interview")[:200], "url": link}
    if with_id:
        body["id"] = reminder.key
    return body


def _moment(value: Any) -> str | None:
    """`start`/`end` of a resource, in the form `Reminder.start.isoformat()` has."""
    if not isinstance(value, dict):
        return None
    text = value.get("dateTime")
    if not isinstance(text, str):
        return value.get("date") if isinstance(value.get("date"), str) else None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    zone_name = value.get("timeZone")
    if zone_name:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            return moment.isoformat()
        moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    return moment.isoformat()


def _alert(resource: dict[str, Any]) -> int | None:
    reminders = resource.get("reminders") or {}
    if reminders.get("useDefault", True):
        return None
    overrides = reminders.get("overrides") or []
    popups = [o.get("minutes") for o in overrides if o.get("method") == "popup"]
    others = [o for o in overrides if o.get("method") != "popup"]
    if len(popups) != 1 or others:
        return None
    return popups[0]


def content_hash_of(resource: dict[str, Any]) -> str:
    """What `Reminder.content_hash()` would be for the event as it is now.

    Keep in step with `rules.model.Reminder.content_hash`: same fields, same order,
    same encoding. A test pins the two together (tests/google/test_events.py)."""
    payload = json.dumps(
        [
            resource.get("summary", ""),
            resource.get("description", ""),
            _moment(resource.get("start")),
            _moment(resource.get("end")),
            _alert(resource),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
