"""The Calendar API client: one configured service, retries by error type, batches.

Every request, batches included, goes to the configured root (`config.google.api_root`
or `FOLLOWUP_GOOGLE_API_ROOT`). Quirks this module exists for (GOOGLE-NOTES):

- `client_options={"api_endpoint": ...}` moves normal requests but not batches, and
  `service.new_batch_http_request()` still posts to googleapis.com, so batches are built
  as `BatchHttpRequest(batch_uri=<root>batch/calendar/v3)`.
- `BatchHttpRequest.execute()` never retries, so failed items are retried here.
- Retried: 429, 5xx, 403 `rateLimitExceeded`/`userRateLimitExceeded`, dropped
  connections and timeouts. Never retried: 403 `quotaExceeded` (the daily quota will
  not come back in seconds), 404, 409, 410 (they mean something; callers decide).

The backoff is exponential with full jitter; `FOLLOWUP_BACKOFF_BASE` (seconds, default 1)
scales it so tests run in milliseconds. googleapiclient is imported only here and only
when a pass needs it, so `followup --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sync.errors import TemporaryError
from sync.google.auth import Connection, auth_error

log = logging.getLogger("followup.google")

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
ATTEMPTS = 6  # per request, and rounds per batch item
BATCH_SIZE = 50  # Google allows 1000; large batches draw inner rateLimitExceeded
HTTP_TIMEOUT = 30.0


def backoff_base() -> float:
    try:
        return max(0.0, float(os.environ.get("FOLLOWUP_BACKOFF_BASE", "1")))
    except ValueError:
        return 1.0


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0-based): full jitter, capped."""
    base = backoff_base()
    wait = random.random() * base * (2**attempt)  # noqa: S311 - jitter, not crypto
    if retry_after is not None:
        wait = max(wait, min(retry_after, 60.0) * base)
    return min(wait, 64.0 * base)


def error_reason(exc: BaseException) -> str | None:
    """Google's `errors[0].reason` of an HttpError (e.g. "rateLimitExceeded")."""
    content = getattr(exc, "content", None)
    if not content:
        return None
    try:
        body = json.loads(content)
        errors = body["error"].get("errors") or []
        return errors[0].get("reason") if errors else body["error"].get("status")
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def status_of(exc: BaseException) -> int | None:
    resp = getattr(exc, "resp", None)
    return getattr(resp, "status", None) if resp is not None else None


def is_transient(exc: BaseException) -> bool:
    import httplib2
    from googleapiclient.errors import HttpError

    if isinstance(exc, HttpError):
        status = status_of(exc) or 0
        if status == 429 or status >= 500:
            return True
        return status == 403 and error_reason(exc) in RATE_LIMIT_REASONS
    return isinstance(exc, (OSError, TimeoutError, httplib2.HttpLib2Error))


def _retry_after(exc: BaseException) -> float | None:
    resp = getattr(exc, "resp", None)
    value = resp.get("retry-after") if resp is not None else None
    try:
        return float(value) if value else None
    except ValueError:
        return None


def describe(exc: BaseException) -> str:
    """A short, token-free description of a failure."""
    status = status_of(exc)
    if status is not None:
        reason = error_reason(exc)
        return f"HTTP {status}" + (f" {reason}" if reason else "")
    return type(exc).__name__


@dataclass
class ItemResult:
    response: dict[str, Any] | None
    error: BaseException | None

    @property
    def ok(self) -> bool:
        return self.error is None


class Api:
    """A Calendar v3 service on the configured root, with retries."""

    def __init__(self, connection: Connection, api_root: str) -> None:
        import google_auth_httplib2
        import httplib2
        from googleapiclient.discovery import build

        # httplib2 silently sends a request again when the connection drops before the
        # answer, POSTs included. Retrying is `call`'s job (by error type, looking first
        # where a write is not idempotent); one try here. httplib2 still resends once on
        # a stale keep-alive connection, which `target.create` checks for afterwards.
        httplib2.RETRIES = 1

        self.connection = connection
        self.root = api_root if api_root.endswith("/") else api_root + "/"
        self.http = google_auth_httplib2.AuthorizedHttp(
            connection.credentials, http=httplib2.Http(timeout=HTTP_TIMEOUT)
        )
        self.service = build(
            "calendar",
            "v3",
            http=self.http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": self.root + "calendar/v3/"},
        )
        self.batch_uri = self.root + "batch/calendar/v3"
        self.requests = 0  # HTTP requests sent (a batch counts once)

    def events(self) -> Any:
        return self.service.events()

    def calendars(self) -> Any:
        return self.service.calendars()

    def calendar_list(self) -> Any:
        return self.service.calendarList()

    def call(
        self, request: Any, what: str, *, before_retry: Callable[[], Any] | None = None
    ) -> Any:
        """Execute one request, retrying transient failures; TemporaryError when they
        do not stop. Non-transient HttpErrors (404, 409, 410, ...) go to the caller.

        `before_retry` guards a write that is not idempotent (creating a calendar): a
        lost answer may hide a write that landed, so before sending it again the caller
        looks; whatever it finds (not None) is returned instead of retrying."""
        from google.auth.exceptions import GoogleAuthError

        last: BaseException | None = None
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(backoff(attempt - 1, _retry_after(last) if last else None))
                if before_retry is not None:
                    found = before_retry()
                    if found is not None:
                        return found
            self.requests += 1
            try:
                return request.execute(num_retries=0)
            except GoogleAuthError as exc:
                raise auth_error(exc) from None
            except Exception as exc:
                if not is_transient(exc):
                    raise
                last = exc
                log.info("%s: %s; retrying", what, describe(exc))
        assert last is not None
        raise TemporaryError(
            f"Google Calendar kept failing ({describe(last)} on {what}); nothing was lost, "
            "the next run continues"
        )

    def batch(
        self,
        items: Iterable[tuple[str, Callable[[], Any]]],
        on_result: Callable[[str, ItemResult], None],
    ) -> dict[str, BaseException]:
        """Run requests in batches of BATCH_SIZE; retry transient item failures.

        `items` are (id, factory) pairs; a factory builds a fresh HttpRequest (a retry
        must not reuse one). `on_result` is called once per item with its final result,
        as soon as it is known, so the caller can record each write as it lands.
        Returns the items that still failed transiently after every round."""
        from google.auth.exceptions import GoogleAuthError
        from googleapiclient.http import BatchHttpRequest

        pending = list(items)
        factories = dict(pending)
        failing: dict[str, BaseException] = {}
        for attempt in range(ATTEMPTS):
            if not pending:
                break
            if attempt:
                hint = max((_retry_after(e) or 0 for e in failing.values()), default=0) or None
                time.sleep(backoff(attempt - 1, hint))
            failing = {}
            retry: list[tuple[str, Callable[[], Any]]] = []
            for start in range(0, len(pending), BATCH_SIZE):
                chunk = pending[start : start + BATCH_SIZE]
                results: dict[str, ItemResult] = {}

                def collect(
                    request_id: str,
                    response: Any,
                    exception: BaseException | None,
                    results: dict[str, ItemResult] = results,
                ) -> None:
                    results[request_id] = ItemResult(response, exception)

                batch = BatchHttpRequest(callback=collect, batch_uri=self.batch_uri)
                for key, factory in chunk:
                    batch.add(factory(), request_id=key)
                self.requests += 1
                try:
                    batch.execute(http=self.http)
                except GoogleAuthError as exc:
                    raise auth_error(exc) from None
                except Exception as exc:
                    if not is_transient(exc):
                        raise
                    log.info("batch of %d: %s; retrying", len(chunk), describe(exc))
                    for key, _ in chunk:
                        if key not in results:
                            failing[key] = exc
                            retry.append((key, factories[key]))
                for key, _ in chunk:
                    result = results.get(key)
                    if result is None:
                        continue
                    if result.error is not None and is_transient(result.error):
                        failing[key] = result.error
                        retry.append((key, factories[key]))
                    else:
                        on_result(key, result)
            pending = retry
        return failing
