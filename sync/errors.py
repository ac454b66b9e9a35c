"""Errors of the sync shell, leaves of the one hierarchy rooted in `rules.errors`.

Exit codes (SPEC "Running unattended"): 0 ok, 1 failed, 2 usage or config error,
3 not connected / token revoked, 75 temporary failure (EX_TEMPFAIL: try again later).
"""

from __future__ import annotations

from rules.errors import FollowupError, ParseError, Problem, RulesFileError, UserError

__all__ = [
    "ConfigError",
    "FollowupError",
    "LockedError",
    "NotConnectedError",
    "ParseError",
    "Problem",
    "RulesFileError",
    "TemporaryError",
    "UserError",
]


class ConfigError(UserError):
    """The config file (TOML) or the credentials file is malformed."""


class NotConnectedError(FollowupError):
    """No usable Google token: never connected, revoked, or expired (exit 3)."""

    exit_code = 3

    def __init__(self, message: str, *, next_step: str = "run `followup connect`") -> None:
        super().__init__(message, next_step=next_step)


class TemporaryError(FollowupError):
    """Could not finish now, nothing lost; cron's next run will retry (exit 75)."""

    exit_code = 75


class LockedError(TemporaryError):
    """Another `followup` run holds the lock on the state directory."""
