"""Invitations: how someone added by email who has no password yet gets one.

Adding a member whose email has no account creates the user without a password and returns
an invitation token once; the inviter passes it on (cxsuite sends no email). Redeeming it sets
the password and signs the user in. Tokens are stored as hashes, expire, and work once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from cxsuite.audit.service import Actor, record
from cxsuite.db.session import Database
from cxsuite.errors import Unauthenticated
from cxsuite.identity.passwords import hash_password
from cxsuite.identity.service import IssuedToken, issue_session
from cxsuite.identity.tables import Invitation, User
from cxsuite.identity.tokens import INVITE_PREFIX, new_token, parse_token

INVITATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class AddedUser:
    """The user behind an email, and an invitation token when they still need a password."""

    user_id: UUID
    invite_token: str | None


async def user_for_invite(tenant_id: UUID, email: str, invited_by: UUID) -> AddedUser:
    """Find or create the user (inside the caller's transaction); invite those without a password."""
    from cxsuite.identity.service import ensure_user, find_user

    user_id = await ensure_user(email)
    user = await find_user(email)
    if user and user["password_hash"]:
        return AddedUser(user_id, None)
    token = new_token(tenant_id, INVITE_PREFIX)
    parsed = parse_token(token, INVITE_PREFIX)
    assert parsed is not None
    now = datetime.now(UTC)
    await Invitation.insert(Invitation(
        id=uuid4(), tenant_id=tenant_id, user_id=user_id, token_hash=parsed.token_hash,
        created_by=invited_by, created_at=now, expires_at=now + INVITATION_TTL)).run()
    return AddedUser(user_id, token)


async def accept(db: Database, token: str, password: str, ip: str, ttl: timedelta) -> IssuedToken:
    """Set the invited user's password and sign them in; a used or expired token is refused."""
    parsed = parse_token(token, INVITE_PREFIX)
    if parsed is None:
        raise Unauthenticated("this invitation is not valid")
    now = datetime.now(UTC)
    async with db.transaction(parsed.tenant_id):
        rows = await Invitation.update({Invitation.accepted_at: now}).where(
            (Invitation.tenant_id == parsed.tenant_id) & (Invitation.token_hash == parsed.token_hash)
            & Invitation.accepted_at.is_null() & (Invitation.expires_at > now)).returning(
            Invitation.user_id).run()
        if not rows:
            raise Unauthenticated("this invitation was already used or has expired; ask for a new one")
        user_id = rows[0]["user_id"]
        await User.update({User.password_hash: await hash_password(password)}).where(
            User.id == user_id).run()
        issued = await issue_session(parsed.tenant_id, user_id, "invitation", now + ttl)
        await record(parsed.tenant_id, Actor(user_id, ip), "invitation.accepted",
                     object_type="user", object_id=user_id)
    return issued
