"""One contract, every store: memory, the .ics export, Google (over the emulator), and
CalDAV on real Radicale and Xandikos servers.

Each scenario plans with the real planner and applies through the store's interface
(`sync.stores.base.ReminderStore`), then checks what the store reports back. A new store
joins by adding a kit below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from rules.model import Policy, SourceEvent
from rules.policy import decide
from rules.vocabulary import default_vocabulary
from sync.planner import Kind
from sync.statusdb import StatusDB
from sync.stores.base import ReminderStore
from sync.stores.memory import MemoryStore
from tests.planning import NOW, SOURCE
from tests.planning import plan_for as plan


def reminders(*specs: tuple[str, str, int]):
    """Reminders the rules want for interviews given as (id, title, days from NOW)."""
    events = [
        SourceEvent(
            id=event_id,
            calendar_id="primary",
            summary=title,
            start=NOW + timedelta(days=days),
            end=NOW + timedelta(days=days, hours=1),
        )
        for event_id, title, days in specs
    ]
    decided = decide(events, now=NOW, user_tz=UTC, policy=Policy(), vocab=default_vocabulary())
    return list(decided.reminders)


ACME = ("acme1", "Phone screen with Acme", -1)
GLOBEX = ("glob1", "Final round onsite at Globex", -2)
ACME_MOVED = ("acme1", "Phone screen with Acme", 1)


@dataclass
class Kit:
    """A store, and (where a user can touch it) the user's hands."""

    store: Callable[[], ReminderStore]  # a fresh view, as the next pass would make
    user_edit: Callable[[str], None] | None = None
    user_delete: Callable[[str], None] | None = None
    foreign: Callable[[], object] | None = None  # snapshot of what is not the tool's
    lose_records: Callable[[], None] | None = None  # the status file is lost


def memory_kit(tmp_path: Path) -> Iterator[Kit]:
    store = MemoryStore()
    yield Kit(lambda: store, store.user_edit, store.user_delete)


def ics_kit(tmp_path: Path) -> Iterator[Kit]:
    from sync.stores.ics import IcsStore, target_name

    state = StatusDB(tmp_path / "state.sqlite3")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("the user's own file")
    yield Kit(
        lambda: IcsStore(state.book(target_name(out)), out, NOW),
        foreign=lambda: (out / "notes.txt").read_text(),
        lose_records=lambda: state.drop_target_records(target_name(out)),
    )
    state.close()


def google_kit(tmp_path: Path) -> Iterator[Kit]:
    from google.oauth2.credentials import Credentials

    from sync.google.api import Api
    from sync.google.auth import APP_CREATED_SCOPE, READ_SCOPE, Connection
    from sync.stores.google import GoogleStore
    from tests.emulator import CalendarEmulator

    with CalendarEmulator() as emu:
        emu.allow_token("contract-token", [READ_SCOPE, APP_CREATED_SCOPE])
        creds = Credentials(token="contract-token", client_id=emu.client_id)
        connection = Connection(
            credentials=creds,
            target="followups",
            token_uri=emu.root + "token",
            revoke_uri=emu.root + "revoke",
            path=tmp_path / "token.json",
            saved_token="contract-token",
        )
        api = Api(connection, emu.root)
        calendar = emu.add_calendar("Interview follow-ups", owner_app=emu.client_id)
        emu.put_event(calendar, {"id": "theirs001", "summary": "Not the tool's", **_slot()})
        state = StatusDB(tmp_path / "state.sqlite3")

        def edit(key: str) -> None:
            emu.patch_event_direct(calendar, key, {"summary": "My own words"})

        def delete(key: str) -> None:
            emu.delete_event_direct(calendar, key)

        def foreign() -> object:
            return [e for e in emu.events(calendar) if e["id"] == "theirs001"]

        book = state.book(f"google:{calendar}")
        yield Kit(
            lambda: GoogleStore(api, book, calendar),
            edit,
            delete,
            foreign,
            lambda: state.drop_target_records(f"google:{calendar}"),
        )
        state.close()


def caldav_kit(kind: str):
    """A fresh calendar on a real CalDAV server (Radicale or Xandikos) with one event
    of the user's in it; the records live in a MemoryRecordBook."""

    def kit(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Kit]:
        from sync.stores.caldav import CalDavStore
        from sync.stores.records import MemoryRecordBook
        from tests.caldav import helpers

        server = request.getfixturevalue("caldav_servers")[kind]
        calendar = helpers.fresh_calendar(server, "Interview follow-ups")
        theirs = helpers.put_event(calendar, "theirs001", "Not the tool's", NOW + timedelta(days=3))
        book = MemoryRecordBook()

        def href(key: str) -> str:
            return str(calendar.url.join(f"{key}.ics"))

        yield Kit(
            lambda: CalDavStore(calendar, book, NOW),
            lambda key: helpers.edit_summary(calendar, href(key), "My own words"),
            lambda key: helpers.delete(calendar, href(key)),
            lambda: helpers.get_text(calendar, theirs),
            book.items.clear,
        )
        calendar.delete()

    return kit


def _slot() -> dict:
    start = NOW + timedelta(days=3)
    return {
        "start": {"dateTime": start.isoformat()},
        "end": {"dateTime": (start + timedelta(hours=1)).isoformat()},
    }


KITS = {"memory": memory_kit, "ics": ics_kit, "google": google_kit}
# Kits on a real server need the session's servers (requested through pytest).
SERVER_KITS = {"caldav-radicale": caldav_kit("radicale"), "caldav-xandikos": caldav_kit("xandikos")}
# Stores a user can edit by hand (the .ics folder is the tool's alone).
EDITABLE = ["caldav-radicale", "caldav-xandikos", "google", "memory"]


def _kit(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kit]:
    if name in SERVER_KITS:
        yield from SERVER_KITS[name](tmp_path, request)
    else:
        yield from KITS[name](tmp_path)


@pytest.fixture(params=sorted([*KITS, *SERVER_KITS]))
def kit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kit]:
    yield from _kit(request.param, request, tmp_path)


# Stores whose records live in the status file (and can be lost with it).
RECORDED = ["caldav-radicale", "caldav-xandikos", "google", "ics"]


@pytest.fixture(params=RECORDED)
def recorded_kit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kit]:
    yield from _kit(request.param, request, tmp_path)


@pytest.fixture(params=EDITABLE)
def editable_kit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kit]:
    yield from _kit(request.param, request, tmp_path)


def sync_once(kit: Kit, desired, **inputs) -> object:
    store = kit.store()
    the_plan = plan(desired, store.existing(), **inputs)
    store.apply(the_plan)
    return the_plan


def test_created_reminders_are_reported_back_as_written(kit: Kit) -> None:
    desired = reminders(ACME, GLOBEX)
    done = kit.store().apply(plan(desired, kit.store().existing()))
    assert done.created == 2
    existing = kit.store().existing()
    assert set(existing) == {r.key for r in desired}
    for r in desired:
        have = existing[r.key]
        assert have.written_hash == r.content_hash()
        assert not (have.deleted or have.user_edited)


def test_a_second_pass_with_nothing_new_plans_nothing(kit: Kit) -> None:
    desired = reminders(ACME, GLOBEX)
    sync_once(kit, desired)
    assert plan(desired, kit.store().existing()).empty


def test_a_moved_interview_updates_its_reminder(kit: Kit) -> None:
    sync_once(kit, reminders(ACME, GLOBEX))
    moved = reminders(ACME_MOVED, GLOBEX)
    the_plan = sync_once(kit, moved)
    assert [a.kind for a in the_plan.actions] == [Kind.UPDATE]
    existing = kit.store().existing()
    assert {existing[r.key].written_hash for r in moved} == {r.content_hash() for r in moved}
    assert plan(moved, kit.store().existing()).empty


def test_a_withdrawn_reminder_is_gone_and_comes_back_with_its_interview(kit: Kit) -> None:
    both = reminders(ACME, GLOBEX)
    sync_once(kit, both)
    acme = both[0].key if both[0].interview.id == "acme1" else both[1].key
    only_globex = [r for r in both if r.key != acme]
    sync_once(kit, only_globex, withdraw={acme: "cancelled"})
    gone = kit.store().existing()[acme]
    assert gone.deleted and gone.withdrawn
    back = sync_once(kit, both)
    assert [a.kind for a in back.actions] == [Kind.RESTORE]
    assert not kit.store().existing()[acme].deleted


def test_a_reminder_the_user_edited_is_left_as_the_user_left_it(editable_kit: Kit) -> None:
    kit = editable_kit
    assert kit.user_edit is not None
    sync_once(kit, reminders(ACME, GLOBEX))
    key = reminders(ACME)[0].key
    kit.user_edit(key)
    assert kit.store().existing()[key].user_edited
    the_plan = sync_once(kit, reminders(ACME_MOVED, GLOBEX), withdraw={})
    assert the_plan.empty and [x.key for x in the_plan.left_alone] == [key]


def test_a_reminder_the_user_deleted_is_not_recreated(editable_kit: Kit) -> None:
    kit = editable_kit
    assert kit.user_delete is not None
    desired = reminders(ACME, GLOBEX)
    sync_once(kit, desired)
    key = reminders(ACME)[0].key
    kit.user_delete(key)
    have = kit.store().existing()[key]
    assert have.user_deleted
    assert sync_once(kit, reminders(ACME_MOVED, GLOBEX)).empty


def test_what_the_tool_did_not_write_is_never_touched(kit: Kit) -> None:
    before = kit.foreign() if kit.foreign else None
    sync_once(kit, reminders(ACME, GLOBEX))
    sync_once(kit, reminders(ACME_MOVED), withdraw={reminders(GLOBEX)[0].key: "cancelled"})
    sync_once(kit, [], source_has_interviews=False, force_delete=True)
    if kit.foreign:
        assert kit.foreign() == before
    assert all(key in {r.key for r in reminders(ACME, GLOBEX)} for key in kit.store().existing())


def test_each_reminder_says_which_source_it_follows(kit: Kit) -> None:
    sync_once(kit, reminders(ACME, GLOBEX))
    assert {have.source for have in kit.store().existing().values()} == {SOURCE}


def test_believed_matches_what_is_there_after_a_pass(kit: Kit) -> None:
    desired = reminders(ACME, GLOBEX)
    sync_once(kit, desired)
    assert plan(desired, kit.store().believed()).empty


def test_a_lost_status_file_duplicates_nothing(recorded_kit: Kit) -> None:
    """The store's own markers rebuild what it holds: the next plan is empty."""
    kit = recorded_kit
    assert kit.lose_records is not None
    desired = reminders(ACME, GLOBEX)
    sync_once(kit, desired)
    kit.lose_records()
    existing = kit.store().existing()
    assert set(existing) == {r.key for r in desired}
    assert plan(desired, existing).empty
    moved = sync_once(kit, reminders(ACME_MOVED, GLOBEX))
    assert [a.kind for a in moved.actions] == [Kind.UPDATE]
