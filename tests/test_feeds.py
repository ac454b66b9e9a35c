"""`.ics` feeds by URL, against a real HTTP server on 127.0.0.1 with ETag and
Last-Modified: 200, then 304 (nothing parsed), then a change; and every way a feed
address goes wrong (timeouts, redirects, 404, 500, 429, an HTML page)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rules.errors import UserError
from sync.errors import TemporaryError
from sync.sources.feed import feed_identity, feed_url, fetch_feed, is_feed_address, read_feed
from tests.caldav.servers import free_port

CAL = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//feed//EN\r\n"
    "BEGIN:VEVENT\r\nUID:acme1\r\nDTSTAMP:20261201T000000Z\r\n"
    "DTSTART:20261203T150000Z\r\nDTEND:20261203T160000Z\r\n"
    "SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
PAGE = b"<html><head><title>Sign in - Outlook</title></head><body>log in</body></html>"


@dataclass
class Feed:
    """What the loopback feed server publishes, and what it was asked."""

    body: bytes = CAL.format(summary="Phone screen with Acme").encode()
    version: int = 1
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def publish(self, summary: str) -> None:
        self.body = CAL.format(summary=summary).encode()
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
            feed.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = self.path.split("?")[0]
            if route == "/cal.ics":
                if self.headers.get("If-None-Match") == feed.etag or (
                    "If-None-Match" not in self.headers
                    and self.headers.get("If-Modified-Since") == feed.modified
                ):
                    self._answer(304, b"")
                else:
                    self._answer(200, feed.body, "text/calendar; charset=utf-8")
            elif route == "/modified-only.ics":
                if self.headers.get("If-Modified-Since") == feed.modified:
                    self._answer(304, b"", etag=False)
                else:
                    self._answer(200, feed.body, "text/calendar", etag=False)
            elif route == "/moved":
                self._redirect("/cal.ics")
            elif route == "/loop":
                self._redirect("/loop")
            elif route == "/page":
                self._answer(200, PAGE, "text/html; charset=utf-8")
            elif route == "/slow":
                feed.release.wait(10)
                self._answer(200, feed.body, "text/calendar")
            elif route == "/broken":
                self._answer(500, b"oops", "text/plain")
            elif route == "/busy":
                self._answer(429, b"slow down", "text/plain")
            elif route == "/private":
                self._answer(401, b"who are you", "text/plain")
            else:
                self._answer(404, b"not here", "text/plain")

        def _redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _answer(self, status: int, body: bytes, kind: str = "", *, etag: bool = True) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", feed.etag)
            self.send_header("Last-Modified", feed.modified)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Feed]]:
    feed = Feed()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", feed
    feed.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def feed(server: tuple[str, Feed]) -> Iterator[tuple[str, Feed]]:
    root, state = server
    state.publish("Phone screen with Acme")
    state.hits.clear()
    yield root, state


def test_200_then_304_parses_nothing_then_a_change_is_read(feed: tuple[str, Feed]) -> None:
    root, state = feed
    url = f"{root}/cal.ics"

    first = read_feed(url)
    assert first.changed and [e.summary for e in first.events] == ["Phone screen with Acme"]
    assert first.identity == feed_identity(url) == f"feed:{url}"
    assert first.events[0].calendar_id == "ics"  # UIDs are global, as in a file

    cursor = json.loads(json.dumps(first.cursor))  # kept in the status database
    unchanged = read_feed(url, cursor=cursor)
    assert not unchanged.changed
    assert state.hits[-1][1]["if-none-match"] == state.etag
    assert state.hits[-1][1]["if-modified-since"] == state.modified
    assert "_parsed" not in vars(unchanged)  # 304: nothing parsed
    assert [e.summary for e in unchanged.events] == ["Phone screen with Acme"]  # on demand

    state.publish("Final round onsite at Acme")
    moved = read_feed(url, cursor=unchanged.cursor)
    assert moved.changed and [e.summary for e in moved.events] == ["Final round onsite at Acme"]


def test_last_modified_alone_is_enough_for_a_304(feed: tuple[str, Feed]) -> None:
    root, state = feed
    url = f"{root}/modified-only.ics"
    first = fetch_feed(url)
    assert first.etag is None and first.last_modified == state.modified

    again = fetch_feed(url, last_modified=first.last_modified)

    assert again.not_modified and again.body is None


def test_redirects_are_followed_and_loops_refused(feed: tuple[str, Feed]) -> None:
    root, _ = feed
    assert fetch_feed(f"{root}/moved").body is not None
    with pytest.raises(UserError, match="redirects more than 5 times") as caught:
        fetch_feed(f"{root}/loop")
    assert caught.value.exit_code == 2


def test_webcal_means_https_except_on_loopback(feed: tuple[str, Feed]) -> None:
    root, _ = feed
    assert feed_url("webcal://calendar.example.com/x.ics") == "https://calendar.example.com/x.ics"
    assert feed_url("webcals://calendar.example.com/x.ics") == "https://calendar.example.com/x.ics"
    local = root.replace("http://", "webcal://") + "/cal.ics"
    assert feed_url(local) == f"{root}/cal.ics"
    assert [e.summary for e in read_feed(local).events] == ["Phone screen with Acme"]
    assert is_feed_address(local) and not is_feed_address("calendar.ics")


@pytest.mark.parametrize(
    ("path", "error", "exit_code", "said"),
    [
        ("/missing.ics", UserError, 2, "answered 404"),
        ("/private", UserError, 2, "answered 401"),
        ("/broken", TemporaryError, 75, "answered 500"),
        ("/busy", TemporaryError, 75, "answered 429"),
        ("/page", UserError, 2, "text/html, a web page titled 'Sign in - Outlook'"),
    ],
)
def test_a_bad_answer_is_one_line_with_the_right_exit(
    feed: tuple[str, Feed], path: str, error: type, exit_code: int, said: str
) -> None:
    root, _ = feed
    with pytest.raises(error) as caught:
        fetch_feed(root + path)
    message = str(caught.value)
    assert said in message and root + path in message and "\n" not in message
    assert caught.value.exit_code == exit_code


def test_a_feed_that_does_not_answer_in_time_is_temporary(feed: tuple[str, Feed]) -> None:
    root, state = feed
    state.release.clear()
    try:
        with pytest.raises(TemporaryError, match=r"did not answer within 0.3 s"):
            fetch_feed(f"{root}/slow", timeout=0.3)
    finally:
        state.release.set()


def test_a_feed_nobody_serves_is_temporary() -> None:
    with pytest.raises(TemporaryError, match="connection refused"):
        fetch_feed(f"http://127.0.0.1:{free_port()}/cal.ics", timeout=5)


def test_an_address_that_is_no_feed_is_refused() -> None:
    with pytest.raises(UserError, match="not a feed address"):
        feed_url("ftp://example.com/cal.ics")


def test_a_feed_that_suddenly_lists_nothing_is_held_by_the_guard(feed: tuple[str, Feed]) -> None:
    from datetime import UTC, datetime

    from rules.model import Policy
    from rules.policy import decide
    from rules.vocabulary import default_vocabulary
    from sync.stores.memory import MemoryStore
    from tests.planning import plan_for as plan

    root, state = feed
    url = f"{root}/cal.ics"
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    def wanted(read):
        decided = decide(
            read.events, now=now, user_tz=UTC, policy=Policy(), vocab=default_vocabulary()
        )
        return decided.reminders, bool(decided.interviews)

    store = MemoryStore()
    first = read_feed(url)
    desired, _ = wanted(first)
    store.apply(plan(desired, store.existing(), source=first.identity))
    assert len(store.existing()) == 1

    state.body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nEND:VCALENDAR\r\n"
    state.version += 1
    empty = read_feed(url, cursor=first.cursor)
    desired, has_interviews = wanted(empty)

    the_plan = plan(
        desired, store.existing(), source_has_interviews=has_interviews, source=first.identity
    )
    assert empty.changed and empty.events == [] and not has_interviews
    assert the_plan.empty and len(the_plan.held) == 1


def test_a_rules_change_reads_an_unchanged_feed_again(feed: tuple[str, Feed], tmp_path) -> None:
    """A feed answering 304 is decided from its cached candidates, unless they were
    chosen by other rules: a word added to the rules file must find its events."""
    from datetime import UTC, datetime

    from rules.vocabulary import default_vocabulary, extend_vocabulary
    from sync.ruleset import RuleSet
    from sync.sources.feed import FeedSource
    from tests.planning import one_pass

    root, state = feed
    state.publish("Kaffeeklatsch with Initech")
    url = f"{root}/cal.ics"
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    builtin = RuleSet.of(default_vocabulary())
    more = RuleSet.of(
        extend_vocabulary(
            default_vocabulary(), '[interview.words]\n"kaffeeklatsch" = 1.0\n', origin="r.toml"
        )
    )

    def sync(rules):
        return one_pass(tmp_path, FeedSource(url, rules), now, rules).sources[0]

    assert not sync(builtin).decisions.interviews
    assert not sync(builtin).read.changed  # a 304: decided from the cache
    assert state.hits[-1][1].get("if-none-match") == state.etag
    again = sync(more)
    assert "if-none-match" not in state.hits[-1][1]  # the whole feed, asked for again
    assert [d.event.summary for d in again.decisions.interviews] == ["Kaffeeklatsch with Initech"]
    assert not sync(more).read.changed  # and cached again under the new rules


def _events_body(*events: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:{start}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\n"
        for uid, start, summary in events
    )
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//feed//EN\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()


def test_a_feed_that_publishes_only_recent_weeks_keeps_an_older_interviews_reminder(
    feed: tuple[str, Feed], tmp_path
) -> None:
    """A published calendar carries a few weeks around today: an interview that slid out
    of them was not deleted, and its follow-up is still due; one that disappears from
    inside the weeks the feed still covers was."""
    from datetime import UTC, datetime

    from rules.model import reminder_key
    from rules.vocabulary import default_vocabulary
    from sync.ruleset import RuleSet
    from sync.sources.feed import FeedSource
    from tests.planning import one_pass

    root, state = feed
    url = f"{root}/cal.ics"
    rules = RuleSet.of(default_vocabulary())

    def publish(*events: tuple[str, str, str]) -> None:
        state.body = _events_body(*events)
        state.version += 1

    def sync(now):
        return one_pass(tmp_path, FeedSource(url, rules), now, rules)

    acme = ("acme1", "20261130T150000Z", "Phone screen with Acme")
    globex = ("globex1", "20261209T150000Z", "Phone screen with Globex")
    initech = ("initech1", "20261211T150000Z", "Phone screen with Initech")
    lunch = ("lunch1", "20261215T120000Z", "Lunch")
    publish(acme, globex, initech, lunch)
    first = sync(datetime(2026, 12, 1, 12, tzinfo=UTC))
    assert len(first.sources[0].wants.desired) == 3
    publish(globex, initech, lunch)  # a week on: Acme's day is no longer published
    report = sync(datetime(2026, 12, 8, 12, tzinfo=UTC))
    (plan,) = report.plans.values()
    assert plan.empty, plan.actions
    assert len(report.sources[0].wants.desired) == 3
    publish(globex, lunch)  # Initech's interview removed from inside the covered days
    report = sync(datetime(2026, 12, 8, 12, tzinfo=UTC))
    (plan,) = report.plans.values()
    initech_key = reminder_key("ics", "initech1")
    assert [(a.kind, a.key) for a in plan.actions] == [("delete", initech_key)]
