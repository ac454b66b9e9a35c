"""Pytest plugin: prints the labelled-set accuracy at the end of every test run.

`pytest_terminal_summary` runs in the process that prints the summary -- with xdist,
the controller, which collects nothing and so never loads `tests/rules/conftest.py`
when pytest starts from the repository root. This module is therefore registered as a
plugin from the top-level `tests/conftest.py` (`pytest_plugins`); the accuracy is
computed right there from the named fixture file (about a hundred events:
milliseconds), not gathered from workers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

LABELLED = Path(__file__).resolve().parent.parent / "data" / "labelled" / "events.json"


@dataclass(frozen=True)
class Labelled:
    event_id: str
    summary: str
    expected: tuple[bool, str | None]
    got: tuple[bool, str | None]
    hard_rule: bool

    @property
    def correct(self) -> bool:
        return self.expected == self.got


def labelled_results() -> list[Labelled]:
    """Classify every labelled event with the built-in vocabulary."""
    from rules.classify import classify
    from rules.vocabulary import default_vocabulary
    from sync.google.convert import event_from_api

    vocab = default_vocabulary()
    results = []
    for item in json.loads(LABELLED.read_text(encoding="utf-8")):
        event = event_from_api(item["event"], calendar_id="labelled")
        verdict = classify(event, vocab)
        expect = item["expect"]
        results.append(
            Labelled(
                event_id=event.id,
                summary=event.summary,
                expected=(expect["interview"], expect["stage"]),
                got=(verdict.interview, verdict.stage.value if verdict.stage else None),
                hard_rule=bool(expect.get("hard_rule")),
            )
        )
    return results


def accuracy_line(results: list[Labelled]) -> str:
    right = sum(r.correct for r in results)
    return f"classification accuracy: {right}/{len(results)} ({100 * right / len(results):.1f}%)"


def write_accuracy(terminalreporter) -> None:
    try:
        line = accuracy_line(labelled_results())
    except Exception as exc:  # the summary must never hide the real test failures
        line = f"classification accuracy: not computed ({type(exc).__name__}: {exc})"
    terminalreporter.write_line(line)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    write_accuracy(terminalreporter)
