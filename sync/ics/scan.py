"""The text-level pass of the `.ics` reader: find the blocks, and the few worth parsing.

A calendar export is mostly ordinary meetings. Parsing one VEVENT with icalendar costs
about a millisecond (content lines and parameters are parsed character by character in
Python), so a 50k-event file costs most of a minute before the rules say "not an
interview" to nearly all of it. This module works on the bytes instead:

1. `walk_frame` finds every BEGIN:/END: line with one C-speed regex search over the
   file's bytes (component names in any case) and replays the frame rules of
   `reader._Reader._split` on those lines only: the same refusals (truncated file, END
   without BEGIN, text before BEGIN:VCALENDAR) with the same line numbers, the same
   calendar properties, and the span of every VEVENT and VTIMEZONE. Inside a VEVENT
   only VEVENT and VCALENDAR lines can change the frame, so VALARM lines are skipped.
2. `LiteralScreen` dismisses most VEVENTs with substring searches: a match of the
   rules' interview screen needs certain words (each phrase's longest word, the
   literal runs a pattern requires), searched in runs of a thousand blocks, unfolded
   and lower-cased. What passes goes to the rules' own prefilter
   `rules.classify.could_be_interview` on `prefilter_text` -- the unfolded, TEXT-
   unescaped SUMMARY, DESCRIPTION, LOCATION, X-ALT-DESC, X-APPLE-STRUCTURED-LOCATION,
   ORGANIZER and ATTENDEE lines (whole lines: extra text only makes it say "maybe"
   more often) -- and then to the rules' verdict on the event's exact text and people
   (`reader._Reader._lite_event`), for the plain forms where that can be read without
   icalendar.
3. The reader then parses with icalendar only the candidates, every block that shares a
   UID with one (the series master and its RECURRENCE-ID overrides, and duplicates that
   the full read would settle by SEQUENCE), and the VTIMEZONEs they need.

Files this pass does not handle byte-exactly (a lone CR line break, from classic Mac
OS) are read the full way: `walk_frame` returns None.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from rules.vocabulary import Vocabulary, fold, phrase_words, required_literals

__all__ = ["Frame", "LiteralScreen", "RawBlock", "prefilter_text", "uid_keys", "walk_frame"]

# Component names are case-insensitive; spelled as classes so `re` still skips ahead on
# the literal newline (an IGNORECASE pattern is several times slower on 40 MB).
_MARKER = re.compile(rb"\n(?:[Bb][Ee][Gg][Ii][Nn]|[Ee][Nn][Dd]):")
_UID_LINE = re.compile(rb"\n[Uu][Ii][Dd][:;]")
_FOLD = re.compile(r"\r?\n[ \t]")
_RELEVANT = re.compile(
    r"^(?:SUMMARY|DESCRIPTION|LOCATION|X-ALT-DESC|X-APPLE-STRUCTURED-LOCATION|"
    r"ORGANIZER|ATTENDEE)[;:][^\r\n]*",
    re.IGNORECASE | re.MULTILINE,
)
# Of a person's line only the name and the address can mean anything to the rules.
_PERSON_PARAMS = re.compile(r";(?:CUTYPE|ROLE|PARTSTAT|RSVP|X-NUM-GUESTS)=[^;:]*", re.IGNORECASE)
# RFC 5545 3.3.11 TEXT escapes as icalendar unescapes them (`\:` included), and the
# RFC 6868 parameter escapes (`^n`, `^'`, `^^`) of CN values.
_ESCAPE = re.compile(r"\\([\\,;:nN])|\^([n'^])")


def _unescape(match: re.Match[str]) -> str:
    text_escape, param_escape = match.group(1), match.group(2)
    if text_escape is not None:
        return "\n" if text_escape in "nN" else text_escape
    return {"n": "\n", "'": '"'}.get(param_escape, "^")


@dataclass
class RawBlock:
    """One VEVENT or VTIMEZONE of the file, as a byte span (BEGIN line to END line)."""

    kind: str  # VEVENT | VTIMEZONE
    line: int  # physical line of its BEGIN
    start: int  # byte offset of its BEGIN line
    end: int = -1  # byte offset just after its END line (its last line break)


@dataclass
class Frame:
    """What the frame walk found: blocks in file order, calendar-level lines, warnings."""

    blocks: list[RawBlock] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    trailing: int | None = None  # first line of text after END:VCALENDAR


class _Lines:
    """Physical line numbers of byte offsets, counted forward (offsets only increase)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.offset = 0
        self.number = 1

    def at(self, offset: int) -> int:
        self.number += self.raw.count(b"\n", self.offset, offset)
        self.offset = offset
        return self.number


def walk_frame(
    raw: bytes,
    fail: Callable[[str, int | None, str | None], Exception],
    gap: Callable[[int, str, bool], None],
) -> Frame | None:
    """Replay `_Reader._split` over the BEGIN:/END: lines of `raw` (UTF-8, no BOM).

    `fail(message, line, value)` builds the error to raise; `gap(first_line, text,
    inside_calendar)` receives the lines between components (calendar properties, or
    text outside any calendar). Returns None when the file has a lone CR line break:
    line numbers and line starts would differ from the full read's.
    """
    if raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    starts = [0] if raw[:6].upper().startswith((b"BEGIN:", b"END:")) else []
    starts += [m.start() + 1 for m in _MARKER.finditer(raw)]
    lines = _Lines(raw)
    frame = Frame()
    stack: list[tuple[str, int]] = []
    block: RawBlock | None = None
    inner: list[str] = []
    calendars = 0
    position = 0  # end of the last marker line: where the next gap starts
    size = len(raw)
    for start in starts:
        if start < position:
            continue  # inside the previous marker's folded continuation (cannot be: safety)
        if block is None and start > position:
            text = raw[position:start].decode("utf-8", "surrogatepass")
            if text.strip():
                first = lines.at(position)
                if not stack:
                    _outside(text, first, calendars, frame, fail)
                elif len(stack) == 1:
                    gap(first, text, True)
        brk = raw.find(b"\n", start)
        end = size if brk == -1 else brk + 1
        folded = raw[end : end + 1] in (b" ", b"\t")
        if block is not None and block.kind == "VEVENT" and not folded:
            # Inside a VEVENT only VEVENT and VCALENDAR lines can change the frame (an END
            # of a VALARM, matched or not, only decides whether the block is `broken`,
            # which the replay of a chosen block works out again): skip the rest cheaply.
            head = start + (6 if raw[start : start + 6].upper() == b"BEGIN:" else 4)
            if not raw[head : head + 9].upper().startswith((b"VEVENT", b"VCALENDAR", b" ", b"\t")):
                position = end
                continue
        number = lines.at(start)
        if folded:  # a folded BEGIN/END line: unfold it
            end = _line_end(raw, start, size)
            line = _FOLD.sub("", raw[start:end].decode("utf-8", "surrogatepass"))
        else:
            line = raw[start:end].decode("utf-8", "surrogatepass")
        line = line.rstrip("\r\n")
        if line[:6].upper() == "BEGIN:":
            kind, name = "BEGIN", line[6:].strip().upper()
        else:
            kind, name = "END", line[4:].strip().upper()
        position = end
        if block is not None:
            if block.kind == "VEVENT" and name not in ("VEVENT", "VCALENDAR"):
                continue  # as above, for the forms the quick test let through
            if kind == "END" and name == block.kind and not inner:
                block.end = end
                frame.blocks.append(block)
                block = None
                continue
            if kind == "BEGIN" and name == "VCALENDAR":
                raise fail("BEGIN:VCALENDAR inside a calendar", number, None)
            if kind == "BEGIN" and name == "VEVENT" and block.kind == "VEVENT":
                frame.warnings.append((block.line, "skipped: no END:VEVENT"))
                block, inner = RawBlock("VEVENT", number, start), []
                continue
            if kind == "BEGIN":
                inner.append(name)
            elif inner and inner[-1] == name:
                inner.pop()
            elif name == "VCALENDAR":
                raise fail(
                    f"END:VCALENDAR while {block.kind} of line {block.line} is open", number, None
                )
            elif name == block.kind:  # closes with sub-components open: broken, but a block
                block.end = end
                frame.blocks.append(block)
                block, inner = None, []
            continue
        if not stack:
            if kind == "BEGIN" and name == "VCALENDAR":
                stack.append(("VCALENDAR", number))
                calendars += 1
            elif calendars == 0:
                raise fail("not an iCalendar file: expected BEGIN:VCALENDAR", number, line)
            elif frame.trailing is None:
                frame.trailing = number
            continue
        if kind == "BEGIN":
            if name == "VCALENDAR":
                raise fail("BEGIN:VCALENDAR inside a calendar", number, None)
            if len(stack) == 1 and name in ("VEVENT", "VTIMEZONE"):
                block, inner = RawBlock(name, number, start), []
            else:
                stack.append((name, number))
            continue
        if stack[-1][0] != name:
            raise fail(
                f"END:{name} but BEGIN:{stack[-1][0]} of line {stack[-1][1]} is open", number, None
            )
        stack.pop()
    if block is None and position < size:
        text = raw[position:].decode("utf-8", "surrogatepass")
        if text.strip():
            first = lines.at(position)
            if not stack:
                _outside(text, first, calendars, frame, fail)
            elif len(stack) == 1:
                gap(first, text, True)
    if block is not None:
        raise fail(
            f"the file ends inside BEGIN:{block.kind} of line {block.line}: it looks "
            "cut off (an incomplete download or copy)",
            block.line,
            None,
        )
    if stack:
        raise fail(
            f"the file ends without END:{stack[-1][0]}: it looks cut off "
            "(an incomplete download or copy)",
            stack[-1][1],
            None,
        )
    if calendars == 0:
        raise fail("not an iCalendar file: no BEGIN:VCALENDAR", None, None)
    return frame


def _line_end(raw: bytes, start: int, size: int) -> int:
    """Offset after the logical line that starts at `start` (continuations included)."""
    end = start
    while True:
        brk = raw.find(b"\n", end)
        if brk == -1:
            return size
        end = brk + 1
        if raw[end : end + 1] not in (b" ", b"\t"):
            return end


def _outside(
    text: str,
    first: int,
    calendars: int,
    frame: Frame,
    fail: Callable[[str, int | None, str | None], Exception],
) -> None:
    """Non-blank text outside any VCALENDAR: refused before the first, noted after."""
    from sync.ics.reader import _logical_lines

    for offset, line in _logical_lines(text):
        number = first + offset - 1
        if calendars == 0:
            raise fail("not an iCalendar file: expected BEGIN:VCALENDAR", number, line)
        if frame.trailing is None:
            frame.trailing = number
        return


def block_text(raw: bytes, block: RawBlock) -> str:
    return raw[block.start : block.end].decode("utf-8", "surrogatepass")


def unfold(text: str) -> str:
    return _FOLD.sub("", text)


def prefilter_text(unfolded: str) -> tuple[str, str, str]:
    """(summary, description, location + people) of one unfolded VEVENT, unescaped,
    for `could_be_interview`. Each holds whole property lines, parameters included."""
    summary: list[str] = []
    description: list[str] = []
    other: list[str] = []
    for match in _RELEVANT.finditer(unfolded):
        line = match.group()
        head = line[:3].upper()
        value = _ESCAPE.sub(_unescape, line)
        if head == "SUM":
            summary.append(value)
        elif head == "DES" or line[:10].upper() == "X-ALT-DESC":
            description.append(value)
        else:
            if head in ("ORG", "ATT"):
                value = _PERSON_PARAMS.sub("", value)
            other.append(value)
    return "\n".join(summary), "\n".join(description), "\n".join(other)


def uid_keys(raw: bytes, block: RawBlock) -> list[str]:
    """Loose forms of every UID line in the block (a VALARM may carry its own UID):
    lower case, no blanks or backslashes, parameters dropped. Looser than icalendar's
    reading, so blocks that share a UID always share a key; blocks whose keys merely
    collide are both parsed, which is harmless."""
    keys: list[str] = []
    at = block.start
    while (found := _UID_LINE.search(raw, at, block.end)) is not None:
        at = found.start() + 1
        end = _line_end(raw, at, block.end)
        line = unfold(raw[at:end].decode("utf-8", "surrogatepass")).rstrip("\r\n")
        value = line[4:]
        if line[3] == ";":
            value = value.split(":", 1)[-1]  # UID;X-PARAM=...:value
        keys.append(re.sub(r"[\s\\]+", "", value).casefold())
        at = end
    return keys


def key_prefixes(key: str) -> list[str]:
    """The key and its parts before each '/': a full read names an override `UID/RID`,
    so a UID that itself contains '/' can meet another event's id."""
    out = [key]
    cut = key.find("/")
    while cut != -1:
        out.append(key[:cut])
        cut = key.find("/", cut + 1)
    return out


# -- the literal screen -------------------------------------------------------------


class _Shift:
    """Offsets of `low` to offsets once its folds are removed (CRLF folds first, as in
    `mark`, then bare-LF ones in the CRLF-unfolded text). Offsets must only increase."""

    def __init__(self, low: bytes, step1: bytes) -> None:
        self.low, self.step1 = low, step1
        self.at0 = self.at1 = 0  # last offsets seen in low / step1
        self.cut0 = self.cut1 = 0  # bytes removed before them

    def __call__(self, offset: int) -> int:
        low, step1 = self.low, self.step1
        self.cut0 += 3 * (
            low.count(b"\r\n ", self.at0, offset) + low.count(b"\r\n\t", self.at0, offset)
        )
        self.at0 = offset
        first = offset - self.cut0
        self.cut1 += 2 * (
            step1.count(b"\n ", self.at1, first) + step1.count(b"\n\t", self.at1, first)
        )
        self.at1 = first
        return first - self.cut1


_NON_ASCII = re.compile(rb"[\x80-\xff]")
# Runs of letters and digits: a literal made of them only occurs inside one such run, so
# a text's distinct runs, joined, hold it whenever the text does (`_mark_run`).
_ALNUM_RUN = re.compile(rb"[a-z0-9]+")
_BATCH = 1000

_FOLDS = (b"\r\n ", b"\r\n\t", b"\n ", b"\n\t")
_TAG = re.compile(r"<[^>]+>")  # as rules.classify strips tags before its HTML check


# The lines the rules' quiet check reads (an event's summary, description and
# location, in every form the full read takes them from), in unfolded, lower-cased
# text; a VALARM's description too, which only ever lets more through.
_TEXT_LINE = re.compile(
    rb"\n(?:summary|description|location|x-alt-desc|x-apple-structured-location)[;:][^\r\n]*"
)


def _text_lines(text: bytes, starts: list[int], ends: list[int]):
    """Only the text lines of each block, joined, with the blocks' new offsets: the
    words are then searched in a fifth of a typical export (attendees, dates, UIDs and
    alarms are most of it)."""
    parts: list[bytes] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    size = 0
    for start, end in zip(starts, ends, strict=True):
        new_starts.append(size)
        for line in _TEXT_LINE.finditer(text, start, end):
            piece = line.group()
            parts.append(piece)
            size += len(piece)
        new_ends.append(size)
    return b"".join(parts), new_starts, new_ends


class LiteralScreen:
    """A cheaper necessary condition for `could_be_interview`, on a whole raw block.

    `could_be_interview` says "maybe" only when the folded text has a `#followup` tag
    or matches the screen of one of the vocabulary's `SCREENED` categories (interview
    and context words), directly or after its HTML clean-up.
    A match of a phrase's screen contains the phrase's longest word (`Vocabulary.plan`);
    a match of a pattern contains the literal runs that its parsed regex requires. So a
    block whose folded, unfolded text (TEXT escapes only ever remove characters between
    words) holds none of those words is dismissed with a few C-speed substring tests
    instead of a regex alternation over every character. Blocks it lets through still go
    through `could_be_interview` itself. `enabled` is False when the vocabulary has a
    pattern without a required literal, or a user's pattern in those categories: then
    every block goes through the rules' check.
    """

    def __init__(self, vocab: Vocabulary) -> None:
        from rules.classify import SCREENED

        literals: set[str] = set()
        self.conditions: list[list[set[str]]] = []
        # A user's own pattern is tried on every event (`could_be_interview` says
        # "maybe" to all): no literal word can stand for it, so nothing is dismissed.
        self.enabled = not vocab.has_timed(SCREENED) and vocab.screenable(SCREENED)
        plans = [item for category in SCREENED for item in vocab.plan(category)]
        for term, literal in plans:
            if literal:
                # Every word of a phrase occurs in a text its regex matches: "meet the
                # team" needs "team" and "the" beside "meet" (which every Google Meet
                # invite holds). Words of under three letters alone would be searched
                # too often: such phrases keep their longest word only.
                words = phrase_words(term.name)
                if len(words) > 1 and len(literal) >= 3:
                    self.conditions.append([{w} for w in dict.fromkeys(words)])
                else:
                    literals.add(literal)
                continue
            condition = required_literals(term.source or term.regex.pattern)
            if not condition:
                self.enabled = False
                break
            self.conditions.append(condition)
        # A text holding "interviews" holds "interview": keep the shortest only.
        self.literals = sorted(w for w in literals if not any(o != w and o in w for o in literals))
        # A condition one of whose words always holds a literal ("interview loop") is
        # met only where that literal already is: it can never add a block.
        self.conditions = [
            condition
            for condition in self.conditions
            if not any(
                alts and all(any(lit in w for lit in self.literals) for w in alts)
                for alts in condition
            )
        ]
        self.ascii = [w.encode() for w in self.literals if w.isascii()]
        self.ascii_conditions = [
            [{w.encode() for w in alts if w.isascii()} for alts in condition]
            for condition in self.conditions
        ]

    def maybe(self, raw: bytes, block: RawBlock) -> bool:
        if not self.enabled:
            return True
        # ROLE= (an attendee's parameter, upper case in every export) is no text of the
        # event, and would satisfy the built-in role-mention pattern's "role".
        chunk = raw[block.start : block.end].replace(b";ROLE=", b";X=")
        for fold_break in _FOLDS:
            chunk = chunk.replace(fold_break, b"")
        if chunk.isascii():
            low = chunk.lower()
            if b"<" not in low and b"&" not in low:
                return self._has(low, self.ascii, self.ascii_conditions)
        text = fold(chunk.decode("utf-8", "surrogatepass"))
        variants = [text]
        if "<" in text or "&" in text:
            variants += [fold(html.unescape(_TAG.sub(s, text))) for s in (" ", "")]
        return any(self._has(t, self.literals, self.conditions) for t in variants)

    def mark(self, raw: bytes, blocks: list[RawBlock]) -> list[bool]:
        """`maybe` for every block of `blocks` (VEVENTs, in file order), read on the
        blocks' text lines only (`_text_lines`: the fields the quiet check reads): each
        word is searched in C over a run of a thousand blocks at a time (unfolded,
        lower-cased: a few MB, so peak memory stays near the file's own size), not block
        by block.
        Blocks with HTML or non-ASCII text get the per-block test."""
        if not self.enabled:
            return [True] * len(blocks)
        out: list[bool] = []
        for first in range(0, len(blocks), _BATCH):
            out += self._mark_run(raw, blocks[first : first + _BATCH])
        return out

    def _mark_run(self, raw: bytes, blocks: list[RawBlock]) -> list[bool]:
        base = blocks[0].start
        low = raw[base : blocks[-1].end].lower().replace(b";role=", b";xxxx=")  # see `maybe`
        step1 = low.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        text = step1.replace(b"\n ", b"").replace(b"\n\t", b"")
        shift = _Shift(low, step1)
        starts: list[int] = []
        ends: list[int] = []
        for block in blocks:  # in offset order: `_Shift` counts forward
            starts.append(shift(block.start - base))
            ends.append(shift(block.end - base))
        del low, step1
        text, starts, ends = _text_lines(text, starts, ends)
        found = [False] * len(blocks)
        slow = [False] * len(blocks)
        # Most words are in none of a run's blocks: looking for them among the run's
        # distinct letter-and-digit runs (a few times shorter than the text) says so
        # without a search of the whole text per word.
        runs = b" ".join(set(_ALNUM_RUN.findall(text)))

        def holding(word: bytes) -> list[int]:
            """The blocks whose text holds `word`, in order."""
            if word.isalnum() and word not in runs:
                return []
            out: list[int] = []
            at = text.find(word)
            while at != -1:
                index = bisect_right(starts, at) - 1
                if index >= 0 and at < ends[index]:
                    out.append(index)
                    at = text.find(word, ends[index])
                else:
                    at = text.find(word, at + 1)
            return out

        for word in (b"#followup", *self.ascii):
            for index in holding(word):
                found[index] = True
        for word in (b"<", b"&"):
            for index in holding(word):
                slow[index] = True
        at = 0
        while (match := _NON_ASCII.search(text, at)) is not None:
            index = bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < ends[index]:
                slow[index] = True
                at = ends[index]
            else:
                at = match.end()
        seen_by_word: dict[bytes, list[int]] = {}  # blocks holding a word, searched once
        for condition in self.ascii_conditions:
            usable = [alts for alts in condition if alts and min(map(len, alts)) >= 3]
            if not usable:
                continue
            rarest = max(usable, key=lambda alts: min(map(len, alts)))
            candidates: set[int] = set()
            for word in rarest:
                if word not in seen_by_word:
                    seen_by_word[word] = holding(word)
                candidates.update(seen_by_word[word])
            for index in candidates:
                if not found[index]:
                    chunk = text[starts[index] : ends[index]]
                    if all(any(w in chunk for w in alts) for alts in condition):
                        found[index] = True
        return [found[i] or (slow[i] and self.maybe(raw, block)) for i, block in enumerate(blocks)]

    @staticmethod
    def _has(text, literals, conditions) -> bool:  # text: bytes or str, matching the rest
        marker = b"#followup" if isinstance(text, bytes) else "#followup"
        if marker in text:
            return True
        for literal in literals:
            if literal in text:
                return True
        for condition in conditions:
            if all(any(w in text for w in alts) for alts in condition):
                return True
        return False
