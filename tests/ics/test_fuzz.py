"""Mutated real exports: the reader answers with events or a ParseError, nothing else."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.errors import ParseError
from sync.ics.reader import IcsSource, parse_ics_bytes

from .conftest import OWN, corpus_files

# Small files only: the point is odd bytes, not big ones.
SEEDS = [
    p.read_bytes()
    for p in [*corpus_files(), *sorted(OWN.glob("*.ics"))]
    if p.stat().st_size < 20_000
]
GARBAGE = st.sampled_from(
    [
        b"X",
        b"BEGIN:VEVENT",
        b"END:VEVENT",
        b"END:VCALENDAR",
        b"BEGIN:VCALENDAR",
        b"BEGIN:VALARM",
        b"END:VTIMEZONE",
        b"DTSTART:2026",
        b"DTSTART;TZID=:20261301T250000",
        b"DTEND;VALUE=DATE:20260230",
        b"DURATION:-P1W",
        b"UID:",
        b"RECURRENCE-ID:garbage",
        b"ATTENDEE;PARTSTAT=DECLINED:",
        b"DESCRIPTION:<a href=",
        b";;;:",
        b" folded",
        b"\t",
        b"\xff\xfe",
        b"\x00",
        b"\xc3",
        b"\xef\xbb\xbf",
        b"TZID:\xe2\x80\x94",
        b'DTSTART;TZID="/a/b":20260101T000000',
        b"X-WR-TIMEZONE:Not/AZone",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    lines = re.split(rb"(?<=\n)", data)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "flip", "truncate", "garbage", "endings"]
            )
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            line = bytearray(lines[i])
            line[k] ^= draw(st.integers(1, 255))
            lines[i] = bytes(line)
        elif op == "truncate":
            joined = b"".join(lines)
            cut = draw(st.integers(0, len(joined)))
            lines = re.split(rb"(?<=\n)", joined[:cut])
        elif op == "garbage":
            lines.insert(i, draw(GARBAGE) + draw(st.sampled_from([b"\r\n", b"\n", b""])))
        elif op == "endings":
            new = draw(st.sampled_from([b"\n", b"\r", b"\r\n", b"\n\r", b""]))
            lines = [re.sub(rb"\r?\n$", new, line) for line in lines]
    return b"".join(lines)


# A message for people never names a Python exception type ("KeyError: 'DTSTART'").
INTERNAL = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback")


def assert_for_people(text: str) -> None:
    assert not INTERNAL.search(text), text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_exports_give_events_or_parse_error(data: bytes) -> None:
    try:
        source = parse_ics_bytes(data, origin="fuzz.ics")
    except ParseError as exc:
        assert exc.problems and exc.problems[0].file == "fuzz.ics"
        # The reader's last-resort net turns a bug into "unexpected ...": not good enough.
        assert not exc.problems[0].message.startswith("unexpected"), exc.__cause__
        assert_for_people(str(exc))
        return
    assert isinstance(source, IcsSource)
    for warning in source.warnings:
        assert_for_people(warning)
    for event in source.events:
        assert event.origin and event.origin.startswith("fuzz.ics line ")
        if hasattr(event.start, "tzinfo"):
            assert event.start.utcoffset() is not None


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_events_or_parse_error(data: bytes) -> None:
    try:
        source = parse_ics_bytes(b"BEGIN:VCALENDAR\r\n" + data, origin="fuzz.ics")
    except ParseError as exc:
        assert not exc.problems[0].message.startswith("unexpected"), exc.__cause__
        assert_for_people(str(exc))
        return
    for warning in source.warnings:
        assert_for_people(warning)


def test_the_internal_type_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_for_people("skipped event: KeyError: 'DTSTART'")
