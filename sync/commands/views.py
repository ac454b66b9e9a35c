"""`followup list`: what is coming up, from the state the last pass left."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click


@click.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include reminders already past.")
@click.option("--unsure", is_flag=True, help="The events the rules were unsure about, to settle.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for scripts.")
def list_cmd(show_all: bool, unsure: bool, as_json: bool) -> None:
    """List upcoming follow-up reminders and the interviews behind them (--unsure: the
    events waiting for your answer, each with the command that settles it).

    \b
    Examples:
      followup list
      followup list --unsure
      followup list --json | jq .company
    """
    if unsure:
        _list_unsure(as_json)
        return
    from sync.paths import default_paths
    from sync.statusdb import StatusDB
    from sync.stores.ics import reminder_infos
    from sync.views import format_upcoming

    paths = default_paths()
    infos: list[dict] = []
    if paths.state_file.exists():
        status = StatusDB(paths.state_file)
        _tell(status)
        now = datetime.now(UTC)
        for info in reminder_infos(status.export_records()):
            if show_all or datetime.fromisoformat(info["remind_at"]) >= now:
                infos.append(info)
        status.close()
    infos.sort(key=lambda i: (i["remind_at"], i.get("company") or ""))
    if as_json:
        for info in infos:
            click.echo(json.dumps(info, ensure_ascii=False, sort_keys=True))
    else:
        from sync.config import load_config
        from sync.views import display_zone

        click.echo(format_upcoming(infos, display_zone(load_config(paths).timezone, infos)))


def _tell(status) -> None:
    """What the user must hear about the status file itself (a corrupt one moved aside):
    a list that comes out empty because of it must not look like "nothing to do"."""
    for notice in status.notices:
        click.echo(f"followup: {notice}", err=True)


def _list_unsure(as_json: bool) -> None:
    from dataclasses import asdict

    from sync.paths import default_paths
    from sync.statusdb import StatusDB
    from sync.views import format_unsure

    paths = default_paths()
    rows = []
    zone = None
    if paths.state_file.exists():
        from sync.config import load_config
        from sync.stores.ics import reminder_infos
        from sync.views import display_zone

        status = StatusDB(paths.state_file)
        _tell(status)
        rows = status.unsure()
        zone = display_zone(load_config(paths).timezone, reminder_infos(status.export_records()))
        status.close()
    if as_json:
        for row in rows:
            settle = f"followup confirm {row.event_id} phone|final|skip"
            click.echo(json.dumps(asdict(row) | {"settle": settle}, sort_keys=True))
    else:
        click.echo(format_unsure(rows, zone))


@click.command()
@click.argument("event")
@click.argument("answer", type=click.Choice(["phone", "final", "skip"]))
def confirm(event: str, answer: str) -> None:
    """Settle an event the rules were unsure about: a phone interview, a final one, or
    not an interview at all (skip). Remembered across syncs; `#followup:` tags in the
    event's description still win.

    \b
    Examples:
      followup list --unsure
      followup confirm 4kq1c9lm0d8pa1 phone
      followup confirm 4kq1c9lm0d8pa1 skip
    """
    from sync.errors import UserError
    from sync.lock import state_lock
    from sync.paths import default_paths
    from sync.statusdb import StatusDB

    paths = default_paths()
    if not paths.state_file.exists():
        raise UserError(f"no event {event!r} is known yet", next_step="run `followup sync` first")
    with state_lock(paths.lock_file, by_hand=True):
        status = StatusDB(paths.state_file)
        try:
            label = _known_event(status, event)
            if label is None:
                raise UserError(
                    f"no event {event!r} was read by the last passes",
                    next_step="`followup list --unsure` lists the events waiting for you; "
                    "for any other event, add #followup:phone (or final, skip) to its "
                    "description",
                )
            with status.transaction():
                status.confirm(event, answer, datetime.now(UTC))
                status.settle_unsure(event)  # answered: no longer waiting for you
        finally:
            status.close()
    said = {
        "phone": "a phone interview: its reminder goes 5-7 days after it",
        "final": "a final interview: its reminder goes 7-10 days after it",
        "skip": "not an interview: it gets no reminder (one it had is withdrawn)",
    }[answer]
    click.echo(f"{label} is {said}. The next `followup sync` applies it.")


def _known_event(status, event_id: str) -> str | None:
    """How to name `event_id` if a source read it (unsure, or cached), else None."""
    for row in status.unsure():
        if row.event_id == event_id:
            return row.label
    for source in status.cached_sources():
        payload = status.cached_events(source).get(event_id)
        if payload is not None:
            return repr(payload.get("summary") or event_id)
    return None
