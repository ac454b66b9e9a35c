"""A Google calendar as a source: incremental reads into a cache of candidates.

The first pass reads everything (`maxResults=2500`, page by page); later passes send
the stored sync token and get only changes, repeating the same token with each page
token (`nextSyncToken` arrives on the last page only). A 410 `fullSyncRequired` drops
the token and the cache and reads in full. `singleEvents` stays False in both reads
(Google requires it to match; interviews are rarely recurring, and the rules skip
recurring events with a warning anyway).

What is cached: events the rules take as interviews (or could: the unsure ones too),
events already cached, and events the tool has a reminder for. A deletion arrives as a
tombstone (`{"id", "status": "cancelled"}`): it is merged into the cached copy, so the
rules see a *cancelled interview* (and withdraw its reminder) rather than nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rules.classify import classify, could_be_interview
from rules.errors import ParseError
from rules.model import SourceEvent, reminder_key
from rules.vocabulary import Vocabulary
from sync.google.api import Api, status_of
from sync.google.convert import event_from_api
from sync.google.events import is_cancelled, is_managed
from sync.sources.base import SourceRead
from sync.statusdb import CacheUpdate, StatusDB

log = logging.getLogger("followup.google")

PAGE_SIZE = 2500


def identity_of(calendar_id: str) -> str:
    return f"google:{calendar_id}"


@dataclass
class GoogleSource:
    api: Api
    calendar_id: str
    vocab: Vocabulary
    progress: Callable[[str], None] | None = None

    @property
    def identity(self) -> str:
        return identity_of(self.calendar_id)

    def read(self, status: StatusDB, known_keys: set[str]) -> SourceRead:
        from googleapiclient.errors import HttpError

        row = status.source(self.identity)
        token = (row.cursor or {}).get("sync_token") if row else None
        try:
            return self._read(status, token, known_keys, row.timezone if row else None)
        except HttpError as exc:
            if status_of(exc) != 410 or token is None:
                raise
            log.info("%s: sync token expired (410); reading in full", self.calendar_id)
            return self._read(status, None, known_keys, row.timezone if row else None)

    def _read(
        self, status: StatusDB, token: str | None, known_keys: set[str], zone: str | None
    ) -> SourceRead:
        """Page by page, keeping only what could matter from each page: a 50k-event
        calendar never sits in memory whole."""
        full = token is None
        cached = {} if full else status.cached_events(self.identity)
        confirmed = set(status.confirmations())
        updates: dict[str, dict[str, Any]] = {}
        read = SourceRead(self.identity, self.calendar_id, [], timezone=zone)
        page: str | None = None
        next_token: str | None = None
        while True:
            params: dict[str, Any] = {
                "calendarId": self.calendar_id,
                "maxResults": PAGE_SIZE,
                "singleEvents": False,
            }
            if token:
                params["syncToken"] = token
            if page:
                params["pageToken"] = page
            answer = self.api.call(self.api.events().list(**params), f"reading {self.calendar_id}")
            read.timezone = answer.get("timeZone") or read.timezone
            read.account = answer.get("summary") or read.account
            items = answer.get("items") or []
            read.changes += len(items)
            self._keep(items, read, cached, updates, known_keys, confirmed)
            del items
            page = answer.get("nextPageToken")
            if self.progress is not None and (page or read.changes > PAGE_SIZE):
                self.progress(f"reading {self.calendar_id}: {read.changes:,} events")
            if not page:
                next_token = answer.get("nextSyncToken")
                break
        read.changed = full or bool(read.changes)
        read.cursor = {"sync_token": next_token} if next_token else None
        read.cache = CacheUpdate(full=full, put=updates)
        merged = {**cached, **updates}
        for event_id, resource in merged.items():
            try:
                read.events.append(self.event(resource, read.timezone))
            except ParseError as exc:
                read.warnings.append(f"skipped event {self.calendar_id}/{event_id}: {exc}")
        if self.calendar_id != "primary":
            read.account = None  # only the primary calendar's name is the account's
        return read

    def event(self, resource: dict[str, Any], zone: str | None) -> SourceEvent:
        return event_from_api(resource, calendar_id=self.calendar_id, calendar_tz=zone)

    def _keep(
        self,
        items: list[dict[str, Any]],
        read: SourceRead,
        cached: dict[str, dict[str, Any]],
        updates: dict[str, dict[str, Any]],
        known_keys: set[str],
        confirmed: set[str],
    ) -> None:
        """Keep what could matter: interviews (sure or not), what is cached already,
        what the tool has a reminder for, and what the user settled with `confirm`."""
        calendar_id = self.calendar_id
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
            keep = (
                event_id in cached
                or event_id in confirmed
                or reminder_key(calendar_id, event_id) in known_keys
            )
            if not keep and not could_be_interview(
                item.get("summary") or "",
                item.get("description") or "",
                item.get("location") or "",
                self.vocab,
            ):
                continue
            if not keep:
                try:
                    event = self.event(item, read.timezone)
                except ParseError as exc:
                    read.warnings.append(f"skipped event {calendar_id}/{event_id}: {exc}")
                    continue
                keep = classify(event, self.vocab).interview
            if keep:
                updates[event_id] = item


def cached_events(status: StatusDB) -> tuple[list[SourceEvent], list[str]]:
    """Every Google source's cached candidates, as the rules see them (`explain`)."""
    events: list[SourceEvent] = []
    warnings: list[str] = []
    for row in status.sources():
        if not row.identity.startswith("google:"):
            continue
        calendar_id = row.identity.split(":", 1)[1]
        for event_id, resource in status.cached_events(row.identity).items():
            try:
                events.append(
                    event_from_api(resource, calendar_id=calendar_id, calendar_tz=row.timezone)
                )
            except ParseError as exc:
                warnings.append(f"skipped event {calendar_id}/{event_id}: {exc}")
    return events, warnings
