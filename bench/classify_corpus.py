"""Detection accuracy on the labelled invites: precision, recall, stage accuracy and the
unsure rate, overall and per producer and language (definitions: tests/rules/accuracy.py).

    .venv/bin/python bench/classify_corpus.py          # Markdown tables on stdout

`bench/run.py` calls `corpus_section`. The held-back part is the figure that counts; the
tune parts (`invites_tune.json`, writer A; `invites_tune2.json`, writer B;
`invites_tune3.json`, writer C, the first held-back part, spent) were tuned on and are
shown beside it for comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from report import Report  # noqa: E402

TARGETS = {"precision": 0.98, "recall": 0.97, "stage": 0.97, "unsure": 0.05}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _row(name: str, s) -> list[str]:
    return [
        name,
        str(s.events),
        str(s.interviews),
        _pct(s.precision),
        _pct(s.recall_sure),
        _pct(s.recall_found),
        _pct(s.stage_accuracy),
        f"{s.unsure} ({_pct(s.unsure_rate)})",
        str(len(s.trust_breaches)),
    ]


HEADER = [
    "group",
    "events",
    "interviews",
    "precision",
    "recall (sure)",
    "recall (found)",
    "stage",
    "unsure",
    "class 1/2 reminders",
]


def corpus_section(report: Report) -> None:
    from tests.rules.accuracy import HOLDOUT, TUNE_PARTS, breakdown, labelled_results, score

    for path, name in ((HOLDOUT, "held-back"), *TUNE_PARTS):
        if not path.exists():
            report.note(f"{name} set {path.name}: not present")
            continue
        results = labelled_results(path)
        total = score(results)
        rows = [_row("all", total)]
        rows += [_row(f"producer {g}", s) for g, s in breakdown(results, lambda r: r.producer)]
        rows += [_row(f"language {g}", s) for g, s in breakdown(results, lambda r: r.language)]
        report.table(f"Detection on the {name} invites ({path.name})", HEADER, rows)
        if name == "held-back":
            report.target(
                f"held-back precision ≥ {TARGETS['precision']:g}",
                _pct(total.precision),
                total.precision >= TARGETS["precision"],
            )
            report.target(
                f"held-back recall (found) ≥ {TARGETS['recall']:g}",
                f"{_pct(total.recall_found)} (sure {_pct(total.recall_sure)})",
                total.recall_found >= TARGETS["recall"],
            )
            report.target(
                f"held-back stage accuracy ≥ {TARGETS['stage']:g}",
                _pct(total.stage_accuracy),
                total.stage_accuracy >= TARGETS["stage"],
            )
            report.target(
                f"held-back unsure < {_pct(TARGETS['unsure'])} of interview-like events",
                _pct(total.unsure_rate),
                total.unsure_rate < TARGETS["unsure"],
            )
            report.target(
                "held-back: no reminder for class 1 (interviewer) or 2 (about)",
                str(len(total.trust_breaches)),
                not total.trust_breaches,
            )


def main() -> int:
    report = Report("interview-followup: detection on the labelled invites")
    corpus_section(report)
    print(report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
