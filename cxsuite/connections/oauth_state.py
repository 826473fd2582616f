"""The OAuth ``state`` parameter and PKCE.

A state is ``base64url(payload).base64url(HMAC-SHA256(secret, payload))``: it binds the
authorisation to a tenant, workspace, user, connection, connector and expiry, and carries a
random nonce. The signature and expiry are checked here; single use is the caller's job, by
atomically marking the nonce used (``cxsuite.connections.oauth`` does it in the same
transaction that reads the pending authorisation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID


class StateError(ValueError):
    """Why a state was refused: malformed, forged or tampered, or expired."""


@dataclass(frozen=True)
class StatePayload:
    """What a verified state says."""

    tenant_id: UUID
    workspace_id: UUID
    user_id: UUID
    connection_id: UUID
    connector: str
    nonce: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), b"cxsuite-oauth-state:" + payload, hashlib.sha256).digest()


def issue(secret: str, *, tenant_id: UUID, workspace_id: UUID, user_id: UUID, connection_id: UUID,
          connector: str, ttl: timedelta, now: datetime | None = None) -> tuple[str, str]:
    """A signed state and its nonce (to record as pending)."""
    nonce = secrets.token_urlsafe(24)
    expires = (now or datetime.now(UTC)) + ttl
    payload = json.dumps({"t": str(tenant_id), "w": str(workspace_id), "u": str(user_id),
                          "c": str(connection_id), "k": connector, "n": nonce,
                          "e": int(expires.timestamp())}, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_sign(secret, payload))}", nonce


def verify(secret: str, state: str, *, now: datetime) -> StatePayload:
    """The payload of a genuine, unexpired state; :class:`StateError` otherwise."""
    encoded, _, signature = state.partition(".")
    if not encoded or not signature:
        raise StateError("it is malformed")
    try:
        payload, given = _unb64(encoded), _unb64(signature)
    except (ValueError, TypeError):
        raise StateError("it is malformed") from None
    if not hmac.compare_digest(given, _sign(secret, payload)):
        raise StateError("its signature does not match (forged or altered)")
    try:
        data = json.loads(payload)
        parsed = StatePayload(UUID(data["t"]), UUID(data["w"]), UUID(data["u"]), UUID(data["c"]),
                              str(data["k"]), str(data["n"]), datetime.fromtimestamp(data["e"], UTC))
    except (ValueError, KeyError, TypeError):
        raise StateError("it is malformed") from None
    if parsed.expires_at <= now:
        raise StateError("it has expired; start the connection again")
    return parsed


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)[:96]
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding."""
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())
