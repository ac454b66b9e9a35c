"""`followup connect --caldav` then `followup sync`, run as the real CLI against Radicale
and Xandikos on 127.0.0.1: first sync, an unchanged sync with its request counts, a
moved interview, a cancelled one, a reminder the user edited, a lost status file; and
`status` / `list` afterwards. The source calendar is only ever read."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest

from tests.caldav import helpers
from tests.caldav.servers import RunningServer
from tests.cli import ROOT, Home

SOURCE = "Personal"
TARGET = "Interview follow-ups"
WRITES = {"PUT", "DELETE", "PROPPATCH", "MKCALENDAR", "MKCOL", "MOVE", "COPY"}


def _calendars(server: RunningServer, *names: str) -> list[Any]:
    principal = helpers.client_for(server).principal()
    return [c for c in principal.calendars() if c.get_display_name() in names]


@dataclass
class Account:
    """A user's folders connected to one server, with a "Personal" calendar to read."""

    server: RunningServer
    home: Home
    source: Any  # caldav.Calendar "Personal"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.home.run(*args)

    def sync(self) -> list[tuple[str, str]]:
        """One `followup sync`: quiet, successful, and never a write to the source.
        Returns the requests the server saw during it."""
        self.server.counter.reset()
        done = self.run("sync")
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        requests = list(self.server.counter.requests)
        source = urlsplit(str(self.source.url)).path
        assert not [(m, p) for m, p in requests if m in WRITES and p.startswith(source)]
        return requests

    @property
    def saved(self) -> dict[str, Any]:
        return json.loads((self.home.data_dir / "caldav.json").read_text())

    @property
    def target(self) -> Any:
        from caldav import Calendar

        return Calendar(client=helpers.client_for(self.server), url=self.saved["target_url"])

    def reminders(self) -> dict[str, str]:
        """href -> text of every resource in the target calendar on the server."""
        listing = self.target.objects_by_sync_token(None, load_objects=True)
        gone = {str(u) for u in listing.deleted_urls}
        return {
            str(obj.url.canonical()): obj.data
            for obj in listing
            if str(obj.url.canonical()) not in gone
        }

    def export(self) -> dict[str, icalendar.Event]:
        """UID -> VEVENT of the export's followups.ics (the .ics folder in the data dir)."""
        path = self.home.ics_dir / "followups.ics"
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        events = list(cal.walk("VEVENT"))
        uids = [str(e["UID"]) for e in events]
        assert len(uids) == len(set(uids)), uids  # never a duplicate
        return dict(zip(uids, events, strict=True))


def vevent(text: str) -> icalendar.Event:
    return next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))


def by_company(reminders: dict[str, str]) -> dict[str, str]:
    """ "Acme" -> href, from summaries like "Follow up: Acme (phone screen)"."""
    out = {}
    for href, text in reminders.items():
        summary = str(vevent(text)["SUMMARY"])
        out[summary.removeprefix("Follow up: ").split(" (")[0]] = href
    return out


def connect(home: Home, server: RunningServer) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync.cli", "connect", "--caldav", server.root]
        + ["--username", server.username, "--password-stdin"],
        cwd=ROOT,
        env=home.env(),
        input=server.password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def account(caldav_server: RunningServer, tmp_path: Path) -> Iterator[Account]:
    # Other tests on this session's server may have left calendars of these names.
    for calendar in _calendars(caldav_server, SOURCE, TARGET):
        calendar.delete()
    source = helpers.fresh_calendar(caldav_server, SOURCE)
    home = Home.at(tmp_path)
    home.config_dir.mkdir(parents=True)
    home.config_file.write_text(
        "[caldav]\n"
        f'url = "{caldav_server.root}"\n'
        f'username = "{caldav_server.username}"\n'
        f'sources = ["{SOURCE}"]\n'
        f'target = "{TARGET}"\n'
    )
    done = connect(home, caldav_server)
    assert done.returncode == 0, done.stderr
    assert f'"{TARGET}" (created)' in done.stdout
    yield Account(caldav_server, home, source)
    for calendar in _calendars(caldav_server, SOURCE, TARGET):
        calendar.delete()


def test_sync_over_caldav_from_first_pass_to_lost_state(account: Account) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    interview = now - timedelta(days=1)
    acme = helpers.put_event(account.source, "acme1", "Phone screen with Acme", interview)
    globex = helpers.put_event(account.source, "globex1", "Final round onsite at Globex", interview)
    helpers.put_event(account.source, "dentist", "Dentist", interview)
    source_before = {h: helpers.get_text(account.source, h) for h in (acme, globex)}

    # first sync: one reminder per interview, on the server and in the .ics export
    account.sync()
    reminders = account.reminders()
    hrefs = by_company(reminders)
    assert sorted(hrefs) == ["Acme", "Globex"]
    assert all(h.startswith(account.saved["target_url"]) for h in hrefs.values())
    exported = account.export()
    assert sorted(exported) == sorted(str(vevent(t)["UID"]) for t in reminders.values())
    assert len(list(account.home.ics_dir.glob("*.ics"))) == 3  # one each, and followups.ics
    assert {h: helpers.get_text(account.source, h) for h in (acme, globex)} == source_before

    # unchanged: exactly one REPORT on the one source calendar, nothing else at all (the
    # credentials go with the first request: connect saved the scheme the server asked for)
    assert account.saved["auth_type"] == ("basic" if account.server.checks_password else None)
    source_path = urlsplit(str(account.source.url)).path
    assert account.sync() == [("REPORT", source_path)]

    # moved: the same resource is rewritten, SEQUENCE up, at the new time
    before = vevent(reminders[hrefs["Acme"]])
    helpers.edit_start(account.source, acme, now + timedelta(days=2))
    requests = account.sync()
    assert [p for m, p in requests if m == "PUT"] == [urlsplit(hrefs["Acme"]).path]
    assert "DELETE" not in {m for m, _ in requests}
    after_move = account.reminders()
    assert by_company(after_move) == hrefs
    moved = vevent(after_move[hrefs["Acme"]])
    assert moved["UID"] == before["UID"]
    assert int(moved.get("SEQUENCE", 0)) > int(before.get("SEQUENCE", 0))
    assert moved.decoded("DTSTART") > before.decoded("DTSTART")
    assert after_move[hrefs["Globex"]] == reminders[hrefs["Globex"]]

    # cancelled: its reminder is deleted on the server; Globex's stays
    helpers.set_status(account.source, acme, "CANCELLED")
    requests = account.sync()
    assert [p for m, p in requests if m == "DELETE"] == [urlsplit(hrefs["Acme"]).path]
    assert list(account.reminders()) == [hrefs["Globex"]]
    assert helpers.get_text(account.target, hrefs["Acme"]) is None

    # edited by the user on the server: left alone, even when its interview moves
    helpers.edit_summary(account.target, hrefs["Globex"], "Write to Globex")
    edited = helpers.get_text(account.target, hrefs["Globex"])
    helpers.edit_start(account.source, globex, interview + timedelta(hours=3))
    requests = account.sync()
    assert not {m for m, _ in requests} & WRITES
    assert account.reminders() == {hrefs["Globex"]: edited}
    assert not {m for m, _ in account.sync()} & WRITES  # and on the pass after
    assert account.reminders() == {hrefs["Globex"]: edited}

    # status file lost: rebuilt from the markers on the server, no duplicate, no PUT
    export_before = sorted(account.export())
    for lost in account.home.data_dir.glob("state.sqlite3*"):
        lost.unlink()
    requests = account.sync()
    assert not {m for m, _ in requests} & WRITES
    assert account.reminders() == {hrefs["Globex"]: edited}
    assert sorted(account.export()) == export_before
    assert not {m for m, _ in account.sync()} & WRITES  # settled again

    # the source events were only ever read: what the test wrote is what is there
    assert "Phone screen with Acme" in (helpers.get_text(account.source, acme) or "")
    assert "STATUS:CANCELLED" in (helpers.get_text(account.source, acme) or "")
    assert "Final round onsite at Globex" in (helpers.get_text(account.source, globex) or "")


def test_status_and_list_show_the_caldav_account(account: Account) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    helpers.put_event(account.source, "acme1", "Phone screen with Acme", now - timedelta(days=1))
    account.sync()

    status = account.run("status")

    assert status.returncode == 0, status.stdout + status.stderr
    line = (
        f"CalDAV:      connected as {account.server.username} at {account.server.root}; "
        f'reminders go to "{TARGET}"'
    )
    assert line in status.stdout.splitlines()
    assert "Acme" in status.stdout  # the next reminders
    facts = json.loads(account.run("status", "--json").stdout)
    assert facts["caldav"] == {
        "url": account.server.root,
        "username": account.server.username,
        "target": TARGET,
    }
    assert "password" not in json.dumps(facts).lower()
    assert account.server.password not in status.stdout

    listed = account.run("list")
    assert listed.returncode == 0, listed.stderr
    assert "Acme" in listed.stdout and "phone" in listed.stdout


def test_status_counts_a_caldav_account_as_connected_before_any_sync(account: Account) -> None:
    status = account.run("status")

    assert status.returncode == 0, status.stdout
    assert f"CalDAV:      connected as {account.server.username}" in status.stdout
    assert "Last pass:   none yet" in status.stdout

    assert account.run("disconnect", "--caldav").returncode == 0
    gone = account.run("status")
    assert gone.returncode == 3  # nothing connected, no pass: the next step is connect
    assert "CalDAV:" not in gone.stdout


def test_a_password_changed_since_connect_exits_3_with_one_line(
    caldav_servers: dict[str, RunningServer], tmp_path: Path
) -> None:
    server = caldav_servers["radicale"]  # the one that checks passwords
    source = helpers.fresh_calendar(server)
    home = Home.at(tmp_path)
    home.config_dir.mkdir(parents=True)
    home.config_file.write_text(f'[caldav]\nsources = ["{source.get_display_name()}"]\n')
    assert connect(home, server).returncode == 0
    assert home.run("sync").returncode == 0

    done = home.run("sync", FOLLOWUP_CALDAV_PASSWORD="changed on the server since")

    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the username or password" in lines[0], done.stderr
    source.delete()
    for calendar in _calendars(server, TARGET):
        calendar.delete()


def test_status_names_a_damaged_caldav_account_file(tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    home.data_dir.mkdir(parents=True)
    (home.data_dir / "caldav.json").write_text("{", encoding="utf-8")

    status = home.run("status")

    assert status.returncode == 3
    warning = next(line for line in status.stdout.splitlines() if "CalDAV:" in line)
    assert "cannot read the CalDAV account file" in warning
    assert str(home.data_dir / "caldav.json") in warning and "followup connect --caldav" in warning


def test_an_unchanged_sync_costs_one_report_per_source_calendar(account: Account) -> None:
    work = helpers.fresh_calendar(account.server, "Work")
    try:
        account.home.config_file.write_text(
            account.home.config_file.read_text().replace(
                f'sources = ["{SOURCE}"]', f'sources = ["{SOURCE}", "Work"]'
            )
        )
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
        helpers.put_event(account.source, "acme1", "Phone screen with Acme", start)
        helpers.put_event(work, "globex1", "Final round onsite at Globex", start)
        account.sync()
        assert sorted(by_company(account.reminders())) == ["Acme", "Globex"]

        requests = account.sync()

        paths = {urlsplit(str(c.url)).path for c in (account.source, work)}
        assert sorted(requests) == sorted(("REPORT", p) for p in paths)
        assert not [(m, p) for m, p in requests if m in WRITES and p.startswith(tuple(paths))]
    finally:
        work.delete()


def test_what_a_pass_saves_keeps_the_stored_password(
    caldav_servers: dict[str, RunningServer], tmp_path: Path
) -> None:
    server = caldav_servers["xandikos"]  # takes any password, so the override can differ
    home = Home.at(tmp_path)
    home.config_dir.mkdir(parents=True)
    assert connect(home, server).returncode == 0
    work = helpers.fresh_calendar(server)  # added after connect: the pass discovers it
    other = f"Follow-ups {tmp_path.name}"  # and a new target: the pass creates it
    home.config_file.write_text(
        f'[caldav]\nsources = ["{work.get_display_name()}"]\ntarget = "{other}"\n'
    )
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    helpers.put_event(work, "acme1", "Phone screen with Acme", start)
    try:
        done = home.run("sync", FOLLOWUP_CALDAV_PASSWORD="only for this run")

        assert done.returncode == 0, done.stderr
        saved = json.loads((home.data_dir / "caldav.json").read_text())
        assert saved["password"] == server.password
        assert saved["target_name"] == other
        assert (
            saved["calendars"][work.get_display_name()]
            .rstrip("/")
            .endswith(urlsplit(str(work.url)).path.rstrip("/"))
        )
    finally:
        work.delete()
        for calendar in _calendars(server, TARGET, other):
            calendar.delete()


def test_a_reminder_the_user_deleted_on_the_server_is_not_recreated(account: Account) -> None:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    acme = helpers.put_event(account.source, "acme1", "Phone screen with Acme", start)
    account.sync()
    (href,) = account.reminders()
    helpers.delete(account.target, href)

    assert not {m for m, _ in account.sync()} & WRITES
    assert account.reminders() == {}
    helpers.edit_start(account.source, acme, start + timedelta(hours=2))  # even when it moves
    assert not {m for m, _ in account.sync()} & WRITES
    assert account.reminders() == {}
