"""The fast .ics read decides exactly what the full read decides.

`read_ics(..., fast=True)` parses only the events the rules could take as interviews
(and what they need: series masters, overrides, duplicates, VTIMEZONEs). Whatever it
leaves out must not change a single decision the rules make about interviews: the same
reminders (title, text, moment, draft), the same interviews past the look-back or
superseded, the same odd events skipped with a note. Checked on every file of tests/data
(the third-party corpus included), on the labelled events written out as .ics, and on
generated exports full of recurring overrides, VTIMEZONEs and awkward forms.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.icsgen import escape, fold, google_export
from rules.errors import ParseError
from rules.model import Policy
from rules.policy import decide, start_instant
from rules.vocabulary import default_vocabulary, extend_vocabulary
from sync.ics.reader import parse_ics_bytes

from .conftest import DATA, corpus_files

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _interesting(decisions):
    """Every decision about an interview, or about an event skipped with a note."""
    return sorted(
        (
            (d.event, d.classification, d.window, d.reminder, d.note, d.past_lookback)
            for d in decisions
            if d.classification.interview or d.classification.skip_note
        ),
        key=repr,
    )


def _nows(events) -> list[datetime]:
    """A few moments that give the file's interviews reminders (and one far later)."""
    vocab = default_vocabulary()
    from rules.classify import classify

    starts = sorted(start_instant(e) for e in events if classify(e, vocab).interview)
    picks = {NOW}
    for start in starts[:: max(1, len(starts) // 3)][:4]:
        picks.add(start + timedelta(days=2))
    if starts:
        picks.add(starts[-1] + timedelta(days=60))
    return sorted(picks)


def assert_same_decisions(data: bytes, origin: str, vocab=None, self_emails=()) -> int:
    vocab = vocab or default_vocabulary()
    try:
        full = parse_ics_bytes(data, origin=origin, self_emails=self_emails)
    except ParseError as refused:
        with pytest.raises(ParseError) as caught:
            parse_ics_bytes(data, origin=origin, fast=True, vocab=vocab)
        assert str(caught.value) == str(refused)
        return 0
    fast = parse_ics_bytes(data, origin=origin, fast=True, vocab=vocab, self_emails=self_emails)
    assert (fast.name, fast.timezone) == (full.name, full.timezone)
    assert set(fast.events) <= set(full.events)  # the same objects, a subset of them
    zone = ZoneInfo(full.timezone) if full.timezone else None
    compared = 0
    for now in _nows(full.events):
        for user_tz in {zone, None, ZoneInfo("Asia/Tokyo")}:
            want = decide(full.events, now=now, user_tz=user_tz, policy=Policy(), vocab=vocab)
            got = decide(fast.events, now=now, user_tz=user_tz, policy=Policy(), vocab=vocab)
            assert got.reminders == want.reminders, (origin, now, user_tz)
            assert _interesting(got) == _interesting(want), (origin, now, user_tz)
            compared += len(want.reminders)
    return compared


def _data_files() -> list[Path]:
    return sorted({*DATA.glob("ics/*.ics"), *corpus_files()})


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: p.name)
def test_every_data_file_decides_the_same(path: Path) -> None:
    assert_same_decisions(path.read_bytes(), path.name)


def test_the_corpus_has_interviews_to_compare() -> None:
    # The comparison means something only if some files give reminders.
    total = sum(assert_same_decisions(p.read_bytes(), p.name) for p in DATA.glob("ics/*.ics"))
    assert total > 0


def _labelled_as_ics() -> bytes:
    """The labelled Google events (tests/data/labelled) written out as one .ics file."""
    items = json.loads((DATA / "labelled" / "events.json").read_text(encoding="utf-8"))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//labelled//EN"]
    for number, item in enumerate(items):
        event = item["event"]
        lines += ["BEGIN:VEVENT", f"UID:{event.get('id', number)}"]
        for key, name in (("start", "DTSTART"), ("end", "DTEND")):
            value = event.get(key) or {}
            if "date" in value:
                lines.append(f"{name};VALUE=DATE:{value['date'].replace('-', '')}")
            elif "dateTime" in value:
                moment = datetime.fromisoformat(value["dateTime"])
                lines.append(f"{name}:{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}")
        for key, name in (("summary", "SUMMARY"), ("description", "DESCRIPTION")):
            if event.get(key):
                lines.append(f"{name}:{escape(event[key])}")
        if event.get("location"):
            lines.append(f"LOCATION:{escape(event['location'])}")
        if event.get("status") == "cancelled":
            lines.append("STATUS:CANCELLED")
        organizer = event.get("organizer") or {}
        if organizer.get("email"):
            cn = f";CN={organizer['displayName']}" if organizer.get("displayName") else ""
            lines.append(f"ORGANIZER{cn}:mailto:{organizer['email']}")
        for person in event.get("attendees") or ():
            cn = f";CN={person['displayName']}" if person.get("displayName") else ""
            state = {"declined": "DECLINED", "accepted": "ACCEPTED"}.get(
                person.get("responseStatus", ""), "NEEDS-ACTION"
            )
            lines.append(f"ATTENDEE{cn};PARTSTAT={state}:mailto:{person['email']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()


def test_labelled_events_as_ics_decide_the_same() -> None:
    data = _labelled_as_ics()
    assert assert_same_decisions(data, "labelled.ics", self_emails=("sam.seeker@gmail.com",)) > 0


@pytest.mark.parametrize("seed", range(8))
def test_generated_exports_decide_the_same(seed: int) -> None:
    data = google_export(400, NOW, seed=seed, interviews=12, recurring=0.05, tricky=True)
    full = parse_ics_bytes(data, origin="gen.ics")
    fast = parse_ics_bytes(data, origin="gen.ics", fast=True)
    assert 0 < len(fast.events) < len(full.events) / 2  # it did leave most out
    assert any(e.recurring and "/" in e.id for e in fast.events)  # overrides came along
    assert assert_same_decisions(data, "gen.ics", self_emails=("user@example.com",)) > 0


def test_an_interview_override_brings_its_series_and_a_moved_meeting_stays_out() -> None:
    data = google_export(300, NOW, seed=3, interviews=5, recurring=0.2)
    full = parse_ics_bytes(data, origin="s.ics")
    fast = parse_ics_bytes(data, origin="s.ics", fast=True)
    ids = {e.id for e in fast.events}
    series = {e.id.split("/")[0] for e in full.events if e.recurring}
    with_interview = {
        e.id.split("/")[0] for e in full.events if e.recurring and "Globex" in e.summary
    }
    assert with_interview and with_interview < series
    for uid in series:
        members = {e.id for e in full.events if e.id.split("/")[0] == uid}
        if uid in with_interview or "Recruiter" in next(
            e.summary for e in full.events if e.id == uid
        ):
            assert members <= ids  # master and every override, as the full read has them
        else:
            assert not members & ids


def test_a_rules_file_word_makes_a_candidate() -> None:
    # The prefilter runs on the vocabulary the pass decides with, user words included.
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:k1\r\n"
        b"DTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        b"SUMMARY:Kaffeeklatsch mit Initech\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    vocab = extend_vocabulary(
        default_vocabulary(), '[interview.words]\n"kaffeeklatsch" = 1.0\n', origin="rules.toml"
    )
    assert parse_ics_bytes(data, origin="k.ics", fast=True).events == ()
    (event,) = parse_ics_bytes(data, origin="k.ics", fast=True, vocab=vocab).events
    assert event.id == "k1"
    assert assert_same_decisions(data, "k.ics", vocab=vocab) > 0


def test_a_rules_file_pattern_makes_a_candidate() -> None:
    # A user's pattern has no literal word the raw-text screen could look for: with
    # one in the interview words, the screen lets every event through to the rules.
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:p1\r\n"
        b"DTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        b"SUMMARY:ZZQ42 with Rita at Foobar Corp\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    vocab = extend_vocabulary(
        default_vocabulary(),
        '[interview.patterns]\nzz = { regex = "zzq\\\\d+", weight = 2.0 }\n',
        origin="rules.toml",
    )
    assert parse_ics_bytes(data, origin="p.ics", fast=True).events == ()
    (event,) = parse_ics_bytes(data, origin="p.ics", fast=True, vocab=vocab).events
    assert event.id == "p1"
    assert assert_same_decisions(data, "p.ics", vocab=vocab) > 0


def test_the_screen_reads_the_text_lines_in_every_form() -> None:
    # The raw-text screen searches only the lines the quiet check reads: a word in an
    # attendee's name lets nothing through; in the summary, a folded description, an
    # HTML twin or an Apple location it does.
    def block(uid: str, line: bytes) -> bytes:
        return (
            b"BEGIN:VEVENT\r\nUID:" + uid.encode() + b"\r\nDTSTART:20261201T150000Z\r\n"
            b"DTEND:20261201T160000Z\r\n" + line + b"\r\nEND:VEVENT\r\n"
        )

    lines = {
        "att": b"SUMMARY:Sync\r\nATTENDEE;CN=Interview Panel:mailto:panel@acme.example",
        "sum": b"SUMMARY:Interview with Initech",
        "fold": b"SUMMARY:Sync\r\nDESCRIPTION:Your phone sc\r\n reen with Initech",
        "html": b"SUMMARY:Sync\r\nX-ALT-DESC;FMTTYPE=text/html:<b>Interview</b> at Initech",
        "geo": b"SUMMARY:Sync\r\nX-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=Onsite"
        b" interview Initech:geo:1,2",
    }
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        + b"".join(block(uid, line) for uid, line in lines.items())
        + b"END:VCALENDAR\r\n"
    )
    from sync.ics import scan

    vocab = default_vocabulary()
    frame = scan.walk_frame(data, lambda *a: None, lambda *a: None)
    vevents = [b for b in frame.blocks if b.kind == "VEVENT"]
    marks = scan.LiteralScreen(vocab).mark(data, vevents)
    assert dict(zip(lines, marks, strict=True)) == {
        "att": False,
        "sum": True,
        "fold": True,
        "html": True,
        "geo": True,
    }
    assert_same_decisions(data, "t.ics")


def test_keep_ids_are_read_whatever_their_text() -> None:
    data = google_export(200, NOW, seed=1, interviews=3)
    full = parse_ics_bytes(data, origin="k.ics")
    plain = next(e for e in full.events if e.summary == "Team standup")
    fast = parse_ics_bytes(data, origin="k.ics", fast=True, keep_ids={plain.id})
    assert plain in fast.events


_TEXT = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters='\\;,:\n"<>&^'
    ),
    max_size=60,
)
_WORDS = st.sampled_from(
    ["interview", "Phone screen", "call", "prep", "mock interview", "#followup:phone", "", "tea"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    summary=st.tuples(_TEXT, _WORDS, _TEXT).map("".join),
    description=st.tuples(_TEXT, _WORDS, _TEXT).map("".join),
    location=_TEXT,
    name=st.text(st.characters(codec="ascii", categories=("L", "Zs")), max_size=12),
    declined=st.booleans(),
    width=st.integers(min_value=20, max_value=75),
)
def test_any_text_decides_the_same(summary, description, location, name, declined, width):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//t//t//EN",
        "X-WR-CALNAME:me@example.com",
        "BEGIN:VEVENT",
        "UID:h1",
        "DTSTART:20261130T150000Z",
        "DTEND:20261130T160000Z",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        f"LOCATION:{escape(location)}",
        f"ORGANIZER;CN={name}:mailto:hr@initech.com" if name.strip() else "",
        f"ATTENDEE;PARTSTAT={'DECLINED' if declined else 'ACCEPTED'}:mailto:me@example.com",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    text = "\r\n".join(fold(line, width) for line in lines if line) + "\r\n"
    assert_same_decisions(text.encode(), "h.ics")
