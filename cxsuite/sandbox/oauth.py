"""The authorization server all four stand-ins share: clients, codes, access and refresh tokens.

Vendors differ in how they *answer* (bodies, status codes, which fields a token response
carries); they agree on the mechanics, which live here once: codes are single-use and
short-lived, access tokens expire on the sandbox clock, refresh tokens may rotate. Each
vendor module turns the outcomes below into its own wire format.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from cxsuite.sandbox.clock import Clock


@dataclass(frozen=True)
class Client:
    """An OAuth client (connected app) the sandbox accepts for one vendor."""

    vendor: str
    client_id: str
    client_secret: str


CLIENTS = {
    "hubspot": Client("hubspot", "5f2c9a1e-7b44-4c2e-9d1a-3c8e6b0f4a21", "hs-sandbox-secret-6c1d0e"),
    "salesforce": Client("salesforce", "3MVG9CxSuite.Sandbox.ConsumerKey.4kQ2", "sf-sandbox-secret-9b2e71"),
    "zoho": Client("zoho", "1000.CXSUITESANDBOX7Q4WZ2M1LK9", "zoho-sandbox-secret-4a7f3c"),
    "ga4": Client("ga4", "123456789012-cxsuitesandbox.apps.googleusercontent.com", "GOCSPX-cxsuite-sandbox"),
}

# Seconds a code may wait before it is exchanged, and an access token lives.
CODE_TTL = {"hubspot": 600, "salesforce": 900, "zoho": 120, "ga4": 600}
ACCESS_TTL = {"hubspot": 1800, "salesforce": 7200, "zoho": 3600, "ga4": 3599}
_TOKEN_PREFIX = {"hubspot": "CNbx", "salesforce": "00DDn000000sbx!AQ", "zoho": "1000.", "ga4": "ya29."}
_REFRESH_PREFIX = {"hubspot": "na1-", "salesforce": "5Aep861", "zoho": "1000.", "ga4": "1//0g"}


class CodeProblem(Enum):
    """Why a code exchange failed; each vendor words these differently."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REDIRECT_MISMATCH = "redirect_mismatch"


class TokenState(Enum):
    """What a presented access token is worth right now."""

    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass
class Grant:
    """An authorization code and what it was issued for."""

    vendor: str
    code: str
    redirect_uri: str
    scope: str
    expires_at: datetime
    location: str | None = None
    used: bool = False


@dataclass
class AccessToken:
    """An access token on the sandbox clock; ``location`` pins Zoho tokens to one data centre."""

    vendor: str
    token: str
    scope: str
    expires_at: datetime
    location: str | None = None


@dataclass
class RefreshToken:
    """A refresh token; rotation revokes the old one."""

    vendor: str
    token: str
    scope: str
    location: str | None = None
    revoked: bool = False


class OAuthServer:
    """Issues and checks codes and tokens for every vendor; thread-safe because tests mutate
    it (expire tokens) from another thread than the one serving requests."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, RefreshToken] = {}

    def check_client(self, vendor: str, client_id: str | None, secret: str | None = None) -> bool:
        """Whether ``client_id`` (and ``secret`` when given) belong to the vendor's client."""
        client = CLIENTS[vendor]
        return client_id == client.client_id and (secret is None or secret == client.client_secret)

    def issue_code(self, vendor: str, redirect_uri: str, scope: str, location: str | None = None) -> str:
        """A fresh single-use code; Salesforce's end in ``==`` like the real ones (decode once!)."""
        code = secrets.token_urlsafe(24) + ("==" if vendor == "salesforce" else "")
        expires = self.clock.now() + timedelta(seconds=CODE_TTL[vendor])
        with self._lock:
            self._grants[code] = Grant(vendor, code, redirect_uri, scope, expires, location)
        return code

    def redeem_code(
        self, vendor: str, code: str, redirect_uri: str | None, location: str | None = None
    ) -> Grant | CodeProblem:
        """Consume a code: the grant, or why it cannot be exchanged (here, or at this DC)."""
        with self._lock:
            grant = self._grants.get(code)
            if grant is None or grant.vendor != vendor or grant.location != location:
                return CodeProblem.UNKNOWN
            if grant.used:
                return CodeProblem.USED
            if self.clock.now() >= grant.expires_at:
                return CodeProblem.EXPIRED
            if redirect_uri is not None and redirect_uri != grant.redirect_uri:
                return CodeProblem.REDIRECT_MISMATCH
            grant.used = True
            return grant

    def issue(
        self, vendor: str, scope: str, location: str | None = None, with_refresh: bool = True
    ) -> tuple[AccessToken, RefreshToken | None]:
        """A new access token (and refresh token unless ``with_refresh`` is false)."""
        access = AccessToken(
            vendor,
            _TOKEN_PREFIX[vendor] + secrets.token_urlsafe(32),
            scope,
            self.clock.now() + timedelta(seconds=ACCESS_TTL[vendor]),
            location,
        )
        refresh = RefreshToken(vendor, _REFRESH_PREFIX[vendor] + secrets.token_urlsafe(32), scope, location)
        with self._lock:
            self._access[access.token] = access
            if with_refresh:
                self._refresh[refresh.token] = refresh
        return access, refresh if with_refresh else None

    def refresh(
        self, vendor: str, token: str, rotate: bool, location: str | None = None
    ) -> tuple[AccessToken, RefreshToken | None] | None:
        """A new access token for a live refresh token (and a replacement when ``rotate``)."""
        with self._lock:
            current = self._refresh.get(token)
            if current is None or current.revoked or current.vendor != vendor or current.location != location:
                return None
            current.revoked = rotate
        access, new_refresh = self.issue(vendor, current.scope, current.location, with_refresh=rotate)
        return access, new_refresh

    def check(
        self, vendor: str, token: str | None, location: str | None = None
    ) -> tuple[TokenState, AccessToken | None]:
        """Whether ``token`` is valid for this vendor (and data centre), expired, or unknown."""
        with self._lock:
            access = self._access.get(token or "")
        if access is None or access.vendor != vendor or access.location != location:
            return TokenState.INVALID, None
        if self.clock.now() >= access.expires_at:
            return TokenState.EXPIRED, access
        return TokenState.VALID, access

    def expire_all(self) -> int:
        """Expire every access token now (refresh tokens keep working); returns how many."""
        now = self.clock.now()
        with self._lock:
            for access in self._access.values():
                access.expires_at = min(access.expires_at, now)
            return len(self._access)

    def revoke_all(self, vendor: str) -> int:
        """The grant is gone (user revoked the app, or the refresh token expired): every refresh
        token of ``vendor`` is revoked and its access tokens expire now; returns how many refresh
        tokens. The vendor then answers a refresh with ``invalid_grant``."""
        now = self.clock.now()
        with self._lock:
            for access in self._access.values():
                if access.vendor == vendor:
                    access.expires_at = min(access.expires_at, now)
            revoked = [r for r in self._refresh.values() if r.vendor == vendor and not r.revoked]
            for refresh in revoked:
                refresh.revoked = True
            return len(revoked)
