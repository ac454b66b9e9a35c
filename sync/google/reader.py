"""Incremental reads of the source calendars, into the state's event cache.

The first pass reads everything (`maxResults=2500`, page by page); later passes send
the stored sync token and get only changes, repeating the same token with each page
token (`nextSyncToken` arrives on the last page only). A 410 `fullSyncRequired` drops
the token and the cache and reads in full. `singleEvents` stays False in both reads
(Google requires it to match; interviews are rarely recurring, and the rules skip
recurring events with a warning anyway).

What is cached (SPEC: only what could matter): events the rules take as interviews,
events already cached, and events the tool has a reminder for. A deletion arrives as a
tombstone (`{"id", "status": "cancelled"}`): it is merged into the cached copy, so the
rules see a *cancelled interview* (and withdraw its reminder) rather than nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rules.classify import classify, could_be_interview
from rules.errors import ParseError
from rules.model import SourceEvent, reminder_key
from rules.vocabulary import Vocabulary
from sync.google.api import Api, status_of
from sync.google.convert import event_from_api
from sync.google.events import is_cancelled, is_managed
from sync.state import State

log = logging.getLogger("followup.google")

PAGE_SIZE = 2500


@dataclass
class SourceRead:
    calendar_id: str
    changes: int = 0  # items the API returned (0: nothing new)
    full: bool = False
    time_zone: str | None = None
    summary: str | None = None  # the calendar's name; the account's address for primary
    warnings: list[str] = field(default_factory=list)


def read_source(
    api: Api,
    state: State,
    calendar_id: str,
    *,
    vocab: Vocabulary,
    known_keys: set[str],
    progress: Callable[[str], None] | None = None,
) -> SourceRead:
    """Bring the cache of one source calendar up to date. Writes state in one
    transaction at the end, so an interrupted read leaves the previous cache + token."""
    from googleapiclient.errors import HttpError

    token = state.sync_token(calendar_id)
    try:
        return _read(api, state, calendar_id, token, vocab, known_keys, progress)
    except HttpError as exc:
        if status_of(exc) != 410 or token is None:
            raise
        log.info("%s: sync token expired (410); reading in full", calendar_id)
        return _read(api, state, calendar_id, None, vocab, known_keys, progress)


def _read(
    api: Api,
    state: State,
    calendar_id: str,
    token: str | None,
    vocab: Vocabulary,
    known_keys: set[str],
    progress: Callable[[str], None] | None,
) -> SourceRead:
    """Read page by page, keeping only what could matter from each page: a 50k-event
    calendar never sits in memory whole (peak RSS stays near the client's own)."""
    result = SourceRead(calendar_id, full=token is None)
    cached = {} if result.full else state.cached_events(calendar_id)
    updates: dict[str, dict[str, Any]] = {}
    page: str | None = None
    while True:
        params: dict[str, Any] = {
            "calendarId": calendar_id,
            "maxResults": PAGE_SIZE,
            "singleEvents": False,
        }
        if token:
            params["syncToken"] = token
        if page:
            params["pageToken"] = page
        answer = api.call(api.events().list(**params), f"reading {calendar_id}")
        result.time_zone = answer.get("timeZone") or result.time_zone
        result.summary = answer.get("summary") or result.summary
        items = answer.get("items") or []
        result.changes += len(items)
        _keep(items, result, cached, updates, vocab, known_keys)
        del items
        page = answer.get("nextPageToken")
        if progress is not None and (page or result.changes > PAGE_SIZE):
            progress(f"reading {calendar_id}: {result.changes:,} events")
        if not page:
            next_token = answer.get("nextSyncToken")
            break
    with state.transaction():
        if result.full:
            state.clear_cache(calendar_id)
        for event_id, resource in updates.items():
            state.cache_event(calendar_id, event_id, resource)
        state.save_sync_token(calendar_id, next_token)
        if result.time_zone:
            state.put(f"google.tz:{calendar_id}", result.time_zone)
        if calendar_id == "primary" and result.summary:
            state.put("account", result.summary)  # shown by `followup status`
    return result


def _keep(
    items: list[dict[str, Any]],
    result: SourceRead,
    cached: dict[str, dict[str, Any]],
    updates: dict[str, dict[str, Any]],
    vocab: Vocabulary,
    known_keys: set[str],
) -> None:
    calendar_id = result.calendar_id
    for item in items:
        event_id = item.get("id")
        if not event_id:
            continue
        if is_cancelled(item):
            old = updates.get(event_id) or cached.get(event_id)
            if old is not None:
                updates[event_id] = {**old, "status": "cancelled"}
            continue
        if is_managed(item):
            continue  # our own reminders (target = primary): never a source
        keep = event_id in cached or reminder_key(calendar_id, event_id) in known_keys
        if not keep and not could_be_interview(
            item.get("summary") or "",
            item.get("description") or "",
            item.get("location") or "",
            vocab,
        ):
            continue
        if not keep:
            try:
                event = event_from_api(item, calendar_id=calendar_id, calendar_tz=result.time_zone)
            except ParseError as exc:
                result.warnings.append(f"skipped event {calendar_id}/{event_id}: {exc}")
                continue
            keep = classify(event, vocab).interview
        if keep:
            updates[event_id] = item


def cached_events(state: State, calendar_ids: Iterable[str]) -> tuple[list[SourceEvent], list[str]]:
    """The interview candidates the last reads cached, as the rules see them. An event
    that cannot be converted (unknown time zone, ...) is skipped with a warning."""
    events: list[SourceEvent] = []
    warnings: list[str] = []
    for calendar_id in calendar_ids:
        calendar_tz = state.get(f"google.tz:{calendar_id}")
        for event_id, resource in state.cached_events(calendar_id).items():
            try:
                events.append(
                    event_from_api(resource, calendar_id=calendar_id, calendar_tz=calendar_tz)
                )
            except ParseError as exc:
                warnings.append(f"skipped event {calendar_id}/{event_id}: {exc}")
    return events, warnings
