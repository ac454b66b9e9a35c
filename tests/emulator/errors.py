"""Google-shaped API errors raised inside the emulator and turned into HTTP answers."""

from __future__ import annotations

import json

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    410: "FAILED_PRECONDITION",  # what Google sends with fullSyncRequired / deleted
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

# Reason used when a fault is injected without naming one.
DEFAULT_REASONS = {
    400: "badRequest",
    401: "authError",
    403: "rateLimitExceeded",
    404: "notFound",
    409: "duplicate",
    410: "fullSyncRequired",
    429: "rateLimitExceeded",
    500: "backendError",
    502: "backendError",
    503: "backendError",
}

DEFAULT_MESSAGES = {
    "rateLimitExceeded": "Rate Limit Exceeded",
    "userRateLimitExceeded": "User Rate Limit Exceeded",
    "quotaExceeded": "Calendar usage limits exceeded.",
    "backendError": "Backend Error",
    "fullSyncRequired": "Sync token is no longer valid, a full sync is required.",
    "notFound": "Not Found",
    "duplicate": "The requested identifier already exists.",
    "deleted": "Resource has been deleted",
    "insufficientPermissions": "Insufficient Permission",
    "authError": "Invalid Credentials",
}


class ApiError(Exception):
    """One failed Calendar call: status, Google reason and message."""

    def __init__(
        self,
        status: int,
        reason: str | None = None,
        message: str | None = None,
        *,
        location: str | None = None,
        headers: dict[str, str] | None = None,
        item_message: str | None = None,
        details: list[dict] | None = None,
    ):
        self.status = status
        self.reason = reason or DEFAULT_REASONS.get(status, "backendError")
        self.message = message or DEFAULT_MESSAGES.get(self.reason, self.reason)
        self.location = location
        self.headers = dict(headers or {})
        # Google sometimes words the inner `errors[0].message` differently from the top
        # one (insufficient scopes: "Insufficient Permission" vs "Request had ...").
        self.item_message = item_message
        self.details = list(details or [])
        super().__init__(f"{status} {self.reason}: {self.message}")

    def body(self) -> dict:
        item = {
            "domain": "usageLimits"
            if "Limit" in self.reason or self.reason == "quotaExceeded"
            else "global",
            "reason": self.reason,
            "message": self.item_message or self.message,
        }
        if self.location:
            item["location"] = self.location
            item["locationType"] = "parameter"
        if self.status == 401:
            item.update(location="Authorization", locationType="header")
        error = {
            "code": self.status,
            "message": self.message,
            "errors": [item],
            "status": _STATUS_NAMES.get(self.status, "UNKNOWN"),
        }
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def json_bytes(self) -> bytes:
        return json.dumps(self.body()).encode()
