"""One sync pass: source events -> rules -> desired reminders -> plan -> apply.

The offline pass lives here (a local .ics calendar in, .ics files out); the Google pass
(`sync.google.run`) follows the same steps with the calendar as an extra sink. Both
share `reconcile_inputs`, which turns the rules' decisions into what the planner needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rules.message import set_late
from rules.model import Policy, Reminder, SourceEvent, reminder_key
from rules.policy import Decisions, decide
from rules.timing import next_slot
from rules.vocabulary import Vocabulary
from sync.config import Config
from sync.paths import Paths
from sync.reconcile import Kind, Plan
from sync.state import ExportRecord, State

log = logging.getLogger("followup.engine")


@dataclass(frozen=True)
class PassContext:
    paths: Paths
    config: Config
    state: State
    now: datetime  # aware; read once per pass by the shell, never inside the rules
    vocab: Vocabulary
    force_delete: bool = False
    dry_run: bool = False
    out_dir: Path | None = None
    progress: Callable[[str], None] | None = None


@dataclass
class PassReport:
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # logged; shown with -v
    notices: list[str] = field(default_factory=list)  # always shown: the user must act
    plan: Plan | None = None
    decisions: Decisions | None = None


@dataclass(frozen=True)
class ReconcileInputs:
    desired: tuple[Reminder, ...]
    withdraw: dict[str, str]
    retain: tuple[str, ...]
    source_has_interviews: bool


def reconcile_inputs(decisions: Decisions) -> ReconcileInputs:
    """Sort each decided event into: wanted, withdrawn (with why), or left as history.

    An interview past the look-back gets no *new* reminder, but the one it already has
    stays: deleting a past reminder would rewrite the user's history.
    """
    desired: list[Reminder] = []
    withdraw: dict[str, str] = {}
    retain: list[str] = []
    for decision in decisions.items:
        key = reminder_key(decision.event.calendar_id, decision.event.id)
        if decision.reminder is not None:
            desired.append(decision.reminder)
        elif decision.past_lookback:
            retain.append(key)
        else:
            withdraw[key] = decision.note or "no longer an interview"
    has_interviews = bool(decisions.interviews)
    return ReconcileInputs(tuple(desired), withdraw, tuple(retain), has_interviews)


def decide_reminders(
    ctx: PassContext, events: Iterable[SourceEvent], user_tz: ZoneInfo | None, report: PassReport
) -> ReconcileInputs:
    """The rules over a source's events; odd events skipped are reported as warnings."""
    decisions = decide(
        events, now=ctx.now, user_tz=user_tz, policy=ctx.config.policy, vocab=ctx.vocab
    )
    for decision in decisions.items:
        note = decision.classification.skip_note
        if note:
            report.warnings.append(f"skipped {decision.event.label}: {note}")
    inputs = reconcile_inputs(decisions)
    desired = schedule_late(
        inputs.desired, now=ctx.now, records=ctx.state.exports(), policy=ctx.config.policy
    )
    moved = {r.key: r for r in desired}
    report.decisions = Decisions(
        tuple(
            replace(d, reminder=moved[d.reminder.key]) if d.reminder is not None else d
            for d in decisions.items
        )
    )
    return replace(inputs, desired=desired)


def schedule_late(
    desired: Sequence[Reminder],
    *,
    now: datetime,
    records: Mapping[str, ExportRecord],
    policy: Policy,
) -> tuple[Reminder, ...]:
    """Move reminders whose moment passed before they were ever written to the next
    weekday slot, and keep them there on later passes.

    A reminder written on time and now in the past is history and stays as it is. One
    the tool sees for the first time after its moment (the first sync after
    connecting; a machine that was off) would never fire, so it goes on the next
    weekday instead. State remembers the moment it was given (the export record), so
    later passes plan the same reminder and nothing churns; if the interview changes,
    it is placed afresh.
    """
    out: list[Reminder] = []
    for reminder in desired:
        if reminder.start >= now:
            out.append(reminder)
            continue
        record = records.get(reminder.key)
        seen = record.info if record is not None else {}
        same = (
            seen.get("title") == reminder.title
            and seen.get("window_start") == reminder.window.start.isoformat()
            and seen.get("window_end") == reminder.window.end.isoformat()
        )
        if same and seen.get("remind_at") == reminder.start.isoformat():
            out.append(reminder)  # written on time: history
        elif same:
            out.append(set_late(reminder, datetime.fromisoformat(seen["remind_at"])))
        else:
            zone = reminder.start.tzinfo or UTC
            out.append(set_late(reminder, next_slot(now, policy.remind_time, zone)))
    return tuple(out)


def write_ics(ctx: PassContext, inputs: ReconcileInputs, *, source_has_interviews: bool):
    """The .ics export of a pass (both paths write one); returns `ExportResult`."""
    from sync.export import export_ics

    return export_ics(
        ctx.state,
        inputs.desired,
        ctx.out_dir or ctx.config.export_dir or ctx.paths.ics_dir,
        ctx.now,
        withdraw=inputs.withdraw,
        retain=inputs.retain,
        source_has_interviews=source_has_interviews,
        force_delete=ctx.force_delete,
        dry_run=ctx.dry_run,
    )


def offline_pass(ctx: PassContext, calendar: Path) -> PassReport:
    """`followup sync --from FILE.ics --out DIR`: .ics in, .ics out, no account."""
    from sync.ics.reader import read_ics

    source = read_ics(calendar, self_emails=ctx.config.self_emails)
    report = PassReport(source=str(calendar))
    report.warnings.extend(source.warnings)
    user_tz = ctx.config.timezone or zone_named(source.timezone)
    inputs = decide_reminders(ctx, source.events, user_tz, report)
    result = write_ics(ctx, inputs, source_has_interviews=inputs.source_has_interviews)
    if result.plan.held:
        report.notices.append(
            f"{len(result.plan.held)} reminder(s) kept: {calendar} lists no interviews at all "
            "(wrong file?); pass --force-delete to withdraw them"
        )
    report.plan = result.plan
    report.counts = {
        "events": len(source.events),
        "interviews": len(report.decisions.interviews) if report.decisions else 0,
        "reminders": len(inputs.desired),
        "created": result.plan.count(Kind.CREATE) + result.plan.count(Kind.RESTORE),
        "updated": result.plan.count(Kind.UPDATE),
        "withdrawn": result.plan.count(Kind.DELETE),
        "files_written": result.written,
    }
    return report


def zone_named(name: str | None) -> ZoneInfo | None:
    """A calendar's zone by IANA name; None when absent or unknown to this system."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
