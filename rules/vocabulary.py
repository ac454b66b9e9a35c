"""The vocabulary: words, patterns and weights that find and classify interviews.

The words are data (`rules/vocabulary.toml`, shipped in the package) so that a user can
teach the tool their own calendar's language without touching code: a `rules.toml` in
the config directory (or `--rules FILE`) extends or overrides the built-in file.

Rules-file format (TOML; the built-in file has the same shape)::

    [thresholds]               # every key optional
    interview = 1.0            # interview evidence that makes a *sure* interview
    unsure = 0.5               # evidence that makes an unsure best guess (no reminder)
    negative = 1.0             # summed weight of one negative kind that rules it out
    doubt = 0.5                # a negative kind this strong in the title: unsure
    context_share = 0.5        # share of context words when nothing backs them
    external_organizer = 0.3   # support: someone at a company invited the user
    producer = 0.6             # support: an applicant-tracking system wrote the invite
    internal_organizer = 0.6   # hiring side: a colleague (the user's own domain) invited
    work_calendar = 1.0        # hiring side: on the user's work address, organized by the
                               #   user or a colleague (job seekers' own interviews come to
                               #   their private address)
    hiring_mailbox = 0.6       # support: a recruiting mailbox (recruiting@, talent@) invited
    named_in_title = 0.7       # support: a company's invite whose title names the user
    internal_move = 0.6        # support: the user's own application inside their employer
    fitted_veto = 0.05         # the fitted model (rules/fitted.json) turns down an interview
                               #   verdict whose fitted chance is below this; 0 = off
    fitted_doubt = 0.1         # ... and makes one unsure below this; 0 = off. A term of
                               #   your own that matched always wins over both
    long_block_hours = 2.5     # street address + a block this long => final stage
    address = 0.5              # final-stage weight of a street address alone
    address_long_block = 2.0   # final-stage weight of an address with a long block
    default_stage = "phone"    # "phone" | "final": stage when no stage word matched

    [fields]                   # weight multiplier per field
    summary = 1.0
    location = 1.0
    description = 0.7
    scheduler = 1.0            # text a scheduler's format carries (Calendly's event name)
    people = 0.6               # the other people's display names ("Acme Recruiting")

    [domains]
    ignore = ["calendly.com"]  # organizer domains that never name the employer
                               # (added to the built-in list)

    [interview.words]          # categories: interview, context, phone, final, address,
    "coffee chat" = 0.6        #   negative.<kind> (prep, thank-you, about, interviewer,
    "screen" = 0               #   not-a-job-interview, ... or a new kind of your own)
                               # a phrase = weight adds or re-weights; 0 removes it
    [phone.patterns]
    intro = { regex = 'intro\\s+call', weight = 1.0 }   # a regular expression

    [negative.prep]
    remove = ["research"]      # drop built-in words or pattern names
    fields = ["summary"]       # judge this category on these fields only

`context` words (onsite, screen, call, final round) are interview evidence only as far
as something else backs them (see `rules.classify`). A negative kind whose name starts
with `interviewer` makes the user the interviewer; `prep`, `thank-you` and `about`
mean "about interviews"; any other kind means another kind of event.

Your own patterns are matched with the `regex` package and a time limit
(`MATCH_TIMEOUT` per text): a pattern that backtracks without end (`(a+)+$`) stops the
pass with `RuleTimeoutError` naming the rule and the file, instead of hanging it.

Phrases match whole words, case-, accent- and hyphen-insensitively ("on site" matches
"On-site" and "onsite"); a leading/trailing `*` matches the rest of a word
("telefon*"). Patterns are Python regular expressions applied to the lower-cased,
accent-stripped text. Within one category a longer match hides shorter matches inside
it, so "phone screen" is not also counted as "phone" and "screen".

A file that cannot be used raises `RulesFileError` listing every problem with file,
line (when known), field and offending value, and the next step.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

import regex as timed_re

from rules.errors import Problem, RulesFileError
from rules.model import Stage

try:  # Python 3.11+: the parser lives in re._parser (sre_parse is deprecated)
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

POSITIVE_CATEGORIES = ("interview", "context", "phone", "final", "address")
BUILTIN_ORIGIN = "rules/vocabulary.toml"
MATCH_TIMEOUT = 0.25
"""Seconds one user pattern may spend on one field's text. A user's regular expression
with nested repetition (`(a+)+$`) can backtrack for longer than the universe lasts on a
long description; a pass holds the state lock, so it must not hang. Built-in patterns
are ours, reviewed, and stay on `re` for speed."""
# Questions about the same categories answered term by term before their screen is
# compiled (`Vocabulary.may_match`). Measured: an exact term-by-term answer costs about
# 12 us more than a search of the compiled screen for the interview and context words
# and 39 us more for all rule-out kinds, and compiling those screens costs about 50 and
# 90 ms: some 4,000 and 2,300 answers' difference. A calendar of ten thousand events
# asks fewer than 2,000.
SCREEN_WARM_UP = 2_000
FIELDS = ("summary", "description", "location", "scheduler", "people")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


def fold(text: str) -> str:
    """Lower-case, strip accents and normalise quotes, so "Gespräch" == "gesprach"."""
    if text.isascii():  # most calendar text: no accents to strip, no curly quotes
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().replace("\u2019", "'").replace("\u2018", "'")


_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits: what `(?<!\w)` ... `(?!\w)` bound


class _SplitPlan(NamedTuple):
    words: dict[str, tuple[tuple[tuple[Term, str], tuple[frozenset[str], ...] | None], ...]]
    literals: tuple[tuple[str, tuple[tuple[Term, str], ...]], ...]
    always: tuple[tuple[Term, str], ...]
    gated: tuple[tuple[list[set[str]], tuple[Term, str]], ...]


def _word_forms(term: Term) -> tuple[frozenset[str], ...] | None:
    """For each word of a phrase, the words (runs of letters and digits) that hold it
    wherever the phrase matches: the word itself, or, where the gaps around it are
    empty, the word glued to its neighbours ("followup" for "follow up"). None when a
    word of the phrase is not all letters and digits, or for a "*" phrase: then its
    literal is looked for as a substring."""
    if term.source or "*" in term.name:
        return None
    tokens = phrase_words(term.name)
    if not tokens or not all(_WORD.fullmatch(t) for t in tokens):
        return None
    size = len(tokens)
    return tuple(
        frozenset("".join(tokens[i : j + 1]) for i in range(at + 1) for j in range(at, size))
        for at in range(size)
    )


def required_literals(pattern: str) -> list[set[str]]:
    """Literal runs any match of `pattern` must contain, as [alternatives, ...] (each
    item: one of these strings occurs); lower-cased, as the pattern runs with IGNORECASE
    on folded text. [] when nothing is certain."""
    return [set(alts) for alts in _required_literals(pattern)]


@functools.lru_cache(maxsize=4096)  # the .ics screen and the rules both ask, per process
def _required_literals(pattern: str) -> tuple[frozenset[str], ...]:
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except Exception:
        return ()
    items: list[set[str]] = []
    _walk(list(parsed), items)
    return tuple(frozenset(alts) for alts in items if alts and all(alts))


def _walk(sequence: list, items: list[set[str]]) -> None:
    run: list[str] = []

    def flush() -> None:
        if run:
            items.append({"".join(run).lower()})
            run.clear()

    for op, arg in sequence:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        flush()
        if op is _c.SUBPATTERN and not (arg[1] or arg[2]):  # a plain group: spliced in
            _walk(list(arg[3]), items)
        elif op is _c.BRANCH:
            heads: set[str] = set()
            for alternative in arg[1]:
                head: list[str] = []
                for sub_op, sub_arg in alternative:
                    if sub_op is not _c.LITERAL:
                        break
                    head.append(chr(sub_arg))
                if not head:
                    heads = set()
                    break
                heads.add("".join(head).lower())
            if heads:
                items.append(heads)
        # anything else (repeats, classes, anchors): no literal is certain there
    flush()


def phrase_words(phrase: str) -> list[str]:
    """A phrase's words, folded, as its regex matches them: split at blanks and
    hyphens (the gap between words takes either), the "*" of a word part dropped."""
    return list(_phrase_words(phrase))


@functools.lru_cache(maxsize=8192)  # asked for its regex, its literal and its word forms
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s\-]+", fold(phrase).strip().strip("*")) if w)


def _literal(term: Term) -> str:
    """The longest word of a phrase: `_phrase_regex` matches its words literally (joined
    by optional blanks or hyphens), so each of them occurs in any text it matches."""
    if term.source:
        return ""
    words = phrase_words(term.name)
    return max(words, key=len) if words else ""


def _phrase_key(term: Term) -> str:
    """A phrase's words joined by NUL, which `_trie` turns into the gap between words."""
    return "\0".join(phrase_words(term.name))


def _trie(words: list[str]) -> str:
    """One regex alternation of literal `words`, shaped as a trie ("call|chat" ->
    "c(?:all|hat)"), so matching tries a character, not every word, at each position."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [
            (_GAP if c == "\0" else re.escape(c)) + emit(child)
            for c, child in sorted(node.items())
            if c
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return "(?:" + emit(root) + ")"


_HEADS = (r"(?<!\w)", r"\w*")
_TAILS = (r"(?!\w)", r"\w*")


def _after_word_start(pattern: str) -> str | None:
    r"""What follows a pattern's leading `(?<!\w)` when the whole pattern must start
    where a word does (no `|` at its top level); None otherwise."""
    head = r"(?<!\w)"
    if not pattern.startswith(head):
        return None
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:
        return None
    if len(parsed.data) < 2 or parsed.data[0][0] is not _c.ASSERT_NOT:
        return None  # a top-level alternation parses as one BRANCH
    return pattern[len(head) :]


def _screen_of(parts: list[tuple[list[str], list[str]]]) -> str:
    r"""One screen of several categories' pieces: the word-start pieces behind a single
    `(?<!\w)`, then the others."""
    bounded = [piece for start, _ in parts for piece in start]
    loose = [piece for _, rest in parts for piece in rest]
    out = [r"(?<!\w)(?:" + "|".join(bounded) + ")"] if bounded else []
    # only timed terms: they are tried apart, the screen never matches
    return "|".join(out + loose) if out or loose else r"(?!)"


def _screen_body(pattern: str) -> str:
    """A phrase's regex without its word-boundary head and tail (see `_phrase_regex`)."""
    for head in _HEADS:
        if pattern.startswith(head):
            pattern = pattern[len(head) :]
            break
    for tail in _TAILS:
        if pattern.endswith(tail) and not pattern.endswith("\\" + tail):
            pattern = pattern[: -len(tail)]
            break
    return pattern


_GAP = r"[ \t\r\f\v\u00a0\u2009\u202f\-_]*"
_GAP_CHARS = frozenset(" \t\r\f\v\u00a0\u2009\u202f-_")


def _phrase_regex(phrase: str) -> LazyPattern:
    folded = fold(phrase).strip()
    lead = folded.startswith("*")
    trail = folded.endswith("*")
    tokens = phrase_words(phrase)
    # Words of a phrase stand on one line: "Interview Type: ...\nCandidate:" is no
    # "interview candidate".
    body = _GAP.join(re.escape(t) for t in tokens)
    head = r"\w*" if lead else r"(?<!\w)"
    tail = r"\w*" if trail else r"(?!\w)"
    plain = bool(tokens) and not lead and not trail
    return LazyPattern(head + body + tail, tokens=_literal_tokens(tokens) if plain else ())


def _literal_tokens(tokens: list[str]) -> tuple[str, ...]:
    """The tokens `LazyPattern` can find without `re` (none with a gap character
    inside: "_" is one), else () for the compiled regex."""
    if any(not t or any(c in _GAP_CHARS for c in t) for t in tokens):
        return ()
    return tuple(tokens)


class RuleTimeoutError(RulesFileError):
    """A user's pattern ran longer than `MATCH_TIMEOUT` on one text: the pass stops with
    a message naming the rule and the file instead of hanging under the lock."""


def rule_field(category: str, name: str) -> str:
    """Where a pattern lives in a rules file: "negative:prep" -> "negative.prep.patterns.x"."""
    return f"{category.replace(':', '.')}.patterns.{name}"


def _is_word(char: str) -> bool:
    r"""`\w` of `re` on str: alphanumeric in the Unicode sense (str.isalnum), or "_"."""
    return char.isalnum() or char == "_"


class _Found:
    """What `LazyPattern` finds without `re`: the parts of a match the rules read."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self, group: int = 0) -> int:
        return self._start

    def end(self, group: int = 0) -> int:
        return self._end

    def span(self, group: int = 0) -> tuple[int, int]:
        return (self._start, self._end)

    def group(self, group: int = 0) -> str:
        return self._text[self._start : self._end]


class LazyPattern:
    """A built-in regex compiled the first time it is used.

    `re.compile` runs in Python: the vocabulary's ~900 patterns cost a few tenths of a
    second per process, which is most of a small calendar's sync, while a sync only
    ever tries the few whose literal word occurs in an event (`Vocabulary.plan`).
    `pattern` is there without compiling; after the first call `search` and
    `finditer` are the compiled pattern's own methods (no extra call per use).
    """

    __slots__ = ("finditer", "flags", "literal", "pattern", "search", "tokens")

    def __init__(self, pattern: str, flags: int = 0, tokens: tuple[str, ...] = ()) -> None:
        self.pattern = pattern
        self.flags = flags
        # A phrase, `(?<!\w)word<gap>word(?!\w)`: found with `str.find`, a skip over
        # the gap characters and a look at the characters either side, never compiled
        # (most of the vocabulary).
        self.tokens = tokens
        self.literal = tokens[0] if len(tokens) == 1 else ""
        self.search = self._literal_search if tokens else self._first_search
        self.finditer = self._literal_finditer if tokens else self._first_finditer

    def compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        self.search = compiled.search
        self.finditer = compiled.finditer
        return compiled

    def _first_search(self, text: str, *args: int):
        return self.compiled().search(text, *args)

    def _first_finditer(self, text: str, *args: int):
        return self.compiled().finditer(text, *args)

    def _literal_matches(self, text: str, first: bool) -> list[_Found]:
        # No token starts with a gap character, so skipping all of them before the next
        # token is what the regex's greedy gap does: there is nothing to backtrack.
        head, rest = self.tokens[0], self.tokens[1:]
        size = len(text)
        out: list[_Found] = []
        at = text.find(head)
        while at != -1:
            end = at + len(head)
            ok = at == 0 or not _is_word(text[at - 1])
            if ok:
                for token in rest:
                    while end < size and text[end] in _GAP_CHARS:
                        end += 1
                    if not text.startswith(token, end):
                        ok = False
                        break
                    end += len(token)
            if ok and end < size and _is_word(text[end]):
                ok = False
            if ok:
                out.append(_Found(at, end, text))
                if first:
                    break
                at = text.find(head, end)
            else:
                at = text.find(head, at + 1)
        return out

    def _literal_search(self, text: str, *args: int):
        if args:
            return self.compiled().search(text, *args)
        found = self._literal_matches(text, first=True)
        return found[0] if found else None

    def _literal_finditer(self, text: str, *args: int):
        if args:
            return self.compiled().finditer(text, *args)
        return iter(self._literal_matches(text, first=False))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


class TimedPattern:
    """A user's pattern, matched by the `regex` package with a time limit per call.

    It offers the two methods the rules use (`search`, `finditer`) and raises
    `RuleTimeoutError` naming the rule, the file and the pattern when one call runs
    longer than `MATCH_TIMEOUT`.
    """

    __slots__ = ("_compiled", "category", "name", "origin", "pattern")

    def __init__(self, source: str, *, category: str, name: str, origin: str) -> None:
        self.pattern = source
        self.category = category
        self.name = name
        self.origin = origin
        self._compiled = timed_re.compile(source, timed_re.IGNORECASE | timed_re.V0)

    def _timeout(self) -> RuleTimeoutError:
        return RuleTimeoutError(
            "a pattern in your rules file takes too long",
            [
                Problem(
                    f"rule {self.name!r} ran longer than {MATCH_TIMEOUT:g} s on one event's "
                    "text (nested repetition such as (a+)+ backtracks without end)",
                    file=self.origin,
                    field=rule_field(self.category, self.name),
                    value=self.pattern,
                )
            ],
            next_step=f"simplify or remove the pattern {self.name!r} in {self.origin}",
        )

    def search(self, text: str):
        try:
            return self._compiled.search(text, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise self._timeout() from None

    def finditer(self, text: str):
        try:
            return list(self._compiled.finditer(text, timeout=MATCH_TIMEOUT))
        except TimeoutError:
            raise self._timeout() from None

    def __repr__(self) -> str:
        return f"TimedPattern({self.pattern!r})"


@dataclass(frozen=True)
class Term:
    """One word or pattern of one category, ready to match folded text."""

    category: str  # interview | context | phone | final | address | negative:<kind>
    name: str  # the phrase as written, or the pattern's name
    weight: float
    regex: re.Pattern[str] | LazyPattern | TimedPattern = field(compare=False, repr=False)
    source: str = ""  # the regex as written, for patterns; "" for phrases
    origin: str = BUILTIN_ORIGIN  # the file the term came from

    @property
    def timed(self) -> bool:
        """A user's pattern: matched with a time limit, never inside a fast screen."""
        return isinstance(self.regex, TimedPattern)


@dataclass(frozen=True)
class Thresholds:
    interview: float = 1.0  # evidence at which "an interview" is a sure verdict
    unsure: float = 0.5  # evidence at which it is the best guess, but unsure
    negative: float = 1.0
    doubt: float = 0.5  # a rule-out kind this strong (but below `negative`) makes it unsure
    context_share: float = 0.5  # share of context words when only weak support backs them
    external_organizer: float = 0.3  # someone at a company (not free mail, not an ATS) invited
    producer: float = 0.6  # an applicant-tracking system sent the invite
    internal_organizer: float = 0.6  # a colleague (the user's own domain) invited: hiring side
    work_calendar: float = 1.0  # the user's work address, organized by the user or a colleague
    hiring_mailbox: float = 0.6  # a recruiting mailbox at a company invited the user
    named_in_title: float = 0.7  # an invite from someone else whose title names the user
    internal_move: float = 0.6  # the user's own internal application: hiring evidence
    fitted_veto: float = 0.05  # the fitted model's chance below which it turns an interview down
    fitted_doubt: float = 0.1  # ... below which it makes a sure interview unsure
    long_block_hours: float = 2.5
    address: float = 0.5
    address_long_block: float = 2.0
    default_stage: Stage = Stage.PHONE


THRESHOLD_NAMES = (
    "interview",
    "unsure",
    "negative",
    "doubt",
    "context_share",
    "external_organizer",
    "producer",
    "internal_organizer",
    "work_calendar",
    "hiring_mailbox",
    "named_in_title",
    "internal_move",
    "fitted_veto",
    "fitted_doubt",
    "long_block_hours",
    "address",
    "address_long_block",
)


@dataclass(frozen=True)
class Vocabulary:
    """Every category's terms, the thresholds and field weights, and where they came from."""

    terms: tuple[Term, ...]
    thresholds: Thresholds = Thresholds()
    field_weights: tuple[tuple[str, float], ...] = (
        ("summary", 1.0),
        ("location", 1.0),
        ("description", 0.7),
        ("scheduler", 1.0),
        ("people", 0.6),
    )
    ignored_domains: frozenset[str] = frozenset()
    origins: tuple[str, ...] = ()
    # Categories judged on some fields only (`fields = ["summary"]` in the file):
    # "customer" rules an event out in a title, not in "Customer Success Manager role".
    only_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def fields_of(self, category: str) -> tuple[str, ...] | None:
        return self._only_fields.get(category)

    @cached_property
    def _only_fields(self) -> dict[str, tuple[str, ...]]:
        return dict(self.only_fields)

    # Classifying 100k events calls these millions of times: they are computed once per
    # Vocabulary (cached_property writes to the instance dict, which a frozen dataclass
    # allows) instead of filtering `terms` on every call.

    @cached_property
    def _by_category(self) -> dict[str, tuple[Term, ...]]:
        grouped: dict[str, list[Term]] = {}
        for term in self.terms:
            grouped.setdefault(term.category, []).append(term)
        return {name: tuple(terms) for name, terms in grouped.items()}

    def category(self, name: str) -> tuple[Term, ...]:
        return self._by_category.get(name, ())

    @cached_property
    def negative_kinds(self) -> tuple[str, ...]:
        return tuple(name for name in self._by_category if name.startswith("negative:"))

    @cached_property
    def _screen_sources(self) -> dict[str, str | None]:
        """One alternation of every term of a category: a single search tells whether
        any term of it can match, so most ordinary events are dismissed in a few
        searches instead of one per term. Each built when first asked (`_source`);
        `screen` compiles a category's when first needed."""
        return {}

    def _source(self, name: str) -> str | None:
        """A category's screen source; None for a category the vocabulary lacks."""
        parts = self._parts(name)
        return None if parts is None else _screen_of([parts])

    def _parts(self, name: str) -> tuple[list[str], list[str]] | None:
        sources = self._screen_sources
        if name not in sources:
            sources[name] = self._screen_parts(name) if name in self._by_category else None
        return sources[name]

    def _screen_parts(self, name: str) -> tuple[list[str], list[str]]:
        """A category's screen as (pieces that match only where a word starts, the
        other pieces); `_screen_of` joins them."""
        terms = self._by_category[name]
        # The screen may say "maybe" too often, never "no" wrongly. A phrase's
        # words occur in any text it matches: the words of all phrases make one
        # trie-shaped alternation, which `re` scans at a few characters per position
        # instead of trying hundreds of alternatives. A phrase starts where a word
        # does (`(?<!\w)`, unless it begins with "*"): that trie is tried only there,
        # which spares `re` the alternation at most positions of a text. Built-in
        # patterns join as they are; a user's (timed) pattern never does: `re` has no
        # limit.
        plain = [t for t in terms if not t.timed and not t.source]
        starred = {id(t) for t in plain if fold(t.name).strip().startswith("*")}
        bounded = {_phrase_key(t) for t in plain if id(t) not in starred} - {""}
        loose = {_phrase_key(t) for t in plain if id(t) in starred} - {""}
        patterns = [t.regex.pattern for t in terms if t.source and not t.timed]
        starts = [_after_word_start(p) for p in patterns]
        bodies = [p for p, rest in zip(patterns, starts, strict=True) if rest is None]
        bodies += [_screen_body(t.regex.pattern) for t in plain if not _phrase_key(t)]
        return (
            ([_trie(sorted(bounded))] if bounded else [])
            + [f"(?:{rest})" for rest in starts if rest is not None],
            ([_trie(sorted(loose))] if loose else []) + [f"(?:{b})" for b in bodies],
        )

    @cached_property
    def _compiled_screens(self) -> dict[object, re.Pattern[str] | None]:
        return {}

    def _compile_screen(self, source: str | None) -> re.Pattern[str] | None:
        if source is None:
            return None
        try:
            return re.compile(source)
        except re.error:
            return None

    @cached_property
    def _timed(self) -> dict[str, tuple[Term, ...]]:
        return {
            name: tuple(t for t in terms if t.timed) for name, terms in self._by_category.items()
        }

    def timed(self, name: str) -> tuple[Term, ...]:
        """A category's user patterns: tried on every event, with a time limit each."""
        return self._timed.get(name, ())

    def has_timed(self, names: tuple[str, ...]) -> bool:
        return any(self._timed.get(n) for n in names)

    @cached_property
    def _ready(self) -> dict[tuple[str, ...], re.Pattern[str]]:
        """Compiled screens past their warm-up, by the categories they answer for."""
        return {}

    @cached_property
    def _present(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return {}

    def present(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Those of `names` this vocabulary has terms in (a user may empty one)."""
        found = self._present.get(names)
        if found is None:
            found = self._present[names] = tuple(n for n in names if self._by_category.get(n))
        return found

    def screen(self, name: str) -> re.Pattern[str] | None:
        cache = self._compiled_screens
        if name not in cache:
            cache[name] = self._compile_screen(self._source(name))
        return cache[name]

    def joined_screen(self, names: tuple[str, ...]) -> re.Pattern[str] | None:
        """One screen for several categories, compiled once from their sources (their
        own screens are not compiled for it); None when they cannot be combined."""
        key = ("joined", *names)
        cache = self._compiled_screens
        if key not in cache:
            cache[key] = self._join(names)
        return cache[key]

    def _join(self, names: tuple[str, ...]) -> re.Pattern[str] | None:
        parts = [self._parts(name) for name in names]
        if any(part is None for part in parts):
            return None
        return self._compile_screen(_screen_of(parts))

    @cached_property
    def _warmth(self) -> dict[tuple[str, ...], int]:
        return {}

    @cached_property
    def _unscreened(self) -> frozenset[str]:
        """Categories no screen stands for: `may_match` says "maybe" to any text. None
        of the built-in ones (a user's pattern is kept out of the screens instead);
        tests set some, to compare verdicts with and without screens."""
        return frozenset()

    def screenable(self, names: tuple[str, ...]) -> bool:
        """Do these categories have screens (`may_match` can ever say no)?"""
        return all(name in self._by_category and name not in self._unscreened for name in names)

    def may_match(self, names: tuple[str, ...], text: str) -> bool:
        """Could a term of one of these categories match in folded `text`? What their
        screens say (True when a category cannot be screened); user patterns are not
        asked (`timed`). The first `SCREEN_WARM_UP` questions about the same categories
        are answered term by term instead (the terms `candidates` finds, each tried with
        its own regex: an exact answer), which costs about what one search of the
        compiled screen does, without compiling it: most calendars never ask enough
        questions for a compile to pay. After that the compiled screen answers."""
        ready = self._ready.get(names)
        if ready is not None:  # warm: one search, nothing else (most of a calendar)
            return ready.search(text) is not None
        if not self.screenable(names):
            return True
        asked = self._warmth.get(names, 0)
        if asked >= SCREEN_WARM_UP:
            screen = self.screen(names[0]) if len(names) == 1 else self.joined_screen(names)
            if screen is None:
                return True
            self._ready[names] = screen
            return screen.search(text) is not None
        self._warmth[names] = asked + 1
        try:
            for name in names:
                for term, _ in self.candidates(name, text):
                    if term.regex.search(text):
                        return True
        except re.error:
            return True  # as a screen that cannot be compiled
        return False

    @cached_property
    def _plans(self) -> dict[str, tuple[tuple[Term, str], ...]]:
        return {
            name: tuple((term, _literal(term)) for term in terms if not term.timed)
            for name, terms in self._by_category.items()
        }

    def plan(self, name: str) -> tuple[tuple[Term, str], ...]:
        """A category's terms, each with a word that must occur in the folded text for
        the term to match ("" for patterns: they are always tried). User patterns are
        not in the plan: `timed()` lists them."""
        return self._plans.get(name, ())

    @cached_property
    def _split_plans(self) -> dict[str, _SplitPlan]:
        return {}

    def _split_plan(self, name: str) -> _SplitPlan:
        """A category's plan in four parts: phrases by the words a text must have for
        them to match, the other phrases by their literal, patterns by the literal runs
        their matches hold (`required_literals`), and patterns always tried."""
        split = self._split_plans.get(name)
        if split is None:
            words: dict[str, list[tuple[tuple[Term, str], tuple[frozenset[str], ...] | None]]]
            words = {}
            literals: dict[str, list[tuple[Term, str]]] = {}
            always: list[tuple[Term, str]] = []
            gated: list[tuple[list[set[str]], tuple[Term, str]]] = []
            for term, literal in self.plan(name):
                forms = _word_forms(term) if literal else None
                if not literal:
                    needs = required_literals(term.regex.pattern) if term.source else []
                    if needs:
                        gated.append((needs, (term, literal)))
                    else:
                        always.append((term, literal))
                elif forms is None:
                    literals.setdefault(literal, []).append((term, literal))
                else:
                    # Looked up by the forms of its literal; then every other word of it
                    # must be there too (`need`), in one of its forms.
                    at = phrase_words(term.name).index(literal)
                    need = forms[:at] + forms[at + 1 :] or None  # the literal's forms: found
                    for form in forms[at]:
                        words.setdefault(form, []).append(((term, literal), need))
            split = self._split_plans[name] = _SplitPlan(
                {w: tuple(p) for w, p in words.items()},
                tuple((lit, tuple(p)) for lit, p in literals.items()),
                tuple(always),
                tuple(gated),
            )
        return split

    def candidates(self, name: str, folded: str) -> list[tuple[Term, str]]:
        r"""The plan's (term, literal) pairs that can match `folded`; each once. A
        phrase of letters and digits matches whole words only (`(?<!\w)` ... `(?!\w)`,
        its words joined by gap characters or by nothing): one of its literal's word
        forms (`_word_forms`) is then a word of the text, and looking the text's words
        up finds it; each of its other words must be there too, in one of its forms.
        The other phrases' literals are substring tests, one per distinct literal. User
        patterns are not here (`timed()`)."""
        words, literals, always, gated = self._split_plan(name)
        found = list(always)
        for needs, pair in gated:  # a pattern: the literal runs every match holds
            for alts in needs:
                if not any(w in folded for w in alts):
                    break
            else:
                found.append(pair)
        for literal, pairs in literals:
            if literal in folded:
                found.extend(pairs)
        if words:
            hits = 0
            text_words = self._words_of(folded)
            for word in text_words:
                entries = words.get(word)
                if entries:
                    hits += 1
                    for pair, need in entries:
                        if need is not None:
                            for forms in need:
                                if text_words.isdisjoint(forms):
                                    break
                            else:
                                found.append(pair)
                        else:
                            found.append(pair)
            if hits > 1:  # a phrase found by two of its forms ("follow up", "followup")
                found = list({id(pair[0]): pair for pair in found}.values())
        return found

    @cached_property
    def _word_sets(self) -> dict[str, frozenset[str]]:
        return {}

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Scratch space for the rules' pure answers about texts (`rules.classify._hits`
        keeps a category's matches in an event's fields here): the vocabulary never
        changes, so an answer stays true; each user bounds its own entries."""
        return {}

    def _words_of(self, folded: str) -> frozenset[str]:
        """The distinct words of a text; the rules ask about the same few texts (an
        event's fields) once per category, so the last texts' words are kept."""
        cache = self._word_sets
        words = cache.get(folded)
        if words is None:
            if len(cache) >= 64:
                cache.clear()
            words = cache[folded] = frozenset(_WORD.findall(folded))
        return words

    def field_weight(self, name: str) -> float:
        return dict(self.field_weights).get(name, 1.0)

    def ignores_domain(self, domain: str) -> bool:
        """Free mail, a scheduler, an ATS: `domain` is one of `ignored_domains` or a
        subdomain of one ("mail.yahoo.com", "acme.greenhouse.io")."""
        ignored = self.ignored_domains
        labels = domain.split(".")
        return any(".".join(labels[i:]) in ignored for i in range(len(labels)))


# ----------------------------------------------------------------- parsing


class _Lines:
    """Best-effort line numbers for keys: tomllib reports none after a good parse."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = tuple(_unquote(p) for p in _split_dotted(header.group(1)))
                self.keys.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault((*table, _unquote(key.group(1))), number)

    def line(self, *path: str) -> int | None:
        while path:
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return None


def _split_dotted(text: str) -> list[str]:
    return [p.strip() for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text)]


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class _Draft:
    """The mutable working copy while a file is merged in (frozen again at the end)."""

    words: dict[str, dict[str, float]]
    patterns: dict[str, dict[str, tuple[str, float, str, bool]]]
    thresholds: Thresholds
    field_weights: dict[str, float]
    ignored_domains: set[str]
    only_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (category, phrase) -> the file that last set the phrase's weight (else built-in)
    word_origins: dict[tuple[str, str], str] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str, origin: str, *, trusted: bool = False) -> None:
        self.origin = origin
        self.trusted = trusted  # the built-in file: its patterns stay on `re`
        self.lines = _Lines(text)
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str, value: object = None) -> None:
        self.problems.append(
            Problem(
                message,
                file=self.origin,
                line=self.lines.line(*path),
                field=".".join(path),
                value=None
                if value is None
                else repr(value)
                if not isinstance(value, str)
                else value,
            )
        )

    def merge(self, data: dict[str, Any], draft: _Draft) -> None:
        for key, value in data.items():
            if key == "thresholds":
                self._thresholds(value, draft)
            elif key == "fields":
                self._fields(value, draft)
            elif key == "domains":
                self._domains(value, draft)
            elif key in POSITIVE_CATEGORIES:
                self._category((key,), key, value, draft)
            elif key == "negative":
                if not isinstance(value, dict):
                    self.problem((key,), "must be a table of [negative.<kind>]", value)
                    continue
                for kind, table in value.items():
                    if not _KIND_RE.match(kind):
                        self.problem(
                            (key, kind), "kind must be lower-case letters, digits, - or _", kind
                        )
                        continue
                    self._category((key, kind), f"negative:{kind}", table, draft)
            else:
                self.problem(
                    (key,),
                    "unknown section; expected thresholds, fields, domains, interview, phone, "
                    "final, address or negative.<kind>",
                )

    def _thresholds(self, table: object, draft: _Draft) -> None:
        if not isinstance(table, dict):
            self.problem(("thresholds",), "must be a table", table)
            return
        changes: dict[str, Any] = {}
        for key, value in table.items():
            path = ("thresholds", key)
            if key == "default_stage":
                if value in ("phone", "final"):
                    changes[key] = Stage(value)
                else:
                    self.problem(path, 'must be "phone" or "final"', value)
            elif key in THRESHOLD_NAMES:
                if _is_number(value) and value >= 0:
                    changes[key] = float(value)
                else:
                    self.problem(path, "must be a number >= 0", value)
            else:
                self.problem(path, "unknown threshold")
        draft.thresholds = replace(draft.thresholds, **changes)

    def _fields(self, table: object, draft: _Draft) -> None:
        if not isinstance(table, dict):
            self.problem(("fields",), "must be a table", table)
            return
        for key, value in table.items():
            path = ("fields", key)
            if key not in FIELDS:
                self.problem(path, f"unknown field; expected one of {', '.join(FIELDS)}")
            elif not (_is_number(value) and value >= 0):
                self.problem(path, "must be a number >= 0", value)
            else:
                draft.field_weights[key] = float(value)

    def _domains(self, table: object, draft: _Draft) -> None:
        if not isinstance(table, dict):
            self.problem(("domains",), "must be a table", table)
            return
        for key, value in table.items():
            path = ("domains", key)
            if key != "ignore":
                self.problem(path, "unknown key; expected ignore")
            elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                self.problem(path, "must be a list of domain names", value)
            else:
                draft.ignored_domains.update(v.lower().strip() for v in value)

    def _category(self, path: tuple[str, ...], category: str, table: object, draft: _Draft) -> None:
        if not isinstance(table, dict):
            self.problem(path, "must be a table with words, patterns and/or remove", table)
            return
        words = draft.words.setdefault(category, {})
        patterns = draft.patterns.setdefault(category, {})
        for key, value in table.items():
            here = (*path, key)
            if key == "words":
                if not isinstance(value, dict):
                    self.problem(here, 'must be a table of "phrase" = weight', value)
                    continue
                for phrase, weight in value.items():
                    if not _is_number(weight) or weight < 0:
                        self.problem((*here, phrase), "weight must be a number >= 0", weight)
                    elif not fold(phrase).strip(" *-"):
                        self.problem((*here, phrase), "empty phrase", phrase)
                    elif weight == 0:
                        words.pop(fold(phrase), None)
                    else:
                        words[fold(phrase)] = float(weight)
                        draft.word_origins[(category, fold(phrase))] = self.origin
            elif key == "patterns":
                if not isinstance(value, dict):
                    self.problem(here, "must be a table of name = { regex, weight }", value)
                    continue
                for name, spec in value.items():
                    self._pattern((*here, name), name, spec, patterns)
            elif key == "fields":
                if not (
                    isinstance(value, list)
                    and value
                    and all(isinstance(v, str) and v in FIELDS for v in value)
                ):
                    self.problem(here, f"must be a list of fields ({', '.join(FIELDS)})", value)
                    continue
                draft.only_fields[category] = tuple(value)
            elif key == "remove":
                if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                    self.problem(here, "must be a list of phrases or pattern names", value)
                    continue
                for item in value:
                    if words.pop(fold(item), None) is None and patterns.pop(item, None) is None:
                        # A built-in phrase may have moved to another kind between
                        # versions ("hospital": negative.other-title -> other-employer).
                        elsewhere = sorted(
                            other.replace(":", ".")
                            for other, known in draft.words.items()
                            if other != category and fold(item) in known
                        )
                        where = f"; it is in [{'], ['.join(elsewhere)}] now" if elsewhere else ""
                        self.problem(here, f"nothing to remove in {category}{where}", item)
            else:
                self.problem(here, "unknown key; expected words, patterns, fields or remove")

    def _pattern(
        self,
        path: tuple[str, ...],
        name: str,
        spec: object,
        patterns: dict[str, tuple[str, float, str, bool]],
    ) -> None:
        if not isinstance(spec, dict):
            self.problem(path, "must be { regex = '...', weight = 1.0 }", spec)
            return
        unknown = set(spec) - {"regex", "weight"}
        for key in sorted(unknown):
            self.problem((*path, key), "unknown key; expected regex and weight")
        regex, weight = spec.get("regex"), spec.get("weight", 1.0)
        ok = True
        if not isinstance(regex, str):
            self.problem((*path, "regex"), "must be a string", regex)
            ok = False
        else:
            try:
                # The built-in file's patterns compile when first used (`LazyPattern`);
                # tests/rules/test_vocabulary.py compiles every one of them.
                if not self.trusted:
                    timed_re.compile(regex, timed_re.V0)
            except (re.error, timed_re.error) as exc:
                self.problem((*path, "regex"), f"invalid regular expression: {exc}", regex)
                ok = False
        if not _is_number(weight) or weight < 0:
            self.problem((*path, "weight"), "must be a number >= 0", weight)
            ok = False
        if ok and not unknown:
            if weight == 0:
                patterns.pop(name, None)
            else:
                patterns[name] = (str(regex), float(weight), self.origin, self.trusted)


def _load(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(found.group(1)) if found else None
        if found:
            message += f" (column {found.group(2)})"
        raise RulesFileError(
            "rules file is not valid TOML",
            [Problem(message, file=origin, line=line)],
            next_step="fix the TOML syntax at that line",
        ) from exc


def _freeze(draft: _Draft, origins: tuple[str, ...]) -> Vocabulary:
    terms: list[Term] = []
    for category, words in draft.words.items():
        for phrase, weight in words.items():
            origin = draft.word_origins.get((category, phrase), BUILTIN_ORIGIN)
            terms.append(Term(category, phrase, weight, _phrase_regex(phrase), origin=origin))
    for category, patterns in draft.patterns.items():
        for name, (regex, weight, origin, trusted) in patterns.items():
            compiled: LazyPattern | TimedPattern
            if trusted:
                compiled = LazyPattern(regex, re.IGNORECASE)
            else:
                compiled = TimedPattern(regex, category=category, name=name, origin=origin)
            terms.append(Term(category, name, weight, compiled, source=regex, origin=origin))
    return Vocabulary(
        terms=tuple(terms),
        thresholds=draft.thresholds,
        field_weights=tuple(sorted(draft.field_weights.items())),
        ignored_domains=frozenset(draft.ignored_domains),
        origins=origins,
        only_fields=tuple(sorted(draft.only_fields.items())),
    )


def _thaw(vocab: Vocabulary) -> _Draft:
    words: dict[str, dict[str, float]] = {}
    patterns: dict[str, dict[str, tuple[str, float, str, bool]]] = {}
    origins: dict[tuple[str, str], str] = {}
    for term in vocab.terms:
        if term.source:
            patterns.setdefault(term.category, {})[term.name] = (
                term.source,
                term.weight,
                term.origin,
                not term.timed,
            )
        else:
            words.setdefault(term.category, {})[term.name] = term.weight
            if term.origin != BUILTIN_ORIGIN:
                origins[(term.category, term.name)] = term.origin
    return _Draft(
        words=words,
        patterns=patterns,
        thresholds=vocab.thresholds,
        field_weights=dict(vocab.field_weights),
        ignored_domains=set(vocab.ignored_domains),
        only_fields=dict(vocab.only_fields),
        word_origins=origins,
    )


def extend_vocabulary(
    base: Vocabulary, text: str, *, origin: str, trusted: bool = False
) -> Vocabulary:
    """Merge a user rules file (TOML text) into `base`; see the module docstring.

    Raises `RulesFileError` listing every problem found, each with the file (`origin`),
    the line when known, the field and the offending value. Its patterns are matched
    with a time limit (`TimedPattern`) unless `trusted` (the built-in file only).
    """
    data = _load(text, origin)
    parser = _Parser(text, origin, trusted=trusted)
    draft = _thaw(base)
    parser.merge(data, draft)
    if parser.problems:
        raise RulesFileError(
            "rules file cannot be used",
            parser.problems,
            next_step=f"fix {origin} (format: see `rules.vocabulary`), or move it away "
            "to use the built-in vocabulary",
        )
    return _freeze(draft, (*base.origins, origin))


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The built-in vocabulary, parsed once (it is immutable, so caching is safe)."""
    resource = importlib.resources.files("rules").joinpath("vocabulary.toml")
    text = resource.read_text(encoding="utf-8")
    empty = Vocabulary(terms=(), origins=())
    return extend_vocabulary(empty, text, origin=BUILTIN_ORIGIN, trusted=True)
