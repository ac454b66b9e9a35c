"""`sync.sources.coverage`: the days a calendar file covers, and what is carried."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rules.model import SourceEvent
from sync.eventcodec import event_to_json
from sync.sources.coverage import carried, covered_days

ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


def _cal(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{ZONE}{body}END:VCALENDAR\r\n".encode()


def test_the_days_are_those_of_single_events_and_moved_instances() -> None:
    data = _cal(
        "UID:a\r\nDTSTART;TZID=Europe/Berlin:20261207T100000\r\n",
        # A folded DTSTART, and an all-day event.
        "UID:b\r\nDTSTART;TZID=\r\n Europe/Berlin:20261214T100000\r\n",
        "UID:c\r\nDTSTART;VALUE=DATE:20261209\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n",
        # A series from 2019 says nothing about the range the export covers.
        "UID:d\r\nDTSTART:20190107T090000Z\r\nRRULE:FREQ=WEEKLY\r\n",
        "UID:d\r\nRECURRENCE-ID:20261208T090000Z\r\nDTSTART:20261208T100000Z\r\n",
    )
    assert covered_days(data) == (date(2026, 12, 7), date(2026, 12, 14))


def test_a_file_without_single_events_covers_nothing() -> None:
    assert covered_days(_cal("UID:d\r\nDTSTART:20190107T090000Z\r\nRRULE:FREQ=DAILY\r\n")) is None
    assert covered_days(_cal()) is None
    assert covered_days(_cal("UID:x\r\nDTSTART:20261399T000000Z\r\n")) is None  # no such day


def _event(uid: str, day: int) -> SourceEvent:
    return SourceEvent(
        id=uid,
        calendar_id="ics",
        summary=f"Phone screen {uid}",
        start=datetime(2026, 12, day, 15, tzinfo=UTC),
    )


def test_only_events_gone_from_outside_the_covered_days_are_carried() -> None:
    data = _cal(
        "UID:now\r\nDTSTART:20261208T150000Z\r\n", "UID:later\r\nDTSTART:20261220T150000Z\r\n"
    )
    cached = {e.id: event_to_json(e) for e in (_event("past", 1), _event("mid", 10))}
    cached["now"] = event_to_json(_event("now", 8))
    asked: list[int] = []

    def read() -> bytes:
        asked.append(1)
        return data

    kept, line = carried(cached, [_event("now", 8), _event("later", 20)], read)
    assert [e.id for e in kept] == ["past"]  # "mid" lies inside: deleted by the user
    assert line is not None and "Dec 8 – Dec 20, 2026" in line
    # Nothing gone: the file is not read again.
    assert carried({"now": cached["now"]}, [_event("now", 8)], read) == ([], None)
    assert asked == [1]
    # Nothing left of what was kept: another calendar, or a bad export.
    assert carried({"past": cached["past"]}, [_event("later", 20)], read) == ([], None)
    assert asked == [1]
