"""A loopback Google Calendar API v3 emulator for the real google-api-python-client.

`CalendarEmulator` serves the Calendar REST surface the project uses (calendarList,
calendars, events, the batch endpoint) plus Google's OAuth endpoints on
`http://127.0.0.1:<port>/`, validating requests against the discovery document bundled
with the client library. Tests seed and inspect it through Python methods, and inject
faults (error statuses, dropped connections, answers lost after the write was applied)
to exercise retries.

Scopes are enforced per method from the discovery document (403
insufficientPermissions, Google's body and WWW-Authenticate header). A grant reaches
a calendar only through a scope that fits it: `calendar.app.created` reaches only
calendars this OAuth client created with calendars.insert, `calendar.events.owned*`
only calendars the user owns; a calendar out of reach answers 404 notFound, as Google
does for calendars the caller cannot see.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
import secrets
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser, Parser
from email.policy import compat32
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .discovery import Discovery
from .errors import ApiError
from .oauth import FULL_SCOPES, SCOPE_PREFIX, OAuthError, OAuthServer
from .store import Store

# Scopes that appear in the discovery document for events.get/list but only expose
# free/busy or public views; they never grant reading the event data itself here.
_VIEW_ONLY = {
    SCOPE_PREFIX + "calendar.events.freebusy",
    SCOPE_PREFIX + "calendar.events.public.readonly",
}
_APP_CREATED = SCOPE_PREFIX + "calendar.app.created"
_OWNED = {
    SCOPE_PREFIX + "calendar.events.owned",
    SCOPE_PREFIX + "calendar.events.owned.readonly",
}
_EVENT_WRITES = {
    "events.insert",
    "events.import",
    "events.patch",
    "events.update",
    "events.delete",
    "events.quickAdd",
    "events.move",
}
_ROLE_RANK = {"freeBusyReader": 0, "reader": 1, "writer": 2, "owner": 3}
_MAX_BATCH = 1000


@dataclass(frozen=True)
class RequestRecord:
    """One request the emulator answered (a batch's inner parts are records too)."""

    method: str
    path: str
    query: dict[str, str]  # last value of each parameter
    query_lists: dict[str, list[str]]
    status: int
    kind: str  # "events.list", "batch", "oauth.token", ...
    batch_part: bool = False
    body: object = None  # parsed JSON body, if any
    answer_lost: bool = False  # applied, then the connection closed (lose_answer)


@dataclass(frozen=True)
class RequestInfo:
    """What a fault's `match` predicate sees (the status is not known yet)."""

    method: str
    path: str
    query: dict[str, str]
    kind: str
    batch_part: bool
    body: object = None  # parsed JSON body, if any
    parts: tuple[str, ...] = ()  # a batch's inner kinds, in order ("events.insert", ...)


@dataclass
class _Fault:
    action: str  # "error": answer `status`; "drop": close unanswered; "lose": apply, close
    status: int | None
    remaining: int
    reason: str | None
    match: object
    retry_after: int | None
    inner: bool
    kinds: frozenset[str] | None = None
    writes_only: bool = False
    hits: int = field(default=0)

    def matches(self, info: RequestInfo) -> bool:
        if self.inner != info.batch_part:
            return False
        if self.kinds is not None and info.kind not in self.kinds:
            return False
        if self.writes_only and (info.method == "GET" or info.kind.startswith("oauth.")):
            return False
        if self.match is None:
            return self.kinds is not None or not info.kind.startswith("oauth.")
        if callable(self.match):
            return bool(self.match(info))
        verb, fragment = self.match
        return (verb in (None, "*") or verb.upper() == info.method) and fragment in info.path


class CalendarEmulator:
    """Loopback Calendar API v3 + OAuth emulator. Use as a context manager or
    `start()`/`stop()`; `root` is the stand-in for `https://www.googleapis.com/`."""

    def __init__(
        self,
        *,
        user_email: str = "user@example.com",
        time_zone: str = "UTC",
        client_id: str = "test-client.apps.googleusercontent.com",
        client_secret: str = "test-secret",
        access_token_lifetime: int = 3600,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.discovery = Discovery()
        self.store = Store(user_email, time_zone)
        self.oauth = OAuthServer()
        self.oauth.access_token_lifetime = access_token_lifetime
        self.client_id, self.client_secret = client_id, client_secret
        self.oauth.register_client(client_id, client_secret)
        self._host, self._port = host, port
        self._log_lock = threading.RLock()
        self._fault_lock = threading.RLock()
        self._log: list[RequestRecord] = []
        self._faults: list[_Fault] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> CalendarEmulator:
        if self._httpd is not None:
            return self
        httpd = ThreadingHTTPServer((self._host, self._port), _Handler)
        httpd.daemon_threads = True
        httpd.emulator = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="calendar-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> CalendarEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("emulator not started")
        return self._httpd.server_address[1]

    @property
    def root(self) -> str:
        return f"http://{self._host}:{self.port}/"

    @property
    def api_endpoint(self) -> str:
        """Pass as `client_options={"api_endpoint": ...}`: googleapiclient uses it in
        place of rootUrl + servicePath, so it must end in "calendar/v3/"."""
        return self.root + self.discovery.service_path

    @property
    def batch_uri(self) -> str:
        """Pass to `BatchHttpRequest(batch_uri=...)`; api_endpoint does not move batches."""
        return self.root + self.discovery.batch_path

    # -- OAuth controls -----------------------------------------------------------
    def allow_token(
        self, token: str, scopes: Iterable[str] | None = None, client_id: str | None = None
    ) -> None:
        """Accept `token` as a bearer token forever (scopes default to full calendar)."""
        self.oauth.allow_token(
            token, frozenset(scopes) if scopes else FULL_SCOPES, client_id or self.client_id
        )

    def register_client(self, client_id: str, client_secret: str) -> None:
        self.oauth.register_client(client_id, client_secret)

    def client_config(self, client_id: str | None = None) -> dict:
        """An installed-app client file pointing at this emulator."""
        cid = client_id or self.client_id
        return {
            "installed": {
                "client_id": cid,
                "client_secret": self.oauth.clients[cid],
                "project_id": "emulator",
                "auth_uri": self.root + "o/oauth2/auth",
                "token_uri": self.root + "token",
                "revoke_uri": self.root + "revoke",
                "auth_provider_x509_cert_url": self.root + "oauth2/v1/certs",
                "redirect_uris": ["http://localhost"],
            }
        }

    def write_client_file(self, path, client_id: str | None = None) -> str:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.client_config(client_id), fh)
        return str(path)

    def deny_next_consent(self) -> None:
        self.oauth.deny_next_consent()

    def revoke_refresh_tokens(self) -> None:
        self.oauth.revoke_refresh_tokens()

    def expire_access_tokens(self) -> None:
        self.oauth.expire_access_tokens()

    @property
    def access_token_lifetime(self) -> int:
        return self.oauth.access_token_lifetime

    @access_token_lifetime.setter
    def access_token_lifetime(self, seconds: int) -> None:
        self.oauth.access_token_lifetime = seconds

    @property
    def granted_scopes(self) -> list[frozenset[str]]:
        with self.oauth.lock:
            return list(self.oauth.granted_scopes)

    # -- seeding and inspection ----------------------------------------------------
    @property
    def primary_id(self) -> str:
        return self.store.user_email

    @property
    def max_page_size(self) -> int:
        """Cap on page size regardless of maxResults: lower it to force short pages."""
        return self.store.max_page_size

    @max_page_size.setter
    def max_page_size(self, size: int) -> None:
        self.store.max_page_size = size

    def add_calendar(
        self,
        summary: str,
        owner_app: str | None = None,
        time_zone: str | None = None,
        *,
        description: str | None = None,
        access_role: str = "owner",
    ) -> str:
        """Seed a secondary calendar of the account; returns its id.

        `owner_app`: the OAuth client id that created it through calendars.insert
        (`emulator.client_id` for "this app, an earlier install"); None: made in
        Google's UI, out of reach of `calendar.app.created`. `access_role`: the
        user's role on it (owner, writer, reader, freeBusyReader); not "owner" means
        someone else's calendar shared with the user."""
        return self.store.add_calendar(summary, owner_app, time_zone, description, access_role).id

    def put_event(self, calendar_id: str, body: dict) -> dict:
        """Seed an event as if it already existed (no auth, no schema check, id assigned
        when missing, an existing id is replaced); bumps `updated`."""
        with self.store.lock:
            return copy.deepcopy(self.store.insert_event(calendar_id, body, api=False))

    def put_events(self, calendar_id: str, bodies: Iterable[dict]) -> list[str]:
        """Bulk seeding for benchmarks; returns the ids."""
        with self.store.lock:
            return [self.store.insert_event(calendar_id, b, api=False)["id"] for b in bodies]

    def patch_event_direct(self, calendar_id: str, event_id: str, changes: dict) -> dict:
        """The user edits the event in Google's UI (merge-patch; bumps `updated`)."""
        with self.store.lock:
            return copy.deepcopy(self.store.patch_event(calendar_id, event_id, changes))

    def delete_event_direct(self, calendar_id: str, event_id: str) -> None:
        """The user deletes the event in Google's UI: it becomes a cancelled tombstone."""
        self.store.delete_event(calendar_id, event_id)

    def delete_calendar_direct(self, calendar_id: str) -> None:
        self.store.delete_calendar(calendar_id)

    def event(self, calendar_id: str, event_id: str) -> dict:
        with self.store.lock:
            return copy.deepcopy(self.store.get_event(calendar_id, event_id))

    def events(self, calendar_id: str, include_deleted: bool = False) -> list[dict]:
        with self.store.lock:
            cal = self.store.calendar(calendar_id)
            return [
                copy.deepcopy(e.body)
                for e in cal.events.values()
                if include_deleted or not e.deleted
            ]

    def calendars(self) -> list[dict]:
        """calendarList entries of every calendar of the account, plus `ownerApp`
        (the creating OAuth client id, or None)."""
        with self.store.lock:
            out = []
            for cal in self.store.calendars.values():
                entry = cal.list_entry()
                entry["ownerApp"] = cal.owner_app
                out.append(entry)
            return out

    def expire_sync_tokens(self) -> None:
        """Every sync token issued so far now answers 410 fullSyncRequired."""
        self.store.expire_sync_tokens()

    # -- faults ------------------------------------------------------------------
    def inject(
        self,
        status: int,
        count: int = 1,
        *,
        reason: str | None = None,
        match: Callable[[RequestInfo], bool] | tuple[str | None, str] | None = None,
        retry_after: int | None = None,
        inner: bool = False,
        kind: str | Iterable[str] | None = None,
    ) -> None:
        """Answer the next `count` matching requests with an error `status`.

        `match`: a predicate over RequestInfo, or (http_method or None, path substring);
        None matches any Calendar API request. `kind`: only requests of these kinds
        ("events.insert", "batch", ...). `inner=True` targets batch parts only (the
        batch itself still answers 200); otherwise only top-level requests."""
        with self._fault_lock:
            self._faults.append(
                _Fault("error", status, count, reason, match, retry_after, inner, _kinds(kind))
            )

    def drop_connections(
        self, count: int = 1, match=None, *, kind: str | Iterable[str] | None = None
    ) -> None:
        """Close the socket without answering (and without applying) the next `count`
        matching top-level requests. Note httplib2 itself re-sends once on a dropped
        connection."""
        with self._fault_lock:
            self._faults.append(_Fault("drop", None, count, None, match, None, False, _kinds(kind)))

    def lose_answer(
        self,
        count: int = 1,
        *,
        kind: str | Iterable[str] | None = None,
        match: Callable[[RequestInfo], bool] | tuple[str | None, str] | None = None,
    ) -> None:
        """Apply the next `count` matching top-level requests, then close the socket
        without answering: the write happened, the client sees a connection error.

        `kind`: "calendars.insert", "events.insert", "events.patch", "events.delete",
        "batch" (every part is applied, the whole multipart answer is lost), ...;
        `match` as for `inject` (a batch's RequestInfo.parts lists its inner kinds).
        With neither, any write (not GET) matches. httplib2 re-sends a request once on
        its own when the connection closes unanswered, so with count=1 a plain
        `execute()` of calendars.insert succeeds and leaves two calendars; count=2
        makes `execute()` raise (a ConnectionError) unless num_retries re-sends it."""
        with self._fault_lock:
            self._faults.append(
                _Fault(
                    "lose",
                    None,
                    count,
                    None,
                    match,
                    None,
                    False,
                    _kinds(kind),
                    writes_only=kind is None and match is None,
                )
            )

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._faults.clear()

    def _take_fault(self, info: RequestInfo) -> _Fault | None:
        with self._fault_lock:  # predicates may call count(): separate lock
            for fault in self._faults:
                if fault.remaining > 0 and fault.matches(info):
                    fault.remaining -= 1
                    fault.hits += 1
                    return fault
        return None

    # -- request log -------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def reset_request_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def count(self, kind: str, *, batch_part: bool | None = None) -> int:
        with self._log_lock:
            return sum(
                1
                for r in self._log
                if r.kind == kind and (batch_part is None or r.batch_part == batch_part)
            )

    def _record(
        self, method, path, query_lists, status, kind, batch_part, body, lost=False
    ) -> None:
        rec = RequestRecord(
            method,
            path,
            {k: v[-1] for k, v in query_lists.items()},
            query_lists,
            status,
            kind,
            batch_part,
            body,
            lost,
        )
        with self._log_lock:
            self._log.append(rec)

    # -- request handling ----------------------------------------------------------
    def handle(
        self,
        method: str,
        target: str,
        headers,
        body: bytes,
        *,
        batch_part: bool = False,
        outer_auth: str | None = None,
    ):
        """Answer one request: (status, headers, payload), or None to drop the socket."""
        split = urlsplit(target)
        path = split.path.lstrip("/")
        query_lists = parse_qs(split.query, keep_blank_values=True)
        kind, route = "unknown", None
        service = self.discovery.service_path
        parsed_body = None
        batch: list[_Part] | tuple | None = None
        try:
            if not batch_part and path == self.discovery.batch_path and method == "POST":
                kind = "batch"
                batch = _parse_batch(headers, body)
            elif not batch_part and path in ("o/oauth2/auth", "token", "revoke"):
                kind = "oauth." + path.rsplit("/", 1)[-1]
            elif path.startswith(service):
                route = self.discovery.route(method, path[len(service) :])
                kind = route[0].kind
        except ApiError as exc:
            route = exc
        if body and "json" in (headers.get("Content-Type") or "application/json"):
            try:
                parsed_body = json.loads(body)
            except ValueError:
                parsed_body = None
        info = RequestInfo(
            method,
            "/" + path,
            {k: v[-1] for k, v in query_lists.items()},
            kind,
            batch_part,
            parsed_body,
            tuple(self._kind_of(p.verb, p.target) for p in batch or ()),
        )
        fault = self._take_fault(info)
        if fault is not None and fault.action == "drop":
            self._record(method, "/" + path, query_lists, 0, kind, batch_part, parsed_body)
            return None
        if fault is not None and fault.action == "error":
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            result = _error(ApiError(fault.status, fault.reason, headers=extra))
        elif kind == "batch":
            result = _error(route) if isinstance(route, ApiError) else self._batch(headers, batch)
        elif kind.startswith("oauth."):
            result = self._oauth(kind, method, query_lists, headers, body)
        elif isinstance(route, ApiError) or route is None:
            result = _error(
                route
                or ApiError(
                    404,
                    "notFound",
                    f"Not Found: /{path} is outside /{service} (is the "
                    "client's api_endpoint the emulator's `api_endpoint`, root + "
                    f"'{service}'?)",
                )
            )
        else:
            try:
                result = self._api(
                    route[0], route[1], query_lists, headers, body, parsed_body, outer_auth
                )
            except ApiError as exc:
                result = _error(exc)
        lost = fault is not None and fault.action == "lose"
        self._record(
            method, "/" + path, query_lists, result[0], kind, batch_part, parsed_body, lost
        )
        return None if lost else result

    def _kind_of(self, method: str, target: str) -> str:
        path = urlsplit(target).path.lstrip("/")
        service = self.discovery.service_path
        if not path.startswith(service):
            return "unknown"
        try:
            return self.discovery.route(method, path[len(service) :])[0].kind
        except ApiError:
            return "unknown"

    def _api(self, method, path_params, query_lists, headers, body, parsed, outer_auth):
        auth = headers.get("Authorization") or outer_auth or ""
        token = None
        if auth.startswith("Bearer "):
            token = self.oauth.check_access(auth[len("Bearer ") :].strip())
        elif "oauth_token" in query_lists:
            token = self.oauth.check_access(query_lists["oauth_token"][-1])
        if token is None:
            raise ApiError(
                401,
                "authError",
                "Invalid Credentials",
                headers={
                    "WWW-Authenticate": 'Bearer realm="https://accounts.'
                    'google.com/", error="invalid_token"'
                },
            )
        # Google checks the token's scopes before it looks at the request.
        usable = self._check_scopes(method, token)
        params = self.discovery.check_query(method, query_lists)
        schema = method.request_schema
        if schema is not None:
            if body and parsed is None:
                raise ApiError(400, "parseError", "Parse Error")
            if parsed is None:
                parsed = {}
            self.discovery.check_body(schema, parsed)
        self._check_reach(path_params, usable, token)
        return self._execute(method.kind, path_params, params, parsed, token)

    def _check_scopes(self, method, token) -> frozenset[str]:
        """The token's scopes that fit this method (discovery `scopes`); 403 if none."""
        usable = (token.scopes & set(method.scopes)) - _VIEW_ONLY
        if not usable:
            resource, _, verb = method.kind.partition(".")
            rpc = f"calendar.v3.{resource[:1].upper()}{resource[1:]}.{verb[:1].upper()}{verb[1:]}"
            raise ApiError(
                403,
                "insufficientPermissions",
                "Request had insufficient authentication scopes.",
                item_message="Insufficient Permission",
                headers={
                    "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                    'error="insufficient_scope", scope="' + " ".join(method.scopes) + '"'
                },
                details=[
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                        "domain": "googleapis.com",
                        "metadata": {"service": "calendar-json.googleapis.com", "method": rpc},
                    }
                ],
            )
        return frozenset(usable)

    def _check_reach(self, path_params, usable: frozenset[str], token) -> None:
        """404 unless one fitting scope reaches the calendar in the path: app.created
        only calendars this client created, events.owned* only calendars the user owns."""
        cal_id = path_params.get("calendarId")
        if cal_id is None:
            return
        with self.store.lock:
            cal = self.store.calendar(cal_id)  # 404 when it does not exist
            for scope in usable:
                if scope == _APP_CREATED:
                    if cal.owner_app == token.client_id:
                        return
                elif scope in _OWNED:
                    if cal.access_role == "owner":
                        return
                else:
                    return
        raise ApiError(404, "notFound", "Not Found")

    def _execute(self, kind, pp, params, body, token):
        s = self.store
        cal_id, event_id = pp.get("calendarId"), pp.get("eventId")
        if kind in _EVENT_WRITES:
            with s.lock:
                if _ROLE_RANK[s.calendar(cal_id).access_role] < _ROLE_RANK["writer"]:
                    raise ApiError(
                        403,
                        "requiredAccessLevel",
                        "You need to have writer access to this calendar.",
                    )
        if kind == "events.list":
            return _ok(s.list_events(cal_id, params))
        if kind == "events.get":
            return _ok(s.get_event(cal_id, event_id))
        if kind == "events.insert":
            return _ok(s.insert_event(cal_id, body))
        if kind == "events.patch":
            return _ok(s.patch_event(cal_id, event_id, body))
        if kind == "events.update":
            return _ok(s.update_event(cal_id, event_id, body))
        if kind == "events.delete":
            s.delete_event(cal_id, event_id)
            return 204, {}, b""
        if kind == "calendars.insert":
            if not body.get("summary"):
                raise ApiError(400, "required", "Missing summary.")
            cal = s.add_calendar(
                body["summary"], token.client_id, body.get("timeZone"), body.get("description")
            )
            return _ok(cal.resource())
        if kind == "calendars.get":
            with s.lock:
                return _ok(s.calendar(cal_id).resource())
        if kind in ("calendars.patch", "calendars.update"):
            with s.lock:
                cal = s.change_calendar(cal_id, body, replace=kind == "calendars.update")
                return _ok(cal.resource())
        if kind == "calendars.delete":
            with s.lock:
                if s.calendar(cal_id).access_role != "owner":
                    raise ApiError(403, "forbidden", "Forbidden")
                s.delete_calendar(cal_id)
            return 204, {}, b""
        if kind == "calendarList.get":
            with s.lock:
                return _ok(s.calendar(cal_id).list_entry())
        if kind == "calendarList.list":
            return _ok(self._calendar_list(params))
        raise ApiError(501, "notImplemented", f"{kind} is not implemented by the emulator.")

    def _calendar_list(self, params) -> dict:
        floor = _ROLE_RANK[params.get("minAccessRole", "freeBusyReader")]
        with self.store.lock:
            entries = [
                c.list_entry()
                for c in self.store.calendars.values()
                if _ROLE_RANK[c.access_role] >= floor
            ]
        size = params.get("maxResults", 100)
        start = (
            int(params.get("pageToken", "0") or 0)
            if str(params.get("pageToken", "0")).isdigit()
            else 0
        )
        out = {
            "kind": "calendar#calendarList",
            "etag": f'"{self.store._seq}"',
            "items": entries[start : start + size],
        }
        if start + size < len(entries):
            out["nextPageToken"] = str(start + size)
        else:
            out["nextSyncToken"] = "calendarList-" + secrets.token_urlsafe(8)
        return out

    # -- batch --------------------------------------------------------------------
    def _batch(self, headers, parts: list[_Part]):
        boundary = "batch_" + secrets.token_urlsafe(12).replace("-", "x")
        chunks = []
        for part in parts:
            result = self.handle(
                part.verb,
                part.target,
                part.headers,
                part.body,
                batch_part=True,
                outer_auth=headers.get("Authorization"),
            )
            if result is None:  # drop_connections and lose_answer never target parts
                result = _error(ApiError(503, "backendError"))
            status, part_headers, part_body = result
            head = [f"HTTP/1.1 {status} {_phrase(status)}"]
            if part_body:
                head.append("Content-Type: application/json; charset=UTF-8")
            head += [f"{k}: {v}" for k, v in part_headers.items() if k.lower() != "content-type"]
            head.append(f"Content-Length: {len(part_body)}")
            chunks.append(
                f"--{boundary}\r\nContent-Type: application/http\r\n"
                f"Content-ID: <response-{part.content_id}>\r\n\r\n".encode()
                + "\r\n".join(head).encode()
                + b"\r\n\r\n"
                + part_body
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, b"".join(chunks)

    # -- OAuth ----------------------------------------------------------------------
    def _oauth(self, kind, method, query_lists, headers, body):
        query = {k: v[-1] for k, v in query_lists.items()}
        try:
            if kind == "oauth.auth":
                location = self.oauth.authorize(query)
                return 302, {"Location": location}, b""
            form = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            if kind == "oauth.token":
                if method != "POST":
                    raise OAuthError(405, "invalid_request", "POST required")
                basic = None
                auth = headers.get("Authorization") or ""
                if auth.startswith("Basic "):
                    user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
                    basic = (user, pw)
                return _ok(self.oauth.token(form, basic))
            self.oauth.revoke(query.get("token") or form.get("token", ""))
            return 200, {"Content-Type": "application/json"}, b"{}"
        except OAuthError as exc:
            return exc.status, {"Content-Type": "application/json"}, json.dumps(exc.body()).encode()


@dataclass(frozen=True)
class _Part:
    """One call inside a batch request."""

    content_id: str
    verb: str
    target: str
    headers: object  # email.message.Message: .get() like http headers
    body: bytes


def _parse_batch(headers, body: bytes) -> list[_Part]:
    ctype = headers.get("Content-Type") or ""
    if not ctype.startswith("multipart/mixed"):
        raise ApiError(400, "badRequest", "Batch requests must be multipart/mixed.")
    message = BytesParser(policy=compat32).parsebytes(
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
    )
    parts = message.get_payload()
    if not message.is_multipart() or not isinstance(parts, list):
        raise ApiError(400, "badRequest", "Malformed batch body.")
    if len(parts) > _MAX_BATCH:
        raise ApiError(400, "badRequest", f"A batch can hold at most {_MAX_BATCH} calls.")
    out = []
    for part in parts:
        # Unfold (RFC 5322): the client's generator folds long Content-IDs, and the
        # answer must echo the id unfolded or the client cannot match it.
        content_id = re.sub(r"\r?\n(?=[ \t])", "", part["Content-ID"] or "").strip().strip("<>")
        payload = part.get_payload(decode=False)
        if isinstance(payload, list):
            payload = payload[0].as_string()
        request_line, _, rest = payload.lstrip("\r\n").partition("\n")
        words = request_line.split(" ")
        if len(words) < 2:
            raise ApiError(400, "badRequest", "Malformed batch part: no request line.")
        inner = Parser(policy=compat32).parsestr(rest)
        out.append(
            _Part(
                content_id, words[0].upper(), words[1], inner, (inner.get_payload() or "").encode()
            )
        )
    return out


def _kinds(kind: str | Iterable[str] | None) -> frozenset[str] | None:
    if kind is None:
        return None
    return frozenset([kind] if isinstance(kind, str) else kind)


def _ok(payload: dict):
    return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(payload).encode()


def _error(exc: ApiError):
    return (
        exc.status,
        {"Content-Type": "application/json; charset=UTF-8", **exc.headers},
        exc.json_bytes(),
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CalendarEmulator/1"
    # Headers and body leave in two writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms a request on Linux loopback).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        emulator: CalendarEmulator = self.server.emulator  # type: ignore[attr-defined]
        result = emulator.handle(self.command, self.path, self.headers, body)
        if result is None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, headers, payload = result
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


__all__ = ["CalendarEmulator", "RequestInfo", "RequestRecord"]
