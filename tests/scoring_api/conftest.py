"""Fixtures for the scoring API: a served app, an owner with a workspace, a project and a
connection, records written straight into the record tables, and a client viewer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

import httpx
import pytest

from cxsuite.connections.tables import Connection
from cxsuite.connectors.records import Record
from cxsuite.connectors.upsert import RecordScope, upsert_records
from cxsuite.db.session import Database
from cxsuite.identity.service import ensure_user
from cxsuite.projects.tables import Project
from cxsuite.workspaces.tables import Workspace, WorkspaceMembership
from tests.support.parties import PASSWORD, Parties, Party

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Engagement:
    """An owner's workspace with one project and one connection."""

    db: Database
    client: httpx.AsyncClient
    owner: Party
    tenant_id: UUID
    workspace_id: UUID
    project_id: UUID
    connection_id: UUID

    @property
    def base(self) -> str:
        """The project's URL prefix."""
        return f"/api/v1/projects/{self.project_id}"

    async def write(self, kind: str, records: Sequence[Record]) -> None:
        """Records of one kind in this workspace."""
        scope = RecordScope(self.tenant_id, self.workspace_id, self.connection_id, "test")
        async with self.db.transaction(self.tenant_id):
            await upsert_records(self.db.engine, scope, kind, records, NOW)

    async def client_viewer(self) -> dict[str, str]:
        """Headers of a client viewer of this workspace."""
        email = f"viewer-{uuid4().hex[:8]}@example.test"
        async with self.db.transaction(self.tenant_id):
            user_id = await ensure_user(email, PASSWORD)
            await WorkspaceMembership.insert(WorkspaceMembership(
                id=uuid4(), tenant_id=self.tenant_id, workspace_id=self.workspace_id, user_id=user_id,
                role="client_viewer", created_at=NOW)).run()
        response = await self.client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def db(settings) -> AsyncIterator[Database]:
    database = Database.from_url(settings.database_url)
    await database.start()
    yield database
    await database.close()


async def engagement(db: Database, client: httpx.AsyncClient, parties: Parties) -> Engagement:
    """A new tenant (through the API) with a workspace, a 2025 project and a connection."""
    owner = await parties.owner()
    tenant_id, workspace_id, project_id, connection_id = UUID(owner.tenant_id), uuid4(), uuid4(), uuid4()
    async with db.transaction(tenant_id):
        await Workspace.insert(Workspace(id=workspace_id, tenant_id=tenant_id, name="Client",
                                         created_at=NOW, updated_at=NOW)).run()
        await Project.insert(Project(id=project_id, tenant_id=tenant_id, workspace_id=workspace_id,
                                     name="Audit 2025", period_start=datetime(2025, 1, 1).date(),
                                     period_end=datetime(2025, 12, 31).date(), created_at=NOW,
                                     updated_at=NOW)).run()
        await Connection.insert(Connection(id=connection_id, tenant_id=tenant_id, workspace_id=workspace_id,
                                           connector="test", name="test", auth_kind="api_key",
                                           created_at=NOW, updated_at=NOW)).run()
    return Engagement(db, client, owner, tenant_id, workspace_id, project_id, connection_id)


@pytest.fixture
async def eng(db, client, parties) -> Engagement:
    return await engagement(db, client, parties)


@pytest.fixture
async def other(db, client, parties) -> Engagement:
    """A second, unrelated tenant."""
    return await engagement(db, client, parties)
