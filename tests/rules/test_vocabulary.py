"""The vocabulary as data, and the user's rules file extending it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from rules.classify import classify
from rules.errors import RulesFileError
from rules.model import Kind, Stage
from rules.vocabulary import default_vocabulary, extend_vocabulary, fold
from tests.rules.helpers import interview

NY = ZoneInfo("America/New_York")
WHEN = datetime(2026, 12, 3, 10, 0, tzinfo=NY)


def test_default_vocabulary_is_cached_and_complete():
    vocab = default_vocabulary()
    assert vocab is default_vocabulary()
    for category in ("interview", "phone", "final", "address"):
        assert vocab.category(category), category
    assert {
        "negative:prep",
        "negative:thank-you",
        "negative:interviewer",
        "negative:not-a-job-interview",
    } <= set(vocab.negative_kinds)
    assert "gmail.com" in vocab.ignored_domains


def test_fold_makes_accents_and_case_irrelevant():
    assert fold("Vorstellungsgespräch") == fold("VORSTELLUNGSGESPRACH")
    assert fold("Entrevista Telefónica") == "entrevista telefonica"


def test_extension_adds_words_and_overrides_thresholds(vocab):
    event = interview("Catch-up with Acme", WHEN)
    assert not classify(event, vocab).interview
    extended = extend_vocabulary(
        vocab,
        '[interview.words]\n"catch up" = 1.0\n\n[thresholds]\ndefault_stage = "final"\n',
        origin="rules.toml",
    )
    verdict = classify(event, extended)
    assert verdict.interview and verdict.stage is Stage.FINAL
    assert extended.origins[-1] == "rules.toml"
    assert not classify(event, vocab).interview  # the base is untouched


def test_extension_removes_words_and_patterns(vocab):
    event = interview("Acme interview", WHEN, description="Dial +1 415-555-0134")
    assert any(r.signal == "phone" for r in classify(event, vocab).reasons)
    extended = extend_vocabulary(
        vocab,
        '[interview]\nremove = ["interview"]\n[phone]\nremove = ["phone-number"]\n',
        origin="r.toml",
    )
    assert not classify(event, extended).interview


def test_weight_zero_removes_and_new_negative_kind(vocab):
    event = interview("Interview practice with Acme", WHEN)
    assert not classify(event, vocab).interview
    extended = extend_vocabulary(vocab, '[negative.prep.words]\n"practice" = 0\n', origin="r.toml")
    assert classify(event, extended).interview
    extended = extend_vocabulary(
        vocab, '[negative.volunteer.words]\n"volunteer" = 1.0\n', origin="r.toml"
    )
    verdict = classify(interview("Volunteer interview day", WHEN), extended)
    assert not verdict.interview
    assert "negative:volunteer" in [r.signal for r in verdict.reasons]
    assert verdict.kind is Kind.OTHER  # a kind of the user's own: another event


def test_user_pattern(vocab):
    extended = extend_vocabulary(
        vocab,
        "[final.patterns]\nboard = { regex = 'boardroom\\s+session', weight = 5.0 }\n",
        origin="r.toml",
    )
    assert classify(interview("Interview: boardroom session at Acme", WHEN), extended).stage is (
        Stage.FINAL
    )


def test_malformed_toml_names_file_and_line(vocab):
    text = '[thresholds]\ninterview = 1.0\n\n[phone.words]\n"call = 1\n'
    with pytest.raises(RulesFileError) as caught:
        extend_vocabulary(vocab, text, origin="/home/sam/.config/rules.toml")
    problem = caught.value.problems[0]
    assert problem.file == "/home/sam/.config/rules.toml"
    assert problem.line == 5
    assert "rules.toml:5" in str(caught.value)


def test_unknown_key_and_wrong_type_name_the_field(vocab):
    text = '[thresholds]\ninterview = "high"\n'
    with pytest.raises(RulesFileError) as caught:
        extend_vocabulary(vocab, text, origin="r.toml")
    (problem,) = caught.value.problems
    assert problem.field == "thresholds.interview"
    assert problem.line == 2
    assert problem.value == "high"


def test_every_problem_is_listed_together(vocab):
    text = (
        "\n".join(
            [
                "[thresholds]",
                "interview = -1",  # 2: negative
                "colour = 3",  # 3: unknown threshold
                "default_stage = 'middle'",  # 4: bad stage
                "[phone.words]",
                '"ring" = "loud"',  # 6: wrong type
                "[final.patterns]",
                "bad = { regex = '(', weight = 1 }",  # 8: bad regex
                "[surprise]",  # 9: unknown section
                "x = 1",
                "[interview]",
                'remove = ["no-such-word"]',  # 12: nothing to remove
            ]
        )
        + "\n"
    )
    with pytest.raises(RulesFileError) as caught:
        extend_vocabulary(vocab, text, origin="r.toml")
    problems = caught.value.problems
    fields = {p.field: p.line for p in problems}
    assert fields == {
        "thresholds.interview": 2,
        "thresholds.colour": 3,
        "thresholds.default_stage": 4,
        "phone.words.ring": 6,
        "final.patterns.bad.regex": 8,
        "surprise": 9,
        "interview.remove": 12,
    }
    message = str(caught.value)
    assert "7 problems" in message and "move it away" in message


def test_a_catastrophic_user_regex_stops_with_the_rule_named_instead_of_hanging(vocab):
    """`(a+)+$` on 'aaa...ab' backtracks 2**5000 times under `re`: without the time
    limit this test would never finish. With it, the pass stops with the rule named."""
    from rules.vocabulary import RuleTimeoutError

    extended = extend_vocabulary(
        vocab,
        "[interview.patterns]\nslow = { regex = '(a+)+$', weight = 1.0 }\n",
        origin="/home/sam/.config/followup/rules.toml",
    )
    event = interview("Team sync", WHEN, description="a" * 5000 + "b")
    with pytest.raises(RuleTimeoutError) as caught:
        classify(event, extended)
    message = str(caught.value)
    assert "'slow'" in message and "rules.toml" in message
    assert "interview.patterns.slow" in message
    assert isinstance(caught.value, RulesFileError)  # the CLI's exit 2, one line


def test_user_patterns_are_time_bound_and_kept_out_of_the_fast_screens(vocab):
    extended = extend_vocabulary(
        vocab,
        "[interview.patterns]\nmeet = { regex = 'kennenlern\\w*', weight = 1.0 }\n",
        origin="r.toml",
    )
    (term,) = [t for t in extended.category("interview") if t.name == "meet"]
    assert term.timed and not any(t.timed for t in vocab.terms)  # built-ins stay on `re`
    assert term not in [t for t, _ in extended.plan("interview")]
    verdict = classify(interview("Kennenlernrunde Acme", WHEN), extended)
    assert verdict.interview
    from rules.classify import could_be_interview

    assert could_be_interview("Kennenlernrunde Acme", "", "", extended)


def test_a_category_can_be_limited_to_some_fields(vocab):
    extended = extend_vocabulary(
        vocab,
        '[negative.mine]\nfields = ["summary"]\n[negative.mine.words]\n"globex" = 1.0\n',
        origin="r.toml",
    )
    assert not classify(interview("Globex interview", WHEN), extended).interview
    kept = interview("Interview - Acme", WHEN, description="Globex alumni welcome")
    assert classify(kept, extended).interview
    with pytest.raises(RulesFileError) as caught:
        extend_vocabulary(vocab, '[negative.mine]\nfields = ["title"]\n', origin="r.toml")
    assert caught.value.problems[0].field == "negative.mine.fields"


def test_every_built_in_pattern_and_screen_compiles():
    """The built-in patterns compile when first used (`LazyPattern`), so a broken one
    would only show on the event that reaches it: compile them all here."""
    import re

    from rules.vocabulary import LazyPattern, default_vocabulary

    vocab = default_vocabulary()
    lazy = [t for t in vocab.terms if isinstance(t.regex, LazyPattern)]
    assert len(lazy) == len(vocab.terms) > 500
    for term in lazy:
        assert isinstance(term.regex.compiled(), re.Pattern), term.name
    for name in vocab._by_category:
        assert vocab.screen(name) is not None, name
    assert vocab.joined_screen(("interview", "context")) is not None
    assert vocab.joined_screen(vocab.negative_kinds) is not None


def test_a_lazy_pattern_compiles_once_and_then_is_the_compiled_one():
    from rules.vocabulary import LazyPattern

    lazy = LazyPattern(r"inter(view)", 0)
    assert lazy.search("an interview").group(1) == "view"
    assert lazy.search.__self__.pattern == lazy.pattern  # now the compiled pattern's own
    assert [m.span() for m in lazy.finditer("interview, interview")] == [(0, 9), (11, 20)]


_VOCAB = default_vocabulary()
# Every pattern found without `re`, with the words to build texts from.
_LITERAL = [(t.regex, t.name) for t in _VOCAB.terms if getattr(t.regex, "tokens", ())]
_AROUND = ["", " ", "_", "x", "é", "2", "-", ".", "\n", "ß", "İ", "٣", "\u00a0", "'", "  ", "-_"]


@pytest.mark.parametrize("shard", range(6))
def test_phrases_found_without_re_match_as_their_regex_would(shard):
    """A phrase is matched with `str.find`, a skip over gap characters and a look at
    its neighbours (`LazyPattern.tokens`): the same matches, at the same places, as its
    regex."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    picked = _LITERAL[shard::6]

    @settings(max_examples=150, deadline=None)
    @given(
        st.sampled_from(picked),
        st.lists(
            st.one_of(
                st.sampled_from(_AROUND),
                st.sampled_from([name for _, name in picked]),
                st.sampled_from([tok for lazy, _ in picked for tok in lazy.tokens]),
            ),
            max_size=10,
        ),
        st.sampled_from(["", " ", "-", "_", "\u00a0 ", "x", "\n"]),
    )
    def check(item, parts, gap):
        lazy, name = item
        phrase = gap.join(lazy.tokens) if gap else name
        text = fold("".join(parts[: len(parts) // 2]) + phrase + "".join(parts[len(parts) // 2 :]))
        regex = re.compile(lazy.pattern, lazy.flags)
        want = [(m.span(), m.group(0)) for m in regex.finditer(text)]
        # The literal methods themselves: `compiled()` (another test) swaps them out.
        assert [(m.span(), m.group(0)) for m in lazy._literal_finditer(text)] == want
        found = lazy._literal_search(text)
        assert (found.span() if found else None) == (want[0][0] if want else None)

    assert len(_LITERAL) > 600 and any(len(lazy.tokens) > 2 for lazy, _ in _LITERAL)
    check()


def test_no_phrase_is_in_a_category_twice():
    """Spellings one regex matches ("take home", "take-home": a phrase's gap takes
    blanks and hyphens alike) would count twice in the same event."""
    from collections import defaultdict

    from rules.vocabulary import _phrase_key

    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for term in default_vocabulary().terms:
        if not term.source:
            seen[(term.category, _phrase_key(term))].append(term.name)
    twice = {key: names for key, names in seen.items() if len(names) > 1}
    assert not twice, twice


def test_only_patterns_that_start_at_a_word_join_the_word_start_screen():
    """A pattern joins the `(?<!\\w)` part of a screen only when every match of it
    starts where a word does: a top-level alternation may not."""
    from rules.vocabulary import _after_word_start

    assert _after_word_start(r"(?<!\w)for\s+the") == r"for\s+the"
    assert _after_word_start(r"(?<!\w)(?:a|b)c") == r"(?:a|b)c"
    assert _after_word_start(r"(?<!\w)interview|scorecard") is None  # "scorecard" anywhere
    assert _after_word_start(r"for\s+the") is None


def test_ignored_domains_cover_their_subdomains_only():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    ignored = sorted(_VOCAB.ignored_domains)
    label = st.text("abcxyz-", min_size=0, max_size=4)
    domain = st.one_of(
        st.sampled_from(ignored),
        st.tuples(label, st.sampled_from(ignored)).map(lambda p: f"{p[0]}.{p[1]}"),
        st.tuples(label, st.sampled_from(ignored)).map("".join),
        st.lists(label, max_size=3).map(".".join),
    )

    @settings(max_examples=300, deadline=None)
    @given(domain)
    def check(name):
        want = any(name == d or name.endswith("." + d) for d in ignored)
        assert _VOCAB.ignores_domain(name) == want

    check()
    assert _VOCAB.ignores_domain("gmail.com") and _VOCAB.ignores_domain("eu.greenhouse.io")
    assert not _VOCAB.ignores_domain("notgmail.com")


def test_removing_a_phrase_that_moved_to_another_kind_says_where_it_is_now(vocab):
    """ "hospital" moved from negative.other-title to negative.other-employer: an older
    rules file that removes it from the old kind is told where the phrase lives now."""
    text = '[negative.other-title]\nremove = ["hospital"]\n'
    with pytest.raises(RulesFileError) as caught:
        extend_vocabulary(vocab, text, origin="rules.toml")
    (problem,) = caught.value.problems
    assert problem.field == "negative.other-title.remove" and problem.line == 2
    assert "[negative.other-employer]" in problem.message
    moved = '[negative.other-employer]\nremove = ["hospital"]\n'
    fixed = extend_vocabulary(vocab, moved, origin="rules.toml")
    event = interview("Hospital interview with Dr Sato", WHEN)
    before = classify(event, vocab)
    after = classify(event, fixed)
    assert any(r.signal == "negative:other-employer" for r in before.reasons)
    assert not any(r.signal == "negative:other-employer" for r in after.reasons)
