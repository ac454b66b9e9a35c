"""The event cache's codec: an exact round trip, and a fingerprint that sees any edit."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.model import Person, SourceEvent
from sync.eventcodec import event_from_json, event_to_json, fingerprint

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]

_text = st.text(max_size=30)
_opt = st.none() | _text
# hypothesis takes naive bounds and gives naive walls; each strategy below adds a zone.
_wall = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2060, 1, 1),  # noqa: DTZ001
)
_zoned = st.builds(
    lambda wall, key, fold: wall.replace(tzinfo=ZoneInfo(key), fold=fold),
    _wall,
    st.sampled_from(ZONES),
    st.integers(0, 1),
)
_fixed = st.builds(
    lambda wall, minutes, name: wall.replace(
        tzinfo=timezone(timedelta(minutes=minutes), name)
        if name
        else timezone(timedelta(minutes=minutes))
    ),
    _wall,
    st.integers(-14 * 60 + 1, 14 * 60 - 1),
    st.none() | st.sampled_from(["Office", "UTC+05:30"]),
)
_utc = st.builds(lambda wall: wall.replace(tzinfo=UTC), _wall)
_moment = _zoned | _fixed | _utc
_people = st.builds(
    Person,
    email=_opt,
    name=_opt,
    is_self=st.booleans(),
    response=st.none() | st.sampled_from(["accepted", "declined", "tentative", "needsAction"]),
    resource=st.booleans(),
)


@st.composite
def events(draw) -> SourceEvent:
    if draw(st.booleans()):
        start = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)))
        end = draw(st.none() | st.just(start + timedelta(days=draw(st.integers(1, 3)))))
    else:
        start = draw(_moment)
        end = draw(st.none() | _moment)
    return SourceEvent(
        id=draw(st.text(min_size=1, max_size=40)),
        calendar_id=draw(st.text(min_size=1, max_size=20)),
        summary=draw(_text),
        start=start,
        end=end,
        timezone=draw(st.none() | st.sampled_from(ZONES)),
        description=draw(st.text(max_size=200)),
        location=draw(_text),
        status=draw(st.sampled_from(["confirmed", "tentative", "cancelled"])),
        event_type=draw(st.sampled_from(["default", "outOfOffice"])),
        organizer=draw(st.none() | _people),
        attendees=tuple(draw(st.lists(_people, max_size=4))),
        link=draw(_opt),
        recurring=draw(st.booleans()),
        managed=draw(st.booleans()),
        origin=draw(_opt),
        conference=draw(_opt),
    )


def _same_moment(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, datetime):
        # == compares instants only: the wall clock, the zone and the fold must survive too
        assert a.replace(tzinfo=None) == b.replace(tzinfo=None)
        assert a.utcoffset() == b.utcoffset() and a.fold == b.fold
        assert type(a.tzinfo) is type(b.tzinfo)
        assert getattr(a.tzinfo, "key", None) == getattr(b.tzinfo, "key", None)
        assert a.tzname() == b.tzname()
        assert (a.tzinfo is UTC) == (b.tzinfo is UTC)


@settings(max_examples=300, deadline=None)
@given(events())
def test_round_trip_is_exact(event: SourceEvent) -> None:
    stored = json.loads(json.dumps(event_to_json(event)))  # through real JSON text
    back = event_from_json(stored)
    assert back == event
    _same_moment(back.start, event.start)
    _same_moment(back.end, event.end)
    assert event_to_json(back) == stored


def test_refuses_another_format_and_naive_times() -> None:
    event = SourceEvent(id="a", calendar_id="c", summary="s", start=date(2026, 12, 3))
    stored = event_to_json(event)
    with pytest.raises(ValueError, match="cache format"):
        event_from_json({**stored, "v": 99})
    naive = SourceEvent(id="a", calendar_id="c", summary="s", start=datetime(2026, 12, 3, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        event_to_json(naive)


def test_fingerprint_sees_an_edit_that_keeps_size_and_mtime(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nX:aaaa\r\nEND:VCALENDAR\r\n")
    first = fingerprint(path)
    assert fingerprint(path) == first
    stat = path.stat()
    path.write_bytes(b"BEGIN:VCALENDAR\r\nX:bbbb\r\nEND:VCALENDAR\r\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = fingerprint(path)
    assert second.split(":")[:2] == first.split(":")[:2]  # size and mtime unchanged
    assert second != first
    with pytest.raises(OSError):
        fingerprint(tmp_path / "missing.ics")


def test_every_event_the_ics_reader_gives_round_trips() -> None:
    from sync.ics.reader import read_ics
    from tests.ics.conftest import DATA, corpus_files

    count = 0
    for path in sorted({*DATA.glob("ics/*.ics"), *corpus_files()}):
        if path.name == "issue_104_broken_calendar.ics":
            continue  # refused as a whole (tests/ics/test_reader.py)
        for event in read_ics(path).events:
            back = event_from_json(json.loads(json.dumps(event_to_json(event))))
            assert back == event
            _same_moment(back.start, event.start)
            _same_moment(back.end, event.end)
            count += 1
    assert count > 20


def test_candidates_key_changes_with_the_vocabulary_and_the_user() -> None:
    from rules.vocabulary import default_vocabulary, extend_vocabulary
    from sync.eventcodec import candidates_key
    from sync.ruleset import RuleSet

    base = RuleSet.of(default_vocabulary())
    key = candidates_key(base, ["Me@Example.com"])
    assert key == candidates_key(RuleSet.of(default_vocabulary()), ["me@example.com "])
    more = extend_vocabulary(
        default_vocabulary(), '[interview.words]\n"kaffeeklatsch" = 1.0\n', origin="r"
    )
    assert candidates_key(RuleSet.of(more), ["me@example.com"]) != key
    assert candidates_key(base, ["other@example.com"]) != key
