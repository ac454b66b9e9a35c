"""The emulator's data model: calendars, events, tombstones, sync and page tokens.

Every public method takes the store's lock, so the HTTP threads and the test's own
seeding calls can interleave safely. Responses are built (and later serialised) while
the lock is held; nothing deep-copies a whole calendar per request.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .discovery import parse_rfc3339
from .errors import ApiError

ACCESS_ROLES = ("owner", "writer", "reader", "freeBusyReader")
EVENT_ID = re.compile(r"^[0-9a-v]{5,1024}$")
_B32HEX = "0123456789abcdefghijklmnopqrstuv"
MAX_PRIVATE_KEY = 44
MAX_PRIVATE_VALUE = 1024
SYNC_FORBIDDEN = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
# Parameters that do not change which events a listing contains (ignored when checking
# that a pageToken is used with the same query it came from).
_PAGE_FREE = {
    "pageToken",
    "maxResults",
    "alt",
    "fields",
    "prettyPrint",
    "key",
    "quotaUser",
    "userIp",
    "oauth_token",
    "alwaysIncludeEmail",
    "maxAttendees",
    "timeZone",
    "calendarId",
}


def new_event_id() -> str:
    return "".join(secrets.choice(_B32HEX) for _ in range(26))


def _rfc3339(moment: dt.datetime) -> str:
    return (
        moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}Z"
    )


def merge_patch(target: dict, changes: dict) -> dict:
    """Google's patch: objects merge key-wise, arrays and scalars replace, null removes."""
    out = dict(target)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_patch(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class _Event:
    __slots__ = ("body", "seq", "start", "end", "updated_ts")

    def __init__(self, body: dict, seq: int, start: float, end: float, updated_ts: float):
        self.body = body
        self.seq = seq
        self.start = start
        self.end = end
        self.updated_ts = updated_ts

    @property
    def deleted(self) -> bool:
        return self.body.get("status") == "cancelled"

    def minimal(self) -> dict:
        b = self.body
        return {"kind": "calendar#event", "etag": b["etag"], "id": b["id"], "status": "cancelled"}


@dataclass
class Calendar:
    id: str
    summary: str
    time_zone: str
    primary: bool
    owner_app: str | None  # OAuth client id that created it via calendars.insert
    description: str | None = None
    etag: str = '"0"'
    access_role: str = "owner"  # the user's role: owner, writer, reader, freeBusyReader

    def __post_init__(self) -> None:
        self.events: dict[str, _Event] = {}

    def resource(self) -> dict:
        out = {
            "kind": "calendar#calendar",
            "etag": self.etag,
            "id": self.id,
            "summary": self.summary,
            "timeZone": self.time_zone,
            "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
        }
        if self.description:
            out["description"] = self.description
        return out

    def list_entry(self) -> dict:
        out = self.resource()
        out.update(
            kind="calendar#calendarListEntry",
            colorId="14",
            backgroundColor="#9fe1e7",
            foregroundColor="#000000",
            selected=True,
            accessRole=self.access_role,
            defaultReminders=[{"method": "popup", "minutes": 10}] if self.primary else [],
        )
        out.pop("conferenceProperties", None)
        if self.primary:
            out["primary"] = True
        return out


@dataclass
class _Page:
    cal_id: str
    ids: list[str]
    offset: int
    sync_seq: int
    fingerprint: tuple
    incremental: bool


class Store:
    def __init__(
        self,
        user_email: str = "user@example.com",
        time_zone: str = "UTC",
        max_page_size: int = 2500,
    ):
        self.lock = threading.RLock()
        self.user_email = user_email
        self.max_page_size = max_page_size
        self._seq = 0
        self._last_ms = 0
        self.calendars: dict[str, Calendar] = {}
        self._sync_tokens: dict[str, tuple[str, int]] = {}
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self.calendars[user_email] = Calendar(user_email, user_email, time_zone, True, None)
        # Real Google sometimes stores what it is sent a little differently (trims,
        # reformats). Tests set this to a function that edits an event body in place on
        # every API write, to check the client tells that apart from a user's edit.
        self.reformat: Callable[[dict], None] | None = None

    # -- clock / versions -------------------------------------------------------
    def _tick(self) -> tuple[int, dt.datetime]:
        """Next change number and a strictly increasing `updated` time."""
        self._seq += 1
        now_ms = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
        self._last_ms = max(now_ms, self._last_ms + 1)
        return self._seq, dt.datetime.fromtimestamp(self._last_ms / 1000, dt.UTC)

    def calendar(self, cal_id: str) -> Calendar:
        cal = self.calendars.get(self.user_email if cal_id == "primary" else cal_id)
        if cal is None:
            raise ApiError(404, "notFound", "Not Found")
        return cal

    # -- calendars --------------------------------------------------------------
    def add_calendar(
        self,
        summary: str,
        owner_app: str | None = None,
        time_zone: str | None = None,
        description: str | None = None,
        access_role: str = "owner",
    ) -> Calendar:
        if access_role not in ACCESS_ROLES:
            raise ValueError(f"access_role must be one of {', '.join(ACCESS_ROLES)}")
        with self.lock:
            seq, _ = self._tick()
            cal_id = f"c_{secrets.token_hex(16)}@group.calendar.google.com"
            zone = time_zone or self.calendars[self.user_email].time_zone
            _zone(zone)
            cal = Calendar(
                cal_id,
                summary,
                zone,
                False,
                owner_app,
                description,
                etag=f'"{seq}"',
                access_role=access_role,
            )
            self.calendars[cal_id] = cal
            return cal

    def change_calendar(self, cal_id: str, changes: dict, *, replace: bool = False) -> Calendar:
        """calendars.patch (merge) or calendars.update (replace): summary, description,
        timeZone; other writable fields of the schema are accepted and ignored."""
        with self.lock:
            cal = self.calendar(cal_id)
            if cal.access_role != "owner":
                raise ApiError(403, "forbidden", "Forbidden")
            summary = changes.get("summary", None if replace else cal.summary)
            if not summary:
                raise ApiError(400, "required", "Missing summary.")
            zone = changes.get("timeZone") or (None if replace else cal.time_zone)
            zone = zone or self.calendars[self.user_email].time_zone
            _zone(zone)
            seq, _ = self._tick()
            cal.summary, cal.time_zone = summary, zone
            if replace or "description" in changes:
                cal.description = changes.get("description") or None
            cal.etag = f'"{seq}"'
            return cal

    def delete_calendar(self, cal_id: str) -> None:
        with self.lock:
            cal = self.calendar(cal_id)
            if cal.primary:
                raise ApiError(
                    400,
                    "cannotDeletePrimaryCalendar",
                    "The primary calendar cannot be deleted; clear it instead.",
                )
            del self.calendars[cal.id]
            for token, (cid, _) in list(self._sync_tokens.items()):
                if cid == cal.id:
                    del self._sync_tokens[token]

    # -- event normalisation ----------------------------------------------------
    def _times(self, cal: Calendar, body: dict) -> tuple[float, float]:
        points = []
        for field in ("start", "end"):
            value = body.get(field)
            if not isinstance(value, dict) or not (value.get("date") or value.get("dateTime")):
                raise ApiError(400, "required", f"Missing {field} time.")
            points.append(_instant(value, cal.time_zone, field))
        start, end = points
        if ("date" in body["start"]) != ("date" in body["end"]):
            raise ApiError(
                400, "invalid", "Start and end times must either both be date or both be dateTime."
            )
        if end < start:
            raise ApiError(
                400, "timeRangeEmpty", "The specified time range is empty.", location="end.dateTime"
            )
        return start, end

    def _finish(self, cal: Calendar, body: dict, old: _Event | None, *, api: bool) -> _Event:
        """Validate, fill server-managed fields, version and store one event."""
        if api and self.reformat is not None and body.get("status") != "cancelled":
            self.reformat(body)
        start, end = self._times(cal, body)
        status = body.setdefault("status", "confirmed")
        if status not in ("confirmed", "tentative", "cancelled"):
            raise ApiError(400, "invalid", f"Invalid value for status: {status}")
        event_type = body.setdefault("eventType", "default")
        if event_type not in (
            "default",
            "birthday",
            "focusTime",
            "fromGmail",
            "outOfOffice",
            "workingLocation",
        ):
            raise ApiError(400, "invalid", f"Invalid event type: {event_type}")
        _check_reminders(body.setdefault("reminders", {"useDefault": True}))
        _trim_properties(body)
        seq, now = self._tick()
        stamp = _rfc3339(now)
        organizer = (
            {"email": cal.id, "self": True}
            if cal.primary
            else {"email": cal.id, "displayName": cal.summary, "self": True}
        )
        creator = {"email": self.user_email, "self": True}
        if old is not None:
            prev = old.body
            body["created"] = prev["created"]
            body["iCalUID"] = prev["iCalUID"]
            body.setdefault("creator", prev.get("creator", creator))
            body.setdefault("organizer", prev.get("organizer", organizer))
            moved = (prev.get("start"), prev.get("end")) != (body["start"], body["end"])
            body["sequence"] = prev.get("sequence", 0) + (1 if moved else 0)
        else:
            body["created"] = stamp
            body.setdefault("iCalUID", f"{body['id']}@google.com")
            if api:
                body["creator"], body["organizer"] = creator, organizer
            else:
                body.setdefault("creator", creator)
                body.setdefault("organizer", organizer)
            body.setdefault("sequence", 0)
        eid = base64.urlsafe_b64encode(f"{body['id']} {cal.id}".encode()).decode().rstrip("=")
        body.update(
            kind="calendar#event",
            etag=f'"{int(now.timestamp() * 1000)}{seq:06d}"',
            updated=stamp,
            htmlLink=f"https://www.google.com/calendar/event?eid={eid}",
        )
        event = _Event(body, seq, start, end, now.timestamp())
        cal.events[body["id"]] = event
        return event

    @staticmethod
    def _clean(body: dict) -> dict:
        out = copy.deepcopy(body)
        for field in ("kind", "etag", "htmlLink", "created", "updated"):
            out.pop(field, None)
        return out

    # -- event operations (API) -------------------------------------------------
    def insert_event(self, cal_id: str, body: dict, *, api: bool = True) -> dict:
        with self.lock:
            cal = self.calendar(cal_id)
            body = self._clean(body)
            if "id" in body:
                if not isinstance(body["id"], str) or not EVENT_ID.match(body["id"]):
                    raise ApiError(400, "invalid", "Invalid resource id value.")
                if body["id"] in cal.events:
                    if not api:  # seeding replaces
                        return self._finish(cal, body, cal.events[body["id"]], api=False).body
                    raise ApiError(409, "duplicate", "The requested identifier already exists.")
            else:
                body["id"] = new_event_id()
            return self._finish(cal, body, None, api=api).body

    def get_event(self, cal_id: str, event_id: str) -> dict:
        with self.lock:
            return self._event(self.calendar(cal_id), event_id).body

    @staticmethod
    def _event(cal: Calendar, event_id: str) -> _Event:
        event = cal.events.get(event_id)
        if event is None:
            raise ApiError(404, "notFound", "Not Found")
        return event

    def patch_event(self, cal_id: str, event_id: str, changes: dict) -> dict:
        with self.lock:
            cal = self.calendar(cal_id)
            old = self._event(cal, event_id)
            changes = self._clean(changes)
            if changes.get("id", event_id) != event_id:
                raise ApiError(400, "invalid", "The event id cannot be changed.")
            merged = merge_patch(copy.deepcopy(old.body), changes)
            return self._finish(cal, merged, old, api=True).body

    def update_event(self, cal_id: str, event_id: str, body: dict) -> dict:
        with self.lock:
            cal = self.calendar(cal_id)
            old = self._event(cal, event_id)
            body = self._clean(body)
            if body.get("id", event_id) != event_id:
                raise ApiError(400, "invalid", "The event id cannot be changed.")
            body["id"] = event_id
            for kept in ("creator", "organizer"):
                body.pop(kept, None)
            return self._finish(cal, body, old, api=True).body

    def delete_event(self, cal_id: str, event_id: str) -> None:
        with self.lock:
            cal = self.calendar(cal_id)
            old = self._event(cal, event_id)
            if old.deleted:
                raise ApiError(410, "deleted", "Resource has been deleted")
            body = copy.deepcopy(old.body)
            body["status"] = "cancelled"
            self._finish(cal, body, old, api=False)

    # -- listing ----------------------------------------------------------------
    def expire_sync_tokens(self) -> None:
        with self.lock:
            self._sync_tokens.clear()
            for token in [t for t, p in self._pages.items() if p.incremental]:
                del self._pages[token]

    def list_events(self, cal_id: str, params: dict) -> dict:
        with self.lock:
            cal = self.calendar(cal_id)
            sync = params.get("syncToken")
            if sync is not None:
                clash = [p for p in SYNC_FORBIDDEN if p in params]
                if clash:
                    raise ApiError(
                        400,
                        "invalid",
                        f"Sync token cannot be used with {', '.join(clash)}.",
                        location="syncToken",
                    )
                if params.get("showDeleted") is False:
                    raise ApiError(
                        400,
                        "invalid",
                        "The showDeleted=false parameter cannot be used with a sync token.",
                        location="showDeleted",
                    )
                known = self._sync_tokens.get(sync)
                if known is None or known[0] != cal.id:
                    raise ApiError(410, "fullSyncRequired")
            if params.get("orderBy") == "startTime" and not params.get("singleEvents"):
                raise ApiError(
                    400,
                    "badRequest",
                    "The requested ordering is not available for the particular query.",
                    location="orderBy",
                )
            fingerprint = tuple(
                sorted((k, str(v)) for k, v in params.items() if k not in _PAGE_FREE)
            )
            page_token = params.get("pageToken")
            if page_token is not None:
                page = self._pages.get(page_token)
                if page is None:
                    if sync is not None:
                        raise ApiError(410, "fullSyncRequired")
                    raise ApiError(
                        400, "invalid", "Invalid page token value.", location="pageToken"
                    )
                if page.fingerprint != fingerprint or page.cal_id != cal.id:
                    raise ApiError(
                        400,
                        "invalid",
                        "The page token was issued for a different query.",
                        location="pageToken",
                    )
            else:
                ids = self._select(
                    cal, params, self._sync_tokens[sync][1] if sync is not None else None
                )
                page = _Page(cal.id, ids, 0, self._seq, fingerprint, sync is not None)
            size = min(params.get("maxResults", 250), self.max_page_size)
            chunk = page.ids[page.offset : page.offset + size]
            show_all = sync is not None or params.get("showDeleted")
            items = []
            for eid in chunk:
                event = cal.events.get(eid)
                if event is None:
                    continue
                if event.deleted:
                    if show_all:
                        items.append(event.minimal())
                else:
                    items.append(event.body)
            out = {
                "kind": "calendar#events",
                "etag": f'"{self._seq}"',
                "summary": cal.summary,
                "description": cal.description or "",
                "updated": _rfc3339(
                    dt.datetime.fromtimestamp(max(self._last_ms, 0) / 1000, dt.UTC)
                ),
                "timeZone": cal.time_zone,
                "accessRole": cal.access_role,
                "defaultReminders": cal.list_entry()["defaultReminders"],
                "items": items,
            }
            rest = page.offset + size
            if rest < len(page.ids):
                token = secrets.token_urlsafe(18)
                self._pages[token] = _Page(
                    page.cal_id, page.ids, rest, page.sync_seq, page.fingerprint, page.incremental
                )
                while len(self._pages) > 2000:
                    self._pages.popitem(last=False)
                out["nextPageToken"] = token
            else:
                token = base64.urlsafe_b64encode(secrets.token_bytes(18)).decode()
                self._sync_tokens[token] = (cal.id, page.sync_seq)
                out["nextSyncToken"] = token
            return out

    def _select(self, cal: Calendar, params: dict, since: int | None) -> list[str]:
        events = cal.events.values()
        if since is not None:
            return [e.body["id"] for e in events if e.seq > since]
        show_deleted = params.get("showDeleted", False)
        t_min = _param_time(params, "timeMin")
        t_max = _param_time(params, "timeMax")
        upd_min = _param_time(params, "updatedMin")
        private = _property_filters(params.get("privateExtendedProperty", []))
        shared = _property_filters(params.get("sharedExtendedProperty", []))
        terms = [t.lower() for t in params.get("q", "").split()]
        uid = params.get("iCalUID")
        types = set(params.get("eventTypes", ()))
        chosen = []
        for e in events:
            b = e.body
            if e.deleted and not show_deleted:
                continue
            if (t_min is not None and e.end <= t_min) or (t_max is not None and e.start >= t_max):
                continue
            if upd_min is not None and e.updated_ts < upd_min:
                continue
            if uid is not None and b.get("iCalUID") != uid:
                continue
            if types and b.get("eventType", "default") not in types:
                continue
            if private or shared:
                props = b.get("extendedProperties", {})
                if any(props.get("private", {}).get(k) != v for k, v in private):
                    continue
                if any(props.get("shared", {}).get(k) != v for k, v in shared):
                    continue
            if terms:
                text = " ".join(
                    str(b.get(f, "")) for f in ("summary", "description", "location")
                ).lower()
                if not all(t in text for t in terms):
                    continue
            chosen.append(e)
        order = params.get("orderBy")
        if order == "startTime":
            chosen.sort(key=lambda e: (e.start, e.body["id"]))
        elif order == "updated":
            chosen.sort(key=lambda e: e.seq)
        return [e.body["id"] for e in chosen]


# -- helpers ---------------------------------------------------------------------
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ApiError(400, "invalid", f"Invalid time zone definition: {name}") from None


def _instant(value: dict, default_zone: str, field: str) -> float:
    zone = _zone(value.get("timeZone") or default_zone)
    if value.get("dateTime"):
        if not isinstance(value["dateTime"], str):
            raise ApiError(400, "invalid", f"Invalid {field}.dateTime")
        parsed = parse_rfc3339(value["dateTime"], need_offset=False)
        if parsed is None:
            raise ApiError(400, "invalid", f"Invalid {field}.dateTime: {value['dateTime']}")
        if parsed.tzinfo is None:
            if not value.get("timeZone"):
                raise ApiError(400, "invalid", f"Missing time zone definition for {field} time.")
            parsed = parsed.replace(tzinfo=zone)
        return parsed.timestamp()
    try:
        day = dt.date.fromisoformat(value["date"])
    except (TypeError, ValueError):
        raise ApiError(400, "invalid", f"Invalid {field}.date: {value.get('date')}") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()


def _param_time(params: dict, name: str) -> float | None:
    value = params.get(name)
    if value is None:
        return None
    return parse_rfc3339(value).timestamp()


def _property_filters(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in values:
        if "=" not in item:
            raise ApiError(400, "invalid", f"Invalid extended property constraint: {item}")
        key, value = item.split("=", 1)
        out.append((key, value))
    return out


def _check_reminders(reminders: dict) -> None:
    overrides = reminders.get("overrides") or []
    if len(overrides) > 5:
        raise ApiError(
            400,
            "invalid",
            "Cannot specify more than 5 override reminders.",
            location="reminders.overrides",
        )
    if overrides and reminders.get("useDefault"):
        raise ApiError(
            400,
            "cannotUseDefaultRemindersAndSpecifyOverride",
            "Cannot specify both default reminders and overrides at the same time.",
        )
    for item in overrides:
        if item.get("method") not in ("email", "popup"):
            raise ApiError(400, "invalid", "Invalid reminder method.")
        minutes = item.get("minutes")
        if not isinstance(minutes, int) or not 0 <= minutes <= 40320:
            raise ApiError(400, "invalid", "Invalid reminder minutes (0-40320).")


def _trim_properties(body: dict) -> None:
    """Google silently drops keys over 44 chars and truncates values over 1024."""
    props = body.get("extendedProperties")
    if not isinstance(props, dict):
        return
    for scope in ("private", "shared"):
        table = props.get(scope)
        if isinstance(table, dict):
            props[scope] = {
                k: v[:MAX_PRIVATE_VALUE]
                for k, v in table.items()
                if len(k) <= MAX_PRIVATE_KEY and isinstance(v, str)
            }
