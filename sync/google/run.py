"""`followup sync` against Google Calendar: the pass, step by step.

1. Load the token (refresh it now; a revoked grant is one clear error, exit 3).
2. Read each source calendar incrementally into the state's cache (`reader`).
3. Decide (`rules.policy.decide`) over the cached events; turn the decisions into the
   planner's inputs (`sync.engine.reconcile_inputs`, shared with the offline pass).
4. Plan against state alone. Empty: stop here -- an unchanged pass costs one
   `events.list` per source calendar and writes nothing.
5. Otherwise find (or create) the target calendar, list the reminders the tool has
   there (markers, tombstones included), plan against what is really there, and apply
   it in batches (`sink`).
6. Rewrite the .ics export (`sync.export.export_ics`, same writer as the offline pass).
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from sync.engine import PassContext, PassReport, decide_reminders, write_ics, zone_named
from sync.errors import NotConnectedError
from sync.google import target as targets
from sync.google.api import Api
from sync.google.auth import TARGET_PRIMARY, ensure_fresh, load_connection
from sync.google.reader import cached_events, read_source
from sync.google.sink import CalendarMissing, GoogleStore
from sync.reconcile import Existing, Plan, plan
from sync.state import State

log = logging.getLogger("followup.google")


def google_pass(ctx: PassContext) -> PassReport:
    """One pass against Google Calendar."""
    import httplib2

    connection = load_connection(ctx.paths)
    mode = connection.target
    if ctx.config.google.target == TARGET_PRIMARY and mode != TARGET_PRIMARY:
        raise NotConnectedError(
            "the config asks for reminders in the primary calendar, but the stored "
            "token may only write the follow-ups calendar",
            next_step="run `followup connect --target primary`",
        )
    ctx.state.put("google.target_mode", mode)
    ensure_fresh(connection, httplib2.Http(timeout=30))
    api = Api(connection, ctx.config.google.api_root)
    try:
        return _pass(ctx, api, connection, mode)
    finally:
        connection.save_if_refreshed()


def _progress(ctx: PassContext, text: str) -> None:
    log.info("%s", text)
    if ctx.progress is not None:
        ctx.progress(text)


def _pass(ctx: PassContext, api: Api, connection: Any, mode: str) -> PassReport:
    state: State = ctx.state
    sources = ctx.config.google.sources
    report = PassReport(source="google")
    known = set(state.managed()) | set(state.exports())
    changes = 0
    for calendar_id in sources:
        read = read_source(
            api,
            state,
            calendar_id,
            vocab=ctx.vocab,
            known_keys=known,
            progress=ctx.progress,
        )
        report.warnings.extend(read.warnings)
        changes += read.changes
        full = " (full read)" if read.full else ""
        _progress(ctx, f"{calendar_id}: {read.changes} change(s){full}")

    zone_name = _calendar_zone(state, sources)
    user_tz = ctx.config.timezone or zone_named(zone_name) or ZoneInfo("UTC")
    events, warnings = cached_events(state, sources)
    report.warnings.extend(warnings)
    inputs = decide_reminders(ctx, events, user_tz, report)
    decisions = report.decisions
    guard_ok = _source_has_interviews(state, sources, decisions, ctx.force_delete)
    source_has = inputs.source_has_interviews and guard_ok

    def make_plan(existing: dict[str, Existing]) -> Plan:
        return plan(
            inputs.desired,
            existing,
            withdraw=inputs.withdraw,
            retain=inputs.retain,
            source_has_interviews=source_has,
            force_delete=ctx.force_delete,
        )

    target_id = "primary" if mode == TARGET_PRIMARY else targets.known_target(state, connection)
    quick = make_plan(GoogleStore(api, state, target_id).believed()) if target_id else None
    counts: dict[str, int] = {"changes": changes}
    if quick is not None and quick.empty:
        the_plan = quick  # nothing to write: the target is not even read
    elif ctx.dry_run and target_id is None:
        the_plan = make_plan({})
    else:
        the_plan = _reconcile_target(
            ctx, api, connection, mode, zone_name, make_plan, counts, report
        )
    if the_plan.held:
        report.notices.append(
            f"{len(the_plan.held)} follow-up reminder(s) kept: a source calendar that had "
            "interviews now lists none (wrong calendar? an outage?); run "
            "`followup sync --force-delete` to withdraw them"
        )
    for left in the_plan.left_alone:
        report.warnings.append(f"left reminder {left.key} alone: {left.why}")

    exported = write_ics(ctx, inputs, source_has_interviews=source_has)
    report.plan = the_plan
    counts.update(
        events=len(events),
        interviews=sum(1 for d in decisions.items if d.classification.interview),
        reminders=len(inputs.desired),
        held=len(the_plan.held),
        files_written=exported.written,
        requests=api.requests,
    )
    report.counts = {**counts, **report.counts}
    return report


def _reconcile_target(ctx, api, connection, mode, zone_name, make_plan, counts, report) -> Plan:
    state: State = ctx.state
    if ctx.dry_run:
        target_id = "primary" if mode == TARGET_PRIMARY else targets.known_target(state, connection)
        if target_id is None:
            return make_plan({})
        return make_plan(GoogleStore(api, state, target_id).existing())
    target = targets.find_or_create(api, state, connection, mode=mode, time_zone=zone_name)
    for attempt in (1, 2):
        store = GoogleStore(api, state, target.calendar_id)
        existing = {}
        if not target.created:
            try:
                existing = store.existing()
            except targets.TargetGone:
                target = targets.recreate(
                    api, state, connection, target.calendar_id, time_zone=zone_name
                )
                store = GoogleStore(api, state, target.calendar_id)
        report.notices.extend(target.notices)
        target.notices = []
        the_plan = make_plan(existing)
        try:
            done = store.apply(the_plan)
        except CalendarMissing:
            if attempt == 2:
                raise
            target = targets.recreate(
                api, state, connection, target.calendar_id, time_zone=zone_name
            )
            continue
        report.warnings.extend(done.warnings)
        counts.update(
            created=done.created,
            updated=done.updated,
            restored=done.restored,
            withdrawn=done.deleted,
        )
        return the_plan
    raise AssertionError("unreachable")


def _source_has_interviews(state: State, sources, decisions, force_delete: bool) -> bool:
    """False when a source calendar that had interviews now lists none (mass withdrawal)."""
    ok = True
    for calendar_id in sources:
        has = any(
            d.classification.interview and d.event.calendar_id == calendar_id
            for d in decisions.items
        )
        flag = f"google.had_interviews:{calendar_id}"
        if has:
            state.put(flag, "1")
        elif state.get(flag) == "1":
            if force_delete:
                state.put(flag, None)
            else:
                ok = False
    return ok


def _calendar_zone(state: State, sources) -> str | None:
    zone = state.get("google.tz:primary")
    if zone:
        return zone
    for calendar_id in sources:
        zone = state.get(f"google.tz:{calendar_id}")
        if zone:
            return zone
    return None
