"""The rules' verdicts, remembered from one pass to the next.

`rules.classify.classify(event, vocab, answer)` is a pure function: the same event, the
same rules and the same answer from `followup confirm` give the same verdict. A pass
over an unchanged calendar asks the same questions again, so it need not work the
answers out again: `VerdictMemo` keeps each verdict under a key of everything it was
worked out from (`RuleSet.key`: the event's every field, the answer, and what the rules
are made of: code, built-in vocabulary, the user's rules file). A key that is not
there is classified as always; nothing is ever guessed or carried over.

Decisions are not remembered: windows, late placement, which interview supersedes
which, and the reminders are made again every pass (`rules.policy.decide`), since
"now" moves on.

The verdicts are kept per source in the status database (`verdicts`), only those the
last pass used, so the table holds about one row per candidate event.

`verdict_to_json` / `verdict_from_json` round-trip a `Classification` exactly.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rules.classify import classify
from rules.model import Classification, Confirmation, Kind, Person, Reason, Side, SourceEvent, Stage
from sync.eventcodec import event_to_json
from sync.ruleset import RuleSet

__all__ = ["VerdictMemo", "verdict_from_json", "verdict_to_json"]

FORMAT = 1


def _person(person: Person | None) -> list[Any] | None:
    if person is None:
        return None
    return [person.email, person.name, person.is_self, person.response, person.resource]


def _person_back(value: list[Any] | None) -> Person | None:
    if value is None:
        return None
    email, name, is_self, response, resource = value
    return Person(email=email, name=name, is_self=is_self, response=response, resource=resource)


def verdict_to_json(verdict: Classification) -> dict[str, Any]:
    return {
        "v": FORMAT,
        "event_id": verdict.event_id,
        "interview": verdict.interview,
        "stage": verdict.stage.value if verdict.stage else None,
        "reasons": [[r.signal, r.field, r.matched, r.weight] for r in verdict.reasons],
        "company": verdict.company,
        "role": verdict.role,
        "interviewer": _person(verdict.interviewer),
        "salary": verdict.salary,
        "stated_followup": verdict.stated_followup.isoformat() if verdict.stated_followup else None,
        "skip_note": verdict.skip_note,
        "side": verdict.side.value if verdict.side else None,
        "kind": verdict.kind.value if verdict.kind else None,
        "sure": verdict.sure,
        "producer": verdict.producer,
        "confirmed": verdict.confirmed.value if verdict.confirmed else None,
    }


def verdict_from_json(value: dict[str, Any]) -> Classification:
    """The verdict `verdict_to_json` was given; `ValueError` (or `KeyError`) for any
    other value, so a memo of another format is dropped, never misread."""
    if value.get("v") != FORMAT:
        raise ValueError(f"not a verdict of format {FORMAT}: v={value.get('v')!r}")
    followup = value["stated_followup"]
    return Classification(
        event_id=value["event_id"],
        interview=value["interview"],
        stage=Stage(value["stage"]) if value["stage"] else None,
        reasons=tuple(
            Reason(signal, field, matched, weight)
            for signal, field, matched, weight in value["reasons"]
        ),
        company=value["company"],
        role=value["role"],
        interviewer=_person_back(value["interviewer"]),
        salary=value["salary"],
        stated_followup=date.fromisoformat(followup) if followup else None,
        skip_note=value["skip_note"],
        side=Side(value["side"]) if value["side"] else None,
        kind=Kind(value["kind"]) if value["kind"] else None,
        sure=value["sure"],
        producer=value["producer"],
        confirmed=Confirmation(value["confirmed"]) if value["confirmed"] else None,
    )


class VerdictMemo:
    """`classify` for one source's pass, answering from the verdicts kept (`kept`: key
    to JSON text, as `StatusDB.verdicts` returns them) where it can. `used` is what to
    keep for the next pass; `changed` says whether that differs from `kept`."""

    def __init__(self, rules: RuleSet, kept: dict[str, str]) -> None:
        self.rules = rules
        self.kept = kept
        self.used: dict[str, str] = {}
        self.asked = 0
        self.classified = 0

    def __call__(self, event: SourceEvent, answer: str | None) -> Classification:
        self.asked += 1
        payload = json.dumps(event_to_json(event), sort_keys=True, ensure_ascii=False)
        key = self.rules.key(payload, answer or "")
        text = self.kept.get(key)
        if text is not None:
            try:
                verdict = verdict_from_json(json.loads(text))
            except (ValueError, KeyError, TypeError):
                verdict = None  # another format: worked out again below
            if verdict is not None:
                self.used[key] = text
                return verdict
        verdict = classify(event, self.rules.vocab, answer)
        self.classified += 1
        self.used[key] = json.dumps(verdict_to_json(verdict), ensure_ascii=False)
        return verdict

    @property
    def changed(self) -> bool:
        return self.used.keys() != self.kept.keys()
