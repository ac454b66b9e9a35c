"""The store interface every place reminders are written implements.

A store names its target, says what it holds (`existing`: what is really there;
`believed`: what its records say, without asking anyone) and carries out a plan
(`apply`), returning what happened. A conflict it meets (an id that exists already, a
tombstone) is reported as a fact in `Applied.conflicts`; the pass lists the store again
and the planner decides (a store never settles a conflict itself).

`tests/test_store_contract.py` runs the same scenarios against every store (vdirsyncer's
`StorageTests`), so a new store inherits the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sync.planner import Existing, Kind, Plan
from sync.stores.records import RecordStatus, WriteRecord


@dataclass
class Applied:
    """What a store did with a plan."""

    created: int = 0
    updated: int = 0
    restored: int = 0
    deleted: int = 0
    purged: int = 0
    conflicts: list[str] = field(default_factory=list)  # keys to plan again with a listing
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: Kind) -> None:
        name = {
            Kind.CREATE: "created",
            Kind.UPDATE: "updated",
            Kind.RESTORE: "restored",
            Kind.DELETE: "deleted",
            Kind.PURGE: "purged",
        }[kind]
        setattr(self, name, getattr(self, name) + 1)

    def merge(self, other: Applied) -> None:
        for name in ("created", "updated", "restored", "deleted", "purged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.warnings.extend(other.warnings)


class ReminderStore(Protocol):
    name: str  # the target's identity: "ics:/abs/dir", "google:<calendar id>", ...

    def believed(self) -> dict[str, Existing]:
        """What this store's records say it holds; no I/O beyond the status file."""
        ...

    def existing(self) -> dict[str, Existing]:
        """Every reminder this tool wrote here, by key, with who changed what since."""
        ...

    def adopt(self, existing: Mapping[str, Existing]) -> None:
        """Record what `existing` found that the records lack (a lost status file), so
        the next pass plans from the records again instead of listing."""
        ...

    def apply(self, plan: Plan) -> Applied:
        """Carry out the plan's actions; never touch anything else."""
        ...


def record_of(have: Existing) -> WriteRecord:
    """A record for a reminder found in a store (from its markers) but not recorded."""
    if not have.deleted:
        status = RecordStatus.ACTIVE
    elif have.withdrawn:
        status = RecordStatus.WITHDRAWN
    else:
        status = RecordStatus.USER_DELETED
    extra = {"start": have.written_start} if have.written_start else {}
    return WriteRecord(have.key, have.written_hash, status, source=have.source, extra=extra)
