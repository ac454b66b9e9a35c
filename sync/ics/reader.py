"""Read an `.ics` calendar export into `SourceEvent`s, whoever produced it.

How it works, and why not just `icalendar.Calendar.from_ical(whole_file)`:

1. Decode (UTF-8, BOM, UTF-16 from some Outlook versions, cp1252 as a last resort),
   split into *physical* lines on CRLF, LF or CR, unfold (space or TAB), and remember
   the physical line each logical line starts on: messages say "file.ics line 42".
2. Walk BEGIN/END ourselves. The calendar frame must be sound (a stray line between
   events, an END without its BEGIN, a file cut off before END:VCALENDAR): otherwise
   the file is refused with a `ParseError` naming the line. Refusing a truncated file
   matters: reading the first half of a calendar would make the syncer cancel every
   reminder of the missing half.
3. Each VEVENT is parsed on its own with icalendar, so one bad event is skipped with a
   warning and never aborts the file; VTIMEZONEs are parsed once per file.
4. Times are resolved here, not by icalendar's process-wide zone cache (which keeps the
   first file's definition of a custom TZID for the life of the process).

The fast path (`fast=True`, for sync passes): steps 2 and 3 run on the raw bytes
first (`sync.ics.scan`): the frame is checked on the BEGIN:/END: lines alone; each VEVENT
goes through three sieves, cheapest first -- the words the rules' interview screen
cannot match without, the rules' prefilter `could_be_interview` on its raw text, and
`classify` on its exact text and people where those can be read without icalendar --
and only the candidates, every block sharing a UID with one (series master,
RECURRENCE-ID overrides, duplicates settled by SEQUENCE) and, once one of them names a
TZID no IANA/Windows name resolves, the file's VTIMEZONEs are parsed with icalendar, by
the same code as the full read. Every event the rules could take as an interview (or be
unsure of) comes out exactly as the full read (`fast=False`) gives it; the others are
left out, and so are warnings about them. tests/ics/test_fast_read.py holds the two to
the same decisions.

Time zone decisions (where RFC 5545 and real exports leave a choice):

- `Z` (UTC) times: shown in the calendar's zone (`X-WR-TIMEZONE`, as Google does),
  else kept in UTC.
- Floating times (no TZID, no `Z`): in `X-WR-TIMEZONE` when present (Google's reading),
  else in the user's zone when the caller passes it (`reminders.timezone`: a floating
  time means "where I am"), else UTC with one warning per file.
- TZID that is IANA, Windows (`W. Europe Standard Time`) or `/vendor/IANA`: the IANA
  `ZoneInfo`, keeping the wall-clock time the producer wrote.
- Any other TZID defined by a VTIMEZONE in the file (`UTC+11`, `(UTC-03:00) Brasília`):
  the instant that VTIMEZONE gives, as a fixed UTC offset (so the local date the rules
  count days from is right); `SourceEvent.timezone` is then None.
- A TZID nothing defines: the event is skipped with a warning (SPEC: "unknown time zone").
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from icalendar.parser import Contentline

from rules.classify import classify, could_be_interview
from rules.errors import ParseError, Problem
from rules.model import Person, SourceEvent
from rules.vocabulary import Vocabulary, default_vocabulary
from sync.ics import ICS_CALENDAR, scan
from sync.ics.timezones import is_utc, resolve_tzid, utc_offset_zone

__all__ = ["IcsSource", "parse_ics_bytes", "read_ics"]

NEXT_STEP = (
    "export the calendar again from your calendar app (File > Export / "
    "Settings > Export) and retry; if it fails again, report it with the file"
)
OWN_PRODID_PREFIX = "-//interview-followup//"
OWN_UID_SUFFIX = "@interview-followup"
# The only VEVENT properties the rules use. The rest (VALARMs, EXDATE, CREATED, X-...)
# is dropped before icalendar parses the event: parsing is most of the reader's time.
_USED = frozenset(
    {
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "STATUS",
        "ORGANIZER",
        "ATTENDEE",
        "URL",
        "RRULE",
        "RDATE",
        "RECURRENCE-ID",
        "SEQUENCE",
        "X-APPLE-STRUCTURED-LOCATION",
        "X-ALT-DESC",
    }
)
_NAME = re.compile(r"[A-Za-z0-9-]+")
_EMAIL = re.compile(r"^[^@\s:;,<>]+@[^@\s:;,<>]+\.[^@\s:;,<>]+$")
_HTML_TAG = re.compile(
    r"</?(?:html|body|head|br|p|div|span|a|b|i|u|em|strong|ul|ol|li|table|tr|td|"
    r"h[1-6]|blockquote|font|del)\b[^>]*>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IcsSource:
    """What one `.ics` file holds, as the rules need it."""

    events: tuple[SourceEvent, ...]
    warnings: tuple[str, ...] = ()
    name: str | None = None  # X-WR-CALNAME
    timezone: str | None = None  # IANA name from X-WR-TIMEZONE, if it names one


def read_ics(
    path: Path,
    *,
    calendar_id: str = ICS_CALENDAR,
    self_emails: Collection[str] = (),
    vocab: Vocabulary | None = None,
    fast: bool = False,
    keep_ids: Collection[str] = (),
    floating_zone: ZoneInfo | None = None,
) -> IcsSource:
    """Read an `.ics` file. Raises `ParseError` (never anything else) if it is unusable.

    `self_emails`: the user's addresses, to find their own ATTENDEE (a file has no
    `self` flag); an `X-WR-CALNAME` that is an address (Google's export) counts too.

    `fast=True` (what a sync pass wants): return only the events the rules could take
    as interviews (see the module docstring), judged with `vocab` -- pass the vocabulary
    the pass decides with (the user's rules file included); None means the built-in one. `keep_ids`:
    event ids (`SourceEvent.id`) to return whatever their text, e.g. interviews that
    have a reminder, so a renamed one is seen as "no longer an interview", not as gone.
    The default parses every event (`classify FILE` lists them all; and it is the
    reference the fast path is tested against). `floating_zone`: the user's zone
    (`reminders.timezone`), for floating times in a file that names no `X-WR-TIMEZONE`.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(
            "cannot read the calendar file",
            [Problem(exc.strerror or str(exc), file=str(path))],
            next_step="check the path and its permissions",
        ) from None
    return parse_ics_bytes(
        data,
        origin=Path(path).name,
        calendar_id=calendar_id,
        self_emails=self_emails,
        vocab=vocab,
        fast=fast,
        keep_ids=keep_ids,
        floating_zone=floating_zone,
    )


def parse_ics_bytes(
    data: bytes,
    *,
    origin: str,
    calendar_id: str = ICS_CALENDAR,
    self_emails: Collection[str] = (),
    vocab: Vocabulary | None = None,
    fast: bool = False,
    keep_ids: Collection[str] = (),
    floating_zone: ZoneInfo | None = None,
) -> IcsSource:
    """Parse iCalendar bytes; `origin` names the file in messages ("cal.ics").
    Every event by default; `fast=True` as in `read_ics`."""
    try:
        reader = _Reader(origin, calendar_id, self_emails, floating_zone)
        if fast:
            return reader.read_fast(data, vocab or default_vocabulary(), keep_ids)
        return reader.read(data)
    except ParseError:
        raise
    except Exception as exc:  # a bug or an input nobody foresaw: still a clean error
        raise ParseError(
            "cannot read the calendar file",
            [Problem(f"unexpected {type(exc).__name__}: {exc}", file=origin)],
            next_step=NEXT_STEP,
        ) from exc


# -- text and lines ---------------------------------------------------------------


def _decode(data: bytes, origin: str, warnings: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ParseError(
            "not an iCalendar file (binary data)",
            [Problem("NUL byte: this is not a text calendar", file=origin, line=line)],
            next_step=NEXT_STEP,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        warnings.append(
            f"{origin} line {line}: not valid UTF-8; read as Windows-1252, accents may be wrong"
        )
        text = data.decode("cp1252", errors="replace")
    return text.removeprefix("\ufeff")


_BREAK = re.compile(r"\r\n|\r|\n")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(physical line number, unfolded content line); blank lines dropped."""
    number = 0
    current: str | None = None
    start = 0
    for number, physical in enumerate(_BREAK.split(text), start=1):  # noqa: B007
        if physical[:1] in (" ", "\t") and current is not None:
            current += physical[1:]
            continue
        if current is not None:
            yield start, current
            current = None
        if physical.strip():
            current, start = physical, number
    if current is not None:
        yield start, current


def _begin_end(line: str) -> tuple[str, str] | None:
    """("BEGIN"|"END", COMPONENT) for a BEGIN:/END: line, else None."""
    head = line[:6].upper()
    if head.startswith("BEGIN:"):
        return "BEGIN", line[6:].strip().upper()
    if head.startswith("END:"):
        return "END", line[4:].strip().upper()
    return None


class _HtmlText(HTMLParser):
    """HTML to plain text, keeping link targets (a video link is a phone-stage signal)."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: str | None = None
        self._anchor: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._anchor = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            shown = "".join(self._anchor).strip()
            if self._href and self._href not in shown:
                self.parts.append(f" ({self._href})")
            self._href = None
        elif tag in self._BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._href is not None:
            self._anchor.append(data)


def _plain_text(value: str) -> str:
    if not _HTML_TAG.search(value):
        return value
    parser = _HtmlText()
    parser.feed(value)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# -- the reader -------------------------------------------------------------------


@dataclass
class _Block:
    kind: str  # VEVENT | VTIMEZONE
    line: int
    lines: list[str] = field(default_factory=list)
    broken: str | None = None  # why the frame of this block is unusable


class _Reader:
    def __init__(
        self,
        origin: str,
        calendar_id: str,
        self_emails: Collection[str],
        floating_zone: ZoneInfo | None = None,
    ) -> None:
        self.origin = origin
        self.floating_zone = floating_zone
        self.calendar_id = calendar_id
        self.self_emails = {e.strip().lower() for e in self_emails if e}
        self.warnings: list[str] = []
        self.cal_props: dict[str, str] = {}
        self.zones: dict[str, tzinfo] = {}  # TZID -> tzinfo from this file's VTIMEZONEs
        self.cal_zone: tzinfo | None = None
        self.floating_as_utc = 0
        self.unknown_zones: set[str] = set()
        self.pending_zones: list[tuple[bytes, scan.RawBlock]] = []  # fast read: not yet parsed
        # The fast read's verdicts by text: exports repeat the same meeting many times
        # ("Call mom" every week), and `classify` is a pure function of the event.
        self._prefiltered: dict[tuple[str, str, str], bool] = {}
        self._lite_verdicts: dict[SourceEvent, bool] = {}

    # frame ------------------------------------------------------------------

    def _fail(self, message: str, line: int | None, value: str | None = None) -> ParseError:
        return ParseError(
            "cannot read the calendar file",
            [Problem(message, file=self.origin, line=line, value=value)],
            next_step=NEXT_STEP,
        )

    def read(self, data: bytes) -> IcsSource:
        """The full read: every block parsed."""
        text = _decode(data, self.origin, self.warnings)
        blocks = self._split(text)
        for block in blocks:
            if block.kind == "VTIMEZONE":
                self._add_zone(block)
        self._set_calendar_zone()
        return self._events(block for block in blocks if block.kind == "VEVENT")

    def read_fast(self, data: bytes, vocab: Vocabulary, keep_ids: Collection[str]) -> IcsSource:
        """The fast read (module docstring): only candidates and what they need."""
        warned = len(self.warnings)
        text = _decode(data, self.origin, self.warnings)
        if len(self.warnings) == warned and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            del text  # UTF-8: scan the bytes as they are (no second copy of the file)
            raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        else:  # UTF-16, or Windows-1252 read: scan the text as UTF-8
            raw = text.encode("utf-8", "surrogatepass")
            del text
        frame = scan.walk_frame(raw, self._fail, self._gap)
        if frame is None:  # a line-break style the scan does not count like the full read
            self.warnings.clear()
            self.cal_props.clear()
            return self.read(data)
        for line, message in frame.warnings:
            self._warn(line, None, message)
        if frame.trailing is not None:
            self.warnings.append(
                f"{self.origin} line {frame.trailing}: ignored text after END:VCALENDAR"
            )
        wanted: set[str] = set()
        for event_id in keep_ids:
            wanted.update(scan.key_prefixes(re.sub(r"[\s\\]+", "", event_id).casefold()))
        screen = scan.LiteralScreen(vocab)
        keyed: list[tuple[scan.RawBlock, list[str]]] = []
        vevents = [block for block in frame.blocks if block.kind == "VEVENT"]
        for block, maybe in zip(vevents, screen.mark(raw, vevents), strict=True):
            keys = scan.uid_keys(raw, block) or [""]  # "": the UID-less
            keyed.append((block, keys))
            if not maybe or any(key in wanted for key in keys):
                continue
            if self._candidate(raw, block, screen, vocab):
                for key in keys:
                    wanted.update(scan.key_prefixes(key))
        chosen = [
            block
            for block, keys in keyed
            if any(k in wanted for key in keys for k in scan.key_prefixes(key))
        ]
        del keyed
        # VTIMEZONEs are parsed (all, in file order, as the full read does) the first
        # time an event names a TZID that no IANA or Windows name resolves.
        self.pending_zones = [(raw, block) for block in frame.blocks if block.kind == "VTIMEZONE"]
        parsed = [self._replay(raw, block) for block in chosen]
        self._set_calendar_zone()
        return self._events(parsed)

    def _gap(self, first: int, text: str, inside_calendar: bool) -> None:
        """Calendar-level lines between components (the fast read's frame walk)."""
        for offset, line in _logical_lines(text):
            self._calendar_property(first + offset - 1, line)

    def _candidate(
        self, raw: bytes, block: scan.RawBlock, screen: scan.LiteralScreen, vocab: Vocabulary
    ) -> bool:
        """Could the rules take this VEVENT (which passed `LiteralScreen`) as an
        interview, or be unsure of it? The rules' own verdict on the very text fields and
        people the full read gives (its first step is the same search of the raw text
        that `could_be_interview` makes); for a form the lite read does not copy, that
        search alone, and a "maybe" is parsed."""
        text = scan.unfold(scan.block_text(raw, block))
        lines = _depth_zero_lines(text)
        lite = self._lite_event(lines if lines is not None else self._replay(raw, block).lines)
        if lite is None:
            fields = scan.prefilter_text(text)
            maybe = self._prefiltered.get(fields)
            if maybe is None:
                maybe = self._prefiltered[fields] = could_be_interview(*fields, vocab)
            return maybe  # a form the lite read does not copy exactly: parse it
        known = self._lite_verdicts.get(lite)
        if known is None:
            verdict = classify(lite, vocab)
            known = verdict.interview or getattr(verdict, "sure", True) is False
            self._lite_verdicts[lite] = known
        return known

    def _lite_event(self, lines: list[str]) -> SourceEvent | None:
        """The event's text and people exactly as `_event` reads them, without icalendar,
        for the plain forms real exports use (`NAME:value`, people with unquoted
        parameters); None for anything else. Everything the rules could rule an event
        *out* by, besides its text and people (cancelled, ours, recurring, all-day), is
        left at the value that keeps it: the full read settles those."""
        texts: dict[str, str] = {}
        people: list[tuple[str, str]] = []
        for line in lines[1:]:
            found = _NAME.match(line)
            name = found.group().upper() if found else ""
            if name not in _LITE_USED:
                continue
            after = line[found.end() : found.end() + 1]
            if after not in (";", ":") or name in _LITE_REFUSED:
                return None  # "SUMMARY :x" (icalendar drops the blank), an HTML twin...
            if name in ("ORGANIZER", "ATTENDEE"):
                if name == "ORGANIZER" and any(n == name for n, _ in people):
                    return None
                people.append((name, line[found.end() :]))
                continue
            if after != ":" or name in texts:
                return None  # parameters (LANGUAGE, ALTREP) or a repeated property
            texts[name] = _TEXT_ESCAPE.sub(_text_unescape, line[found.end() + 1 :])
        organizer: Person | None = None
        attendees: list[Person] = []
        for name, rest in people:
            person = self._lite_person(rest)
            if person is False:
                return None
            if name == "ORGANIZER":
                organizer = person or None
            elif person:
                attendees.append(person)
        return SourceEvent(
            id="lite",
            calendar_id=self.calendar_id,
            summary=texts.get("SUMMARY", "").strip(),
            start=_LITE_START,
            description=_plain_text(texts.get("DESCRIPTION", "")).strip(),
            location=texts.get("LOCATION", "").strip(),
            organizer=organizer,
            attendees=tuple(attendees),
        )

    def _lite_person(self, rest: str) -> Person | None | bool:
        """`;PARAM=v;...:mailto:x` as `_person` reads it; False when not plain."""
        params, colon, address = rest.partition(":")
        if not colon or any(c in params for c in '"^\\,:'):
            return False
        found: dict[str, str] = {}
        for item in params.split(";")[1:] if params else ():
            key, eq, value = item.partition("=")
            if not eq or not key:
                return False
            if key.upper() in found:
                return False
            found[key.upper()] = value
        if "\\" in address:
            return False
        return self._person_of(address, found.get("CN", ""), found.get("PARTSTAT", ""))

    def _replay(self, raw: bytes, block: scan.RawBlock) -> _Block:
        """One block through `_split`, as the full read sees it (same kept lines, same
        `broken`), by framing it as a calendar of its own; line numbers shifted back."""
        inner = _Reader(self.origin, self.calendar_id, ())
        text = "BEGIN:VCALENDAR\r\n" + scan.block_text(raw, block) + "END:VCALENDAR\r\n"
        (replayed,) = inner._split(text)
        replayed.line = block.line
        return replayed

    def _events(self, blocks: Iterable[_Block]) -> IcsSource:
        events: dict[str, tuple[int, SourceEvent]] = {}
        for block in blocks:
            if block.broken:
                self._warn(block.line, None, f"skipped: {block.broken}")
                continue
            try:
                parsed = self._event(block)
            except Exception as exc:  # one bad event never aborts the file
                self._warn(block.line, None, f"skipped: this event could not be read ({exc})")
                continue
            if parsed is None:
                continue
            sequence, event = parsed
            earlier = events.get(event.id)
            if earlier is not None:
                self._warn(block.line, event.id, f"same UID as {earlier[1].origin}")
                if earlier[0] > sequence:
                    continue
            events[event.id] = (sequence, event)
        if self.floating_as_utc:
            self.warnings.append(
                f"{self.origin}: {self.floating_as_utc} event(s) have floating times and "
                "the file names no X-WR-TIMEZONE; read them as UTC (set reminders.timezone "
                "in config.toml to read them in your zone)"
            )
        return IcsSource(
            events=tuple(event for _, event in events.values()),
            warnings=tuple(self.warnings),
            name=self.cal_props.get("X-WR-CALNAME") or None,
            timezone=getattr(self.cal_zone, "key", None),
        )

    def _split(self, text: str) -> list[_Block]:
        """Check the calendar frame; collect VEVENT and VTIMEZONE blocks with line numbers."""
        blocks: list[_Block] = []
        stack: list[tuple[str, int]] = []  # open components above block level
        block: _Block | None = None
        inner: list[str] = []  # components open inside the current block
        calendars = 0
        trailing: int | None = None
        for number, line in _logical_lines(text):
            marker = _begin_end(line)
            if block is not None:
                if marker == ("END", block.kind) and not inner:
                    blocks.append(block)
                    block = None
                    continue
                if marker == ("BEGIN", "VCALENDAR"):
                    raise self._fail("BEGIN:VCALENDAR inside a calendar", number)
                if marker == ("BEGIN", "VEVENT") and block.kind == "VEVENT":
                    # The previous event lost its END:VEVENT: skip it, start this one.
                    self._warn(block.line, None, "skipped: no END:VEVENT")
                    block, inner = _Block("VEVENT", number, [line]), []
                    continue
                keep = block.kind == "VTIMEZONE"  # a VTIMEZONE is kept whole
                if marker and marker[0] == "BEGIN":
                    inner.append(marker[1])
                elif marker and marker[0] == "END":
                    if inner and inner[-1] == marker[1]:
                        inner.pop()
                    elif marker == ("END", "VCALENDAR"):
                        raise self._fail(
                            f"END:VCALENDAR while {block.kind} of line {block.line} is open",
                            number,
                        )
                    elif marker == ("END", block.kind):  # closes with sub-components open
                        block.broken = f"BEGIN:{inner[-1]} without END"
                        blocks.append(block)
                        block, inner = None, []
                        continue
                    else:
                        block.broken = f"line {number}: unexpected END:{marker[1]}"
                        keep = False
                elif not keep and not inner:
                    name = _NAME.match(line)
                    keep = bool(name and name.group().upper() in _USED)
                if keep:
                    block.lines.append(line)
                continue
            if not stack:
                if marker == ("BEGIN", "VCALENDAR"):
                    stack.append(("VCALENDAR", number))
                    calendars += 1
                elif calendars == 0:
                    raise self._fail(
                        "not an iCalendar file: expected BEGIN:VCALENDAR", number, line
                    )
                elif trailing is None:
                    trailing = number
                continue
            if marker is None:
                if len(stack) == 1:
                    self._calendar_property(number, line)
                continue
            kind, name = marker
            if kind == "BEGIN":
                if name == "VCALENDAR":
                    raise self._fail("BEGIN:VCALENDAR inside a calendar", number)
                if len(stack) == 1 and name in ("VEVENT", "VTIMEZONE"):
                    block = _Block(name, number, [line])
                    inner = []
                else:
                    stack.append((name, number))  # VTODO, VJOURNAL, X-...: walked over
                continue
            if stack[-1][0] != name:
                raise self._fail(
                    f"END:{name} but BEGIN:{stack[-1][0]} of line {stack[-1][1]} is open",
                    number,
                )
            stack.pop()
        if block is not None:
            raise self._fail(
                f"the file ends inside BEGIN:{block.kind} of line {block.line}: it looks "
                "cut off (an incomplete download or copy)",
                block.line,
            )
        if stack:
            raise self._fail(
                f"the file ends without END:{stack[-1][0]}: it looks cut off "
                "(an incomplete download or copy)",
                stack[-1][1],
            )
        if calendars == 0:
            raise self._fail("not an iCalendar file: no BEGIN:VCALENDAR", None)
        if trailing is not None:
            self.warnings.append(f"{self.origin} line {trailing}: ignored text after END:VCALENDAR")
        return blocks

    def _calendar_property(self, number: int, line: str) -> None:
        try:
            name, params, value = Contentline(line).parts()
        except Exception as exc:
            raise self._fail(f"not an iCalendar content line ({exc})", number, line) from None
        name = name.upper()
        if name in ("X-WR-CALNAME", "X-WR-TIMEZONE", "METHOD", "PRODID"):
            self.cal_props.setdefault(name, _unescape(value).strip())

    def _add_zone(self, block: _Block) -> None:
        try:
            component = icalendar.Timezone.from_ical("\r\n".join([*block.lines, "END:VTIMEZONE"]))
            tzid = str(component.get("TZID", "")).strip()
            if tzid and resolve_tzid(tzid) is None and tzid not in self.zones:
                # lookup_tzid=False: icalendar keeps every custom zone it built by name,
                # process-wide, so another file's "Custom Time Zone" would stand in.
                self.zones[tzid] = component.to_tz(lookup_tzid=False)
        except Exception as exc:
            self.warnings.append(
                f"{self.origin} line {block.line}: ignored unreadable VTIMEZONE ({exc})"
            )

    def _set_calendar_zone(self) -> None:
        name = self.cal_props.get("X-WR-TIMEZONE")
        if not name:
            return
        self.cal_zone = resolve_tzid(name)
        if self.cal_zone is None:
            self.warnings.append(f"{self.origin}: unknown X-WR-TIMEZONE {name!r}; ignored")

    def _warn(self, line: int, uid: str | None, message: str) -> None:
        who = f": UID {uid}" if uid else ""
        self.warnings.append(f"{self.origin} line {line}{who}: {message}")

    # events -----------------------------------------------------------------

    def _event(self, block: _Block) -> tuple[int, SourceEvent] | None:
        where = f"{self.origin} line {block.line}"
        event = icalendar.Event.from_ical("\r\n".join([*block.lines, "END:VEVENT"]))
        uid = _text(event.get("UID")).strip() or None
        for prop, message in getattr(event, "errors", ()):
            if prop in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"):
                continue  # reported below, where they decide the event's fate
            self._warn(block.line, uid, f"ignored bad {prop or 'line'}: {message}")
        summary = _text(event.get("SUMMARY")).strip()

        raw_start = event.get("DTSTART")
        if raw_start is None:
            self._warn(block.line, uid, "skipped: no DTSTART")
            return None
        start, zone_key = self._moment(raw_start, block.line, uid, "DTSTART")
        if start is None:
            return None

        if uid is None:
            seed = f"{_raw(raw_start)}\0{summary}".encode()
            uid = "nouid-" + hashlib.sha256(seed).hexdigest()[:20]
            self._warn(block.line, uid, "no UID; made one from DTSTART and SUMMARY")
        event_id = uid
        recurrence = event.get("RECURRENCE-ID")
        if recurrence is not None:
            rid, _ = self._moment(recurrence, block.line, uid, "RECURRENCE-ID")
            event_id = f"{uid}/{rid.isoformat() if rid is not None else _raw(recurrence)}"

        end = self._end(event, start, block.line, uid)
        status = _text(event.get("STATUS")).strip().upper()
        if self.cal_props.get("METHOD", "").upper() == "CANCEL":
            status = "CANCELLED"
        organizer = self._person(event.get("ORGANIZER"))
        attendees = tuple(p for p in (self._person(a) for a in _all(event.get("ATTENDEE"))) if p)
        location = _text(event.get("LOCATION")).strip()
        if not location:
            for structured in _all(event.get("X-APPLE-STRUCTURED-LOCATION")):
                title = getattr(structured, "params", {}).get("X-TITLE")
                if title:
                    location = str(title).strip()
                    break
        description = _text(event.get("DESCRIPTION"))
        if not description.strip():
            for alt in _all(event.get("X-ALT-DESC")):
                description = str(alt)
                break
        prodid = self.cal_props.get("PRODID", "")
        url = _text(event.get("URL")).strip() or None
        source = SourceEvent(
            id=event_id,
            calendar_id=self.calendar_id,
            summary=summary,
            start=start,
            end=end,
            timezone=zone_key,
            description=_plain_text(description).strip(),
            location=location,
            status={"CANCELLED": "cancelled", "TENTATIVE": "tentative"}.get(status, "confirmed"),
            organizer=organizer,
            attendees=attendees,
            link=url,
            recurring=bool(recurrence is not None or event.get("RRULE") or event.get("RDATE")),
            managed=uid.endswith(OWN_UID_SUFFIX) or prodid.startswith(OWN_PRODID_PREFIX),
            origin=where,
        )
        return _int(event.get("SEQUENCE")), source

    def _moment(
        self, prop: Any, line: int, uid: str | None, name: str
    ) -> tuple[datetime | date | None, str | None]:
        """Resolve a DTSTART-like property to (aware datetime | date, IANA key)."""
        if isinstance(prop, list):  # the property was repeated: the first one counts
            self._warn(line, uid, f"{name} given {len(prop)} times; used the first")
            prop = prop[0]
        try:
            value = prop.dt
        except Exception as exc:
            self._warn(line, uid, f"skipped: unreadable {name} ({exc})")
            return None, None
        if not isinstance(value, date):
            self._warn(line, uid, f"skipped: {name} is not a date or date-time")
            return None, None
        if not isinstance(value, datetime):
            return value, None
        tzid = str(prop.params.get("TZID", "")).strip() if hasattr(prop, "params") else ""
        if tzid:
            wall = value.replace(tzinfo=None)
            zone = resolve_tzid(tzid)
            if zone is not None:
                if is_utc(zone):
                    return wall.replace(tzinfo=UTC), None
                return wall.replace(tzinfo=zone), zone.key
            if self.pending_zones:
                pending, self.pending_zones = self.pending_zones, []
                for raw, raw_block in pending:
                    self._add_zone(self._replay(raw, raw_block))
            custom = self.zones.get(tzid) or self.zones.get(tzid.strip('"'))
            if custom is not None:
                local = wall.replace(tzinfo=custom)
                return local.astimezone(utc_offset_zone(local)), None
            self._warn(line, uid, f"skipped: unknown time zone TZID={tzid!r} (no VTIMEZONE)")
            return None, None
        if value.tzinfo is not None:  # a `Z` time
            utc = value.astimezone(UTC)
            if self.cal_zone is not None:
                return utc.astimezone(self.cal_zone), self.cal_zone.key
            return utc, None
        if self.cal_zone is not None:  # floating, read as Google does
            return value.replace(tzinfo=self.cal_zone), self.cal_zone.key
        if self.floating_zone is not None:  # floating: where the user is
            return value.replace(tzinfo=self.floating_zone), self.floating_zone.key
        if name == "DTSTART":
            self.floating_as_utc += 1
        return value.replace(tzinfo=UTC), None

    def _end(
        self, event: Any, start: datetime | date, line: int, uid: str | None
    ) -> datetime | date | None:
        end: datetime | date | None = None
        if event.get("DTEND") is not None:
            end, _ = self._moment(event["DTEND"], line, uid, "DTEND")
            if end is None:
                self._warn(line, uid, "read without an end (bad DTEND)")
                return None
            if isinstance(end, datetime) and isinstance(start, datetime):
                end = end.astimezone(start.tzinfo)
        elif event.get("DURATION") is not None:
            try:
                length = event["DURATION"].dt
            except Exception:
                length = None
            if not isinstance(length, timedelta):
                self._warn(line, uid, "read without an end (bad DURATION)")
                return None
            if isinstance(start, datetime):
                # RFC 5545 3.3.6: days are nominal (wall clock), hours and less exact.
                day_part = start + timedelta(days=length.days)
                end = day_part.astimezone(UTC) + timedelta(seconds=length.seconds)
                end = end.astimezone(start.tzinfo)
            else:
                end = start + timedelta(days=length.days)
        if end is None:
            return None
        if isinstance(end, datetime) != isinstance(start, datetime):
            self._warn(line, uid, "DTSTART and DTEND mix a date and a date-time; no end")
            return None
        if end < start:  # type: ignore[operator]
            self._warn(line, uid, "DTEND is before DTSTART; read without an end")
            return None
        return end

    def _person(self, value: Any) -> Person | None:
        if value is None:
            return None
        params = getattr(value, "params", {}) or {}
        return self._person_of(
            str(value), str(params.get("CN", "")), str(params.get("PARTSTAT", ""))
        )

    def _person_of(self, address: str, cn: str, partstat: str) -> Person | None:
        """An ORGANIZER/ATTENDEE from its address, CN and PARTSTAT: the one reading both
        the full parse and the fast read's plain lines go through."""
        address = address.strip()
        email = address[7:] if address.lower().startswith("mailto:") else address
        email = email.strip() or None
        name = cn.strip().strip('"') or None
        status = partstat.strip().upper()
        response = _RESPONSES.get(status, status.lower() or None)
        if email is None and name is None:
            return None
        return Person(email=email, name=name, is_self=self._is_self(email), response=response)

    def _is_self(self, email: str | None) -> bool:
        if not email:
            return False
        owners = set(self.self_emails)
        calname = self.cal_props.get("X-WR-CALNAME", "")
        if _EMAIL.match(calname):
            owners.add(calname.lower())
        return email.lower() in owners


_ESCAPE = re.compile(r"\\([\\;,nN])")
# What icalendar's `Contentline.parts()` unescapes in a value (`unescape_backslash`).
_TEXT_ESCAPE = re.compile(r"\\([\\,;:nN])")
_LITE_USED = frozenset(
    {"SUMMARY", "DESCRIPTION", "LOCATION", "ORGANIZER", "ATTENDEE"}
    | {"X-ALT-DESC", "X-APPLE-STRUCTURED-LOCATION"}
)
_LITE_REFUSED = frozenset({"X-ALT-DESC", "X-APPLE-STRUCTURED-LOCATION"})
_LOOSE = re.compile(r"\s[;=]|[;=]\s")  # blanks icalendar would strip around delimiters
_LITE_START = datetime(2000, 1, 3, 12, 0, tzinfo=UTC)  # any time: the rules' verdict on
# whether an event is an interview does not depend on when it is (all-day aside)


def _depth_zero_lines(unfolded: str) -> list[str] | None:
    """The VEVENT's own lines (sub-components such as VALARM left out), for the plain
    shape nearly every block has; None when `_split` could read it differently (a blank
    line, which ends a fold there; an unbalanced or nested BEGIN/END; a broken frame)."""
    if "\n\n" in unfolded or "\n\r\n" in unfolded:
        return None
    lines = unfolded.rstrip("\r\n").split("\n")
    kept = [lines[0]]
    depth = 0
    for line in lines[1:-1]:
        line = line.removesuffix("\r")
        head = line[:6].upper()
        if head.startswith("BEGIN:"):
            if line[6:].strip().upper() in ("VEVENT", "VCALENDAR"):
                return None
            depth += 1
        elif head.startswith("END:"):
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            kept.append(line)
    if depth or not lines[-1][:4].upper().startswith("END:"):
        return None
    return kept


def _text_unescape(match: re.Match[str]) -> str:
    return "\n" if match.group(1) in "nN" else match.group(1)


_RESPONSES = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needsAction",
}


def _unescape(value: str) -> str:
    """RFC 5545 TEXT unescaping (3.3.11)."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _all(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _raw(prop: Any) -> str:
    try:
        params = getattr(prop, "params", {}) or {}
        return f"{params.get('TZID', '')}:{prop.to_ical().decode('utf-8', 'replace')}"
    except Exception:
        return str(prop)


def _int(value: Any) -> int:
    try:
        return int(_text(value).strip() or 0)
    except (TypeError, ValueError):
        return 0
