"""The status database: typed tables, the migration from schema 1, a corrupt file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sync.statusdb import SCHEMA_VERSION, StatusDB
from sync.stores.records import RecordStatus

# The schema-1 file (one `meta` drawer, `managed`, `exports`, `sync_tokens`), as the
# previous version wrote it.
SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE exports (key TEXT PRIMARY KEY, uid TEXT NOT NULL, sequence INTEGER NOT NULL,
    dtstamp TEXT NOT NULL, content_hash TEXT NOT NULL, status TEXT NOT NULL,
    cancel_exported INTEGER NOT NULL DEFAULT 0, entry TEXT NOT NULL, info TEXT NOT NULL);
CREATE TABLE managed (key TEXT PRIMARY KEY, calendar_id TEXT NOT NULL, written_hash TEXT,
    status TEXT NOT NULL, seen_hash TEXT);
CREATE TABLE sync_tokens (calendar_id TEXT PRIMARY KEY, token TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE source_events (calendar_id TEXT NOT NULL, event_id TEXT NOT NULL,
    resource TEXT NOT NULL, PRIMARY KEY (calendar_id, event_id));
CREATE TABLE passes (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,
    finished TEXT, source TEXT NOT NULL, result TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}', message TEXT NOT NULL DEFAULT '');
"""


def schema_1_file(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)
    rows = {
        "schema": "1",
        "google.target_calendar": "c_follow@group.calendar.google.com",
        "account": "sam@example.com",
        "google.tz:primary": "Europe/Berlin",
        "google.had_interviews:primary": "1",
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", rows.items())
    db.execute(
        "INSERT INTO managed VALUES ('k1', 'c_follow@group.calendar.google.com', 'h1',"
        " 'active', 's1')"
    )
    db.execute("INSERT INTO sync_tokens VALUES ('primary', 'tok-1', '2026-11-30T00:00:00')")
    db.execute(
        "INSERT INTO source_events VALUES ('primary', 'ev1', ?)",
        (json.dumps({"id": "ev1", "summary": "Phone screen"}),),
    )
    db.commit()
    db.close()


def test_a_schema_1_file_is_migrated_into_typed_tables(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    schema_1_file(path)
    status = StatusDB(path)
    (row,) = status.sources()
    assert row.identity == "google:primary"
    assert row.cursor == {"sync_token": "tok-1"} and row.timezone == "Europe/Berlin"
    assert row.had_interviews
    assert status.cached_events("google:primary") == {
        "ev1": {"id": "ev1", "summary": "Phone screen"}
    }
    (record,) = status.records("google:c_follow@group.calendar.google.com").values()
    assert (record.key, record.written_hash, record.status, record.seen) == (
        "k1",
        "h1",
        RecordStatus.ACTIVE,
        "s1",
    )
    assert status.target("google") == ("c_follow@group.calendar.google.com", "sam@example.com")
    tables = {r[0] for r in status.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not {"managed", "exports", "sync_tokens"} & tables
    status.close()
    again = StatusDB(path)  # opening it again is a no-op
    assert again.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert [r.identity for r in again.sources()] == ["google:primary"]
    again.close()


def test_a_corrupt_file_is_moved_aside_and_rebuilt_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    status = StatusDB(path)
    (notice,) = status.notices
    assert str(path) in notice and "moved it to" in notice
    assert status.sources() == []
    status.close()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")


def test_a_file_from_a_newer_version_is_refused_not_moved(tmp_path: Path) -> None:
    import pytest

    from sync.errors import ConfigError

    path = tmp_path / "state.sqlite3"
    StatusDB(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='99' WHERE key='schema'")
    db.commit()
    db.close()
    with pytest.raises(ConfigError, match="newer followup"):
        StatusDB(path)
    assert path.exists()


def test_a_schema_2_file_gains_the_verdicts_table_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    status = StatusDB(path)
    status.confirm("ev1", "final", datetime(2026, 12, 1, tzinfo=UTC))
    status.db.execute("DROP TABLE verdicts")  # what schema 2 wrote
    status.db.execute("UPDATE meta SET value='2' WHERE key='schema'")
    status.close()
    again = StatusDB(path)
    assert again.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert again.confirmations() == {"ev1": "final"}
    assert again.verdicts("file:/x.ics") == {}
    again.replace_verdicts("file:/x.ics", {"k1": "{}", "k2": "[]"})
    again.replace_verdicts("file:/y.ics", {"k1": "{}"})
    again.replace_verdicts("file:/x.ics", {"k2": "[]"})
    assert again.verdicts("file:/x.ics") == {"k2": "[]"}
    again.forget_source("file:/y.ics")
    assert again.verdicts("file:/y.ics") == {}
    again.close()
