"""A scored engagement over HTTP, shared by the scoring and report API tests: an owner's
workspace with a project and a connection, records written straight into the record tables,
questionnaire answers, and score runs followed to the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from cxsuite.connections.tables import Connection
from cxsuite.connectors.records import Feedback, Record, Ticket
from cxsuite.connectors.upsert import RecordScope, upsert_records
from cxsuite.db.session import Database
from cxsuite.identity.passwords import hash_password
from cxsuite.identity.service import ensure_user
from cxsuite.projects.tables import Project
from cxsuite.workspaces.tables import Workspace, WorkspaceMembership
from tests.support.jobs import finished_job
from tests.support.parties import PASSWORD, Parties, Party

NOW = datetime(2026, 1, 1, tzinfo=UTC)
T0 = datetime(2025, 2, 1, tzinfo=UTC)


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
        return await self.client_member("client_viewer")

    async def client_admin(self) -> dict[str, str]:
        """Headers of a client admin of this workspace."""
        return await self.client_member("client_admin")

    async def client_member(self, role: str) -> dict[str, str]:
        """Headers of a new client member of this workspace with ``role``."""
        email = f"{role.replace('_', '-')}-{uuid4().hex[:8]}@example.test"
        password_hash = await hash_password(PASSWORD)
        async with self.db.transaction(self.tenant_id):
            user_id = await ensure_user(email, password_hash)
            await WorkspaceMembership.insert(WorkspaceMembership(
                id=uuid4(), tenant_id=self.tenant_id, workspace_id=self.workspace_id, user_id=user_id,
                role=role, created_at=NOW)).run()
        response = await self.client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


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


async def seed(eng, reply_hours: float) -> None:
    await eng.write("ticket", [Ticket(external_id=f"t{i}", channel="email", created_at=T0 + timedelta(days=i),
                                      first_response_at=T0 + timedelta(days=i, hours=reply_hours),
                                      resolved_at=T0 + timedelta(days=i, hours=20)) for i in range(200)])
    await eng.write("feedback", [Feedback(external_id=f"f{i}", metric="csat", score=5 if i % 5 else 2,
                                          scale_min=1, scale_max=5, journey_stage="usage_service",
                                          submitted_at=T0 + timedelta(days=i)) for i in range(60)])


async def answer_all(eng, client, level: int) -> None:
    items = (await client.get(f"{eng.base}/questionnaire", headers=eng.owner.headers)).json()["items"]
    batch = [{"item_id": i["item_id"], "stage": s, "answer": level} for i in items for s in i["stages"]]
    for start in range(0, len(batch), 500):
        response = await client.put(f"{eng.base}/questionnaire/answers", headers=eng.owner.headers,
                                    json={"answers": batch[start:start + 500]})
        assert response.status_code == 200, response.text


async def start(eng, client) -> dict:
    """Start a run, follow its job to the end, and return the job and the run as they ended."""
    response = await client.post(f"{eng.base}/score-runs", headers=eng.owner.headers)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["job"]["status"] == "queued"
    job = await finished_job(client, eng.owner.headers, accepted["job"]["id"], seconds=15, poll_s=0.05)
    run = (await client.get(f"/api/v1/score-runs/{accepted['run']['id']}", headers=eng.owner.headers)).json()
    return {"job": job, "run": run["run"]}


@pytest.fixture
async def eng(db, client, parties) -> Engagement:
    """An owner's engagement: workspace, project and connection."""
    return await engagement(db, client, parties)


@pytest.fixture
async def other(db, client, parties) -> Engagement:
    """A second, unrelated tenant."""
    return await engagement(db, client, parties)
