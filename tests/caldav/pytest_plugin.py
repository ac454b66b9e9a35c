"""CalDAV servers for the tests: started once per test session (per xdist worker).

Registered in tests/conftest.py, so the store contract suite (tests/test_store_contract.py)
uses them too."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.caldav.servers import RunningServer, start_radicale, start_xandikos

SERVERS = ("radicale", "xandikos")


def _start(kind: str, folder: Path) -> RunningServer:
    logging.getLogger("radicale").setLevel(logging.ERROR)  # refused logins are the point
    return start_radicale(folder) if kind == "radicale" else start_xandikos(folder)


@pytest.fixture(scope="session")
def caldav_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningServer]]:
    running: dict[str, RunningServer] = {}
    try:
        for kind in SERVERS:
            running[kind] = _start(kind, tmp_path_factory.mktemp(kind))
        yield running
    finally:
        for server in running.values():
            server.stop()


@pytest.fixture(params=SERVERS)
def caldav_server(
    request: pytest.FixtureRequest, caldav_servers: dict[str, RunningServer]
) -> Iterator[RunningServer]:
    server = caldav_servers[request.param]
    server.counter.reset()
    server.counter.fail.clear()
    yield server
    server.counter.fail.clear()
