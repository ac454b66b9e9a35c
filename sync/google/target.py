"""The one Google calendar reminders go into, found again on every path.

Default: a secondary calendar "Interview follow-ups" that the tool creates once (the
`calendar.app.created` scope writes only such calendars). There must never be a second
one, whatever happened to this machine's files:

- its id is remembered in the status database and in the token file (a reconnect keeps
  it);
- when neither knows it (lost status file and a new token, a second machine connecting
  the same account), the account's calendar list is read with the read-only
  `calendar.calendarlist.readonly` scope (`app.created` cannot list calendars), and the
  calendar is recognised by its name and the `followup_managed` marker in its
  description;
- creating it is guarded against a lost answer: before `calendars.insert` is sent again,
  the list is read, and a calendar that the lost answer did create is taken;
- duplicates left by an earlier version are merged: the oldest (first listed) is kept,
  the tool's reminders in the others are deleted (the planner writes them into the one
  kept) and an emptied duplicate is deleted, with one notice.

With `--target primary` the reminders go into the primary calendar, where the
`followup_managed` marker is the only thing that sets them apart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sync.config import TARGET_CALENDAR_NAME
from sync.google.api import Api, status_of
from sync.google.auth import CALENDARLIST_SCOPE, Connection
from sync.google.events import MANAGED, content_hash_of, is_cancelled, marker_hash

log = logging.getLogger("followup.google")

DESCRIPTION = (
    "Follow-up reminders after job interviews, written by interview-followup "
    "(followup_managed). Events you edit or delete here are left as you leave them."
)


@dataclass
class Target:
    calendar_id: str
    created: bool = False  # created in this pass: it is empty, no need to list it
    notices: list[str] = field(default_factory=list)


def can_list(connection: Connection) -> bool:
    return CALENDARLIST_SCOPE in connection.scopes


def ours(entry: dict[str, Any]) -> bool:
    """A calendar this tool created: our name and the marker in the description."""
    return entry.get("summary") == TARGET_CALENDAR_NAME and MANAGED in (
        entry.get("description") or ""
    )


def followup_calendars(api: Api) -> list[str]:
    """Ids of the tool's follow-ups calendars in the account, in the list's order."""
    found: list[str] = []
    page = None
    while True:
        params: dict[str, Any] = {"maxResults": 250, "showHidden": True}
        if page:
            params["pageToken"] = page
        answer = api.call(api.calendar_list().list(**params), "listing your calendars")
        found += [e["id"] for e in answer.get("items") or [] if ours(e) and e.get("id")]
        page = answer.get("nextPageToken")
        if not page:
            return found


def find_or_create(
    api: Api, connection: Connection, *, known: str | None, time_zone: str | None
) -> Target:
    """The follow-ups calendar: the known one, else the one the account has, else new."""
    if known:
        return Target(known)
    if can_list(connection):
        found = followup_calendars(api)
        if found:
            target = Target(found[0])
            if len(found) > 1:
                merge_duplicates(api, found[0], found[1:], target)
            return target
    return create(api, connection, time_zone=time_zone)


def create(api: Api, connection: Connection, *, time_zone: str | None) -> Target:
    body: dict[str, Any] = {"summary": TARGET_CALENDAR_NAME, "description": DESCRIPTION}
    if time_zone:
        body["timeZone"] = time_zone

    def landed_anyway() -> dict[str, Any] | None:
        if not can_list(connection):
            return None
        found = followup_calendars(api)
        return {"id": found[0]} if found else None

    made = api.call(
        api.calendars().insert(body=body),
        "creating the follow-ups calendar",
        before_retry=landed_anyway,
    )
    target = Target(made["id"], created=True)
    if can_list(connection):
        # httplib2 sends a request again, POSTs included, when the first answer on a
        # reused connection is lost ("stale connection"): that resend may have made a
        # twin behind our back. Both are new and empty; keep the one we were given.
        twins = [c for c in followup_calendars(api) if c != made["id"]]
        if twins:
            merge_duplicates(api, made["id"], twins, target, quiet=True)
    connection.remember_target_calendar(made["id"])
    return target


def merge_duplicates(
    api: Api, keep: str, others: list[str], target: Target, *, quiet: bool = False
) -> None:
    """Our reminders end up in one calendar: unedited ones in the duplicates are deleted
    (the planner writes them into `keep`); a duplicate left empty is deleted too."""
    from sync.stores.google import TargetGone, list_managed

    kept_any = False
    for calendar_id in others:
        try:
            listed = list_managed(api, calendar_id)
        except TargetGone:
            continue
        edited = False
        for event_id, resource in listed.items():
            if is_cancelled(resource):
                continue
            if content_hash_of(resource) != marker_hash(resource):
                edited = True  # the user's now: left where the user left it
                continue
            api.call(
                api.events().delete(calendarId=calendar_id, eventId=event_id),
                "merging follow-ups calendars",
            )
        if edited:
            kept_any = True
            continue
        try:
            api.call(api.calendars().delete(calendarId=calendar_id), "merging calendars")
        except Exception as exc:  # a calendar we cannot delete stays, emptied
            if status_of(exc) not in (403, 404, 410):
                raise
    if quiet and not kept_any:
        log.info("deleted %d empty duplicate follow-ups calendar(s)", len(others))
        return
    more = " (reminders you edited stay where they were)" if kept_any else ""
    target.notices.append(
        f'found {len(others) + 1} "{TARGET_CALENDAR_NAME}" calendars (left by an earlier '
        f"version or another machine); merged them into one{more}"
    )
