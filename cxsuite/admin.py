"""Operator tasks run from the CLI with the same services as the API."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from cxsuite.db.session import Database
from cxsuite.errors import NotFound, ValidationFailed
from cxsuite.identity import service
from cxsuite.identity.service import SignupResult
from cxsuite.settings import Settings


async def create_tenant(settings: Settings, name: str, email: str, password: str) -> SignupResult:
    """What ``POST /signup`` does, for operators and automation."""
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        return await service.signup(db, name, email, password, "cli",
                                    timedelta(hours=settings.access_token_ttl_hours))
    finally:
        await db.close()


async def mint_token(settings: Settings, email: str, tenant: str, name: str,
                     expires_in_days: int | None) -> str:
    """A personal token for ``email`` in ``tenant``, for scripts and CI."""
    try:
        tenant_id = UUID(tenant)
    except ValueError:
        raise ValidationFailed(f"--tenant must be a tenant id (UUID), got {tenant!r}") from None
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        user = await service.find_user(email)
        if not user:
            raise NotFound(f"no user with email {email}")
        async with db.transaction(tenant_id, user["id"]):
            principal = await service.load_principal(tenant_id, user["id"], user["id"])
        issued = await service.create_personal_token(db, principal, name, expires_in_days, "cli")
        return issued.token
    finally:
        await db.close()


__all__ = ["create_tenant", "mint_token"]
