"""A short-lived, per-process cache of the principal behind a bearer token.

Looking a token up costs a tenant-scoped transaction and four queries (token, user, tenant
role, workspace roles); a client making several calls a second pays that on every one. The
cache keeps the answer for at most :data:`TTL_SECONDS` and never past the token's own expiry,
keyed by the token's SHA-256 (never the token itself). Only successful lookups are cached, so
a stranger cannot fill it.

Staleness is bounded twice: every change that can take access away (revoking a token,
changing or removing a membership) calls :func:`cxsuite.identity.tokens.forget_principals`
after its transaction commits, which takes effect on the next request in this process; other
processes (more uvicorn workers, more hosts) drop their entry within ``TTL_SECONDS``. A lookup
that was already running when access changed cannot put its stale answer back: ``forget``
advances a generation and :func:`remember` refuses answers read under an older one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from cxsuite.access.principal import Principal

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    valid_until: float  # time.monotonic()


_entries: dict[str, _Entry] = {}
_generation = 0


def recall(token_hash: str) -> Principal | None:
    """The cached principal for ``token_hash`` while it is fresh, else ``None``."""
    entry = _entries.get(token_hash)
    if entry is None:
        return None
    if entry.valid_until <= time.monotonic():
        _entries.pop(token_hash, None)
        return None
    return entry.principal


def generation() -> int:
    """Read before a lookup starts; hand it to :func:`remember` with the lookup's answer."""
    return _generation


def remember(token_hash: str, principal: Principal, expires_at: datetime | None, read_at: int) -> None:
    """Keep ``principal`` for up to ``TTL_SECONDS`` (less when the token expires sooner),
    unless access changed since the lookup began (``read_at`` is its :func:`generation`)."""
    if read_at != _generation:
        return
    now = time.monotonic()
    valid_until = now + TTL_SECONDS
    if expires_at is not None:
        valid_until = min(valid_until, now + (expires_at - datetime.now(UTC)).total_seconds())
    if valid_until <= now:
        return
    if len(_entries) >= MAX_ENTRIES:
        for key in [k for k, e in _entries.items() if e.valid_until <= now] or [next(iter(_entries))]:
            del _entries[key]
    _entries[token_hash] = _Entry(principal, valid_until)


def forget(tenant_id: UUID | None = None, user_id: UUID | None = None) -> None:
    """Drop cached principals of ``user_id`` in ``tenant_id`` (every user of the tenant when
    ``user_id`` is ``None``; everything when both are)."""
    global _generation
    _generation += 1
    for key, entry in list(_entries.items()):
        p = entry.principal
        if (tenant_id is None or p.tenant_id == tenant_id) and (user_id is None or p.user_id == user_id):
            _entries.pop(key, None)
