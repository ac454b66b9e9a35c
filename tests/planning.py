"""Plan for one source, the way most planner and store tests need it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from rules.model import Reminder
from sync.planner import Existing, Plan, Wants, plan

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
SOURCE = "file:/calendar.ics"


def plan_for(
    desired: Sequence[Reminder],
    existing: Mapping[str, Existing],
    *,
    withdraw: Mapping[str, str] | None = None,
    retain: Iterable[str] = (),
    source_has_interviews: bool = True,
    force_delete: bool = False,
    source: str = SOURCE,
    now: datetime = NOW,
) -> Plan:
    want = Wants(
        source,
        tuple(desired),
        {key: (why, key) for key, why in (withdraw or {}).items()},
        frozenset(retain),
        held=not source_has_interviews,
    )
    return plan([want], existing, now=now, force_delete=force_delete)
