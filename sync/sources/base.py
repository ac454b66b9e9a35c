"""What every source gives the pass: its events, and what to remember for next time.

A source reads and never decides. It is handed the status database to look up its own
cursor and cache, but it writes nothing there: the new cursor and cache changes ride in
the `SourceRead`, and the pass saves them only when the pass is real (a dry run changes
nothing that lasts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from rules.model import SourceEvent
from sync.statusdb import CacheUpdate, StatusDB


@dataclass
class SourceRead:
    identity: str  # google:primary, file:/abs/cal.ics, feed:URL, caldav:user@URL
    label: str  # how messages name it
    events: list[SourceEvent]  # every event the rules must see (ordinary ones may be left out)
    timezone: str | None = None  # the calendar's own zone, when it tells one
    warnings: list[str] = field(default_factory=list)
    changed: bool = True  # False: nothing new since the cursor it was given
    cursor: dict[str, Any] | None = None  # to save for the next pass
    cache: CacheUpdate | None = None  # changes to its cached events
    account: str | None = None  # the account's name, for `followup status`
    changes: int = 0  # items the source reported (progress and -v)


class Source(Protocol):
    identity: str

    def read(self, status: StatusDB, known_keys: set[str]) -> SourceRead:
        """Read what is new. `known_keys` are reminders the tool holds: their interviews
        stay cached even when they no longer look like interviews."""
        ...
