"""The connected account at work: calendars by name or URL without discovery, the
target found again (never twice), and a damaged or exposed account file."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

import pytest

from sync.caldav import account
from sync.caldav.account import Session, load_account, require_account
from sync.errors import ConfigError, NotConnectedError
from sync.paths import Paths
from tests.caldav import helpers
from tests.caldav.servers import RunningServer


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def connected(server: RunningServer, paths: Paths, target: str) -> account.Connected:
    return account.connect(
        paths,
        url=server.root,
        username=server.username,
        password=server.password,
        target_name=target,
    )


def test_source_calendars_are_opened_by_name_or_url_without_discovery(
    caldav_server: RunningServer, paths: Paths
) -> None:
    personal = helpers.fresh_calendar(caldav_server, f"Personal {uuid.uuid4().hex[:6]}")
    name = personal.get_display_name()
    done = connected(caldav_server, paths, f"Follow-ups {uuid.uuid4().hex[:6]}")
    session = Session.open(done.account)
    caldav_server.counter.reset()

    by_name, by_url = session.source_calendars([name.upper(), str(personal.url)])

    assert caldav_server.counter.requests == []  # from the snapshot connect saved
    assert str(by_name.url) == str(by_url.url) == str(personal.url)


def test_unknown_source_calendars_are_all_named_with_what_exists(
    caldav_server: RunningServer, paths: Paths
) -> None:
    done = connected(caldav_server, paths, f"Follow-ups {uuid.uuid4().hex[:6]}")

    with pytest.raises(ConfigError) as caught:
        Session.open(done.account).source_calendars(["Nope", "Neither"])

    assert [p.value for p in caught.value.problems] == ["Nope", "Neither"]
    assert done.account.target_name in str(caught.value)  # the names that do exist


def test_the_target_is_found_again_and_recreated_only_when_gone(
    caldav_server: RunningServer, paths: Paths
) -> None:
    name = f"Follow-ups {uuid.uuid4().hex[:6]}"
    done = connected(caldav_server, paths, name)
    session = Session.open(done.account)
    caldav_server.counter.reset()

    same, changed = session.target_calendar(name)
    assert changed is None and caldav_server.counter.requests == []

    again, changed = session.target_calendar(name, refresh=True)  # e.g. a second machine
    assert str(again.url).rstrip("/") == done.account.target_url.rstrip("/")  # type: ignore[union-attr]
    assert caldav_server.counter.count("MKCALENDAR") == 0

    same.delete()
    made, changed = session.target_calendar(name, refresh=True)
    assert changed is not None and changed.target_url == str(made.url).rstrip("/") + "/"
    assert caldav_server.counter.count("MKCALENDAR") == 1
    principal = helpers.client_for(caldav_server).principal()
    assert [c.get_display_name() for c in principal.calendars()].count(name) == 1


def test_no_account_is_exit_3_and_a_damaged_file_names_itself(paths: Paths) -> None:
    with pytest.raises(NotConnectedError, match="no CalDAV account"):
        require_account(paths)
    paths.data_dir.mkdir(parents=True)
    (paths.data_dir / "caldav.json").write_text('{"url": "https://x/", ')
    with pytest.raises(ConfigError) as caught:
        load_account(paths)
    assert "caldav.json" in str(caught.value) and "followup connect --caldav" in str(caught.value)
    (paths.data_dir / "caldav.json").write_text('{"url": 3}')
    with pytest.raises(ConfigError, match="damaged") as caught:
        load_account(paths)
    assert {p.field for p in caught.value.problems} >= {"url", "username", "password"}


def test_an_account_file_readable_by_others_is_made_private(paths: Paths) -> None:
    saved = account.save_account(
        paths,
        account.CalDavAccount(
            url="https://caldav.example.com/",
            username="sam",
            password="pw",
            principal_url="https://caldav.example.com/sam/",
        ),
    )
    saved.chmod(0o644)

    assert load_account(paths) is not None
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_a_principal_url_works_as_well_as_the_server_root(
    caldav_server: RunningServer, paths: Paths
) -> None:
    done = account.connect(
        paths,
        url=caldav_server.principal,
        username=caldav_server.username,
        password=caldav_server.password,
        target_name=f"Follow-ups {uuid.uuid4().hex[:6]}",
    )
    assert done.account.principal_url == caldav_server.principal
