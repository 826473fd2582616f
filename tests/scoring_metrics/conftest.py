"""Fixtures for the SQL metrics tests: a database, a workspace with a connection, and a helper
that writes canonical records straight into the record tables (as a sync would)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from cxsuite.connections.tables import Connection
from cxsuite.connectors.records import Record
from cxsuite.connectors.upsert import RecordScope, upsert_records
from cxsuite.customers.service import resolve_workspace
from cxsuite.db.session import Database
from cxsuite.scoring import MetricValue, shipped_model
from cxsuite.scoring.metrics import MetricScope, compute_metrics
from tests.support.records import make_connection_owner

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
AS_OF = datetime(2026, 1, 1, tzinfo=UTC)
STAGES = tuple(stage.key for stage in shipped_model().stages)


@dataclass
class Workspace:
    """A tenant's workspace with one connection, and a way to fill and measure it."""

    db: Database
    tenant_id: UUID
    workspace_id: UUID
    connection_id: UUID

    async def write(self, kind: str, records: Sequence[Record], connection_id: UUID | None = None) -> None:
        """Upsert records of one kind (on this workspace's connection unless another is named)."""
        scope = RecordScope(self.tenant_id, self.workspace_id, connection_id or self.connection_id, "test")
        async with self.db.transaction(self.tenant_id):
            await upsert_records(self.db.engine, scope, kind, records, AS_OF)

    async def add_connection(self, status: str = "connected", last_sync_at: datetime | None = None) -> UUID:
        """Another connection in the same workspace."""
        connection_id = uuid4()
        async with self.db.transaction(self.tenant_id):
            await Connection.insert(Connection(
                id=connection_id, tenant_id=self.tenant_id, workspace_id=self.workspace_id,
                connector="other", name="other", auth_kind="api_key", status=status,
                last_sync_at=last_sync_at, created_at=AS_OF, updated_at=AS_OF)).run()
        return connection_id

    def scope(self, period: tuple[date, date] = PERIOD) -> MetricScope:
        """The metric scope of this workspace over ``period``."""
        return MetricScope(self.db, self.tenant_id, self.workspace_id, period[0], period[1], AS_OF, STAGES)

    async def metrics(self, period: tuple[date, date] = PERIOD) -> dict[tuple[str, str | None], MetricValue]:
        """Every built-in metric, by (key, stage), over a freshly resolved customer graph (as a
        score run computes them)."""
        async with self.db.transaction(self.tenant_id):
            await resolve_workspace(self.db, self.tenant_id, self.workspace_id)
            values = await compute_metrics(self.scope(period))
        return {(v.key, v.stage): v for v in values}

    async def metric(self, key: str, stage: str | None = None) -> MetricValue:
        """One metric value."""
        return (await self.metrics())[(key, stage)]


@pytest.fixture
async def ws(db) -> Workspace:
    return Workspace(db, *await make_connection_owner(db))
