"""Google's OAuth endpoints, enough for InstalledAppFlow and google-auth refreshes:
consent (`/o/oauth2/auth`, approves at once), token (`/token`) and revoke (`/revoke`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

SCOPE_PREFIX = "https://www.googleapis.com/auth/"
FULL_SCOPES = frozenset({SCOPE_PREFIX + "calendar"})


@dataclass
class Grant:
    """What a user consented to: one refresh token and the access tokens minted from it."""

    client_id: str
    scopes: frozenset[str]
    refresh_token: str
    revoked: bool = False
    access_tokens: set[str] = field(default_factory=set)


@dataclass
class AccessToken:
    token: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float | None  # None: never (tokens allowed by tests)
    grant: Grant | None = None


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str):
        self.status, self.error, self.description = status, error, description
        super().__init__(f"{status} {error}: {description}")

    def body(self) -> dict:
        return {"error": self.error, "error_description": self.description}


class OAuthServer:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.access_token_lifetime = 3600
        self.clients: dict[str, str] = {}
        self.granted_scopes: list[frozenset[str]] = []
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, AccessToken] = {}
        self._grants: dict[str, Grant] = {}
        self._deny_next = False

    # -- test controls ----------------------------------------------------------
    def register_client(self, client_id: str, client_secret: str) -> None:
        with self.lock:
            self.clients[client_id] = client_secret

    def allow_token(self, token: str, scopes=None, client_id: str = "test-client") -> None:
        with self.lock:
            self._tokens[token] = AccessToken(
                token, client_id, frozenset(scopes or FULL_SCOPES), None
            )

    def deny_next_consent(self) -> None:
        with self.lock:
            self._deny_next = True

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            for grant in self._grants.values():
                self._revoke(grant)

    def expire_access_tokens(self) -> None:
        with self.lock:
            for tok in self._tokens.values():
                if tok.expires_at is not None:
                    tok.expires_at = 0

    def _revoke(self, grant: Grant) -> None:
        grant.revoked = True
        for token in grant.access_tokens:
            self._tokens.pop(token, None)

    # -- lookups ----------------------------------------------------------------
    def check_access(self, token: str) -> AccessToken | None:
        with self.lock:
            tok = self._tokens.get(token)
            if tok is None or (tok.expires_at is not None and tok.expires_at < time.time()):
                return None
            return tok

    # -- endpoints ----------------------------------------------------------------
    def authorize(self, query: dict[str, str]) -> str:
        """Redirect target for a consent request (approved, or denied once on demand)."""
        with self.lock:
            redirect = query.get("redirect_uri", "")
            client_id = query.get("client_id", "")
            if not redirect or client_id not in self.clients:
                raise OAuthError(400, "invalid_client", "The OAuth client was not found.")
            state = {"state": query["state"]} if "state" in query else {}
            sep = "&" if "?" in redirect else "?"
            if self._deny_next:
                self._deny_next = False
                return redirect + sep + urlencode({"error": "access_denied", **state})
            scopes = frozenset(query.get("scope", "").split())
            if not scopes:
                raise OAuthError(400, "invalid_request", "Missing required parameter: scope")
            self.granted_scopes.append(scopes)
            code = "4/" + secrets.token_urlsafe(24)
            self._codes[code] = {
                "client_id": client_id,
                "redirect_uri": redirect,
                "scopes": scopes,
                "challenge": query.get("code_challenge"),
                "method": query.get("code_challenge_method", "plain"),
            }
            return (
                redirect
                + sep
                + urlencode({**state, "code": code, "scope": " ".join(sorted(scopes))})
            )

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        with self.lock:
            client_id = form.get("client_id") or (basic[0] if basic else "")
            secret = form.get("client_secret") or (basic[1] if basic else "")
            if self.clients.get(client_id) != secret or client_id not in self.clients:
                raise OAuthError(401, "invalid_client", "Unauthorized")
            grant_type = form.get("grant_type")
            if grant_type == "authorization_code":
                return self._exchange(form, client_id)
            if grant_type == "refresh_token":
                grant = self._grants.get(form.get("refresh_token", ""))
                if grant is None or grant.revoked or grant.client_id != client_id:
                    raise OAuthError(400, "invalid_grant", "Token has been expired or revoked.")
                scopes = grant.scopes
                if form.get("scope"):
                    asked = frozenset(form["scope"].split())
                    if not asked <= grant.scopes:
                        raise OAuthError(
                            400, "invalid_scope", "Some requested scopes were invalid."
                        )
                    scopes = asked
                return self._mint(grant, scopes, with_refresh=False)
            raise OAuthError(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _exchange(self, form: dict[str, str], client_id: str) -> dict:
        code = self._codes.pop(form.get("code", ""), None)
        if code is None or code["client_id"] != client_id:
            raise OAuthError(400, "invalid_grant", "Malformed auth code.")
        if form.get("redirect_uri") != code["redirect_uri"]:
            raise OAuthError(400, "redirect_uri_mismatch", "Bad Request")
        if code["challenge"]:
            verifier = form.get("code_verifier", "")
            if code["method"] == "S256":
                digest = hashlib.sha256(verifier.encode()).digest()
                derived = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            else:
                derived = verifier
            if not verifier or derived != code["challenge"]:
                raise OAuthError(400, "invalid_grant", "Invalid code verifier.")
        grant = Grant(client_id, code["scopes"], "1//" + secrets.token_urlsafe(32))
        self._grants[grant.refresh_token] = grant
        return self._mint(grant, grant.scopes, with_refresh=True)

    def _mint(self, grant: Grant, scopes: frozenset[str], *, with_refresh: bool) -> dict:
        token = "ya29." + secrets.token_urlsafe(32)
        lifetime = self.access_token_lifetime
        self._tokens[token] = AccessToken(
            token, grant.client_id, scopes, time.time() + lifetime, grant
        )
        grant.access_tokens.add(token)
        out = {
            "access_token": token,
            "expires_in": lifetime,
            "scope": " ".join(sorted(scopes)),
            "token_type": "Bearer",
        }
        if with_refresh:
            out["refresh_token"] = grant.refresh_token
        return out

    def revoke(self, token: str) -> None:
        with self.lock:
            grant = self._grants.get(token)
            if grant is None:
                access = self._tokens.get(token)
                grant = access.grant if access else None
                if access is not None and grant is None:
                    del self._tokens[token]
                    return
            if grant is None or grant.revoked:
                raise OAuthError(400, "invalid_token", "Token expired or revoked")
            self._revoke(grant)
