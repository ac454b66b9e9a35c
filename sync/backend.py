"""One interface for every place reminders are written, and an in-memory one.

A `ReminderStore` reports the managed reminders it holds (`existing`) and carries out a
plan (`apply`); deciding what to do is the planner's job (`sync.reconcile.plan`), never
a store's. Three stores implement it:

- `sync.google.sink.GoogleStore` -- the "Interview follow-ups" calendar (or primary);
- `sync.export.IcsStore` -- `followups.ics` and one file per reminder;
- `MemoryStore` -- below: for tests, and the plainest statement of the contract.

`tests/test_store_contract.py` runs the same scenarios against each of them
(vdirsyncer's `StorageTests`), so a new store inherits the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rules.model import Reminder
from sync.reconcile import Existing, Kind, Plan


@dataclass
class Applied:
    """What a store did with a plan."""

    created: int = 0
    updated: int = 0
    restored: int = 0
    deleted: int = 0
    left: int = 0  # found to be the user's at write time, and left alone
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: Kind) -> None:
        if kind is Kind.CREATE:
            self.created += 1
        elif kind is Kind.UPDATE:
            self.updated += 1
        elif kind is Kind.RESTORE:
            self.restored += 1
        else:
            self.deleted += 1


class ReminderStore(Protocol):
    def existing(self) -> dict[str, Existing]:
        """Every reminder this tool wrote here, by key, with who changed what since."""
        ...

    def apply(self, plan: Plan) -> Applied:
        """Carry out the plan's actions; never touch anything else."""
        ...


@dataclass
class _Held:
    reminder: Reminder | None
    written: str | None  # what the tool last wrote
    current: str | None  # what is there now (None once deleted)
    deleted: bool = False
    withdrawn: bool = False


@dataclass
class MemoryStore:
    """Reminders in a dict. `user_edit`/`user_delete` play the user's part in tests."""

    items: dict[str, _Held] = field(default_factory=dict)

    def existing(self) -> dict[str, Existing]:
        return {
            key: Existing(key, held.written, held.current, held.deleted, held.withdrawn)
            for key, held in self.items.items()
        }

    def apply(self, plan: Plan) -> Applied:
        done = Applied()
        for action in plan.actions:
            if action.kind is Kind.DELETE:
                held = self.items[action.key]
                held.current, held.deleted, held.withdrawn = None, True, True
            else:
                assert action.reminder is not None  # the planner's contract
                digest = action.reminder.content_hash()
                self.items[action.key] = _Held(action.reminder, digest, digest)
            done.add(action.kind)
        return done

    def user_edit(self, key: str) -> None:
        self.items[key].current = "edited-by-the-user"

    def user_delete(self, key: str) -> None:
        held = self.items[key]
        held.current, held.deleted, held.withdrawn = None, True, False
