"""The benchmark's Markdown report: tables of figures, targets with ✓/✗, failures."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field


@dataclass
class Report:
    title: str
    sections: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # other figures
    targets: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def table(self, heading: str, header: list[str], rows: list[list[str]]) -> None:
        if rows:
            self.sections.append(f"## {heading}\n\n{_table(header, rows)}")

    def row(self, what: str, measured: str) -> None:
        self.rows.append([what, measured])

    def target(self, what: str, measured: str, ok: bool | None) -> None:
        mark = "–" if ok is None else "✓" if ok else "✗"
        self.targets.append([what, measured, mark])

    def note(self, text: str) -> None:
        self.notes.append(text)

    def failure(self, what: str, exc: BaseException) -> None:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        self.failures.append(f"**{what} failed**: {detail}")
        self.targets.append([what, "FAILED (see below)", "✗"])

    def render(self) -> str:
        parts = [f"# {self.title}"]
        parts += self.sections
        if self.rows:
            parts.append("## Other figures\n\n" + _table(["figure", "measured"], self.rows))
        if self.targets:
            parts.append("## Targets\n\n" + _table(["target", "measured", ""], self.targets))
        if self.failures:
            parts.append("## Failures\n\n" + "\n\n".join(self.failures))
        if self.notes:
            parts.append("\n".join(f"- {n}" for n in self.notes))
        return "\n\n".join(parts) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)
