"""The planner: the one place that decides what happens to reminders in a store.

`plan()` compares what the rules want from each source read in this pass (`Wants`)
with what a store holds (`Existing`) and returns frozen actions; nothing is written
while planning (vdirsyncer's `_get_actions()`). Stores apply actions and report facts
back (a conflict, a tombstone, a foreign id); the pass then plans again with those
facts. So `--dry-run`, `explain` and the tests all work on the plan itself.

The rules of ownership (SPEC "Writing follow-ups"):

- only reminders the tool created are ever changed or deleted;
- a reminder the user edited by hand (its content no longer hashes to what the tool
  wrote) is left exactly as the user left it, whatever happens to the interview;
- a reminder the user deleted is not recreated; one the *tool* withdrew (interview
  cancelled) comes back if the interview does;
- every source keeps its own reminders: a reminder follows the source that last wanted
  it, and only a pass that read that source may withdraw it (syncing file B never
  withdraws file A's);
- mass withdrawal is refused per source: when a source that had interviews suddenly
  lists none, the reminders whose interviews merely vanished are held unless the user
  passes `--force-delete` (a wrong calendar or an outage answering empty must not wipe
  everything); deletions with evidence (cancelled, declined, reclassified) go ahead;
- a withdrawn reminder stays exported as cancelled until `keep_until` (its window's
  end, at least 14 days after the withdrawal), so an app that imports the file only now
  and then still receives the cancellation; then it is purged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from rules.model import Reminder


@dataclass(frozen=True)
class Existing:
    """A managed reminder as a store knows it now."""

    key: str
    written_hash: str | None  # content hash the tool recorded when it last wrote it
    current_hash: str | None  # hash of what is there now (None when it is gone)
    deleted: bool = False  # gone: tombstone, cancelled entry, or not found
    withdrawn: bool = False  # the tool itself removed it (so it may come back)
    source: str = ""  # the source whose interview it follows ("" when unknown)
    keep_until: datetime | None = None  # a cancelled entry still exported until then
    written_start: str | None = None  # ISO start of the reminder as last written

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
    PURGE = "purge"  # a cancellation kept long enough leaves the export


@dataclass(frozen=True)
class Action:
    kind: Kind
    key: str
    why: str
    reminder: Reminder | None = None  # None for DELETE and PURGE
    existing: Existing | None = None
    source: str = ""  # the source the reminder follows after this action
    label: str = ""  # how messages name the interview when there is no reminder

    def describe(self) -> str:
        """ "withdraw 'Phone screen with Acme' (cal.ics line 12) (the interview was
        cancelled)": the interview by name, never a bare key, and the real reason."""
        if self.reminder is not None:
            target = self.reminder.title
        else:
            target = self.label or f"the reminder {self.key}"
        verb = {Kind.DELETE: "withdraw"}.get(self.kind, self.kind.value)
        return f"{verb:8} {target} ({self.why})"


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
class Wants:
    """What the rules want from one source read in this pass."""

    source: str
    desired: tuple[Reminder, ...] = ()
    # Interviews the source still shows that no longer want a reminder (cancelled,
    # declined, reclassified, superseded, unsure): key -> (reason, label).
    withdraw: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    retain: frozenset[str] = frozenset()  # past the look-back: history, left as it is
    held: bool = False  # the mass-withdrawal guard tripped for this source
    # A source no longer configured (a calendar dropped from the sources): its
    # reminders are held like an empty source's, and go with --force-delete.
    retired: bool = False


def plan(
    wants: Sequence[Wants],
    existing: Mapping[str, Existing],
    *,
    now: datetime,
    force_delete: bool = False,
) -> Plan:
    """Compare wanted and existing reminders and list what to do.

    `existing` is one store's view. A reminder whose source was not read in this pass
    is another source's and is left alone; one whose source is unknown (written before
    sources were recorded, or state lost and no marker) counts as every read source's.
    """
    read = {w.source: w for w in wants}
    wanted: dict[str, tuple[Reminder, str]] = {}
    for want in wants:
        for reminder in want.desired:
            wanted.setdefault(reminder.key, (reminder, want.source))
    actions: list[Action] = []
    left: list[Left] = []
    held: list[Action] = []

    for key in sorted(wanted):
        reminder, source = wanted[key]
        have = existing.get(key)
        if have is None:
            actions.append(Action(Kind.CREATE, key, "new interview", reminder, None, source))
        elif have.user_deleted:
            left.append(Left(key, "deleted by the user; not recreated"))
        elif have.deleted:
            actions.append(Action(Kind.RESTORE, key, "interview is back", reminder, have, source))
        elif have.user_edited:
            left.append(Left(key, "edited by the user; left as the user left it"))
        elif have.written_hash != reminder.content_hash():
            why = _what_changed(have, reminder)
            actions.append(Action(Kind.UPDATE, key, why, reminder, have, source))

    for key in sorted(set(existing) - set(wanted)):
        have = existing[key]
        if have.deleted:
            if have.withdrawn and have.keep_until is not None and now >= have.keep_until:
                actions.append(Action(Kind.PURGE, key, "cancellation kept long enough"))
            continue
        owners = [read[have.source]] if have.source in read else []
        if not have.source:
            owners = list(wants)
        if not owners:
            continue  # another source's reminder: only a pass reading it may withdraw it
        reason = next((w.withdraw[key] for w in owners if key in w.withdraw), None)
        if any(key in w.retain for w in owners):
            continue
        if have.user_edited:
            left.append(Left(key, "edited by the user; left as the user left it"))
            continue
        if reason is not None:
            why, label = reason
            actions.append(Action(Kind.DELETE, key, why, None, have, have.source, label))
            continue
        delete = Action(
            Kind.DELETE, key, "interview no longer in the calendar", None, have, have.source
        )
        if force_delete or not all(w.held for w in owners):
            actions.append(delete)
        else:
            held.append(delete)

    return Plan(tuple(actions), tuple(left), tuple(held))


def _what_changed(have: Existing, reminder: Reminder) -> str:
    """Why an update: the follow-up moved, or only the reminder's text changed (the
    interview's details or the user's settings, such as the name signing the draft)."""
    if have.written_start and have.written_start != reminder.start.isoformat():
        return f"follow-up moved to {reminder.start:%a %b %d %H:%M}"
    return "reminder text changed"
