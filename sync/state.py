"""State in one SQLite file in the user's data directory.

What lives here: the .ics export record of every reminder (so UIDs, SEQUENCE and
DTSTAMP survive between runs and an unchanged run is byte-identical), the Google
reminders the tool wrote (with the content hash it wrote), sync tokens and the cached
interview-candidate events per source calendar, and a history of passes.

Nothing here is precious: Google reminders carry markers that rebuild the record, and
a lost export record costs one rewrite of the .ics files with the same UIDs. Every
write happens in a transaction, so a crash leaves the previous consistent state.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rules.errors import Problem
from sync.errors import ConfigError
from sync.fileio import private_dir

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exports (
    key TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    dtstamp TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,               -- CONFIRMED | CANCELLED
    cancel_exported INTEGER NOT NULL DEFAULT 0,
    entry TEXT NOT NULL,                -- JSON: what was exported (see sync.export)
    info TEXT NOT NULL                  -- JSON: interview facts for `followup list`
);
CREATE TABLE IF NOT EXISTS managed (
    key TEXT PRIMARY KEY,
    calendar_id TEXT NOT NULL,          -- target calendar
    written_hash TEXT,                  -- hash of the reminder the tool sent
    status TEXT NOT NULL,               -- active | withdrawn | user_deleted
    seen_hash TEXT                      -- hash of the event as Google answered the write
);
CREATE TABLE IF NOT EXISTS sync_tokens (
    calendar_id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source_events (
    calendar_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    resource TEXT NOT NULL,             -- JSON, as the API returned it
    PRIMARY KEY (calendar_id, event_id)
);
CREATE TABLE IF NOT EXISTS passes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    source TEXT NOT NULL,
    result TEXT NOT NULL,               -- running | ok | failed | tempfail | auth
    counts TEXT NOT NULL DEFAULT '{}',
    message TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class ExportRecord:
    key: str
    uid: str
    sequence: int
    dtstamp: datetime
    content_hash: str
    status: str
    cancel_exported: bool
    entry: dict[str, Any]
    info: dict[str, Any]


@dataclass(frozen=True)
class ManagedRecord:
    """A reminder the tool wrote into a Google calendar."""

    calendar_id: str
    written_hash: str | None
    status: str  # active | withdrawn | user_deleted
    # Google may store what it is sent slightly differently (whitespace, formats); the
    # hash of its answer to our write tells such reformatting apart from a user's edit.
    seen_hash: str | None = None


@dataclass(frozen=True)
class PassRecord:
    id: int
    started: datetime
    finished: datetime | None
    source: str
    result: str
    counts: dict[str, int]
    message: str


class State:
    """A thin typed wrapper over the SQLite file. One instance per process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        private_dir(path.parent)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            os.chmod(path, 0o600)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                "the state file cannot be used",
                [Problem(str(exc), file=str(path))],
                next_step="move it aside; the next sync rebuilds it without duplicates",
            ) from exc

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"written by a newer followup (schema {row[0]} > {SCHEMA_VERSION})"
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- key/value -------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.db.execute(
                "INSERT INTO meta VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    # -- .ics export records ---------------------------------------------------------

    def exports(self) -> dict[str, ExportRecord]:
        rows = self.db.execute(
            "SELECT key, uid, sequence, dtstamp, content_hash, status, cancel_exported,"
            " entry, info FROM exports"
        )
        return {
            row[0]: ExportRecord(
                key=row[0],
                uid=row[1],
                sequence=row[2],
                dtstamp=datetime.fromisoformat(row[3]),
                content_hash=row[4],
                status=row[5],
                cancel_exported=bool(row[6]),
                entry=json.loads(row[7]),
                info=json.loads(row[8]),
            )
            for row in rows
        }

    def save_export(self, record: ExportRecord) -> None:
        self.db.execute(
            "INSERT INTO exports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " uid=excluded.uid, sequence=excluded.sequence, dtstamp=excluded.dtstamp,"
            " content_hash=excluded.content_hash, status=excluded.status,"
            " cancel_exported=excluded.cancel_exported, entry=excluded.entry, info=excluded.info",
            (
                record.key,
                record.uid,
                record.sequence,
                record.dtstamp.isoformat(),
                record.content_hash,
                record.status,
                int(record.cancel_exported),
                json.dumps(record.entry, sort_keys=True),
                json.dumps(record.info, sort_keys=True),
            ),
        )

    def drop_export(self, key: str) -> None:
        self.db.execute("DELETE FROM exports WHERE key=?", (key,))

    # -- Google: reminders the tool wrote --------------------------------------------

    def managed(self) -> dict[str, ManagedRecord]:
        rows = self.db.execute(
            "SELECT key, calendar_id, written_hash, status, seen_hash FROM managed"
        )
        return {row[0]: ManagedRecord(row[1], row[2], row[3], row[4]) for row in rows}

    def save_managed(
        self,
        key: str,
        calendar_id: str,
        written_hash: str | None,
        status: str,
        seen_hash: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO managed VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " calendar_id=excluded.calendar_id, written_hash=excluded.written_hash,"
            " status=excluded.status, seen_hash=excluded.seen_hash",
            (key, calendar_id, written_hash, status, seen_hash),
        )

    def forget_managed(self, calendar_id: str | None = None) -> None:
        if calendar_id is None:
            self.db.execute("DELETE FROM managed")
        else:
            self.db.execute("DELETE FROM managed WHERE calendar_id=?", (calendar_id,))

    # -- Google: sync tokens and cached source events --------------------------------

    def sync_token(self, calendar_id: str) -> str | None:
        row = self.db.execute(
            "SELECT token FROM sync_tokens WHERE calendar_id=?", (calendar_id,)
        ).fetchone()
        return row[0] if row else None

    def save_sync_token(self, calendar_id: str, token: str | None) -> None:
        if token is None:
            self.db.execute("DELETE FROM sync_tokens WHERE calendar_id=?", (calendar_id,))
            return
        self.db.execute(
            "INSERT INTO sync_tokens VALUES (?, ?, ?) ON CONFLICT(calendar_id) DO UPDATE SET"
            " token=excluded.token, updated_at=excluded.updated_at",
            (calendar_id, token, _utcnow().isoformat()),
        )

    def cached_events(self, calendar_id: str) -> dict[str, dict[str, Any]]:
        rows = self.db.execute(
            "SELECT event_id, resource FROM source_events WHERE calendar_id=?", (calendar_id,)
        )
        return {row[0]: json.loads(row[1]) for row in rows}

    def cached_calendars(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT calendar_id FROM source_events ORDER BY 1")
        return [row[0] for row in rows]

    def cache_event(self, calendar_id: str, event_id: str, resource: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO source_events VALUES (?, ?, ?) ON CONFLICT(calendar_id, event_id)"
            " DO UPDATE SET resource=excluded.resource",
            (calendar_id, event_id, json.dumps(resource, sort_keys=True)),
        )

    def uncache_event(self, calendar_id: str, event_id: str) -> None:
        self.db.execute(
            "DELETE FROM source_events WHERE calendar_id=? AND event_id=?", (calendar_id, event_id)
        )

    def clear_cache(self, calendar_id: str) -> None:
        self.db.execute("DELETE FROM source_events WHERE calendar_id=?", (calendar_id,))

    # -- history ---------------------------------------------------------------------

    def start_pass(self, source: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO passes (started, source, result) VALUES (?, ?, 'running')",
            (_utcnow().isoformat(), source),
        )
        return int(cursor.lastrowid or 0)

    def finish_pass(
        self, pass_id: int, result: str, counts: dict[str, int] | None = None, message: str = ""
    ) -> None:
        self.db.execute(
            "UPDATE passes SET finished=?, result=?, counts=?, message=? WHERE id=?",
            (_utcnow().isoformat(), result, json.dumps(counts or {}), message, pass_id),
        )
        # Keep the history short: it is for `followup status`, not an audit log.
        self.db.execute("DELETE FROM passes WHERE id <= ?", (pass_id - 500,))

    def passes(self, limit: int = 20) -> list[PassRecord]:
        rows = self.db.execute(
            "SELECT id, started, finished, source, result, counts, message FROM passes"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            PassRecord(
                id=row[0],
                started=datetime.fromisoformat(row[1]),
                finished=datetime.fromisoformat(row[2]) if row[2] else None,
                source=row[3],
                result=row[4],
                counts=json.loads(row[5]),
                message=row[6],
            )
            for row in rows
        ]


def _utcnow() -> datetime:
    return datetime.now(UTC)
