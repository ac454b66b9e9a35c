"""One sync pass: sources -> rules -> plan -> stores -> status. The only driver.

1. Each source reads what is new (Google by sync token, a file whole, ...).
2. The rules decide over each source's events (`rules.policy.decide`), late placement
   included (`rules.placement.place_late`), with the user's confirmations.
3. Each source's decisions become `Wants`; the mass-withdrawal guard is set per source
   here, from the source's memory ("it had interviews") and its events now.
4. For each store (a slot), the planner plans against what the store's records say;
   an empty plan ends there (an unchanged pass writes nothing and, for Google, does
   not even read the target). Otherwise the store is opened (the Google target found
   or created), listed, planned against, and the plan applied. Conflicts the store
   reports are facts: the store is listed again and the planner plans once more.
5. Unless this is a dry run, what the sources said (cursors, caches, zones, the guard)
   is saved, with the placements given; a dry run leaves nothing that lasts.

Stores and sources never import this module; the planner is the only decider.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rules.model import reminder_key
from rules.placement import Placement, place_late
from rules.policy import Decisions, decide, start_instant
from rules.vocabulary import Vocabulary
from sync.config import Config
from sync.errors import TemporaryError
from sync.planner import Existing, Kind, Plan, Wants, plan
from sync.ruleset import RuleSet
from sync.sources.base import Source, SourceRead
from sync.statusdb import SourceRow, StatusDB, UnsureRow
from sync.stores.base import Applied, ReminderStore
from sync.verdicts import VerdictMemo

log = logging.getLogger("followup.pass")


@dataclass(frozen=True)
class PassContext:
    config: Config
    status: StatusDB
    now: datetime  # aware; read once per pass by the shell, never inside the rules
    rules: RuleSet  # the vocabulary, loaded when first needed, and what it is made of
    force_delete: bool = False
    dry_run: bool = False
    command: str = "followup sync"  # this pass's own command line, for the hints it gives

    @property
    def vocab(self) -> Vocabulary:
        return self.rules.vocab


@dataclass
class Slot:
    """A store in a pass: which sources' reminders it takes, a cheap view of what it
    holds, and how to open it for real (which may find or create its calendar)."""

    name: str
    accepts: Callable[[str], bool]
    believed: Callable[[], dict[str, Existing]]
    open: Callable[[], ReminderStore]
    always: bool = False  # apply even an empty plan (the .ics folder repairs itself)
    notices: list[str] = field(default_factory=list)  # what opening it had to say


@dataclass
class SourceResult:
    read: SourceRead
    decisions: Decisions
    wants: Wants
    verdicts: VerdictMemo | None = None  # what to remember for the next pass


@dataclass
class PassReport:
    sources: list[SourceResult] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)
    applied: dict[str, Applied] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # logged; shown with -v
    notices: list[str] = field(default_factory=list)  # always shown: the user must act
    skipped: list[str] = field(default_factory=list)  # events skipped, with the reason
    newly_unsure: list[UnsureRow] = field(default_factory=list)  # announced once
    unread: list[Exception] = field(default_factory=list)  # sources that failed for now

    @property
    def decisions(self) -> Decisions:
        return Decisions(tuple(d for s in self.sources for d in s.decisions.items))

    def counts(self) -> dict[str, int]:
        out = {
            "events": sum(len(s.read.events) for s in self.sources),
            "interviews": sum(len(s.decisions.interviews) for s in self.sources),
            "reminders": len({r.key for s in self.sources for r in s.wants.desired}),
            "held": max((len(p.held) for p in self.plans.values()), default=0),
        }
        for name, kind in (
            ("created", Kind.CREATE),
            ("updated", Kind.UPDATE),
            ("restored", Kind.RESTORE),
            ("withdrawn", Kind.DELETE),
        ):
            out[name] = max((p.count(kind) for p in self.plans.values()), default=0)
        return out


def run_pass(
    ctx: PassContext,
    sources: Sequence[Source],
    slots: Sequence[Slot],
    retired: Sequence[str] = (),
) -> PassReport:
    """One pass. `retired` names sources that are no longer configured (a calendar
    dropped from `[google] sources`): their reminders are held like an empty source's
    and withdrawn with --force-delete."""
    report = PassReport()
    known = _known_keys(ctx.status)
    confirmations = ctx.status.confirmations()
    previous = ctx.status.placements()
    for source in sources:
        try:
            read = source.read(ctx.status, known)
        except TemporaryError as exc:
            if len(sources) == 1:
                raise
            # A feed that is down (or a server busy) this time: the other sources are
            # synced all the same; its reminders stay as they are (no pass withdraws
            # another source's), and the pass ends with exit 75 naming it.
            report.unread.append(exc)
            continue
        report.warnings.extend(read.warnings)
        report.skipped.extend(read.warnings)
        report.sources.append(_decide(ctx, read, confirmations, previous, report))

    wants = [s.wants for s in report.sources]
    wants += [Wants(identity, held=not ctx.force_delete, retired=True) for identity in retired]
    retired_set = set(retired)
    for slot in slots:
        mine = [w for w in wants if slot.accepts(w.source)]
        quick = plan(mine, slot.believed(), now=ctx.now, force_delete=ctx.force_delete)
        if quick.empty and not quick.held and not slot.always:
            report.plans[slot.name] = quick
            continue
        store = slot.open()
        report.notices.extend(slot.notices)
        existing = store.existing()
        the_plan = plan(mine, existing, now=ctx.now, force_delete=ctx.force_delete)
        report.plans[slot.name] = the_plan
        if ctx.dry_run:
            continue
        store.adopt(existing)
        the_plan, done = settle(store, mine, the_plan, now=ctx.now, force_delete=ctx.force_delete)
        report.plans[slot.name] = the_plan
        report.applied[slot.name] = done
        report.warnings.extend(done.warnings)
        for left in the_plan.left_alone:
            log.info("left reminder %s alone: %s", left.key, left.why)
        empty = [a for a in the_plan.held if a.source not in retired_set]
        gone = [a for a in the_plan.held if a.source in retired_set]
        if empty:
            labels = ", ".join(sorted({_named(a.source) for a in empty}))
            report.notices.append(
                f"{len(empty)} reminder(s) kept: {labels} had interviews and now "
                "lists no interviews at all (wrong calendar or file? an outage?); run "
                f"`{ctx.command} --force-delete` to withdraw them"
            )
        if gone:
            labels = ", ".join(sorted({_named(a.source) for a in gone}))
            report.notices.append(
                f"{len(gone)} reminder(s) kept for {labels}, no longer one of your "
                f"sources; run `{ctx.command} --force-delete` to withdraw them"
            )
    if not ctx.dry_run:
        _remember(ctx, report)
        if report.newly_unsure:
            report.notices.append(unsure_notice(report.newly_unsure))
        if ctx.force_delete:
            with ctx.status.transaction():
                for identity in retired:
                    ctx.status.forget_source(identity)
    if report.unread:
        first = report.unread[0]
        raise TemporaryError(
            f"{len(report.unread)} of {len(sources)} calendars could not be read, the "
            f"others were synced: {getattr(first, 'message', first)}",
            next_step="the next run tries it again",
        ) from first
    return report


def settle(
    store: ReminderStore,
    wants: Sequence[Wants],
    the_plan: Plan,
    *,
    now: datetime,
    force_delete: bool = False,
) -> tuple[Plan, Applied]:
    """Apply a plan; if the store met conflicts (an id that exists, a tombstone), list
    it again and let the planner decide those keys with the facts (once)."""
    done = store.apply(the_plan)
    if not done.conflicts:
        return the_plan, done
    conflicts = set(done.conflicts)
    existing = store.existing()
    store.adopt(existing)
    again = plan(wants, existing, now=now, force_delete=force_delete)
    retry = Plan(tuple(a for a in again.actions if a.key in conflicts), again.left_alone)
    second = store.apply(retry)
    for key in second.conflicts:
        second.warnings.append(
            f"event {key} exists in {store.name} but was not written by followup; left alone"
        )
    done.conflicts = []
    done.merge(second)
    return _merged(the_plan, retry), done


def _decide(
    ctx: PassContext,
    read: SourceRead,
    confirmations: dict[str, str],
    previous: dict[str, Placement],
    report: PassReport,
) -> SourceResult:
    user_tz = ctx.config.timezone or zone_named(read.timezone)
    memo = VerdictMemo(ctx.rules, ctx.status.verdicts(read.identity))
    decisions = decide(
        read.events,
        now=ctx.now,
        user_tz=user_tz,
        policy=ctx.config.policy,
        classifier=memo,
        confirmations=confirmations,
    )
    desired = place_late(
        decisions.reminders, now=ctx.now, previous=previous, policy=ctx.config.policy
    )
    placed = {r.key: r for r in desired}
    decisions = Decisions(
        tuple(
            _with_reminder(d, placed[d.reminder.key]) if d.reminder is not None else d
            for d in decisions.items
        )
    )
    withdraw: dict[str, tuple[str, str]] = {}
    retain: set[str] = set()
    for decision in decisions.items:
        note = decision.classification.skip_note
        if note:
            report.skipped.append(f"skipped {decision.event.label}: {note}")
            report.warnings.append(f"skipped {decision.event.label}: {note}")
        for reason in decision.classification.reasons:
            if reason.signal == "unknown-tag":  # a typo the user means something by
                line = (
                    f"ignored {reason.matched} in {decision.event.label}: not a tag "
                    "(#followup:phone, final, skip or a date such as 2026-12-15)"
                )
                report.skipped.append(line)
                report.warnings.append(line)
        key = reminder_key(decision.event.calendar_id, decision.event.id)
        if decision.reminder is not None:
            continue
        if decision.past_lookback:
            retain.add(key)
        else:
            withdraw[key] = (why_withdrawn(decision), decision.event.label)
    row = ctx.status.source(read.identity)
    had = row.had_interviews if row else False
    held = had and not decisions.interviews and not ctx.force_delete
    wants = Wants(read.identity, desired, withdraw, frozenset(retain), held)
    return SourceResult(read, decisions, wants, memo)


def why_withdrawn(decision: Any) -> str:
    """Why an interview the source still shows has no reminder, in the user's words."""
    signals = {reason.signal for reason in decision.classification.reasons}
    if "cancelled" in signals:
        return "the interview was cancelled"
    if "declined" in signals:
        return "you declined the interview"
    if "tag" in signals and not decision.classification.interview:
        return "a #followup:skip tag says so"
    if decision.note:
        return decision.note
    return "it no longer looks like an interview"


def _with_reminder(decision, reminder):
    from dataclasses import replace

    return replace(decision, reminder=reminder)


def _merged(first: Plan, retry: Plan) -> Plan:
    keys = {a.key for a in retry.actions}
    actions = tuple(a for a in first.actions if a.key not in keys) + retry.actions
    return Plan(actions, first.left_alone, first.held)


def _remember(ctx: PassContext, report: PassReport) -> None:
    status = ctx.status
    with status.transaction():
        for result in report.sources:
            read = result.read
            old = status.source(read.identity)
            has = bool(result.decisions.interviews)
            had = old.had_interviews if old else False
            status.save_source(
                SourceRow(
                    identity=read.identity,
                    label=read.account or read.label,
                    cursor=read.cursor
                    if read.cursor is not None
                    else (old.cursor if old else None),
                    timezone=read.timezone or _old(old, "timezone"),
                    had_interviews=has or (had and result.wants.held),
                    read_at=ctx.now,
                )
            )
            if read.cache is not None:
                status.update_cache(read.identity, read.cache)
            if result.verdicts is not None and result.verdicts.changed:
                status.replace_verdicts(read.identity, result.verdicts.used)
            status.save_placements({r.key: Placement.of(r) for r in result.wants.desired})
            fresh = status.replace_unsure(read.identity, _unsure_rows(read, result, ctx.now))
            report.newly_unsure.extend(fresh)


def _unsure_rows(read: SourceRead, result: SourceResult, now: datetime) -> list[UnsureRow]:
    rows = []
    for decision in result.decisions.unsure:
        stage = decision.classification.stage
        rows.append(
            UnsureRow(
                source=read.identity,
                event_id=decision.event.id,
                label=decision.event.label,
                guess=stage.value if stage else None,
                start=start_instant(decision.event).isoformat(),
                first_seen=now.isoformat(),
            )
        )
    return rows


def unsure_notice(rows: Sequence[UnsureRow]) -> str:
    """One line for cron mail about events newly waiting for the user."""
    first = rows[0]
    guess = f" ({first.guess}?)" if first.guess else ""
    more = f" and {len(rows) - 1} more" if len(rows) > 1 else ""
    return (
        f"not sure {first.label}{guess}{more} is an interview: settle it with "
        f"`followup confirm {first.event_id} phone|final|skip` (`followup list --unsure` "
        "lists every one)"
    )


def _named(identity: str) -> str:
    """How a message names a source: the file, feed or calendar, not the identity."""
    return identity.split(":", 1)[1] if ":" in identity else (identity or "a source")


def _old(row: SourceRow | None, name: str):
    return getattr(row, name) if row is not None else None


def _known_keys(status: StatusDB) -> set[str]:
    keys: set[str] = set()
    for target in status.record_targets():
        keys |= set(status.records(target))
    return keys


def zone_named(name: str | None) -> ZoneInfo | None:
    """A calendar's zone by IANA name; None when absent or unknown to this system."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
