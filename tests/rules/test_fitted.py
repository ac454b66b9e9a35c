"""The fitted veto (`rules/fitted.py`): a second opinion that can only turn an interview
verdict down, with its reasons, off at `fitted_veto = 0`, overruled by the user's own
rules, tags and `followup confirm`; its weights fitted from the tuning sets only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import fitted
from rules.classify import _read, classify
from rules.model import Kind, Person, Side, Stage
from rules.vocabulary import default_vocabulary, extend_vocabulary
from tests.rules.helpers import interview
from tests.rules.test_detection import BLOCKS, JANE, words

VOCAB = default_vocabulary()
ROME = ZoneInfo("Europe/Rome")
WHEN = datetime(2026, 11, 11, 16, 15, tzinfo=ROME)
ME = Person("sam.seeker@gmail.com", is_self=True, response="accepted")

# A landlord's tenant interview: "colloquio" is the Italian interview word, and the
# address plus no doubt word makes the rules sure of a final round.
FLAT = dict(
    description="Bring payslips / employment contract from Vetrano",
    location="Via Pastrengo 15, Milano",
    organizer=Person("sam.seeker@gmail.com"),
    attendees=(ME,),
)


def flat(summary="Colloquio con il proprietario \u2013 casa a Milano", **extra):
    return interview(summary, WHEN, hours=0.75, **{**FLAT, **extra})


def test_the_veto_turns_down_an_interview_verdict_and_says_why():
    verdict = classify(flat(), VOCAB)
    assert not verdict.interview and verdict.stage is None
    assert (verdict.side, verdict.kind) == (Side.NEITHER, Kind.OTHER)
    veto = [r for r in verdict.reasons if r.signal == "fitted:veto"]
    assert len(veto) == 1
    assert veto[0].matched.startswith("fitted chance 0.0")
    assert "< 0.05, against: " in veto[0].matched  # the words that weighed against it
    # The words the rules matched stay in the reasons: explain shows both opinions.
    assert any(r.signal == "interview" for r in verdict.reasons)


def test_without_the_veto_the_rules_alone_take_it():
    off = extend_vocabulary(
        VOCAB, "[thresholds]\nfitted_veto = 0\nfitted_doubt = 0\n", origin="rules.toml"
    )
    verdict = classify(flat(), off)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.FINAL
    assert not any(r.signal == "fitted:veto" for r in verdict.reasons)


def test_a_doubtful_fitted_chance_makes_a_sure_interview_unsure():
    """Between `fitted_veto` and `fitted_doubt` the event is still found, but waits for
    the user's answer: a take-home review in the user's own words reads like the many
    reviews that are no interview."""
    event = interview("Take-home review \u2013 Brisk Ledger", WHEN, hours=2)
    verdict = classify(event, VOCAB)
    assert verdict.interview and not verdict.sure
    doubt = [r for r in verdict.reasons if r.signal == "unsure"]
    assert len(doubt) == 1 and doubt[0].matched.startswith("fitted chance 0.0")
    assert "< 0.1, against: " in doubt[0].matched
    assert not any(r.signal in ("sure", "fitted:veto") for r in verdict.reasons)
    off = extend_vocabulary(VOCAB, "[thresholds]\nfitted_doubt = 0\n", origin="rules.toml")
    assert classify(event, off).sure


def test_structure_the_rules_read_is_not_second_guessed():
    """A recruiting mailbox's invite is asked nothing: the model cannot weigh who sent it."""
    mailbox = Person("talent@brisk-ledger.com", "Brisk Ledger Talent")
    event = interview("Take-home review \u2013 Brisk Ledger", WHEN, hours=2, organizer=mailbox)
    verdict = classify(event, VOCAB)
    assert any(r.signal == "hiring:mailbox" for r in verdict.reasons)
    assert verdict.interview and verdict.sure


def test_a_term_from_the_users_rules_file_wins_over_the_veto():
    own = extend_vocabulary(
        VOCAB,
        '[interview.words]\n"colloquio con il proprietario" = 1.0\n',
        origin="/home/sam/rules.toml",
    )
    verdict = classify(flat(), own)
    assert verdict.interview and verdict.sure


@pytest.mark.parametrize("tag", ["#followup:final", "#followup:2026-11-20"])
def test_a_tag_wins_over_the_veto(tag):
    verdict = classify(flat(description=f"{FLAT['description']}\n{tag}"), VOCAB)
    assert verdict.interview


def test_a_confirmation_wins_over_the_veto():
    verdict = classify(flat(), VOCAB, confirmation="phone")
    assert verdict.interview and verdict.stage is Stage.PHONE


def test_the_veto_never_makes_an_interview():
    """It only runs on interview verdicts: an event the rules pass over stays passed over,
    however strongly its words would pull the model."""
    model = fitted.shipped_model()
    assert model.weights["bias"] > -60  # sanity: a real model was loaded
    for summary in ("Dentist", "Call mom", "Lunch with Jane"):
        assert not classify(interview(summary, WHEN, organizer=JANE), VOCAB).interview


def test_a_real_interview_passes_the_veto():
    event = interview(
        "Phone screen - Acme (Backend Engineer)",
        WHEN,
        organizer=JANE,
        attendees=(ME,),
        description="Jane from Acme's recruiting team will call you.",
    )
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.PHONE
    names = fitted.features(event, _read(event, VOCAB).fields, VOCAB.ignores_domain)
    assert fitted.shipped_model().probability(names) >= VOCAB.thresholds.fitted_veto


def test_a_bad_veto_threshold_in_a_rules_file_is_named():
    from rules.errors import RulesFileError

    with pytest.raises(RulesFileError, match=r"rules.toml:2: thresholds.fitted_veto"):
        extend_vocabulary(VOCAB, '[thresholds]\nfitted_veto = "high"\n', origin="rules.toml")


# ------------------------------------------------------------------ features


def test_features_are_per_field_words_pairs_and_structure():
    event = interview(
        "Panel sync", WHEN, description="Debrief on Jane", location="Room 4", organizer=JANE
    )
    names = fitted.features(event, _read(event, VOCAB).fields, VOCAB.ignores_domain)
    assert {"bias", "t:panel", "t:sync", "t:panel_sync", "d:debrief_on", "l:room"} <= set(names)
    assert {"a:panel", "a:debrief", "org:co", "nat:0"} <= set(names)
    assert "a:room" not in names  # the location is no part of the running text
    assert len(names) == len(set(names))


def test_urls_emails_and_phone_numbers_are_not_words():
    event = interview(
        "Interview",
        WHEN,
        description="Call +44 20 7946 0958 or write jane@acme.com, see https://acme.com/jobs/42",
    )
    names = fitted.features(event, _read(event, VOCAB).fields, VOCAB.ignores_domain)
    assert not [n for n in names if any(x in n for x in ("7946", "acme", "jobs", "jane"))]


@settings(max_examples=150, deadline=None)
@given(
    words,
    words,
    st.sampled_from(BLOCKS),
    st.integers(10**9, 10**11 - 1),
    st.sampled_from(["before", "after"]),
)
def test_a_conferencing_block_adds_no_feature(summary, description, template, n, where):
    """The model reads what the rules read: boilerplate set aside first."""
    block = template.format(n=n, a=123, b=456, c=789, p="xYz123")
    text = f"{block}\n\n{description}" if where == "before" else f"{description}\n\n{block}"
    base = interview(summary, WHEN, description=description, organizer=JANE)
    with_block = interview(summary, WHEN, description=text, organizer=JANE)
    names = fitted.features(base, _read(base, VOCAB).fields, VOCAB.ignores_domain)
    more = fitted.features(with_block, _read(with_block, VOCAB).fields, VOCAB.ignores_domain)
    assert set(more) == set(names)


def test_weighing_lists_the_strongest_inputs_against():
    model = fitted.FittedModel({"bias": 0.5, "t:prep": -2.0, "t:mock": -1.0, "t:acme": 1.0}, {})
    assert model.weighing(["bias", "t:acme", "t:mock", "t:prep"]) == [
        ("t:prep", -2.0),
        ("t:mock", -1.0),
    ]
    assert 0 < model.probability(["bias", "t:prep"]) < 0.2
    assert fitted.describe("t:panel_sync") == 'title "panel sync"'
    assert fitted.describe("org:self") == "you organized it"


# ------------------------------------------------------------------ the shipped data


def test_the_weights_file_round_trips():
    model = fitted.FittedModel({"bias": -0.25, "t:a": 1.5}, {"x.json": "ab"})
    again = fitted.FittedModel.from_json(model.to_json())
    assert dict(again.weights) == {"bias": -0.25, "t:a": 1.5}
    assert dict(again.trained_on) == {"x.json": "ab"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"fitted.json: not JSON \(line 1\)"),
        (
            '{"format": 99, "weights": {}}',
            r"expected format 1; reinstall interview-followup \(or, in a checkout, refit",
        ),
        ('{"format": 1, "weights": {"t:a": "x"}}', r"'weights' must map names to numbers"),
    ],
)
def test_a_broken_weights_file_is_named_with_the_next_step(text, message):
    with pytest.raises(ValueError, match=message) as caught:
        fitted.FittedModel.from_json(text, "rules/fitted.json")
    assert str(caught.value).endswith(
        "; reinstall interview-followup (or, in a checkout, refit: make fit)"
    )


def test_the_shipped_weights_were_fitted_on_todays_tuning_sets_and_never_the_held_back():
    from tests.rules import fit
    from tests.rules.accuracy import HOLDOUT

    shipped = fitted.shipped_model()
    assert HOLDOUT.name not in shipped.trained_on
    assert dict(shipped.trained_on) == fit.data_hashes(fit.training_files()), (
        "the labelled data changed since rules/fitted.json was fitted: "
        "run `python -m tests.rules.fit` and commit the result"
    )
    assert fit.main(["--check"]) == 0


def test_fitting_is_deterministic_and_learns():
    from tests.rules import fit

    data = [
        (["bias", "t:interview", "t:acme"], 1),
        (["bias", "t:interview", "t:prep"], 0),
        (["bias", "t:phone", "t:screen"], 1),
        (["bias", "t:mock", "t:interview"], 0),
    ] * 20
    first, second = fit.fit(data), fit.fit(data)
    assert first == second
    model = fitted.FittedModel(first, {})
    assert model.probability(["bias", "t:interview", "t:acme"]) > 0.7
    assert model.probability(["bias", "t:interview", "t:prep"]) < 0.3
    assert set(fit.pruned({"bias": 0.001, "t:x": 0.05, "t:y": -0.5})) == {"bias", "t:y"}
