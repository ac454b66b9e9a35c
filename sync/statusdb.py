"""The status database: one SQLite file, typed and versioned tables, nothing untyped.

What lives here (vdirsyncer's "status", one for every source and store of a pass):

- `sources`: each source (a Google calendar, a file, a feed, a CalDAV calendar) by its
  identity, with its cursor (sync token, file fingerprint, ETag), its zone, and whether
  it had interviews (the mass-withdrawal guard's memory);
- `source_events`: the interview candidates a source cached, so an unchanged source is
  not read again;
- `verdicts` (schema 3): the rules' verdicts on those candidates, each under a key of all
  it was worked out from (`sync.verdicts`), so an unchanged source is not classified
  again either;
- `targets`: where each kind of store writes (the follow-ups calendar's id, ...);
- `records`: what each store holds, by target and reminder key: the hash the tool wrote,
  SEQUENCE, who removed it, the source it follows (`sync.stores.records.WriteRecord`);
- `confirmations`: the user's answers to `followup confirm`; `unsure`: the events the
  rules were unsure about, each announced once when first seen;
- `passes`: a short history for `followup status`.

Nothing here is precious. Every store carries markers (Google's private extended
properties, X-FOLLOWUP-* properties in .ics and CalDAV resources) that rebuild its
records; a lost or corrupt file costs one fuller pass, never a duplicate. A corrupt file
is moved aside and rebuilt, with one line telling the user. Every write happens in a
transaction, so a crash leaves the previous consistent state.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rules.errors import Problem
from rules.placement import Placement
from sync.errors import ConfigError
from sync.fileio import private_dir
from sync.stores.records import RecordStatus, WriteRecord

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    identity TEXT PRIMARY KEY,          -- google:primary, file:/abs/cal.ics, feed:URL, caldav:...
    label TEXT NOT NULL DEFAULT '',
    cursor TEXT,                        -- JSON: sync token, fingerprint, ETag ...
    timezone TEXT,                      -- the calendar's zone, when it tells one
    had_interviews INTEGER NOT NULL DEFAULT 0,
    read_at TEXT
);
CREATE TABLE IF NOT EXISTS source_events (
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    payload TEXT NOT NULL,              -- JSON, in the source's own form
    PRIMARY KEY (source, event_id)
);
CREATE TABLE IF NOT EXISTS verdicts (    -- the rules' verdicts of a source's events (schema 3)
    source TEXT NOT NULL,
    key TEXT NOT NULL,                  -- RuleSet.key(event, answer): see sync.verdicts
    verdict TEXT NOT NULL,              -- JSON, sync.verdicts.verdict_to_json
    PRIMARY KEY (source, key)
);
CREATE TABLE IF NOT EXISTS targets (
    kind TEXT PRIMARY KEY,              -- google | caldav
    ref TEXT NOT NULL,                  -- the calendar id / URL reminders go to
    account TEXT NOT NULL DEFAULT ''    -- the account's name, for `followup status`
);
CREATE TABLE IF NOT EXISTS records (
    target TEXT NOT NULL,               -- ics:/abs/dir, google:<calendar id>, caldav:<url>
    key TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,               -- active | withdrawn | user_deleted
    written_hash TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    seen TEXT,
    window_end TEXT,
    withdrawn_at TEXT,
    extra TEXT NOT NULL DEFAULT '{}',   -- JSON object of strings, the store's own
    PRIMARY KEY (target, key)
);
CREATE TABLE IF NOT EXISTS confirmations (
    event_id TEXT PRIMARY KEY,
    answer TEXT NOT NULL,               -- phone | final | skip
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unsure (      -- events the rules were unsure about, per source
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    label TEXT NOT NULL,                -- how messages name the event
    guess TEXT,                         -- the rules' best guess: phone | final
    start TEXT NOT NULL,
    first_seen TEXT NOT NULL,           -- announced once, when first seen
    PRIMARY KEY (source, event_id)
);
CREATE TABLE IF NOT EXISTS placements (    -- the moment each reminder was given (late ones)
    key TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    remind_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    source TEXT NOT NULL,
    result TEXT NOT NULL,               -- running | ok | failed | tempfail | auth | config
    counts TEXT NOT NULL DEFAULT '{}',
    message TEXT NOT NULL DEFAULT '',
    skipped TEXT NOT NULL DEFAULT '[]'  -- JSON list: events skipped, with the reason
);
"""


@dataclass(frozen=True)
class SourceRow:
    identity: str
    label: str = ""
    cursor: dict[str, Any] | None = None
    timezone: str | None = None
    had_interviews: bool = False
    read_at: datetime | None = None


@dataclass(frozen=True)
class PassRecord:
    id: int
    started: datetime
    finished: datetime | None
    source: str
    result: str
    counts: dict[str, int]
    message: str
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnsureRow:
    source: str
    event_id: str
    label: str
    guess: str | None
    start: str
    first_seen: str


@dataclass
class CacheUpdate:
    """Changes to a source's cached events: replace all (`full`) or merge."""

    full: bool = False
    put: dict[str, dict[str, Any]] = field(default_factory=dict)
    delete: set[str] = field(default_factory=set)


class StatusDB:
    """The typed status database. One instance per process; `notices` says what the
    user must hear about the file itself (a corrupt one moved aside, a migration)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notices: list[str] = []
        private_dir(path.parent)
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if "newer followup" in str(exc):
                raise ConfigError(
                    "the status file was written by a newer followup",
                    [Problem(str(exc), file=str(path))],
                    next_step="upgrade interview-followup (pip install -U interview-followup)",
                ) from exc
            self._move_aside(exc)

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            os.chmod(self.path, 0o600)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            version = self._version()
            if version == 1:
                self._migrate_from_1()
            self.db.executescript(SCHEMA)
            if version is None or version < SCHEMA_VERSION:
                self._set_version()  # 2 -> 3 only adds the `verdicts` table
            elif version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"written by a newer followup (schema {version} > {SCHEMA_VERSION})"
                )
        except BaseException:
            self.db.close()
            raise

    def _move_aside(self, exc: Exception) -> None:
        """A corrupt file is not the user's problem: keep it for a bug report, start
        afresh; every store's markers rebuild what it holds."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                os.replace(part, Path(str(aside) + suffix))
        try:
            self._open()
        except sqlite3.DatabaseError as again:
            raise ConfigError(
                "the status file cannot be used",
                [Problem(str(again), file=str(self.path))],
                next_step="check that the data folder is writable",
            ) from again
        self.notices.append(
            f"the status file {self.path} could not be read ({exc}); moved it to "
            f"{aside.name}; the next sync rebuilds it from the reminders' markers"
        )

    def _version(self) -> int | None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return int(row[0]) if row else None

    def _set_version(self) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET"
            " value=excluded.value",
            (str(SCHEMA_VERSION),),
        )

    def _migrate_from_1(self) -> None:
        """Schema 1 (one `meta` drawer, `managed`, `exports`, `sync_tokens`) -> typed
        tables. Google records and caches carry over; the .ics export records do not
        (the export folder's own files rebuild them, with SEQUENCE derived from time)."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            db.execute("ALTER TABLE passes RENAME TO passes_v1")
            db.execute("ALTER TABLE source_events RENAME TO source_events_v1")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            for key, calendar_id, written, status, seen in db.execute(
                "SELECT key, calendar_id, written_hash, status, seen_hash FROM managed"
            ).fetchall():
                db.execute(
                    "INSERT OR REPLACE INTO records (target, key, source, status, written_hash,"
                    " seen) VALUES (?, ?, '', ?, ?, ?)",
                    (f"google:{calendar_id}", key, status, written, seen),
                )
            for calendar_id, token in db.execute(
                "SELECT calendar_id, token FROM sync_tokens"
            ).fetchall():
                identity = f"google:{calendar_id}"
                db.execute(
                    "INSERT OR REPLACE INTO sources (identity, cursor, timezone, had_interviews)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        identity,
                        json.dumps({"sync_token": token}),
                        meta.get(f"google.tz:{calendar_id}"),
                        int(meta.get(f"google.had_interviews:{calendar_id}") == "1"),
                    ),
                )
            db.execute(
                "INSERT OR REPLACE INTO source_events SELECT 'google:' || calendar_id,"
                " event_id, resource FROM source_events_v1"
            )
            if meta.get("google.target_calendar"):
                db.execute(
                    "INSERT OR REPLACE INTO targets VALUES ('google', ?, ?)",
                    (meta["google.target_calendar"], meta.get("account", "")),
                )
            for old in ("managed", "exports", "sync_tokens", "passes_v1", "source_events_v1"):
                db.execute(f"DROP TABLE IF EXISTS {old}")  # noqa: S608 -- fixed names
            db.execute("DELETE FROM meta")
            self._set_version()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

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

    # -- sources ---------------------------------------------------------------------

    def source(self, identity: str) -> SourceRow | None:
        row = self.db.execute(
            "SELECT identity, label, cursor, timezone, had_interviews, read_at FROM sources"
            " WHERE identity=?",
            (identity,),
        ).fetchone()
        return _source_row(row) if row else None

    def sources(self) -> list[SourceRow]:
        rows = self.db.execute(
            "SELECT identity, label, cursor, timezone, had_interviews, read_at FROM sources"
            " ORDER BY identity"
        )
        return [_source_row(row) for row in rows]

    def save_source(self, row: SourceRow) -> None:
        self.db.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(identity) DO UPDATE SET"
            " label=excluded.label, cursor=excluded.cursor, timezone=excluded.timezone,"
            " had_interviews=excluded.had_interviews, read_at=excluded.read_at",
            (
                row.identity,
                row.label,
                json.dumps(row.cursor, sort_keys=True) if row.cursor is not None else None,
                row.timezone,
                int(row.had_interviews),
                row.read_at.isoformat() if row.read_at else None,
            ),
        )

    def forget_source(self, identity: str) -> None:
        self.db.execute("DELETE FROM sources WHERE identity=?", (identity,))
        self.db.execute("DELETE FROM source_events WHERE source=?", (identity,))
        self.db.execute("DELETE FROM verdicts WHERE source=?", (identity,))

    def verdicts(self, source: str) -> dict[str, str]:
        """The verdicts kept for a source: key to JSON text (`sync.verdicts`)."""
        rows = self.db.execute("SELECT key, verdict FROM verdicts WHERE source=?", (source,))
        return dict(rows.fetchall())

    def replace_verdicts(self, source: str, verdicts: Mapping[str, str]) -> None:
        self.db.execute("DELETE FROM verdicts WHERE source=?", (source,))
        self.db.executemany(
            "INSERT INTO verdicts VALUES (?, ?, ?)",
            [(source, key, text) for key, text in verdicts.items()],
        )

    def cached_events(self, source: str) -> dict[str, dict[str, Any]]:
        rows = self.db.execute(
            "SELECT event_id, payload FROM source_events WHERE source=?", (source,)
        )
        return {row[0]: json.loads(row[1]) for row in rows}

    def cached_sources(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT source FROM source_events ORDER BY 1")
        return [row[0] for row in rows]

    def update_cache(self, source: str, update: CacheUpdate) -> None:
        if update.full:
            self.db.execute("DELETE FROM source_events WHERE source=?", (source,))
        for event_id in update.delete:
            self.db.execute(
                "DELETE FROM source_events WHERE source=? AND event_id=?", (source, event_id)
            )
        self.db.executemany(
            "INSERT INTO source_events VALUES (?, ?, ?) ON CONFLICT(source, event_id)"
            " DO UPDATE SET payload=excluded.payload",
            [
                (source, event_id, json.dumps(payload, sort_keys=True))
                for event_id, payload in update.put.items()
            ],
        )

    # -- targets ---------------------------------------------------------------------

    def target(self, kind: str) -> tuple[str, str] | None:
        """(ref, account) of the target of one kind of store, if known."""
        row = self.db.execute("SELECT ref, account FROM targets WHERE kind=?", (kind,)).fetchone()
        return (row[0], row[1]) if row else None

    def save_target(self, kind: str, ref: str | None, account: str = "") -> None:
        if ref is None:
            self.db.execute("DELETE FROM targets WHERE kind=?", (kind,))
            return
        self.db.execute(
            "INSERT INTO targets VALUES (?, ?, ?) ON CONFLICT(kind) DO UPDATE SET"
            " ref=excluded.ref, account=excluded.account",
            (kind, ref, account),
        )

    # -- records ---------------------------------------------------------------------

    def book(self, target: str) -> TargetBook:
        return TargetBook(self, target)

    def records(self, target: str) -> dict[str, WriteRecord]:
        rows = self.db.execute(
            "SELECT key, source, status, written_hash, sequence, seen, window_end,"
            " withdrawn_at, extra FROM records WHERE target=?",
            (target,),
        )
        return {
            row[0]: WriteRecord(
                key=row[0],
                source=row[1],
                status=RecordStatus(row[2]),
                written_hash=row[3],
                sequence=row[4],
                seen=row[5],
                window_end=row[6],
                withdrawn_at=row[7],
                extra=json.loads(row[8]),
            )
            for row in rows
        }

    def export_records(self) -> dict[str, WriteRecord]:
        """The records of every .ics export folder, one per key (what `list` shows)."""
        out: dict[str, WriteRecord] = {}
        for target in self.record_targets():
            if target.startswith("ics:"):
                for key, record in self.records(target).items():
                    if key not in out or record.status is RecordStatus.ACTIVE:
                        out[key] = record
        return out

    def record_targets(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT target FROM records ORDER BY 1")]

    def save_record(self, target: str, record: WriteRecord) -> None:
        self.db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(target, key) DO UPDATE SET source=excluded.source,"
            " status=excluded.status, written_hash=excluded.written_hash,"
            " sequence=excluded.sequence, seen=excluded.seen, window_end=excluded.window_end,"
            " withdrawn_at=excluded.withdrawn_at, extra=excluded.extra",
            (
                target,
                record.key,
                record.source,
                str(record.status),
                record.written_hash,
                record.sequence,
                record.seen,
                record.window_end,
                record.withdrawn_at,
                json.dumps(dict(record.extra), sort_keys=True),
            ),
        )

    def drop_record(self, target: str, key: str) -> None:
        self.db.execute("DELETE FROM records WHERE target=? AND key=?", (target, key))

    def drop_target_records(self, target: str) -> None:
        self.db.execute("DELETE FROM records WHERE target=?", (target,))

    # -- the user's answers ------------------------------------------------------------

    def confirmations(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT event_id, answer FROM confirmations"))

    def confirm(self, event_id: str, answer: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO confirmations VALUES (?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET"
            " answer=excluded.answer, at=excluded.at",
            (event_id, answer, at.isoformat()),
        )

    def unsure(self) -> list[UnsureRow]:
        rows = self.db.execute(
            "SELECT source, event_id, label, guess, start, first_seen FROM unsure"
            " ORDER BY start, event_id"
        )
        return [UnsureRow(*row) for row in rows]

    def settle_unsure(self, event_id: str) -> None:
        self.db.execute("DELETE FROM unsure WHERE event_id=?", (event_id,))

    def replace_unsure(self, source: str, rows: list[UnsureRow]) -> list[UnsureRow]:
        """What a source is unsure about now; returns the rows that are new (to be
        announced once: later passes stay quiet about them)."""
        known = {
            r[0] for r in self.db.execute("SELECT event_id FROM unsure WHERE source=?", (source,))
        }
        now = {r.event_id for r in rows}
        self.db.executemany(
            "DELETE FROM unsure WHERE source=? AND event_id=?",
            [(source, event_id) for event_id in known - now],
        )
        self.db.executemany(
            "INSERT INTO unsure VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source, event_id)"
            " DO UPDATE SET label=excluded.label, guess=excluded.guess, start=excluded.start",
            [(source, r.event_id, r.label, r.guess, r.start, r.first_seen) for r in rows],
        )
        return [r for r in rows if r.event_id not in known]

    # -- placements --------------------------------------------------------------------

    def placements(self) -> dict[str, Placement]:
        rows = self.db.execute(
            "SELECT key, title, window_start, window_end, remind_at FROM placements"
        )
        return {row[0]: Placement(*row[1:]) for row in rows}

    def save_placements(self, placements: Mapping[str, Placement]) -> None:
        self.db.executemany(
            "INSERT INTO placements VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " title=excluded.title, window_start=excluded.window_start,"
            " window_end=excluded.window_end, remind_at=excluded.remind_at",
            [
                (key, p.title, p.window_start, p.window_end, p.remind_at)
                for key, p in placements.items()
            ],
        )

    # -- history ---------------------------------------------------------------------

    def start_pass(self, source: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO passes (started, source, result) VALUES (?, ?, 'running')",
            (_utcnow().isoformat(), source),
        )
        return int(cursor.lastrowid or 0)

    def finish_pass(
        self,
        pass_id: int,
        result: str,
        counts: Mapping[str, int] | None = None,
        message: str = "",
        skipped: tuple[str, ...] = (),
        source: str | None = None,
    ) -> None:
        """Close a pass; `source` renames it once the pass knows what it synced."""
        self.db.execute(
            "UPDATE passes SET finished=?, result=?, counts=?, message=?, skipped=?,"
            " source=coalesce(?, source) WHERE id=?",
            (
                _utcnow().isoformat(),
                result,
                json.dumps(dict(counts or {})),
                message,
                json.dumps(list(skipped)),
                source,
                pass_id,
            ),
        )
        # Keep the history short: it is for `followup status`, not an audit log.
        self.db.execute("DELETE FROM passes WHERE id <= ?", (pass_id - 500,))

    def forget_pass(self, pass_id: int) -> None:
        """A dry run leaves no history: `status` never shows it as the last pass."""
        self.db.execute("DELETE FROM passes WHERE id=?", (pass_id,))

    def passes(self, limit: int = 20) -> list[PassRecord]:
        rows = self.db.execute(
            "SELECT id, started, finished, source, result, counts, message, skipped FROM passes"
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
                skipped=tuple(json.loads(row[7])),
            )
            for row in rows
        ]


@dataclass(frozen=True)
class TargetBook:
    """The `RecordBook` of one target: what its store remembers writing."""

    db: StatusDB
    target: str

    def records(self) -> dict[str, WriteRecord]:
        return self.db.records(self.target)

    def save(self, record: WriteRecord) -> None:
        self.db.save_record(self.target, record)

    def drop(self, key: str) -> None:
        self.db.drop_record(self.target, key)


def _source_row(row: tuple[Any, ...]) -> SourceRow:
    return SourceRow(
        identity=row[0],
        label=row[1],
        cursor=json.loads(row[2]) if row[2] else None,
        timezone=row[3],
        had_interviews=bool(row[4]),
        read_at=datetime.fromisoformat(row[5]) if row[5] else None,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)
