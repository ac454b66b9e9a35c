"""Late placement: a reminder whose moment passed before it was ever written.

A reminder written on time and now in the past is history and stays as it is. One the
tool sees for the first time after its moment (the first sync after connecting; a
machine that was off) would never fire, so it goes on the next weekday slot instead.
The pass remembers the moment each reminder was given (`Placement`), so later passes
decide the same reminder and nothing churns; if the interview changes, it is placed
afresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rules.message import set_late
from rules.model import Policy, Reminder
from rules.timing import next_slot


@dataclass(frozen=True)
class Placement:
    """The moment a reminder was given, and what it was given for."""

    title: str
    window_start: str  # ISO dates
    window_end: str
    remind_at: str  # ISO date-time

    @classmethod
    def of(cls, reminder: Reminder) -> Placement:
        return cls(
            reminder.title,
            reminder.window.start.isoformat(),
            reminder.window.end.isoformat(),
            reminder.start.isoformat(),
        )


def place_late(
    desired: Sequence[Reminder],
    *,
    now: datetime,
    previous: Mapping[str, Placement],
    policy: Policy,
) -> tuple[Reminder, ...]:
    """Move reminders whose moment passed before they were written to the next weekday
    slot, and keep them where they were put on later passes."""
    out: list[Reminder] = []
    for reminder in desired:
        if reminder.start >= now:
            out.append(reminder)
            continue
        seen = previous.get(reminder.key)
        same = (
            seen is not None
            and seen.title == reminder.title
            and seen.window_start == reminder.window.start.isoformat()
            and seen.window_end == reminder.window.end.isoformat()
        )
        if same and seen is not None and seen.remind_at == reminder.start.isoformat():
            out.append(reminder)  # written on time: history
        elif same and seen is not None:
            out.append(set_late(reminder, datetime.fromisoformat(seen.remind_at)))
        else:
            zone = reminder.start.tzinfo or UTC
            out.append(set_late(reminder, next_slot(now, policy.remind_time, zone)))
    return tuple(out)
