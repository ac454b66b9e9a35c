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


def one_pass(folder, source, now: datetime, rules):
    """One real pass of `source` into an `.ics` folder, with the status file in
    `folder` (kept between calls, as a user's is between syncs)."""
    from sync.config import Config
    from sync.passes import PassContext, run_pass
    from sync.setup import ics_slot
    from sync.statusdb import StatusDB

    status = StatusDB(folder / "state.sqlite3")
    try:
        ctx = PassContext(config=Config(), status=status, now=now, rules=rules)
        slot = ics_slot(status, folder / "out", now)
        return run_pass(ctx, [source], [slot])
    finally:
        status.close()
