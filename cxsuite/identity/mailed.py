"""Single-use secrets mailed to a person: password-reset and email-verification links.

They prove control of an address, so they belong to the global user, not to a tenant. Only the
SHA-256 is stored; issuing a new one retires the open ones of the same purpose, and redeeming
is a conditional update, so a link works once even when clicked twice at the same moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from cxsuite.errors import Unauthenticated
from cxsuite.identity.tables import AccountToken
from cxsuite.identity.tokens import RESET_PREFIX, VERIFY_PREFIX, account_secret_hash, new_account_secret

PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a secret
VERIFY_EMAIL = "verify_email"
PREFIXES = {PASSWORD_RESET: RESET_PREFIX, VERIFY_EMAIL: VERIFY_PREFIX}
LIFETIMES = {PASSWORD_RESET: timedelta(minutes=30), VERIFY_EMAIL: timedelta(hours=24)}


async def issue(user_id: UUID, purpose: str) -> str:
    """A fresh secret for ``purpose`` (inside the caller's transaction); older ones stop working."""
    now = datetime.now(UTC)
    await AccountToken.update({AccountToken.used_at: now}).where(
        (AccountToken.user_id == user_id) & (AccountToken.purpose == purpose)
        & AccountToken.used_at.is_null()).run()
    token, token_hash = new_account_secret(PREFIXES[purpose])
    await AccountToken.insert(AccountToken(
        id=uuid4(), user_id=user_id, purpose=purpose, token_hash=token_hash, created_at=now,
        expires_at=now + LIFETIMES[purpose])).run()
    return token


async def redeem(token: str, purpose: str) -> UUID:
    """The user a valid secret belongs to, consuming it (inside the caller's transaction);
    401 for anything unknown, used, superseded or expired."""
    token_hash = account_secret_hash(token, PREFIXES[purpose])
    now = datetime.now(UTC)
    rows = [] if token_hash is None else await AccountToken.update({AccountToken.used_at: now}).where(
        (AccountToken.token_hash == token_hash) & (AccountToken.purpose == purpose)
        & AccountToken.used_at.is_null() & (AccountToken.expires_at > now)).returning(
        AccountToken.user_id).run()
    if not rows:
        raise Unauthenticated("this link was already used or has expired; ask for a new one")
    return rows[0]["user_id"]
