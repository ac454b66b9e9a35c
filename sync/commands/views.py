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
    from sync.state import State
    from sync.views import format_upcoming

    paths = default_paths()
    if not paths.state_file.exists():
        infos: list[dict] = []
    else:
        state = State(paths.state_file)
        now = datetime.now(UTC)
        infos = []
        for record in state.exports().values():
            if record.status != "CONFIRMED":
                continue
            remind_at = datetime.fromisoformat(record.info["remind_at"])
            if show_all or remind_at >= now:
                infos.append(record.info | {"uid": record.uid})
        state.close()
    infos.sort(key=lambda i: (i["remind_at"], i.get("company") or ""))
    if as_json:
        for info in infos:
            click.echo(json.dumps(info, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(format_upcoming(infos))
