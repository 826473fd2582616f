"""Password and session lifecycle: change, reset by mailed link, email verification, and
signing out everywhere.

Whatever proves control of the account again (a new password, a reset link) ends the other
sessions: a password change keeps only the token it was made with, a reset keeps none.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, Unauthenticated, ValidationFailed
from cxsuite.identity import mailed
from cxsuite.identity.notices import RESET_PAGE, Notifier
from cxsuite.identity.passwords import hash_password
from cxsuite.identity.service import check_password, find_user, revoke_all, send_verification
from cxsuite.identity.tables import User
from cxsuite.identity.throttle import Throttle
from cxsuite.identity.tokens import forget_principals


async def change_password(db: Database, throttle: Throttle, principal: Principal, current: str,
                          new: str, ip: str) -> int:
    """Set a new password after checking the current one (throttled like a login); every other
    token of the user ends. Returns how many were revoked."""
    try:
        await check_password(db, throttle, principal.email, current, ip)
    except Unauthenticated:
        raise ValidationFailed("the current password is wrong", problems=[
            FieldProblem("body.current_password", "does not match")]) from None
    await _set_password(db, principal.user_id, await hash_password(new))
    return await revoke_all(db, principal.user_id, ip, keep=principal.token_id, reason="password.changed")


async def _set_password(db: Database, user_id: UUID, password_hash: str) -> None:
    async with db.transaction(None, user_id):
        await User.update({User.password_hash: password_hash}).where(User.id == user_id).run()


async def request_reset(db: Database, notifier: Notifier, email: str) -> None:
    """Mail a reset link when ``email`` belongs to an account with a password; otherwise do
    nothing. The caller answers the same either way (and runs this after answering).

    A pending invitee gets no link: only their invitation may give them a first password.
    """
    user = await find_user(email)
    if not user or not user["password_hash"]:
        return
    async with db.transaction(None, user["id"]):
        token = await mailed.issue(user["id"], mailed.PASSWORD_RESET)
    minutes = int(mailed.LIFETIMES[mailed.PASSWORD_RESET].total_seconds() // 60)
    await notifier.send("password_reset", user["email"], notifier.link(RESET_PAGE, token),
                        minutes=notifier.number(minutes))


async def confirm_reset(db: Database, token: str, new: str, ip: str) -> None:
    """Set the new password from a reset link and end every session of the account; the
    link proved the address, so it counts as verified."""
    password_hash = await hash_password(new)
    async with db.transaction(None):
        user_id = await mailed.redeem(token, mailed.PASSWORD_RESET)
        await User.update({User.password_hash: password_hash}).where(User.id == user_id).run()
        await _mark_verified(user_id)
    await revoke_all(db, user_id, ip, reason="password.reset")


async def resend_verification(db: Database, notifier: Notifier, principal: Principal) -> bool:
    """Mail a fresh verification link unless the address is verified already."""
    async with db.transaction(None, principal.user_id):
        user = await User.select(User.email_verified_at).where(User.id == principal.user_id).first().run()
        if user is None or user["email_verified_at"] is not None:
            return False
        token = await mailed.issue(principal.user_id, mailed.VERIFY_EMAIL)
    await send_verification(notifier, principal.email, token)
    return True


async def confirm_verification(db: Database, token: str) -> None:
    """Mark the address of the link's user as verified."""
    async with db.transaction(None):
        user_id = await mailed.redeem(token, mailed.VERIFY_EMAIL)
        await _mark_verified(user_id)
    forget_principals(None, user_id)  # /me says "verified" on the next request


async def _mark_verified(user_id: UUID) -> None:
    await User.update({User.email_verified_at: datetime.now(UTC)}).where(
        (User.id == user_id) & User.email_verified_at.is_null()).run()

