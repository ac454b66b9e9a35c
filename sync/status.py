"""The facts behind `followup status`, gathered from files, and their formatting.

Nothing here prints or exits; `gather` only touches the network with `check=True`
(one token refresh), so `status` is safe to run as often as anyone likes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rules.errors import FollowupError
from rules.message import NAME_PLACEHOLDER
from sync.paths import Paths
from sync.views import display_zone, format_upcoming, short_day

SCOPE_PREFIX = "https://www.googleapis.com/auth/"


@dataclass
class StatusFacts:
    connected: bool = False
    account: str | None = None
    caldav: dict[str, str] | None = None  # url, username, target: the connected account
    target: str | None = None
    scopes: list[str] = field(default_factory=list)
    token_saved: datetime | None = None
    refresh_check: str | None = None  # result of --check
    last_pass: dict[str, Any] | None = None
    last_ok: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # events the last pass skipped, why
    unsure: list[dict[str, Any]] = field(default_factory=list)  # events waiting for you
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    zone: str = "UTC"  # the one zone times are shown in
    exit_code: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def gather(paths: Paths, *, now: datetime, check: bool = False) -> StatusFacts:
    facts = StatusFacts()
    _token_facts(paths, facts, check)
    _caldav_facts(paths, facts)
    _config_facts(paths, facts)
    if paths.state_file.exists():
        _state_facts(paths, facts, now)
    facts.zone = display_zone(_configured_zone(paths), facts.upcoming).key
    if facts.upcoming and _unsigned(paths):
        facts.warnings.append(
            f"drafts are signed {NAME_PLACEHOLDER}: set your name as `name` under "
            f"[reminders] in {paths.config_file}"
        )
    # Exit 3 ("run followup connect") unless this is an .ics-only setup.
    offline_only = facts.last_pass is not None and facts.last_pass["source"].startswith("--from ")
    if not facts.connected and facts.caldav is None and not offline_only:
        facts.exit_code = 3
    return facts


def _token_facts(paths: Paths, facts: StatusFacts, check: bool) -> None:
    path = paths.token_file
    if not path.exists():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        facts.warnings.append(f"the token file {path} cannot be read; run `followup connect`")
        return
    facts.connected = bool(data.get("refresh_token"))
    facts.scopes = [s.removeprefix(SCOPE_PREFIX) for s in data.get("scopes") or []]
    facts.target = (data.get("followup") or {}).get("target")
    facts.token_saved = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        facts.warnings.append(
            f"the token file is readable by others (mode {mode:o}); run chmod 600 {path}"
        )
    if check and facts.connected:
        facts.refresh_check = _check_refresh(paths)
        if facts.refresh_check != "ok":
            facts.warnings.append(f"token refresh failed: {facts.refresh_check}")
            facts.exit_code = 3 if "followup connect" in facts.refresh_check else 75


def _caldav_facts(paths: Paths, facts: StatusFacts) -> None:
    """The connected CalDAV account, from caldav.json (never its password)."""
    from sync.caldav.account import load_account

    try:
        account = load_account(paths)
    except FollowupError as exc:
        facts.warnings.append(f"CalDAV: {exc}")
        return
    if account is not None:
        facts.caldav = {
            "url": account.url,
            "username": account.username,
            "target": account.target_name,
        }


def _check_refresh(paths: Paths) -> str:
    try:
        import httplib2

        from sync.google.auth import ensure_fresh, load_connection

        connection = load_connection(paths)
        connection.credentials.expiry = None  # force a refresh: that is the check
        connection.credentials.token = None
        ensure_fresh(connection, httplib2.Http(timeout=20))
    except FollowupError as exc:
        return str(exc)
    return "ok"


def _unsigned(paths: Paths) -> bool:
    from sync.config import load_config

    try:
        return load_config(paths).policy.user_name is None
    except FollowupError:
        return False


def _configured_zone(paths: Paths):
    from sync.config import load_config

    try:
        return load_config(paths).timezone
    except FollowupError:
        return None


def _config_facts(paths: Paths, facts: StatusFacts) -> None:
    from sync.config import load_config, load_vocabulary

    try:
        load_config(paths)
    except FollowupError as exc:
        facts.warnings.append(f"config: {exc}")
    try:
        load_vocabulary(paths)
    except FollowupError as exc:
        facts.warnings.append(f"rules: {exc}")


def _state_facts(paths: Paths, facts: StatusFacts, now: datetime) -> None:
    from sync.statusdb import StatusDB
    from sync.stores.ics import reminder_infos

    state = StatusDB(paths.state_file)
    facts.warnings.extend(state.notices)  # a corrupt file moved aside: say so
    try:
        primary = state.source("google:primary")
        facts.account = primary.label if primary and primary.label != "primary" else None
        passes = state.passes(limit=50)
        finished = [p for p in passes if p.result != "running"]
        if finished:
            last = finished[0]
            facts.last_pass = {
                "finished": last.finished,
                "source": last.source,
                "result": last.result,
                "counts": last.counts,
                "message": last.message,
            }
        ok = [p for p in finished if p.result == "ok"]
        facts.last_ok = ok[0].finished if ok else None
        facts.skipped = list(dict.fromkeys(ok[0].skipped)) if ok else []
        facts.unsure = [
            asdict(row) | {"settle": f"followup confirm {row.event_id} phone|final|skip"}
            for row in state.unsure()
        ]
        auth_failures = 0
        for p in finished:
            if p.result != "auth":
                break
            auth_failures += 1
        if auth_failures:
            facts.warnings.append(
                f"Google refused the token in the last {auth_failures} pass(es) (invalid_grant); "
                "run `followup connect`"
            )
        failing = 0
        for p in finished:
            if p.result in ("ok", "auth"):
                break
            failing += 1
        if failing >= 3:
            facts.warnings.append(f"the last {failing} passes failed: {finished[0].message}")
        for p in finished[:1]:
            if p.message and p.result == "ok":
                facts.warnings.append(p.message)
        for info in reminder_infos(state.export_records()):
            if datetime.fromisoformat(info["remind_at"]) >= now:
                facts.upcoming.append(info)
        facts.upcoming.sort(key=lambda i: i["remind_at"])
    finally:
        state.close()


def format_status(facts: StatusFacts) -> str:
    zone = ZoneInfo(facts.zone)
    lines = []
    if facts.connected:
        where = "your primary calendar" if facts.target == "primary" else '"Interview follow-ups"'
        who = f" as {facts.account}" if facts.account else ""
        lines.append(f"Google:      connected{who}; reminders go to {where}")
        lines.append(f"Scopes:      {', '.join(facts.scopes) or 'unknown'}")
        saved = short_day(facts.token_saved, zone) if facts.token_saved else "?"
        check = f"; refresh check: {facts.refresh_check}" if facts.refresh_check else ""
        lines.append(f"Token:       last saved {saved} {facts.zone}{check}")
    else:
        lines.append(
            "Google:      not connected (run `followup connect`; .ics files work without it)"
        )
    if facts.caldav:
        c = facts.caldav
        lines.append(
            f"CalDAV:      connected as {c['username']} at {c['url']}; "
            f'reminders go to "{c["target"]}"'
        )
    if facts.last_pass:
        p = facts.last_pass
        counts = ", ".join(f"{k}={v}" for k, v in p["counts"].items())
        when = short_day(p["finished"], zone) if p["finished"] else "?"
        detail = f" ({counts})" if counts else ""
        lines.append(f"Last pass:   {when} {facts.zone}, {p['result']}{detail} [{p['source']}]")
        if p["result"] != "ok" and p["message"]:
            lines.append(f"             {p['message']}")
        if facts.last_ok and p["result"] != "ok":
            lines.append(f"Last ok:     {short_day(facts.last_ok, zone)} {facts.zone}")
    else:
        lines.append("Last pass:   none yet (run `followup sync`)")
    if facts.warnings:
        lines.append("Warnings:")
        lines.extend(f"  - {w}" for w in facts.warnings)
    if facts.unsure:
        lines.append(
            f"Unsure:      {len(facts.unsure)} event(s) wait for your answer; "
            "`followup list --unsure` shows each with the command that settles it"
        )
    if facts.skipped:
        lines.append(f"Skipped by the last pass ({len(facts.skipped)}):")
        lines.extend(f"  - {s}" for s in facts.skipped)
    lines.append("")
    lines.append("Next reminders:")
    lines.append(format_upcoming(facts.upcoming[:5], zone))
    return "\n".join(lines)
