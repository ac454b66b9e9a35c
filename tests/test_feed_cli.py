"""`.ics` feeds by URL through the real `followup sync` CLI, against a loopback HTTP
server with ETag and Last-Modified: 200 (reminders written), 304 (nothing written),
a change (the reminder follows); `webcal://`; every bad answer as the user sees it
(one line, exit 2 or 75); and `[ics] sources` in config.toml with a plain `sync`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import icalendar
import pytest

from tests.cli import Home

PAGE = b"<html><head><title>Sign in - Outlook</title></head><body>log in</body></html>"
FMT = "%Y%m%dT%H%M%SZ"


def calendar(start: datetime) -> bytes:
    """A published calendar: one phone screen at `start`, and an ordinary event."""
    end = start + timedelta(hours=1)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//feed cli//EN\r\n"
        "BEGIN:VEVENT\r\nUID:acme1\r\nDTSTAMP:20261201T000000Z\r\n"
        f"DTSTART:{start.strftime(FMT)}\r\nDTEND:{end.strftime(FMT)}\r\n"
        "SUMMARY:Phone screen with Acme\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:dentist\r\nDTSTAMP:20261201T000000Z\r\n"
        f"DTSTART:{start.strftime(FMT)}\r\nDTEND:{end.strftime(FMT)}\r\n"
        "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@dataclass
class Feed:
    """What the server publishes at /cal.ics, and every (path, headers, status) it saw."""

    body: bytes = b""
    version: int = 0
    seen: list[tuple[str, dict[str, str], int]] = field(default_factory=list)

    def publish(self, body: bytes) -> None:
        self.body = body
        self.version += 1

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def modified(self) -> str:
        return formatdate(1_780_000_000 + self.version * 60, usegmt=True)


def _handler(feed: Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            route = self.path.split("?")[0]
            if route == "/cal.ics":
                if self.headers.get("If-None-Match") == feed.etag:
                    self._answer(304, b"")
                else:
                    self._answer(200, feed.body, "text/calendar; charset=utf-8")
            elif route == "/page":
                self._answer(200, PAGE, "text/html; charset=utf-8")
            elif route == "/broken":
                self._answer(500, b"oops", "text/plain")
            else:
                self._answer(404, b"not here", "text/plain")

        def _answer(self, status: int, body: bytes, kind: str = "") -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            feed.seen.append((self.path, headers, status))
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("ETag", feed.etag)
            self.send_header("Last-Modified", feed.modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def feed() -> Iterator[tuple[str, Feed]]:
    state = Feed()
    state.publish(calendar(interview_time()))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home.at(tmp_path)


def interview_time(days: int = -1) -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ics"))}


def reminders(folder: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical((folder / "followups.ics").read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_a_feed_200_then_304_then_a_change(home: Home, feed: tuple[str, Feed]) -> None:
    host, state = feed
    url, out = f"http://{host}/cal.ics", home.base / "out"

    # 200: the reminder is written
    first = home.run("sync", "--from", url, "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert [status for _, _, status in state.seen] == [200]
    written = reminders(out)
    assert len(written) == 1
    ((uid, reminder),) = written.items()
    assert "Acme" in str(reminder["SUMMARY"])
    assert len(list(out.glob("*.ics"))) == 2  # followups.ics and the reminder's own file
    before = snapshot(out)

    # unchanged: a conditional GET, answered 304; no file is touched
    again = home.run("sync", "--from", url, "--out", str(out))
    assert again.returncode == 0, again.stderr
    path, headers, status = state.seen[-1]
    assert (path, status) == ("/cal.ics", 304)
    assert headers["if-none-match"] == state.etag
    assert headers["if-modified-since"] == state.modified
    assert snapshot(out) == before
    # the feed's body is not kept in the status file: its candidates are
    from sync.statusdb import StatusDB

    status = StatusDB(home.state_file)
    (row,) = [r for r in status.sources() if r.identity.startswith("feed:")]
    assert "body" not in row.cursor and "body_b64" not in row.cursor
    assert len(status.cached_events(row.identity)) == row.cursor["kept"] == 1
    status.close()
    # a 304 after the cache was lost: the whole feed is asked for again, nothing lost
    status = StatusDB(home.state_file)
    from sync.statusdb import CacheUpdate

    status.update_cache(row.identity, CacheUpdate(full=True))
    status.close()
    refetched = home.run("sync", "--from", url, "--out", str(out))
    assert refetched.returncode == 0, refetched.stderr
    assert [s for _, _, s in state.seen[-2:]] == [304, 200]
    assert snapshot(out) == before

    # the feed changes (the interview moved): the same reminder follows it
    state.publish(calendar(interview_time(days=2)))
    moved = home.run("sync", "--from", url, "--out", str(out))
    assert moved.returncode == 0, moved.stderr
    assert state.seen[-1][2] == 200
    after = reminders(out)
    assert list(after) == [uid]
    assert after[uid].decoded("DTSTART") > reminder.decoded("DTSTART")
    assert int(after[uid].get("SEQUENCE", 0)) > int(reminder.get("SEQUENCE", 0))


def test_a_webcal_address_is_fetched_over_http_on_loopback(
    home: Home, feed: tuple[str, Feed]
) -> None:
    host, state = feed
    out = home.base / "out"

    done = home.run("sync", "--from", f"webcal://{host}/cal.ics", "--out", str(out))

    assert done.returncode == 0, done.stderr
    assert [(p, s) for p, _, s in state.seen] == [("/cal.ics", 200)]
    assert ["Acme" in str(e["SUMMARY"]) for e in reminders(out).values()] == [True]


@pytest.mark.parametrize(
    ("path", "exit_code", "said"),
    [
        ("/gone.ics", 2, "answered 404"),
        ("/broken", 75, "answered 500"),
        ("/page", 2, "did not return a calendar: text/html, a web page titled 'Sign in - Outlook'"),
    ],
)
def test_a_bad_feed_is_one_line_naming_it(
    home: Home, feed: tuple[str, Feed], path: str, exit_code: int, said: str
) -> None:
    host, _ = feed
    url, out = f"http://{host}{path}", home.base / "out"

    done = home.run("sync", "--from", url, "--out", str(out))

    assert done.returncode == exit_code, done.stderr
    line = one_line(done.stderr)
    assert url in line and said in line
    assert not (out / "followups.ics").exists()


def test_a_missing_calendar_file_is_one_line_naming_it(home: Home, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-calendar.ics"

    done = home.run("sync", "--from", str(missing), "--out", str(tmp_path / "out"))

    assert done.returncode == 2
    line = one_line(done.stderr)
    assert str(missing) in line and "no such file" in line


def test_config_ics_sources_feed_syncs_with_a_plain_sync(
    home: Home, feed: tuple[str, Feed]
) -> None:
    host, state = feed
    home.config_dir.mkdir(parents=True)
    home.config_file.write_text(f'[ics]\nsources = ["http://{host}/cal.ics"]\n')
    assert not home.token_file.exists()

    first = home.run("sync")
    assert first.returncode == 0, first.stderr
    written = reminders(home.ics_dir)
    assert ["Acme" in str(e["SUMMARY"]) for e in written.values()] == [True]

    again = home.run("sync")
    assert again.returncode == 0, again.stderr
    assert [s for _, _, s in state.seen] == [200, 304]
    assert reminders(home.ics_dir).keys() == written.keys()


def test_a_feed_that_suddenly_lists_nothing_keeps_its_reminder(
    home: Home, feed: tuple[str, Feed]
) -> None:
    host, state = feed
    url, out = f"http://{host}/cal.ics", home.base / "out"
    assert home.run("sync", "--from", url, "--out", str(out)).returncode == 0
    kept = reminders(out)

    state.publish(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nEND:VCALENDAR\r\n")
    done = home.run("sync", "--from", url, "--out", str(out))

    assert done.returncode == 0, done.stderr
    notice = one_line(done.stderr)
    assert "1 reminder(s) kept" in notice and "--force-delete" in notice
    assert reminders(out).keys() == kept.keys()
    assert [str(e.get("STATUS", "")) for e in reminders(out).values()] != ["CANCELLED"]
    assert state.seen[-1][2] == 200


def test_a_file_and_a_feed_of_the_same_calendar_give_one_reminder(
    home: Home, feed: tuple[str, Feed], tmp_path: Path
) -> None:
    """A user imported an export, then subscribed to the same calendar's feed: the
    interview (one UID) gets one reminder, whether both are synced or only the feed."""
    host, state = feed
    body = calendar(interview_time())
    state.publish(body)
    export = tmp_path / "export.ics"
    export.write_bytes(body)
    url, out = f"http://{host}/cal.ics", home.base / "out"
    first = home.run("sync", "--from", str(export), "--out", str(out))
    assert first.returncode == 0, first.stderr
    (uid,) = reminders(out)
    both = home.run("sync", "--from", str(export), "--from", url, "--out", str(out))
    assert both.returncode == 0, both.stderr
    assert list(reminders(out)) == [uid]
    only_feed = home.run("sync", "--from", url, "--out", str(out))
    assert only_feed.returncode == 0, only_feed.stderr
    written = reminders(out)
    assert list(written) == [uid] and str(written[uid].get("STATUS")) != "CANCELLED"
    assert len(list(out.glob("*.ics"))) == 2  # followups.ics and the one reminder
