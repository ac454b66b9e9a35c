"""Reconcile, don't append: plan first, then act.

`plan()` compares the reminders the rules want with the managed reminders that exist
in a sink and returns frozen actions; nothing is written while planning (vdirsyncer's
`_get_actions()`). A sink then applies the actions and reports an `Outcome` for each,
so `--dry-run`, `explain` and the tests all work on the plan itself.

The rules of ownership (SPEC "Writing follow-ups"):

- only reminders the tool created are ever changed or deleted;
- a reminder the user edited by hand (its content no longer hashes to what the tool
  wrote) is left exactly as the user left it, whatever happens to the interview;
- a reminder the user deleted is not recreated; one the *tool* withdrew (interview
  cancelled) comes back if the interview does;
- mass withdrawal is refused: when the source lists no interviews at all, reminders
  whose interviews merely vanished are held unless the user passes `--force-delete`
  (a wrong calendar or an outage answering empty must not wipe everything).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rules.model import Reminder


@dataclass(frozen=True)
class Existing:
    """A managed reminder as the sink knows it now."""

    key: str
    written_hash: str | None  # content hash the tool recorded when it last wrote it
    current_hash: str | None  # hash of what is there now (None when it is gone)
    deleted: bool = False  # gone: tombstone, or not found
    withdrawn: bool = False  # the tool itself removed it (so it may come back)

    @property
    def user_edited(self) -> bool:
        return (
            not self.deleted
            and self.written_hash is not None
            and self.current_hash is not None
            and self.current_hash != self.written_hash
        )

    @property
    def user_deleted(self) -> bool:
        return self.deleted and not self.withdrawn


class Kind(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    RESTORE = "restore"  # the tool withdrew it earlier; the interview is back
    DELETE = "delete"


@dataclass(frozen=True)
class Action:
    kind: Kind
    key: str
    why: str
    reminder: Reminder | None = None  # None for DELETE
    existing: Existing | None = None

    def describe(self) -> str:
        target = self.reminder.title if self.reminder else self.key
        return f"{self.kind.value:7} {target} ({self.why})"


@dataclass(frozen=True)
class Left:
    """Something the plan deliberately does not touch, and why (shown by -v / --dry-run)."""

    key: str
    why: str


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    left_alone: tuple[Left, ...] = ()
    held: tuple[Action, ...] = ()  # deletions refused by the mass-withdrawal guard

    @property
    def empty(self) -> bool:
        return not self.actions

    def count(self, kind: Kind) -> int:
        return sum(1 for action in self.actions if action.kind is kind)

    def summary(self) -> str:
        parts = [f"{self.count(kind)} {kind.value}" for kind in Kind if self.count(kind)]
        if self.held:
            parts.append(f"{len(self.held)} held")
        return ", ".join(parts) or "nothing to do"


@dataclass(frozen=True)
class Outcome:
    """What applying one action did. `written_hash` is what the sink now holds."""

    action: Action
    ok: bool
    error: str | None = None
    written_hash: str | None = None


def plan(
    desired: Sequence[Reminder],
    existing: Mapping[str, Existing],
    *,
    withdraw: Mapping[str, str] | None = None,
    retain: Iterable[str] = (),
    source_has_interviews: bool = True,
    force_delete: bool = False,
) -> Plan:
    """Compare wanted and existing reminders and list what to do.

    `withdraw` maps keys of interviews the source still shows but that no longer want
    a reminder (cancelled, declined, reclassified, superseded) to the reason; such
    deletions carry evidence and always go ahead. `retain` lists keys to leave as they
    are (an interview past the look-back keeps its old reminder as history). Any other
    existing reminder whose interview vanished from the source is deleted too, unless
    the source lists no interviews at all and `force_delete` is off: then it is held.
    """
    withdraw = withdraw or {}
    retained = set(retain)
    wanted = {reminder.key: reminder for reminder in desired}
    actions: list[Action] = []
    left: list[Left] = []
    held: list[Action] = []

    for key in sorted(wanted):
        reminder = wanted[key]
        have = existing.get(key)
        if have is None:
            actions.append(Action(Kind.CREATE, key, "new interview", reminder))
        elif have.user_deleted:
            left.append(Left(key, "deleted by the user; not recreated"))
        elif have.deleted:
            actions.append(Action(Kind.RESTORE, key, "interview is back", reminder, have))
        elif have.user_edited:
            left.append(Left(key, "edited by the user; left as the user left it"))
        elif have.written_hash != reminder.content_hash():
            actions.append(Action(Kind.UPDATE, key, "interview changed", reminder, have))

    for key in sorted(set(existing) - set(wanted)):
        have = existing[key]
        if have.deleted:
            continue
        if key in retained:
            continue
        if have.user_edited:
            left.append(Left(key, "edited by the user; left as the user left it"))
            continue
        if key in withdraw:
            actions.append(Action(Kind.DELETE, key, withdraw[key], None, have))
            continue
        delete = Action(Kind.DELETE, key, "interview no longer in the calendar", None, have)
        if source_has_interviews or force_delete:
            actions.append(delete)
        else:
            held.append(delete)

    return Plan(tuple(actions), tuple(left), tuple(held))
