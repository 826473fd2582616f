"""Rows written directly (through a tenant-scoped transaction) for tests that need a workspace
or a client user before the API under test can make them."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import httpx

from cxsuite.db.session import Database
from cxsuite.identity.passwords import hash_password
from cxsuite.identity.tables import User
from cxsuite.settings import Settings
from cxsuite.workspaces.tables import Workspace, WorkspaceMembership
from tests.support.parties import PASSWORD, Party


async def add_workspace(settings: Settings, tenant_id: str, name: str = "Client Co") -> str:
    """A workspace in the tenant; returns its id."""
    db = Database.from_url(settings.database_url)
    workspace_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(UUID(tenant_id)):
        await Workspace.insert(Workspace(id=workspace_id, tenant_id=UUID(tenant_id), name=name,
                                         created_at=now, updated_at=now)).run()
    return str(workspace_id)


async def add_client_user(settings: Settings, client: httpx.AsyncClient, tenant_id: str,
                          workspace_id: str, role: str) -> Party:
    """A client user with ``role`` in the workspace, signed in through the API."""
    db = Database.from_url(settings.database_url)
    user_id, now = uuid4(), datetime.now(UTC)
    email = f"{role}-{user_id.hex[:8]}@example.test"
    async with db.transaction(UUID(tenant_id)):
        await User.insert(User(id=user_id, email=email, password_hash=await hash_password(PASSWORD),
                               created_at=now)).run()
        await WorkspaceMembership.insert(WorkspaceMembership(
            id=uuid4(), tenant_id=UUID(tenant_id), workspace_id=UUID(workspace_id), user_id=user_id,
            role=role, created_at=now)).run()
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return Party(email, response.json()["access_token"], tenant_id, str(user_id), workspace_id)
