"""Operator tasks run from the CLI with the same services as the API."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from rich.console import Console

from cxsuite.connections.tables import Connection
from cxsuite.db.session import Database
from cxsuite.errors import NotFound, ValidationFailed
from cxsuite.identity import service
from cxsuite.identity.service import SignupResult
from cxsuite.jobs import service as jobs
from cxsuite.jobs.foreground import local_resources, run_with_progress
from cxsuite.jobs.schemas import JobOut
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




def _uuid(value: str, option: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ValidationFailed(f"{option} must be a UUID, got {value!r}") from None


async def sync_connection(settings: Settings, tenant: str, connection: str, console: Console) -> JobOut:
    """What ``POST /connections/{id}/sync`` starts, run here with a progress bar."""
    tenant_id, connection_id = _uuid(tenant, "--tenant"), _uuid(connection, "CONNECTION_ID")
    async with local_resources(settings) as resources:
        async with resources.db.transaction(tenant_id, write=False):
            row = await Connection.select(Connection.workspace_id, Connection.name).where(
                (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).first().run()
        if row is None:
            raise NotFound(f"no connection {connection} in tenant {tenant}")
        job, _ = await jobs.create(resources.db, tenant_id, kind="sync", subject_type="connection",
                                   subject_id=connection_id, workspace_id=row["workspace_id"],
                                   created_by=None, dedupe_key=f"sync:{connection_id}")
        return await run_with_progress(resources, tenant_id, job["id"], f"sync {row['name']}", console)
