"""Invitations: the only way a person is attached to a membership made for their email.

Adding a member whose email has no account creates a *pending* user (no password) and an
invitation whose token is mailed to that address, never shown to the inviter. Only that token
sets the pending user's password: sign-up refuses an email that has a user, pending or not, so
whoever knows an invited address gains nothing by signing up with it. Tokens are stored as
hashes, expire, work once, are revoked when the person's last membership in the tenant is
removed, and re-inviting a pending person replaces the open invitation with a fresh one.
Someone who already has a password and accepts an invitation keeps their password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from cxsuite.audit.service import Actor, record
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, Unauthenticated, ValidationFailed
from cxsuite.identity.notices import INVITATION_PAGE, Notifier
from cxsuite.identity.passwords import hash_password
from cxsuite.identity.service import IssuedToken, ensure_user, find_user, issue_session
from cxsuite.identity.tables import Invitation, User
from cxsuite.identity.tokens import INVITE_PREFIX, TokenLifetimes, new_token, parse_token
from cxsuite.tenancy.tables import Tenant, TenantMembership
from cxsuite.workspaces.tables import WorkspaceMembership

INVITATION_TTL = timedelta(days=7)
USED_UP = "this invitation was already used, revoked or has expired; ask for a new one"


@dataclass(frozen=True)
class AddedUser:
    """The user behind an email and, for a pending user, the invitation to mail them."""

    user_id: UUID
    email: str
    pending: bool
    invite_token: str | None
    tenant_name: str

    async def mail_invitation(self, notifier: Notifier, inviter_email: str) -> None:
        """Send the invitation (after the transaction that made it has committed)."""
        if self.invite_token:
            await notifier.send("invitation", self.email, notifier.link(INVITATION_PAGE, self.invite_token),
                                tenant=self.tenant_name, inviter=inviter_email,
                                days=notifier.number(INVITATION_TTL.days))


async def user_for_invite(tenant_id: UUID, email: str, invited_by: UUID) -> AddedUser:
    """Find or create the user (inside the caller's transaction); a pending user gets a fresh
    invitation, replacing any open one in this tenant (so re-inviting re-sends)."""
    user_id = await ensure_user(email)
    user = await find_user(email)
    assert user is not None
    tenant = await Tenant.select(Tenant.name).where(Tenant.id == tenant_id).first().run()
    name = tenant["name"] if tenant else ""
    if user["password_hash"]:
        return AddedUser(user_id, user["email"], False, None, name)
    now = datetime.now(UTC)
    await _revoke_open(tenant_id, user_id, now)
    token = new_token(tenant_id, INVITE_PREFIX)
    parsed = parse_token(token, INVITE_PREFIX)
    assert parsed is not None
    await Invitation.insert(Invitation(
        id=uuid4(), tenant_id=tenant_id, user_id=user_id, token_hash=parsed.token_hash,
        created_by=invited_by, created_at=now, expires_at=now + INVITATION_TTL)).run()
    return AddedUser(user_id, user["email"], True, token, name)


async def _revoke_open(tenant_id: UUID, user_id: UUID, now: datetime) -> None:
    await Invitation.update({Invitation.revoked_at: now}).where(
        (Invitation.tenant_id == tenant_id) & (Invitation.user_id == user_id)
        & Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null()).run()


async def revoke_if_unattached(tenant_id: UUID, user_id: UUID) -> None:
    """After a membership is removed (inside its transaction): once the person holds no
    membership in the tenant, their open invitations there stop working."""
    tenant_wide = await TenantMembership.exists().where(
        (TenantMembership.tenant_id == tenant_id) & (TenantMembership.user_id == user_id)).run()
    in_workspace = await WorkspaceMembership.exists().where(
        (WorkspaceMembership.tenant_id == tenant_id) & (WorkspaceMembership.user_id == user_id)).run()
    if not tenant_wide and not in_workspace:
        await _revoke_open(tenant_id, user_id, datetime.now(UTC))


async def accept(db: Database, token: str, password: str | None, ip: str,
                 lifetimes: TokenLifetimes) -> IssuedToken:
    """Redeem an invitation and sign in: a pending user sets ``password``; someone who already
    has one keeps it. A used, revoked or expired token is refused."""
    parsed = parse_token(token, INVITE_PREFIX)
    if parsed is None:
        raise Unauthenticated("this invitation is not valid")
    new_hash = await hash_password(password) if password else None  # outside the write lock
    now = datetime.now(UTC)
    async with db.transaction(parsed.tenant_id):
        open_invitation = ((Invitation.tenant_id == parsed.tenant_id)
                           & (Invitation.token_hash == parsed.token_hash)
                           & Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null()
                           & (Invitation.expires_at > now))
        found = await Invitation.select(Invitation.user_id).where(open_invitation).first().run()
        if not found:
            raise Unauthenticated(USED_UP)
        user = await User.select(User.password_hash).where(User.id == found["user_id"]).first().run()
        pending = not (user and user["password_hash"])
        if pending and not password:
            raise ValidationFailed("choose a password to accept the invitation",
                                   problems=[FieldProblem("body.password", "required for a new account")])
        rows = await Invitation.update({Invitation.accepted_at: now}).where(open_invitation).returning(
            Invitation.user_id).run()
        if not rows:
            raise Unauthenticated(USED_UP)
        user_id = rows[0]["user_id"]
        await _claim(user_id, new_hash if pending else None, now)
        issued = await issue_session(parsed.tenant_id, user_id, "invitation",
                                     lifetimes.session_expiry(now, now))
        await record(parsed.tenant_id, Actor(user_id, ip), "invitation.accepted",
                     object_type="user", object_id=user_id)
    return issued


async def _claim(user_id: UUID, password_hash: str | None, now: datetime) -> None:
    """The mailed token proves the address: mark it verified, and set the first password."""
    if password_hash:
        await User.update({User.password_hash: password_hash}).where(User.id == user_id).run()
    await User.update({User.email_verified_at: now}).where(
        (User.id == user_id) & User.email_verified_at.is_null()).run()
