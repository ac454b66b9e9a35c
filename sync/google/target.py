"""The calendar reminders go into, and what the tool already has there.

Default: a secondary calendar "Interview follow-ups" that the tool creates once (the
`calendar.app.created` scope reaches only such calendars). Its id is remembered in
state; when state is lost, the calendar is found again by name and description marker
(calendarList), so a lost state file never creates a second calendar. If the user
deleted it (404/410 on use), it is created again and the records of the old one are
forgotten: their reminders went with it.

With `--target primary` the reminders go into the primary calendar, where the
`followup_managed` marker is the only thing that sets them apart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sync.config import TARGET_CALENDAR_NAME
from sync.google.api import Api, status_of
from sync.google.auth import Connection
from sync.google.events import MANAGED
from sync.state import State

log = logging.getLogger("followup.google")

STATE_KEY = "google.target_calendar"
DESCRIPTION = (
    "Follow-up reminders after job interviews, written by interview-followup "
    "(followup_managed). Events you edit or delete here are left as you leave them."
)


class TargetGone(Exception):
    """The target calendar answered 404/410: the user deleted it."""


@dataclass
class Target:
    calendar_id: str
    created: bool = False  # created in this pass: it is empty, no need to list it
    notices: list[str] = field(default_factory=list)


def known_target(state: State, connection: Connection) -> str | None:
    return state.get(STATE_KEY) or connection.target_calendar


def find_or_create(
    api: Api, state: State, connection: Connection, *, mode: str, time_zone: str | None
) -> Target:
    if mode == "primary":
        return Target("primary")
    known = known_target(state, connection)
    if known:
        state.put(STATE_KEY, known)
        return Target(known)
    return create(api, state, connection, time_zone=time_zone)


def create(api: Api, state: State, connection: Connection, *, time_zone: str | None) -> Target:
    body: dict[str, Any] = {"summary": TARGET_CALENDAR_NAME, "description": DESCRIPTION}
    if time_zone:
        body["timeZone"] = time_zone
    made = api.call(api.calendars().insert(body=body), "creating the follow-ups calendar")
    state.put(STATE_KEY, made["id"])
    connection.remember_target_calendar(made["id"])
    return Target(made["id"], created=True)


def recreate(
    api: Api, state: State, connection: Connection, old_id: str, *, time_zone: str | None
) -> Target:
    with state.transaction():
        state.forget_managed(old_id)
        state.put(STATE_KEY, None)
    target = create(api, state, connection, time_zone=time_zone)
    target.notices.append(
        f'the calendar "{TARGET_CALENDAR_NAME}" was deleted; created it again and '
        "re-added the follow-up reminders"
    )
    return target


def list_managed(api: Api, calendar_id: str) -> dict[str, dict[str, Any]]:
    """Every event the tool wrote into the target, tombstones included, by id.

    Raises TargetGone when the calendar no longer exists."""
    from googleapiclient.errors import HttpError

    out: dict[str, dict[str, Any]] = {}
    page = None
    while True:
        params: dict[str, Any] = {
            "calendarId": calendar_id,
            "privateExtendedProperty": f"{MANAGED}=1",
            "showDeleted": True,
            "maxResults": 2500,
            "singleEvents": False,
        }
        if page:
            params["pageToken"] = page
        try:
            answer = api.call(api.events().list(**params), "reading the follow-ups calendar")
        except HttpError as exc:
            if status_of(exc) in (404, 410):
                raise TargetGone(calendar_id) from None
            raise
        for item in answer.get("items") or []:
            if item.get("id"):
                out[item["id"]] = item
        page = answer.get("nextPageToken")
        if not page:
            return out
