"""Per-reminder files are accepted, as written, by a real CalDAV server (Radicale)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import vobject

from sync.ics.writer import event_file_name, write_export

from .conftest import CalDav
from .test_writer import ENTRIES, make_entry

pytestmark = pytest.mark.slow

VARIED = [
    *ENTRIES,  # Zurich, São Paulo, UTC + CANCELLED, Kolkata with PT0M
    make_entry(5, zone="Australia/Lord_Howe", summary="Nachfassen: Müller & Söhne, 東京"),
    make_entry(
        6,
        zone="America/New_York",
        start=datetime(2027, 3, 14, 9, 30, tzinfo=UTC),  # the DST change day
        end=datetime(2027, 3, 14, 9, 45, tzinfo=UTC),
        description="a" * 500,
    ),
]


def test_every_per_reminder_file_is_accepted_and_served(caldav: CalDav, tmp_path: Path) -> None:
    write_export(tmp_path, VARIED)
    collection = caldav.calendar_url("followups")
    for entry in VARIED:
        name = event_file_name(entry.uid)
        body = (tmp_path / name).read_bytes()
        put = requests.put(
            collection + name,
            data=body,
            auth=caldav.auth,
            headers={"Content-Type": "text/calendar; charset=utf-8"},
            timeout=10,
        )
        assert put.status_code in (201, 204), (name, put.status_code, put.text)
        got = requests.get(collection + name, auth=caldav.auth, timeout=10)
        assert got.status_code == 200
        served = vobject.readOne(got.content.decode("utf-8")).vevent
        assert served.uid.value == entry.uid
        assert served.summary.value == entry.summary
        assert served.dtstart.value == entry.start
        assert served.status.value == entry.status


def test_an_update_with_a_higher_sequence_replaces_the_event(
    caldav: CalDav, tmp_path: Path
) -> None:
    collection = caldav.calendar_url("updates")
    first = make_entry(8)
    moved = make_entry(
        8,
        sequence=first.sequence + 1,
        start=first.start + timedelta(days=1),
        end=first.end + timedelta(days=1),
    )
    name = event_file_name(first.uid)
    for entry in (first, moved):
        write_export(tmp_path, [entry])
        put = requests.put(
            collection + name,
            data=(tmp_path / name).read_bytes(),
            auth=caldav.auth,
            timeout=10,
            headers={"Content-Type": "text/calendar; charset=utf-8"},
        )
        assert put.status_code in (201, 204), put.text
    served = vobject.readOne(
        requests.get(collection + name, auth=caldav.auth, timeout=10).content.decode()
    ).vevent
    assert served.dtstart.value == moved.start
    assert int(served.sequence.value) == moved.sequence
