"""Visiting every tenant, one row-level-security scope at a time (for maintenance jobs)."""

from __future__ import annotations

from uuid import UUID

from cxsuite.db.session import Database
from cxsuite.tenancy.tables import TenantDirectory


async def all_tenant_ids(db: Database) -> list[UUID]:
    """Every tenant's id, oldest first."""
    async with db.transaction(None, write=False):
        rows = await TenantDirectory.select(TenantDirectory.id).order_by(
            TenantDirectory.created_at).order_by(TenantDirectory.id).run()
    return [row["id"] for row in rows]
