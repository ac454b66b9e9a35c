"""Reminders in a dict: for tests, and the plainest statement of the store contract.

`user_edit`/`user_delete` play the user's part in tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rules.model import Reminder
from sync.planner import Existing, Kind, Plan
from sync.stores.base import Applied


@dataclass
class _Held:
    reminder: Reminder | None
    written: str | None  # what the tool last wrote
    current: str | None  # what is there now (None once deleted)
    source: str = ""
    deleted: bool = False
    withdrawn: bool = False


@dataclass
class MemoryStore:
    name: str = "memory"
    items: dict[str, _Held] = field(default_factory=dict)

    def existing(self) -> dict[str, Existing]:
        return {
            key: Existing(
                key,
                held.written,
                held.current,
                held.deleted,
                held.withdrawn,
                source=held.source,
                written_start=held.reminder.start.isoformat() if held.reminder else None,
            )
            for key, held in self.items.items()
        }

    believed = existing

    def adopt(self, existing: Mapping[str, Existing]) -> None:
        del existing  # a dict has no records apart from itself

    def apply(self, plan: Plan) -> Applied:
        done = Applied()
        for action in plan.actions:
            if action.kind is Kind.PURGE:
                del self.items[action.key]
            elif action.kind is Kind.DELETE:
                held = self.items[action.key]
                held.current, held.deleted, held.withdrawn = None, True, True
            else:
                assert action.reminder is not None  # the planner's contract
                digest = action.reminder.content_hash()
                self.items[action.key] = _Held(action.reminder, digest, digest, action.source)
            done.add(action.kind)
        return done

    def user_edit(self, key: str) -> None:
        self.items[key].current = "edited-by-the-user"

    def user_delete(self, key: str) -> None:
        held = self.items[key]
        held.current, held.deleted, held.withdrawn = None, True, False
