"""`followup classify` and `followup explain`: what the rules make of events, and why.

Both are what-ifs over files: no look-back and no superseding (those need the whole
calendar and `now`). The reminder time follows the same zone rule as `sync` (SPEC "When
to remind"), so they tell the time `sync` writes: `--tz`, else `reminders.timezone`,
else the calendar's own (X-WR-TIMEZONE, the zone Google reports), else the interview's.
The user's `followup confirm` answers count as they do in a sync. `.json` files are
Google Calendar API event resources (one object, a list, or an `events.list` response);
`.ics` files go through the `.ics` reader.
Thin commands: reading, classifying and formatting are functions; formatting returns
strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rules.errors import ParseError, Problem, UserError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from rules.model import Classification, FollowUpWindow, Policy, SourceEvent
    from rules.vocabulary import Vocabulary


@dataclass(frozen=True)
class Row:
    event: SourceEvent
    classification: Classification
    window: FollowUpWindow | None


def read_events(
    paths: tuple[Path, ...], floating_zone: ZoneInfo | None = None
) -> tuple[list[SourceEvent], list[str], dict[str, str | None]]:
    """Events, warnings and each file's calendar zone (by the events' calendar id) from
    .json / .ics files; a bad file raises `ParseError`. Floating times of an `.ics`
    with no `X-WR-TIMEZONE` are read in `floating_zone` (the user's), as `sync` does."""
    events: list[SourceEvent] = []
    warnings: list[str] = []
    zones: dict[str, str | None] = {}
    for path in paths:
        if not path.is_file():
            raise ParseError(
                "cannot read events file",
                [Problem("no such file", file=str(path))],
                next_step="check the path",
            )
        suffix = path.suffix.lower()
        if suffix == ".json":
            from sync.google.convert import read_events_json

            got = read_events_json(path, calendar_id=path.name)
        elif suffix in (".ics", ".ical", ".ifb"):
            from sync.ics.reader import read_ics

            got = read_ics(path, calendar_id=path.name, floating_zone=floating_zone)
        else:
            raise ParseError(
                "unsupported file type",
                [Problem("expected a .json or .ics file", file=str(path), value=path.suffix)],
            )
        events.extend(got.events)
        warnings.extend(got.warnings)
        zones[path.name] = got.timezone
    return events, warnings, zones


def evaluate(
    events: list[SourceEvent],
    *,
    vocab: Vocabulary,
    policy: Policy,
    user_tz: ZoneInfo | None,
    zones: dict[Any, str | None] | None = None,
    confirmations: dict[str, str] | None = None,
) -> list[Row]:
    """Classify and time each event as a sync would: the user's zone, else the zone of
    the event's calendar (`zones`: by (calendar id, event id) for what `.ics` files and
    feeds kept, whose events share one calendar id; else by calendar id), else the
    interview's own."""
    from rules.classify import classify
    from rules.timing import followup_window
    from sync.passes import zone_named

    zones = zones or {}
    confirmations = confirmations or {}
    rows = []
    for event in events:
        verdict = classify(event, vocab, confirmations.get(event.id))
        own = zones.get((event.calendar_id, event.id), zones.get(event.calendar_id))
        zone = user_tz or zone_named(own)
        window = followup_window(event, verdict, policy=policy, user_tz=zone)
        rows.append(Row(event, verdict, window))
    return rows


def row_json(row: Row) -> str:
    """The contract's one JSON object per event (SPEC "followup classify --json").

    `interview` and `stage` are the best guess, `followup` is computed for any
    interview, sure or not; `sure` says whether `sync` would write that reminder, and
    `side` / `kind` answer the two questions asked before the stage.
    """
    verdict = row.classification
    return json.dumps(
        {
            "id": row.event.id,
            "interview": verdict.interview,
            "stage": verdict.stage.value if verdict.stage else None,
            "sure": verdict.sure,
            "side": verdict.side.value if verdict.side else None,
            "kind": verdict.kind.value if verdict.kind else None,
            "reasons": [str(r) for r in verdict.reasons],
            "followup": row.window.as_json() if row.window else None,
        },
        ensure_ascii=False,
    )


def _start_text(event: SourceEvent) -> str:
    from datetime import datetime

    if isinstance(event.start, datetime):
        return event.start.strftime("%Y-%m-%d %H:%M")
    return event.start.isoformat()


def _why(verdict: Classification) -> str:
    """The deciding reason: for a non-interview the rule-out or the low score."""
    if not verdict.interview and verdict.reasons:
        for reason in verdict.reasons:
            if reason.signal in ("not-interview", "odd-event", "fitted:veto"):
                return str(reason)
        return (
            str(verdict.reasons[-1])
            if verdict.reasons[-1].signal.startswith("negative")
            else str(verdict.reasons[0])
        )
    if verdict.interview and not verdict.sure:
        for reason in verdict.reasons:
            if reason.signal == "unsure":
                return str(reason)
    for reason in verdict.reasons:
        if not reason.signal.startswith(
            ("stage:", "not-interview", "producer", "boilerplate", "side:", "kind:", "sure")
        ):
            return str(reason)
    return str(verdict.reasons[0]) if verdict.reasons else ""


def format_table(rows: list[Row]) -> str:
    """An aligned, readable table: one line per event."""
    from sync.views import table

    lines = []
    for row in rows:
        verdict = row.classification
        verdict_text = verdict.stage.value if verdict.interview and verdict.stage else "no"
        if verdict.interview and not verdict.sure:
            verdict_text += "?"  # unsure: the best guess, no reminder until confirmed
        if verdict.skip_note:
            verdict_text = f"no ({verdict.skip_note})"
        remind = row.window.remind_at.strftime("%Y-%m-%d %H:%M %Z") if row.window else "-"
        summary = row.event.summary or "(no title)"
        if len(summary) > 40:
            summary = summary[:39] + "\u2026"
        why = _why(verdict)
        if len(why) > 60:
            why = why[:59] + "\u2026"
        lines.append((_start_text(row.event), verdict_text, remind, summary, why))
    return table(("start", "interview", "remind at", "summary", "why"), lines)


def _because(verdict: Classification, prefix: str) -> str:
    for reason in verdict.reasons:
        if reason.signal.startswith(prefix) and reason.matched:
            return f" ({reason.matched})"
    return ""


def format_explanation(row: Row) -> str:
    """Every reason, the stage, company, role, window and reminder -- or why not."""
    from rules.classify import local_date
    from rules.message import span

    event, verdict, window = row.event, row.classification, row.window
    lines = [
        f"Event: {event.label}",
        f"  id: {event.id}",
        f"  start: {_start_text(event)}" + (f" ({event.timezone})" if event.timezone else ""),
    ]
    stage = verdict.stage.value if verdict.stage else "?"
    if verdict.interview and verdict.sure:
        lines.append(f"Verdict: interview, {stage} stage")
    elif verdict.interview:
        lines.append(f"Verdict: unsure -- best guess an interview, {stage} stage; no reminder yet")
        lines.append(f"  settle it: followup confirm {event.id} phone|final|skip")
    else:
        vetoed = any(r.signal == "fitted:veto" for r in verdict.reasons)
        why = verdict.skip_note or (
            "its words read as an interview, but the fitted model turned it down"
            if vetoed
            else "no interview signal strong enough, or ruled out"
        )
        lines.append(f"Verdict: not an interview ({why})")
        if vetoed:
            lines.append(
                f"  if it is your interview: followup confirm {event.id} phone|final "
                "(or #followup:phone in its description)"
            )
    if verdict.confirmed is not None:
        lines.append(f"  confirmed by you: {verdict.confirmed.value}")
    if verdict.side is not None:
        lines.append(f"Side: {verdict.side.value}" + _because(verdict, "side:"))
    if verdict.kind is not None:
        lines.append(f"Kind: {verdict.kind.value}" + _because(verdict, "kind:"))
    if verdict.producer:
        lines.append(f"Written by: {verdict.producer}")
    lines.append("Reasons:")
    lines += [f"  - {reason}" for reason in verdict.reasons] or ["  (none)"]
    if verdict.interview:
        lines.append(f"Company: {verdict.company or 'unknown'}")
        lines.append(f"Role: {verdict.role or 'unknown'}")
        if verdict.interviewer is not None:
            lines.append(f"Interviewer: {verdict.interviewer.label}")
        if verdict.salary:
            lines.append(f"Salary noted: {verdict.salary}")
        if verdict.stated_followup:
            lines.append(f"Stated timeline: {verdict.stated_followup.isoformat()}")
        if window is not None:
            lines.append(
                f"Window: {window.start.isoformat()} .. {window.end.isoformat()} "
                f"({span(window.start, window.end)}; basis {window.basis}; "
                f"interview on {local_date(event).isoformat()})"
            )
            lines.append(f"Reminder: {window.remind_at.isoformat()}")
    return "\n".join(lines)


def _setup(rules_file: Path | None, tz_name: str | None):
    from sync.config import load_config, load_vocabulary
    from sync.paths import default_paths

    paths = default_paths()
    vocab = load_vocabulary(paths, rules_file)
    config = load_config(paths)
    policy = config.policy
    user_tz = config.timezone
    if tz_name:
        from zoneinfo import ZoneInfo

        try:
            user_tz = ZoneInfo(tz_name)
        except (KeyError, ValueError):
            raise UserError(
                "unknown time zone",
                [Problem("not an IANA time zone name", field="--tz", value=tz_name)],
                next_step="use a name like Europe/Berlin",
            ) from None
    return vocab, policy, user_tz


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"followup: warning: {warning}", err=True)


_RULES = click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your rules file (TOML) extending the vocabulary [default: rules.toml in the "
    "config directory, if present].",
)
_TZ = click.option(
    "--tz",
    "tz_name",
    metavar="ZONE",
    help="Your time zone for the reminder time [default: reminders.timezone, else the "
    "calendar's, else the interview's own].",
)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event per line.")
@_RULES
@_TZ
def classify(
    files: tuple[Path, ...], as_json: bool, rules_file: Path | None, tz_name: str | None
) -> None:
    """Classify events from .ics or Google Calendar JSON files: interview or not,
    phone or final stage, the reasons, and the follow-up window.

    A what-if: no look-back and no superseding by later interviews.

    \b
    Example:
      followup classify ~/Downloads/calendar.ics
      followup classify events.json --json | jq 'select(.interview)'
    """
    vocab, policy, user_tz = _setup(rules_file, tz_name)
    events, warnings, zones = read_events(files, user_tz)
    _warn(warnings)
    rows = evaluate(
        events,
        vocab=vocab,
        policy=policy,
        user_tz=user_tz,
        zones=zones,
        confirmations=_confirmations(),
    )
    if as_json:
        for row in rows:
            click.echo(row_json(row))
    else:
        click.echo(format_table(rows))


def synced_events() -> tuple[list[SourceEvent], list[str], dict[Any, str | None]]:
    """The events the last sync kept from every source -- Google calendars, `.ics`
    files and feeds: the interview candidates and the events with a reminder -- and
    each source calendar's zone (see `rows`)."""
    from sync.eventcodec import event_from_json
    from sync.paths import default_paths
    from sync.sources.google import cached_events
    from sync.statusdb import StatusDB

    paths = default_paths()
    if not paths.state_file.exists():
        return [], [], {}
    status = StatusDB(paths.state_file)
    try:
        events, warnings = cached_events(status)
        warnings = [*status.notices, *warnings]
        zones: dict[Any, str | None] = {}
        for row in status.sources():
            if row.identity.startswith("google:"):
                zones[row.identity.split(":", 1)[1]] = row.timezone
            elif row.identity.startswith(("file:", "feed:")):
                # Every file's and feed's events have the calendar id `ics`: each event
                # is timed in its own file's zone, and one in two files is listed once.
                for payload in status.cached_events(row.identity).values():
                    event = event_from_json(payload)
                    if (event.calendar_id, event.id) not in zones:
                        zones[(event.calendar_id, event.id)] = row.timezone
                        events.append(event)
        return events, warnings, zones
    finally:
        status.close()


def _confirmations() -> dict[str, str]:
    """The user's `followup confirm` answers, as the last sync stored them."""
    from sync.paths import default_paths
    from sync.statusdb import StatusDB

    paths = default_paths()
    if not paths.state_file.exists():
        return {}
    status = StatusDB(paths.state_file)
    try:
        return status.confirmations()
    finally:
        status.close()


@click.command()
@click.argument("event")
@click.option(
    "--from",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A .ics or Google Calendar JSON file to look in (repeatable).",
)
@_RULES
@_TZ
def explain(
    event: str, sources: tuple[Path, ...], rules_file: Path | None, tz_name: str | None
) -> None:
    """Explain why EVENT is (not) an interview: every reason, the stage, company, role,
    follow-up window and reminder time. EVENT is an event id / UID, or a piece of its
    title. Without --from, it looks in what the last `followup sync` kept: the interview
    candidates of every calendar it read (Google, files, feeds).

    \b
    Example:
      followup explain "Phone screen" --from ~/Downloads/calendar.ics
      followup explain 7kq3v0example --from events.json
      followup explain Acme                  # after a `followup sync`
    """
    vocab, policy, user_tz = _setup(rules_file, tz_name)
    if sources:
        events, warnings, zones = read_events(sources, user_tz)
    else:
        events, warnings, zones = synced_events()
        if not events:
            raise UserError(
                "explain needs the events to look in",
                [
                    Problem(
                        "no --from FILE given, and no sync has kept any event yet", field="--from"
                    )
                ],
                next_step="pass --from calendar.ics (or a Google events JSON file), "
                "or run `followup sync` first",
            )
    _warn(warnings)
    matches = [e for e in events if e.id == event]
    if not matches:
        needle = event.casefold()
        matches = [e for e in events if needle in e.summary.casefold()]
    if not matches:
        raise UserError(
            f"no event matches {event!r}",
            [
                Problem(
                    f"searched {len(events)} events by id and title",
                    file=str(sources[0]) if len(sources) == 1 else None,
                )
            ],
            next_step="run `followup classify FILE` to list the events"
            if sources
            else "the last sync kept only interview candidates: to explain any other "
            "event, pass --from with its calendar file",
        )
    rows = evaluate(
        matches,
        vocab=vocab,
        policy=policy,
        user_tz=user_tz,
        zones=zones,
        confirmations=_confirmations(),
    )
    click.echo("\n\n".join(format_explanation(row) for row in rows))
