"""Bearer token format: ``cxs_<tenant id hex>_<secret>``, stored only as its SHA-256.

The tenant id in the clear lets a request open its tenant-scoped transaction before the token
row is looked up, so token lookups obey row-level security like every other query (and route
to one shard). It reveals nothing secret: the 256-bit secret part is what authenticates.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from cxsuite.identity import principal_cache
from cxsuite.settings import Settings

PREFIX = "cxs_"
INVITE_PREFIX = "cxi_"
# Mailed account secrets belong to a person, not a tenant, so they carry no tenant id.
RESET_PREFIX = "cxr_"
VERIFY_PREFIX = "cxv_"


@dataclass(frozen=True)
class ParsedToken:
    """A syntactically valid token: the tenant it claims and its storage hash."""

    tenant_id: UUID
    token_hash: str


def new_token(tenant_id: UUID, prefix: str = PREFIX) -> str:
    """A fresh token for ``tenant_id``, shown to its owner once (invitations use their own
    prefix, so one can never be used as the other)."""
    return f"{prefix}{tenant_id.hex}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """The value stored and looked up; a slow KDF adds nothing for 256-bit random secrets."""
    return hashlib.sha256(token.encode()).hexdigest()


def parse_token(token: str, prefix: str = PREFIX) -> ParsedToken | None:
    """The claimed tenant and hash, or ``None`` when the string is not a cxsuite token."""
    if not token.startswith(prefix) or len(token) > 200:
        return None
    tenant_hex, _, secret = token.removeprefix(prefix).partition("_")
    if len(tenant_hex) != 32 or len(secret) < 32:
        return None
    try:
        tenant_id = UUID(hex=tenant_hex)
    except ValueError:
        return None
    return ParsedToken(tenant_id=tenant_id, token_hash=hash_token(token))


def new_account_secret(prefix: str) -> tuple[str, str]:
    """A mailed single-use secret (password reset, email verification) and its storage hash."""
    token = f"{prefix}{secrets.token_urlsafe(32)}"
    return token, hash_token(token)


def account_secret_hash(token: str, prefix: str) -> str | None:
    """The storage hash of a mailed secret, or ``None`` when it cannot be one of ours."""
    if not token.startswith(prefix) or not 40 <= len(token) <= 100:
        return None
    return hash_token(token)


@dataclass(frozen=True)
class TokenLifetimes:
    """How long tokens live: sessions slide by ``session_ttl`` up to ``session_max`` after
    sign-in; personal tokens get ``personal_default`` unless they ask for up to ``personal_max``."""

    session_ttl: timedelta
    session_max: timedelta
    personal_default: timedelta
    personal_max: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenLifetimes:
        """The lifetimes configured for this process."""
        return cls(timedelta(hours=settings.access_token_ttl_hours),
                   timedelta(hours=settings.session_max_hours),
                   timedelta(days=settings.personal_token_days),
                   timedelta(days=settings.personal_token_max_days))

    def session_expiry(self, created_at: datetime, now: datetime) -> datetime:
        """Where a session used at ``now`` now ends (sliding, capped at the maximum)."""
        return min(now + self.session_ttl, created_at + self.session_max)


def forget_principals(tenant_id: UUID | None = None, user_id: UUID | None = None) -> None:
    """Make a change to access take effect on the next request: drop this process's cached
    principals of ``user_id`` in ``tenant_id`` (``None`` widens to every user, then every
    tenant). Call it AFTER the transaction that revoked tokens or changed roles commits; other
    processes follow within ``principal_cache.TTL_SECONDS``."""
    principal_cache.forget(tenant_id, user_id)
