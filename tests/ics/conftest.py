"""Fixtures for the .ics tests: named data files and a real Radicale CalDAV server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

DATA = Path(__file__).resolve().parent.parent / "data"
THIRD_PARTY = DATA / "third_party"
OWN = DATA / "ics"


def corpus_files() -> list[Path]:
    """Every third-party .ics file (see tests/data/third_party/README.md for provenance)."""
    return sorted(THIRD_PARTY.rglob("*.ics"))


def third_party(name: str) -> Path:
    """A third-party corpus file by its file name."""
    matches = [p for p in corpus_files() if p.name == name]
    assert len(matches) == 1, f"no single corpus file named {name}"
    return matches[0]


@dataclass(frozen=True)
class CalDav:
    """A running Radicale server; `calendar_url(name)` makes a fresh calendar there."""

    root: str
    user: str = "jobseeker"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, "unused")  # auth type "none" accepts any password

    def calendar_url(self, name: str) -> str:
        url = f"{self.root}/{self.user}/{name}/"
        response = requests.request("MKCALENDAR", url, auth=self.auth, timeout=10)
        assert response.status_code == 201, (response.status_code, response.text)
        return url


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_radicale(folder: Path, config: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            str(config),
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--rights-type",
            "owner_only",
            "--storage-filesystem-folder",
            str(folder),
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            requests.get(root + "/", timeout=1)
            return process, root
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    _, err = process.communicate(timeout=5)
    raise RuntimeError(f"Radicale did not start on port {port}: {err.decode()[-2000:]}")


@pytest.fixture(scope="session")
def caldav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDav]:
    """Session-scoped: each test makes its own calendar collection, so they never share
    state. A port taken between probing and binding is retried."""
    base = tmp_path_factory.mktemp("radicale")
    config = base / "config"
    config.write_text("")  # ignore any /etc/radicale/config or ~/.config/radicale
    error: Exception | None = None
    for attempt in range(3):
        try:
            process, root = _start_radicale(base / f"collections{attempt}", config)
        except RuntimeError as exc:
            error = exc
            continue
        try:
            yield CalDav(root)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        return
    raise RuntimeError("could not start Radicale") from error
