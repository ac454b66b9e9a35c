"""A local `.ics` calendar (an Outlook, Apple or Google export) as a source.

Its identity is the file's absolute path, so two files keep their own reminders. Event
ids are the UIDs (calendar id `ics`: UIDs are global), so the same interview exported
again under another name keeps its reminder.

Reading is at the speed of a text scan: the fast read (`sync.ics.scan`) dismisses
ordinary events on their raw text and parses only the candidates. What it kept is
cached (`sync.eventcodec`) with the file's fingerprint and the rules it was chosen
with (`sync.ruleset`), so an UNCHANGED file is not parsed at all: the pass decides again from
the cached candidates (decisions are made every pass: "now" moves on). The events
kept whatever their text are the ones cached last time and the confirmed ones, so an
interview renamed into an ordinary meeting is seen as "no longer an interview", not
as vanished.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import ParseError, Problem
from sync.ruleset import RuleSet
from sync.sources.base import SourceRead
from sync.statusdb import CacheUpdate, StatusDB


def identity_of(path: Path) -> str:
    return f"file:{Path(path).expanduser().resolve()}"


@dataclass
class IcsFileSource:
    path: Path
    rules: RuleSet  # its vocabulary is loaded only when the file must be read
    self_emails: Collection[str] = ()
    floating_zone: ZoneInfo | None = None  # reminders.timezone: floating times are there

    @property
    def identity(self) -> str:
        return identity_of(self.path)

    def read(self, status: StatusDB, known_keys: set[str]) -> SourceRead:
        from sync.eventcodec import candidates_key, event_from_json, fingerprint

        del known_keys  # reminders are found through the cached candidates
        try:
            print_ = fingerprint(self.path)
        except OSError as exc:
            raise ParseError(
                "cannot read the calendar file",
                [Problem(exc.strerror or str(exc), file=str(self.path))],
                next_step="check the path and its permissions",
            ) from None
        chosen_by = candidates_key(self.rules, self.self_emails, self.floating_zone)
        row = status.source(self.identity)
        cursor = (row.cursor or {}) if row else {}
        cached = status.cached_events(self.identity) if row else {}
        confirmed = set(status.confirmations())
        keep = set(cached) | confirmed
        # A confirmation given since the last read may name one of this file's events
        # that was dismissed then: read once more, keeping it. (Confirmations of other
        # sources' events are in the cursor after that, so they cost nothing later.)
        unchanged = (
            cursor.get("fingerprint") == print_
            and cursor.get("candidates") == chosen_by
            and confirmed <= set(cursor.get("confirmed") or ())
        )
        if unchanged:
            return SourceRead(
                identity=self.identity,
                label=str(self.path),
                events=[event_from_json(payload) for payload in cached.values()],
                timezone=row.timezone if row else None,
                warnings=list(cursor.get("warnings") or ()),
                changed=False,
                cursor=cursor,
            )
        return self._read(print_, chosen_by, keep, confirmed, cached)

    def _read(
        self,
        print_: str,
        chosen_by: str,
        keep: set[str],
        confirmed: set[str],
        cached: dict[str, dict[str, Any]],
    ) -> SourceRead:
        from sync.eventcodec import event_to_json
        from sync.ics.reader import read_ics
        from sync.sources.coverage import carried

        source = read_ics(
            self.path,
            self_emails=self.self_emails,
            vocab=self.rules.vocab,
            fast=True,
            keep_ids=keep,
            floating_zone=self.floating_zone,
        )
        events = list(source.events)
        warnings = list(source.warnings)
        kept, line = carried(cached, events, self.path.read_bytes)
        events += kept
        if line:
            warnings.append(f"{self.path}: {line}")
        cursor: dict[str, Any] = {
            "fingerprint": print_,
            "candidates": chosen_by,
            "confirmed": sorted(confirmed),
            "warnings": warnings,
        }
        return SourceRead(
            identity=self.identity,
            label=str(self.path),
            events=events,
            timezone=source.timezone,
            warnings=warnings,
            cursor=cursor,
            cache=CacheUpdate(full=True, put={e.id: event_to_json(e) for e in events}),
        )
