"""Real CalDAV servers on 127.0.0.1 for tests: Radicale and Xandikos, from their pip packages.

Both are WSGI applications. Each runs in a thread under the standard library's threading
WSGI server, behind `Counting`, a middleware that records every request's method and
path: the tests assert on request counts ("an unchanged pass costs one REPORT per
calendar and no writes") without a proxy or log scraping.

- Radicale: htpasswd auth with a plain-text users file, so a wrong password is refused;
  `[auth] delay = 0`, or every refused login would cost a second (CALDAV-NOTES).
- Xandikos: no authentication over plain HTTP (its `--htpasswd` needs TLS), one
  principal `/user1/` with its default "calendar".
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

USER = "user1"
PASSWORD = "correct horse"


@dataclass
class Counting:
    """WSGI middleware: every request's (method, path), in order; `fail` injects answers."""

    app: Callable[..., Iterable[bytes]]
    requests: list[tuple[str, str]] = field(default_factory=list)
    # (method, path substring) -> status line answered instead of passing the request on
    fail: dict[tuple[str, str], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        # wsgiref hands the raw socket as wsgi.input; an app reading it to the end
        # (Xandikos does) would wait for the client to close. Give it just the body.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length) if length else b"")
        with self.lock:
            self.requests.append((method, path))
        for (fail_method, fragment), status in self.fail.items():
            if method == fail_method and fragment in path:
                start_response(status, [("Content-Type", "text/plain")])
                return [b"refused by the test\n"]
        return self.app(environ, start_response)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()

    def count(self, method: str) -> int:
        with self.lock:
            return sum(1 for m, _ in self.requests if m == method)

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.requests]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


@dataclass
class RunningServer:
    """One server on 127.0.0.1: its root URL, who may log in, and its request log."""

    kind: str
    root: str  # http://127.0.0.1:PORT/
    principal: str  # URL of the user's principal collection
    username: str
    password: str
    counter: Counting
    httpd: _Server
    thread: threading.Thread
    checks_password: bool

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _serve(kind: str, app: Any, **details: Any) -> RunningServer:
    counter = Counting(app)
    httpd = make_server("127.0.0.1", 0, counter, server_class=_Server, handler_class=_QuietHandler)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name=f"{kind}-{port}", daemon=True)
    thread.start()
    _wait_listening(port)
    root = f"http://127.0.0.1:{port}/"
    return RunningServer(
        kind, root, root + f"{USER}/", counter=counter, httpd=httpd, thread=thread, **details
    )


def _wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            threading.Event().wait(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def start_radicale(folder: Path) -> RunningServer:
    import radicale
    import radicale.config

    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    configuration = radicale.config.load()
    configuration.update(
        {
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(users),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "storage": {"filesystem_folder": str(folder / "collections")},
            "rights": {"type": "owner_only"},
            "logging": {"level": "warning"},
        },
        "test",
        privileged=True,
    )
    app = radicale.Application(configuration)
    return _serve("radicale", app, username=USER, password=PASSWORD, checks_password=True)


def start_xandikos(folder: Path) -> RunningServer:
    from xandikos.web import SingleUserFilesystemBackend, XandikosApp

    backend = SingleUserFilesystemBackend(str(folder))
    principal = f"/{USER}/"
    backend._mark_as_principal(principal)
    backend.create_principal(principal, create_defaults=True)
    app = XandikosApp(backend, current_user_principal=principal, strict=True)
    return _serve(
        "xandikos",
        app.handle_wsgi_request,
        username=USER,
        password="unused",
        checks_password=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
