"""A whole pass over CalDAV, source to target, on Radicale and on Xandikos.

The real pass (`sync.passes.run_pass`) with a CalDAV source and a CalDAV store, so that
what it relies on holds on real servers: first sync, an unchanged sync with its request
counts, a moved interview, a cancelled one, a reminder the user edited, and a lost
status database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rules.model import reminder_key
from rules.vocabulary import default_vocabulary
from sync.config import Config
from sync.passes import PassContext, Slot, run_pass
from sync.planner import Kind, Plan
from sync.ruleset import RuleSet
from sync.sources.caldav import CalDavSource
from sync.statusdb import StatusDB
from sync.stores.caldav import CalDavStore, target_name
from tests.caldav import helpers
from tests.caldav.servers import RunningServer

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
INTERVIEW = NOW - timedelta(days=1)


@dataclass
class Setup:
    server: RunningServer
    source: Any
    target: Any
    status: StatusDB

    def sync(self, now: datetime = NOW) -> Plan:
        """One real pass: read, decide, plan (against the records when nothing changed),
        apply."""
        ctx = PassContext(config=Config(), status=self.status, now=now, rules=RuleSet.of(VOCAB))

        def store():
            return CalDavStore(
                self.target, self.status.book(target_name(str(self.target.url))), now
            )

        slot = Slot("caldav", lambda s: s.startswith("caldav:"), lambda: store().believed(), store)
        report = run_pass(ctx, [CalDavSource(self.source, "user1")], [slot])
        return report.plans["caldav"]

    def reminders(self) -> list[str]:
        listing = self.target.objects_by_sync_token(None, load_objects=True)
        gone = {str(u) for u in listing.deleted_urls}
        return sorted(
            helpers.summary_of(obj.data) for obj in listing if str(obj.url.canonical()) not in gone
        )


VOCAB = default_vocabulary()


@pytest.fixture
def setup(caldav_server: RunningServer, tmp_path):
    source = helpers.fresh_calendar(caldav_server, "Personal")
    target = helpers.fresh_calendar(caldav_server, "Interview follow-ups")
    status = StatusDB(tmp_path / "state.sqlite3")
    yield Setup(caldav_server, source, target, status)
    status.close()
    source.delete()
    target.delete()


def test_a_pass_over_caldav_from_first_sync_to_lost_state(setup: Setup) -> None:
    server = setup.server
    acme = helpers.put_event(setup.source, "acme1", "Phone screen with Acme", INTERVIEW)
    helpers.put_event(setup.source, "globex1", "Final round onsite at Globex", INTERVIEW)
    helpers.put_event(setup.source, "dentist", "Dentist", INTERVIEW)

    # first sync: one reminder per interview
    first = setup.sync()
    assert first.count(Kind.CREATE) == 2
    assert [s.split(" (")[0] for s in setup.reminders()] == [
        "Follow up: Acme",
        "Follow up: Globex",
    ]

    # unchanged: one REPORT on the source calendar, nothing else at all
    server.counter.reset()
    assert setup.sync().empty
    assert server.counter.methods() == ["REPORT"]

    # moved: the reminder moves (same resource, rewritten)
    helpers.edit_start(setup.source, acme, INTERVIEW + timedelta(days=2))
    server.counter.reset()
    moved = setup.sync(NOW + timedelta(days=2))
    assert [a.kind for a in moved.actions] == [Kind.UPDATE]
    assert server.counter.count("PUT") == 1
    assert set(server.counter.methods()) <= {"REPORT", "PUT", "GET"}

    # cancelled: its reminder is deleted
    helpers.set_status(setup.source, acme, "CANCELLED")
    cancelled = setup.sync(NOW + timedelta(days=2))
    assert [a.kind for a in cancelled.actions] == [Kind.DELETE]
    assert [s.split(" (")[0] for s in setup.reminders()] == ["Follow up: Globex"]

    # user-edited: the user retitles Globex's reminder; a later move leaves it alone
    key = reminder_key(CalDavSource(setup.source, "user1").identity, "globex1")
    helpers.edit_summary(setup.target, str(setup.target.url.join(f"{key}.ics")), "Write to Globex")
    globex = str(setup.source.url.join("globex1.ics"))
    helpers.edit_start(setup.source, globex, INTERVIEW + timedelta(days=1))
    edited = setup.sync(NOW + timedelta(days=2))
    assert edited.empty and [x.key for x in edited.left_alone] == [key]
    assert setup.reminders() == ["Write to Globex"]

    # state lost (records and cursor): rebuilt from the markers, no duplicates, no writes
    setup.status.close()
    path = setup.status.path
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    setup.status = StatusDB(path)
    server.counter.reset()
    lost = setup.sync(NOW + timedelta(days=2))
    assert lost.count(Kind.CREATE) == 0 and server.counter.count("PUT") == 0
    assert setup.reminders() == ["Write to Globex"]
    # the source calendar was only ever read
    assert "PUT" not in {m for m, p in server.counter.requests if str(setup.source.url).endswith(p)}
