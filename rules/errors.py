"""The project's one exception hierarchy (the sync shell adds its own leaves).

Every error a user can meet is a `FollowupError`; the CLI turns it into one message and
an exit code in one place (`sync.cli`). A `UserError` carries *every* problem found,
not just the first, and the next step to take.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, with enough context to find it."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        elif self.line:
            where = f"line {self.line}"
        parts = [p for p in (where, self.field) if p]
        head = ": ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (got {shown!r})"
        return text


class FollowupError(Exception):
    """Root of every error this project raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, next_step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        if self.next_step:
            return f"{self.message} ({self.next_step})"
        return self.message


class UserError(FollowupError):
    """Bad input or configuration: exit 2. Lists every problem found."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        problems: list[Problem] | tuple[Problem, ...] = (),
        *,
        next_step: str | None = None,
    ) -> None:
        super().__init__(message, next_step=next_step)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            text = f"{self.message}: {self.problems[0]}"
        elif self.problems:
            text = f"{self.message} ({len(self.problems)} problems): " + "; ".join(
                str(p) for p in self.problems
            )
        else:
            text = self.message
        if self.next_step:
            text += f" -- {self.next_step}"
        return text


class RulesFileError(UserError):
    """A user rules file (TOML) that cannot be used."""


class ParseError(UserError):
    """An input file (.ics, JSON events) that cannot be read."""
