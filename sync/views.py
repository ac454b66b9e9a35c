"""Formatting for people: functions return strings and never print."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from sync.passes import PassReport


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned text table (no colours: it ends up in cron mail and logs)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def short_day(value: date | datetime | str | None, zone: tzinfo | None = None) -> str:
    """A day (and time) for people; a moment is shown in `zone` when one is given."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.strftime("%a %Y-%m-%d %H:%M")
    return value.strftime("%a %Y-%m-%d")


def display_zone(configured: ZoneInfo | None, infos: Sequence[dict[str, Any]]) -> ZoneInfo:
    """The one zone `list` and `status` show times in: the configured one, else the
    reminders' own (the calendar's), else UTC."""
    if configured is not None:
        return configured
    for info in infos:
        name = info.get("zone")
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def format_report(report: PassReport, *, dry_run: bool = False) -> str:
    lines: list[str] = []
    for result in report.sources:
        rows = []
        for d in result.decisions.items:
            if not d.classification.interview:
                continue
            k = d.classification
            rows.append(
                (
                    short_day(d.event.start),
                    k.company or "?",
                    k.role or "",
                    k.stage.value if k.stage else "",
                    f"{d.window.start:%m-%d}..{d.window.end:%m-%d}" if d.window else "",
                    short_day(d.reminder.start) if d.reminder else "-",
                    "" if d.reminder else (d.note or ""),
                )
            )
        header = ("interview", "company", "role", "stage", "window", "remind at", "note")
        lines.append(f"{len(rows)} interview(s) in {result.read.label}")
        if rows:
            lines.append(table(header, rows))
    verb = "would do" if dry_run else "done"
    for name, plan in report.plans.items():
        lines.append(f"plan for {name} ({verb}): {plan.summary()}")
        actions = sorted(
            plan.actions, key=lambda a: a.reminder.start.isoformat() if a.reminder else ""
        )
        lines.extend(f"  {a.describe()}" for a in actions)
        lines.extend(f"  left    {x.key} ({x.why})" for x in plan.left_alone)
        lines.extend(f"  held    {a.describe()}" for a in plan.held)
    lines.extend(f"warning: {w}" for w in report.warnings)
    return "\n".join(lines)


def format_upcoming(infos: Sequence[dict[str, Any]], zone: ZoneInfo | None = None) -> str:
    """`followup list`: one row per upcoming reminder and the interview behind it, every
    time in one zone, named in the header."""
    if not infos:
        return "No upcoming follow-ups."
    zone = zone or display_zone(None, infos)
    rows = [
        (
            short_day(i.get("remind_at"), zone),
            i.get("company") or "?",
            i.get("role") or "",
            i.get("stage") or "",
            short_day(i.get("interview_start"), zone),
            f"{i.get('window_start')} .. {i.get('window_end')}",
        )
        for i in infos
    ]
    label = f"({zone.key})"
    headers = (f"remind at {label}", "company", "role", "stage", f"interview {label}", "window")
    return table(headers, rows)


def format_unsure(rows: Sequence[Any], zone: ZoneInfo | None = None) -> str:
    """`followup list --unsure`: each event waiting for an answer, and the command."""
    if not rows:
        return "Nothing to settle: the rules were sure about every event."
    zone = zone or ZoneInfo("UTC")
    lines = [
        table(
            (f"when ({zone.key})", "event", "best guess", "settle with"),
            [
                (
                    short_day(r.start, zone),
                    r.label,
                    r.guess or "-",
                    f"followup confirm {r.event_id} phone|final|skip",
                )
                for r in rows
            ],
        )
    ]
    return "\n".join(lines)
