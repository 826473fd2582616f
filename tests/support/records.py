"""Rows a sync needs (tenant, workspace, connection), written directly for engine-level tests."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from cxsuite.connections.tables import Connection
from cxsuite.db.session import Database
from cxsuite.tenancy.tables import Tenant, TenantDirectory
from cxsuite.workspaces.tables import Workspace


async def make_connection_owner(db: Database, connector: str = "paged") -> tuple[UUID, UUID, UUID]:
    """A tenant with one workspace and one connection; returns their ids."""
    tenant_id, workspace_id, connection_id = uuid4(), uuid4(), uuid4()
    now = datetime.now(UTC)
    async with db.transaction(tenant_id):
        await Tenant.insert(Tenant(id=tenant_id, name="Engine test", created_at=now)).run()
        await TenantDirectory.insert(TenantDirectory(id=tenant_id, created_at=now)).run()
        await Workspace.insert(Workspace(id=workspace_id, tenant_id=tenant_id, name="Client",
                                         created_at=now, updated_at=now)).run()
        await Connection.insert(Connection(
            id=connection_id, tenant_id=tenant_id, workspace_id=workspace_id, connector=connector,
            name=connector, auth_kind="api_key", created_at=now, updated_at=now)).run()
    return tenant_id, workspace_id, connection_id
