"""Accuracy on the hand-labelled Google events in tests/data/labelled/events.json."""

from __future__ import annotations

import json

from tests.rules.accuracy import LABELLED, accuracy_line, labelled_results


def test_labelled_set_is_big_and_tricky_enough():
    items = json.loads(LABELLED.read_text(encoding="utf-8"))
    assert len(items) >= 90
    negatives = [i for i in items if not i["expect"]["interview"]]
    assert len(negatives) >= len(items) / 3
    zones = {i["event"].get("start", {}).get("timeZone") for i in items}
    assert {"Europe/Berlin", "Europe/Paris", "Europe/Madrid"} <= zones


def test_overall_accuracy_at_least_95_percent():
    results = labelled_results()
    wrong = [r for r in results if not r.correct]
    right = len(results) - len(wrong)
    assert right / len(results) >= 0.95, (
        accuracy_line(results)
        + "\n"
        + "\n".join(
            f"{r.event_id} {r.summary!r}: expected {r.expected}, got {r.got}" for r in wrong
        )
    )


def test_hard_rules_are_always_right():
    """Tags, cancelled, declined, eventType and our own events: no tolerance at all."""
    hard = [r for r in labelled_results() if r.hard_rule]
    assert len(hard) >= 15
    wrong = [r for r in hard if not r.correct]
    assert not wrong, wrong


def test_accuracy_line_format():
    results = labelled_results()
    line = accuracy_line(results)
    assert line.startswith("classification accuracy: ")
    assert f"/{len(results)} (" in line and line.endswith("%)")
