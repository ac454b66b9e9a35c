"""A fitted second opinion on interview verdicts: a veto, never a maker.

The hand-set rules decide; this model only looks at events they take as interviews
(sure or unsure) on the strength of words, and can turn one down (`fitted_veto`) or make
a sure one unsure (`fitted_doubt`) when its words look like the events the labelled
corpus calls "not an interview" (an interviewer's panel sync, a prep session, a customer
onsite). It never makes an interview of anything the rules passed over, never changes a
stage, and never overrides a `#followup:` tag, the user's own `followup confirm` answer
or a term from the user's rules file (`classify._fitted_opinion`).

The model is a logistic regression over words: per field (title, description,
location) single words and pairs of words, plus the words of title and description
together, and a few facts of structure (who organized the invite, all-day, how many
people). Its input is the fields as the rules judge them, after conferencing
boilerplate and the producer's noise were set aside (`classify._read`): so a join
block can no more sway it than it sways the rules.

The weights are data (`rules/fitted.json`), fitted by `python -m tests.rules.fit` from
the labelled tuning sets (never the held-back part) and shipped with the package.
Pure: features and arithmetic, no clock, no disk (the weights are read once through
`importlib.resources`, like the vocabulary).
"""

from __future__ import annotations

import importlib.resources
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from rules.model import SourceEvent
from rules.producers import domain_of

FORMAT = 1  # the version of `fitted.json`'s layout
RESOURCE = "fitted.json"
_NEXT = "reinstall interview-followup (or, in a checkout, refit: make fit)"

# The field each part of the rules' reading counts as (the scheduler's event name is a
# title; the people's names say nothing general and are left out).
_FIELD_PREFIX = {"summary": "t", "scheduler": "t", "description": "d", "location": "l"}
DESCRIPTION_WORDS = 400  # a long pasted mail says what it is in its first lines
MAX_ATTENDEES = 6

_URL = re.compile(r"https?://\S+|www\.\S+")
_EMAIL = re.compile(r"\S+@\S+")
_PHONE = re.compile(r"\+?\d[\d ().\-/]{6,}\d")
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def _words(folded: str) -> list[str]:
    text = _PHONE.sub(" ", _EMAIL.sub(" ", _URL.sub(" ", folded)))
    return _WORD.findall(text)


def features(
    event: SourceEvent,
    fields: Sequence[tuple[str, str, float]],
    ignored_domain,
) -> list[str]:
    """The model's inputs for one event: `fields` are the rules' (field, folded text,
    weight) after boilerplate was set aside; `ignored_domain(domain)` says whether a
    domain names no employer (free mail, a scheduler, an ATS)."""
    out: dict[str, None] = {"bias": None}
    every: list[str] = []
    for name, text, _ in fields:
        prefix = _FIELD_PREFIX.get(name)
        if prefix is None:
            continue
        words = _words(text)
        if prefix == "d":
            words = words[:DESCRIPTION_WORDS]
        if prefix != "l":
            every += words
        for i, word in enumerate(words):
            out[f"{prefix}:{word}"] = None
            if i:
                out[f"{prefix}:{words[i - 1]}_{word}"] = None
    for word in every:
        out[f"a:{word}"] = None
    out.update(dict.fromkeys(_structure(event, ignored_domain)))
    return list(out)


def _structure(event: SourceEvent, ignored_domain) -> Iterable[str]:
    organizer = event.organizer
    mine = {p.email.lower() for p in event.attendees if p.is_self and p.email}
    own = {domain_of(email) for email in mine}
    if organizer is None or not organizer.email:
        yield "org:none"
    elif organizer.is_self or organizer.email.lower() in mine:
        yield "org:self"  # an event the user made (some exports drop the self flag)
    elif ignored_domain(domain_of(organizer.email)):
        yield "org:free"
    else:
        yield "org:co"
    domain = domain_of(organizer.email) if organizer is not None else ""
    if domain in own and not organizer.is_self:
        # A colleague, or on free mail someone as private as the user (or the user).
        yield "org:samedomain"
    if event.all_day:
        yield "allday"
    yield f"nat:{min(len(event.attendees), MAX_ATTENDEES)}"


@dataclass(frozen=True)
class FittedModel:
    weights: Mapping[str, float]
    trained_on: Mapping[str, str]  # file name -> sha256 of the labelled data it saw

    def score(self, names: Iterable[str]) -> float:
        weights = self.weights
        return sum(weights.get(name, 0.0) for name in names)

    def probability(self, names: Iterable[str]) -> float:
        """The fitted chance that the event is the user's own interview."""
        z = max(-60.0, min(60.0, self.score(names)))
        return 1.0 / (1.0 + math.exp(-z))

    def weighing(self, names: Iterable[str], count: int = 3) -> list[tuple[str, float]]:
        """The inputs that pull hardest towards "not an interview", for a Reason."""
        weights = self.weights
        against = [(n, weights[n]) for n in names if weights.get(n, 0.0) < 0 and n != "bias"]
        against.sort(key=lambda nw: (nw[1], nw[0]))
        return against[:count]

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "trained_on": dict(sorted(self.trained_on.items())),
            "weights": dict(sorted(self.weights.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str = RESOURCE) -> FittedModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{origin}: not JSON (line {exc.lineno}): {exc.msg}; {_NEXT}"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{origin}: expected format {FORMAT}; {_NEXT}")
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
            isinstance(v, (int, float)) for v in weights.values()
        ):
            raise ValueError(f"{origin}: 'weights' must map names to numbers; {_NEXT}")
        return cls({str(k): float(v) for k, v in weights.items()}, dict(data.get("trained_on", {})))


@cache
def shipped_model() -> FittedModel:
    """The model shipped in the package, read once."""
    text = importlib.resources.files("rules").joinpath(RESOURCE).read_text(encoding="utf-8")
    return FittedModel.from_json(text)


def describe(name: str) -> str:
    """A feature as a user reads it: 't:panel_sync' -> 'title "panel sync"'."""
    where = {"t": "title", "d": "description", "l": "location", "a": "text"}
    prefix, _, rest = name.partition(":")
    if prefix in where:
        return f'{where[prefix]} "{rest.replace("_", " ")}"'
    return {
        "org:self": "you organized it",
        "org:free": "organized from free mail or a scheduler",
        "org:co": "organized by a company",
        "org:none": "no organizer",
        "org:samedomain": "organized from your own domain",
        "allday": "all-day",
    }.get(name, name)
