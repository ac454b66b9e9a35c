"""The fast screens in front of the vocabulary never change a verdict."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.classify import classify
from rules.model import SourceEvent
from rules.vocabulary import default_vocabulary

VOCAB = default_vocabulary()
WORDS = sorted({t.name for t in VOCAB.terms if not t.source})  # phrases as written
NOISE = [
    "team",
    "sync",
    "Acme",
    "Corp",
    "(Backend Engineer)",
    "-",
    "|",
    ":",
    "with",
    "Jane",
    "notes",
    "https://zoom.us/j/123",
    "+1 212 555 0100",
    "Café",
    "Straße 5",
    "on-site",
]


def unscreened():
    vocab = copy.copy(VOCAB)
    vocab.__dict__["_screen_sources"] = {name: None for name in VOCAB._by_category}
    vocab.__dict__["_unscreened"] = frozenset(VOCAB._by_category)
    vocab.__dict__["_compiled_screens"] = {}  # copy.copy would share VOCAB's cache
    vocab.__dict__["_split_plans"] = {}  # ... and its split of the plans
    vocab.__dict__["_ready"] = {}  # ... and its warm screens
    vocab.__dict__["memo"] = {}  # ... and the matches it found (or this test could not fail)
    vocab.__dict__["_plans"] = {
        name: tuple((term, "") for term in terms) for name, terms in VOCAB._by_category.items()
    }
    return vocab


PLAIN = unscreened()
text = st.lists(st.sampled_from(WORDS + NOISE), max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text, text, text, st.integers(15, 400))
def test_screened_and_unscreened_classification_agree(summary, description, location, minutes):
    start = datetime(2026, 12, 3, 10, tzinfo=UTC)
    event = SourceEvent(
        id="e",
        calendar_id="c",
        summary=summary,
        description=description,
        location=location,
        start=start,
        end=start + timedelta(minutes=minutes),
    )
    assert classify(event, VOCAB) == classify(event, PLAIN)


def test_the_screens_are_in_use():
    assert VOCAB.joined_screen(("interview", "context")) is not None
    assert all(VOCAB.screen(name) is not None for name in VOCAB._by_category)
    assert all(literal for term, literal in VOCAB.plan("interview") if not term.source)


def test_the_built_in_vocabulary_keeps_the_ics_literal_screen_on():
    """A built-in pattern of a screened category without a literal every match holds
    (an alternation of two word orders, say) turns the `.ics` fast read's literal
    screen off: every event of an export would then be classified."""
    from rules.classify import SCREENED
    from rules.vocabulary import required_literals
    from sync.ics.scan import LiteralScreen

    bare = [
        f"{t.category}.{t.name}"
        for t in VOCAB.terms
        if t.source and t.category in SCREENED and not required_literals(t.source)
    ]
    assert not bare, bare
    assert LiteralScreen(VOCAB).enabled


@settings(max_examples=300, deadline=None)
@given(text, text, text)
def test_could_be_interview_is_never_false_for_an_interview(summary, description, location):
    from rules.classify import could_be_interview

    start = datetime(2026, 12, 3, 10, tzinfo=UTC)
    variants = (
        description,
        f"<p>{description}</p>",
        description.replace(" ", "&nbsp;"),
        description + " #followup:final",
    )
    for desc in variants:
        event = SourceEvent(
            id="e",
            calendar_id="c",
            summary=summary,
            description=desc,
            location=location,
            start=start,
            end=start + timedelta(hours=1),
        )
        if classify(event, VOCAB).interview:
            assert could_be_interview(summary, desc, location, VOCAB)


def test_could_be_interview_dismisses_ordinary_meetings():
    from rules.classify import could_be_interview

    assert not could_be_interview("Weekly team sync", "Agenda: notes", "Room 4.12", VOCAB)
    assert could_be_interview("Team sync", "#followup:phone", "", VOCAB)
    assert could_be_interview("Acme", "<b>Phone screen</b> with Jane", "", VOCAB)


def test_could_be_interview_reads_html_descriptions_as_google_stores_them():
    from rules.classify import could_be_interview
    from sync.google.convert import event_from_api

    # Markup inside words: only the text as a reader sees it has the interview words.
    for html in (
        "Inter<b>view</b> with Jane, fi<b>nal</b> round",
        "<p>Inter<i>view</i> with Jane</p><p>Fi<b>nal</b>&nbsp;round</p>",
    ):
        resource = {
            "id": "html1",
            "summary": "Acme",
            "description": html,
            "start": {"dateTime": "2026-12-03T10:00:00Z"},
            "end": {"dateTime": "2026-12-03T10:30:00Z"},
        }
        event = event_from_api(resource, calendar_id="primary")
        assert classify(event, VOCAB).interview  # as the reader would see it, converted
        assert could_be_interview("Acme", html, "", VOCAB)  # so the raw check must agree


class _Asked(dict):
    """A `Vocabulary._warmth` that says every question was asked `times` already."""

    def __init__(self, times: int) -> None:
        super().__init__()
        self.times = times

    def get(self, key, default=None):
        return self.times

    def __setitem__(self, key, value) -> None:
        pass


def _with_warmth(times: int):
    vocab = copy.copy(VOCAB)
    vocab.__dict__["_warmth"] = _Asked(times)
    vocab.__dict__["_ready"] = {}  # copy.copy would share VOCAB's warm screens
    return vocab


COLD = _with_warmth(0)  # answers term by term
WARM = _with_warmth(10**9)  # answers with the compiled screens
GROUPS = [(name,) for name in sorted(VOCAB._by_category)] + [
    ("interview", "context"),
    tuple(VOCAB.negative_kinds),
]


@settings(max_examples=300, deadline=None)
@given(text, st.sampled_from(GROUPS))
def test_term_by_term_answers_are_exact_and_the_compiled_screens_never_miss(words, group):
    """Before its screen is compiled, `may_match` answers exactly (does a term of these
    categories match?); the compiled screen may say "maybe" more often, never "no"
    where a term matches."""
    from rules.vocabulary import fold

    folded = fold(words)
    matches = any(term.regex.search(folded) for name in group for term, _ in VOCAB.plan(name))
    assert COLD.may_match(group, folded) == matches
    if matches:
        assert WARM.may_match(group, folded)


def test_a_screen_is_compiled_only_after_its_warm_up():
    from rules.vocabulary import SCREEN_WARM_UP, extend_vocabulary

    vocab = extend_vocabulary(VOCAB, '[phone.words]\n"blorp" = 1.0\n', origin="r.toml")
    for _ in range(SCREEN_WARM_UP):
        assert vocab.may_match(("phone",), "a blorp call")
    assert "phone" not in vocab._compiled_screens
    assert vocab.may_match(("phone",), "a blorp call")
    assert vocab._compiled_screens["phone"] is not None


# Phrases as written, glued ("phonescreen"), hyphenated, with "_" or non-breaking gaps, and
# inside longer words: the spellings a word lookup and a substring test could disagree on.
spelled = st.tuples(
    st.sampled_from(WORDS), st.sampled_from(["", "-", "_", "\u00a0", " ", "x"])
).map(lambda pair: pair[0].replace(" ", pair[1]) if pair[1] != "x" else "x" + pair[0] + "s")
mixed = st.lists(st.one_of(spelled, st.sampled_from(NOISE)), max_size=6).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(mixed, st.sampled_from(sorted(VOCAB._by_category)))
def test_candidates_hold_every_term_that_matches(words, category):
    """`Vocabulary.candidates` (a word lookup for one-word phrases, a substring test for
    the others) never leaves out a term whose regex matches: the rules only try these."""
    from rules.vocabulary import fold

    folded = fold(words)
    kept = {id(term) for term, _ in VOCAB.candidates(category, folded)}
    for term, _ in VOCAB.plan(category):
        if term.regex.search(folded):
            assert id(term) in kept, (term.name, folded)


def test_candidates_leave_out_what_cannot_match():
    names = {term.name for term, _ in VOCAB.candidates("interview", "team standup notes")}
    assert "interview" not in names and "phone screen" not in names
    assert "interview" in {t.name for t, _ in VOCAB.candidates("interview", "an interview")}


def test_candidates_hold_every_pattern_that_matches_the_labelled_invites():
    """Patterns are candidates when the literal runs each of their matches holds occur
    (`required_literals`): checked on every text of the labelled sets."""
    import json
    from pathlib import Path

    from rules.vocabulary import fold

    data = Path(__file__).resolve().parent.parent / "data" / "labelled"
    patterns = [
        (name, term)
        for name in VOCAB._by_category
        for term, literal in VOCAB.plan(name)
        if not literal
    ]
    assert len(patterns) >= 10
    matched = 0
    for path in sorted(data.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            event = item["event"]
            folded = fold("\n".join(event.get(k, "") for k in ("summary", "description")))
            for name, term in patterns:
                if term.regex.search(folded):
                    matched += 1
                    assert any(t is term for t, _ in VOCAB.candidates(name, folded)), term.name
    assert matched >= 50  # the patterns do match there: the check is not empty


class _Forgets(dict):
    """A memo that keeps nothing."""

    def __setitem__(self, key, value) -> None:
        pass


def test_kept_matches_never_change_a_verdict():
    """`_hits` keeps its answers in the vocabulary's memo: classifying every tuning
    invite twice with the memo, in an order that asks about the same texts with other
    people, agrees with a vocabulary that keeps nothing."""
    from sync.google.convert import event_from_api
    from tests.rules.accuracy import TUNE9, load

    forgetful = copy.copy(VOCAB)
    forgetful.__dict__["memo"] = _Forgets()
    events = [event_from_api(i["event"], calendar_id="x") for i in load(TUNE9)]
    for event in events + events[::-1]:
        kept, fresh = classify(event, VOCAB), classify(event, forgetful)
        assert (kept.interview, kept.stage, kept.sure, kept.reasons) == (
            fresh.interview,
            fresh.stage,
            fresh.sure,
            fresh.reasons,
        ), event.id
    assert len(VOCAB.memo) > 0 and not forgetful.memo
