"""What a store remembers about each reminder it wrote, and how SEQUENCE is derived.

Every store keeps one `WriteRecord` per reminder key in the status database (a
`RecordBook` scoped to that store's target). The record says what the tool last wrote
(its content hash), who removed it if it is gone, and the SEQUENCE it carried. Records
are a cache of facts the store itself carries in marker properties: a lost status file
is rebuilt from the markers, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

# SEQUENCE is derived from the time of the change, so it rises even after the status
# database is lost: seconds since this epoch fit a 32-bit integer until 2088.
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def next_sequence(previous: int | None, now: datetime) -> int:
    """The SEQUENCE of a change made at `now`: never below `previous` + 1, and never
    below the time-derived value, so it is monotonic with or without state."""
    derived = int((now - SEQUENCE_EPOCH).total_seconds())
    return max(derived, (previous + 1) if previous is not None else 0)


class RecordStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # the tool removed it (it may come back)
    USER_DELETED = "user_deleted"  # the user removed it (never recreated)


@dataclass(frozen=True)
class WriteRecord:
    """One reminder a store holds (or held), as the tool last left it."""

    key: str
    written_hash: str | None  # Reminder.content_hash() of what the tool last wrote
    status: RecordStatus = RecordStatus.ACTIVE
    sequence: int = 0
    source: str = ""  # identity of the source whose interview this reminder follows
    # Store-specific fingerprint of what the store held right after our write (Google:
    # hash of its answer; CalDAV: the ETag): reformatting by the server is not a user edit.
    seen: str | None = None
    window_end: str | None = None  # ISO date: a cancellation is kept until it has passed
    withdrawn_at: str | None = None  # ISO datetime of the withdrawal
    extra: Mapping[str, str] = field(default_factory=dict)  # store-owned (href, uid, ...)

    def but(self, **changes: object) -> WriteRecord:
        return replace(self, **changes)  # type: ignore[arg-type]


class RecordBook(Protocol):
    """The records of one store (one target), kept in the status database."""

    def records(self) -> dict[str, WriteRecord]: ...

    def save(self, record: WriteRecord) -> None: ...

    def drop(self, key: str) -> None: ...


@dataclass
class MemoryRecordBook:
    """A RecordBook in a dict: for tests, and the plainest statement of the contract."""

    items: dict[str, WriteRecord] = field(default_factory=dict)

    def records(self) -> dict[str, WriteRecord]:
        return dict(self.items)

    def save(self, record: WriteRecord) -> None:
        self.items[record.key] = record

    def drop(self, key: str) -> None:
        self.items.pop(key, None)
