"""Ready-made schedules for this install: a crontab line and systemd user units.

Formatting only (strings in, strings out); `followup cron` prints them with the
absolute path of the `followup` that is running, and `examples/` holds a copy made
for a placeholder path (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta


def cron_schedule(every: timedelta) -> str:
    minutes = max(1, int(every.total_seconds() // 60))
    if minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *" if minutes > 1 else "* * * * *"
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        hours = minutes // 60
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    return "*/15 * * * *"


def _env_prefix(env: Mapping[str, str]) -> str:
    return "".join(f"{k}={_quote(v)} " for k, v in sorted(env.items()))


def _quote(value: str) -> str:
    return (
        value
        if all(c.isalnum() or c in "/._-:" for c in value)
        else "'" + value.replace("'", "'\\''") + "'"
    )


def _command(followup: str, options: Sequence[str]) -> str:
    return " ".join([_quote(followup), "sync", *(_quote(o) for o in options)])


def _commands(followup: str, options: Sequence[str], more: Sequence[Sequence[str]]) -> list[str]:
    """One `sync` per setup, run one after the other: two at once would meet each
    other's lock, and one would exit 75 every time."""
    return [_command(followup, o) for o in (options, *more)]


def crontab_line(
    followup: str,
    every: timedelta,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    more: Sequence[Sequence[str]] = (),
) -> str:
    """cron mails any output; `followup sync` prints nothing when all is well. A "%"
    (a Google feed's "sam%40gmail.com") is a newline to cron unless escaped. `more`:
    the options of further setups, synced in the same line, after the first."""
    prefix = _env_prefix(env or {})
    command = "; ".join(prefix + c for c in _commands(followup, options, more))
    return f"{cron_schedule(every)} {command.replace('%', chr(92) + '%')}"


def systemd_service(
    followup: str,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    more: Sequence[Sequence[str]] = (),
) -> str:
    lines = [
        "[Unit]",
        "Description=interview-followup: one sync pass (follow-up reminders for interviews)",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
    ]
    # "%" starts a unit specifier ("%h"): a literal one is "%%". A oneshot service runs
    # its ExecStart= lines one after the other.
    lines += [f"ExecStart={c.replace('%', '%%')}" for c in _commands(followup, options, more)]
    lines += [
        # 75 means "temporary failure, try again later": not a unit failure worth alerting.
        "SuccessExitStatus=75",
    ]
    lines += [f"Environment={k}={v.replace('%', '%%')}" for k, v in sorted((env or {}).items())]
    return "\n".join(lines) + "\n"


def calendar_schedule(every: timedelta) -> str:
    """The systemd `OnCalendar=` form of the interval, on the same grid as the crontab
    line (and the same fallback, every 15 minutes, for an interval neither fits)."""
    minutes = max(1, int(every.total_seconds() // 60))
    if minutes < 60 and 60 % minutes == 0:
        return f"*:0/{minutes}"
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        hours = minutes // 60
        return "*:00" if hours == 1 else f"0/{hours}:00"
    return "*:0/15"


def systemd_timer(every: timedelta) -> str:
    return (
        "\n".join(
            [
                "[Unit]",
                "Description=Run interview-followup sync regularly",
                "",
                "[Timer]",
                # A wall-clock schedule, not OnUnitActiveSec=: Persistent= only applies to
                # OnCalendar= timers. With it, systemd remembers the last run, and a run
                # missed while the machine was off or asleep happens right after it is
                # back, instead of waiting a full interval (or never, for a laptop that
                # is rarely up that long).
                "# Wall-clock times, so that Persistent= works: a run missed while the",
                "# machine was off or asleep happens as soon as it is back.",
                f"OnCalendar={calendar_schedule(every)}",
                "Persistent=true",
                "RandomizedDelaySec=60",
                "",
                "[Install]",
                "WantedBy=timers.target",
            ]
        )
        + "\n"
    )


def install_text(
    followup: str,
    every: timedelta,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    more: Sequence[Sequence[str]] = (),
) -> str:
    return "\n".join(
        [
            "# cron: run `crontab -e` and add this line",
            crontab_line(followup, every, env, options, more),
            "",
            "# or systemd (user): save these two files, then",
            "#   systemctl --user daemon-reload",
            "#   systemctl --user enable --now interview-followup.timer",
            "# ~/.config/systemd/user/interview-followup.service",
            systemd_service(followup, env, options, more),
            "# ~/.config/systemd/user/interview-followup.timer",
            systemd_timer(every),
        ]
    )
