"""`followup connect --caldav` and `followup disconnect --caldav`, run as the real CLI
against Radicale (which checks passwords) and Xandikos on 127.0.0.1."""

from __future__ import annotations

import json
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sync.caldav.account import load_account, require_account
from tests.caldav import helpers
from tests.caldav.servers import RunningServer, free_port
from tests.cli import Home


def connect(home: Home, url: str, username: str, password: str, **env: str):
    import subprocess
    import sys

    from tests.cli import ROOT

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sync.cli",
            "connect",
            "--caldav",
            url,
            "--username",
            username,
            "--password-stdin",
        ],
        cwd=ROOT,
        env=home.env(**env),
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def calendars_named(server: RunningServer, name: str) -> list:
    principal = helpers.client_for(server).principal()
    return [c for c in principal.calendars() if c.get_display_name() == name]


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home.at(tmp_path)


def test_connect_proves_the_password_creates_the_target_once_and_keeps_the_password_private(
    caldav_server: RunningServer, home: Home, tmp_path: Path
) -> None:
    target = f"Follow-ups {tmp_path.name}"
    home.config_dir.mkdir(parents=True)
    home.config_file.write_text(f'[caldav]\ntarget = "{target}"\n')

    done = connect(home, caldav_server.root, "user1", caldav_server.password)

    assert done.returncode == 0, done.stderr
    assert f'calendar "{target}" (created)' in done.stdout
    saved = home.data_dir / "caldav.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    account = load_account(home)
    assert account is not None and account.password == caldav_server.password
    assert account.target_url and account.target_name == target
    assert len(calendars_named(caldav_server, target)) == 1

    again = connect(home, caldav_server.root, "user1", caldav_server.password)  # a reconnect

    assert again.returncode == 0, again.stderr
    assert "(created)" not in again.stdout
    assert len(calendars_named(caldav_server, target)) == 1
    assert load_account(home).target_url == account.target_url  # type: ignore[union-attr]
    assert json.loads(saved.read_text())["password"] == caldav_server.password


def test_the_environment_overrides_the_stored_password(
    caldav_servers: dict[str, RunningServer], home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = caldav_servers["radicale"]
    assert connect(home, server.root, "user1", server.password).returncode == 0
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "from the environment")
    assert require_account(home).password == "from the environment"


def test_a_wrong_password_exits_3_with_one_line(
    caldav_servers: dict[str, RunningServer], home: Home
) -> None:
    server = caldav_servers["radicale"]

    done = connect(home, server.root, "user1", "not the password")

    assert done.returncode == 3
    line = one_line(done.stderr)
    assert "refused the username or password" in line and "followup connect --caldav" in line
    assert not (home.data_dir / "caldav.json").exists()


def test_a_server_that_is_down_exits_75(home: Home) -> None:
    done = connect(home, f"http://127.0.0.1:{free_port()}/", "user1", "pw")

    assert done.returncode == 75
    assert "cannot reach the CalDAV server" in one_line(done.stderr)
    assert "connection refused" in done.stderr


class _WebPage(BaseHTTPRequestHandler):
    body = b"<html><head><title>Welcome to nginx!</title></head><body>Hi</body></html>"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_plain_web_page_exits_2_naming_what_was_found(web_page: str, home: Home) -> None:
    done = connect(home, web_page, "user1", "pw")

    assert done.returncode == 2
    line = one_line(done.stderr)
    assert f"{web_page} is not a CalDAV server" in line
    assert "text/html" in line and "Welcome to nginx!" in line


def test_usage_errors_exit_2(home: Home) -> None:
    missing = home.run("connect", "--caldav", "https://caldav.example.com/")
    assert missing.returncode == 2 and "--username" in missing.stderr
    clear = connect(home, "http://caldav.example.com/dav/", "sam", "pw")
    assert clear.returncode == 2 and "plain http" in clear.stderr


def test_disconnect_forgets_the_account(
    caldav_servers: dict[str, RunningServer], home: Home
) -> None:
    server = caldav_servers["xandikos"]
    assert connect(home, server.root, "user1", "anything").returncode == 0

    done = home.run("disconnect", "--caldav")

    assert done.returncode == 0 and "user1" in done.stdout
    assert not (home.data_dir / "caldav.json").exists()
    again = home.run("disconnect", "--caldav")
    assert again.returncode == 0 and "No CalDAV account" in again.stdout
