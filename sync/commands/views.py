"""`followup list`: what is coming up, from the state the last pass left."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click


@click.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include reminders already past.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for scripts.")
def list_cmd(show_all: bool, as_json: bool) -> None:
    """List upcoming follow-up reminders and the interviews behind them.

    \b
    Examples:
      followup list
      followup list --json | jq .company
    """
    from sync.paths import default_paths
    from sync.statusdb import StatusDB
    from sync.stores.ics import reminder_infos
    from sync.views import format_upcoming

    paths = default_paths()
    infos: list[dict] = []
    if paths.state_file.exists():
        status = StatusDB(paths.state_file)
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
