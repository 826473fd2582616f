"""Scheduled syncs: due connections get exactly one queued sync; others get none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connections.tables import Connection
from cxsuite.db.session import Database
from cxsuite.jobs.kinds import Resources
from cxsuite.jobs.schedules import create_due_syncs
from cxsuite.jobs.tables import Job
from cxsuite.plugin_manager import build_plugins
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio


class Recorded:
    def __init__(self) -> None:
        self.sent: list = []

    async def enqueue(self, tenant_id, job_id, defer_s: float = 0) -> None:
        self.sent.append(job_id)


async def scheduled(db: Database, schedule: str, last_sync: datetime | None) -> tuple:
    tenant_id, _, connection_id = await make_connection_owner(db)
    async with db.transaction(tenant_id):
        await Connection.update({Connection.schedule: schedule, Connection.status: "connected",
                                 Connection.last_sync_at: last_sync}).where(Connection.id == connection_id).run()
    return tenant_id, connection_id


async def test_due_connections_get_one_sync_and_recent_ones_none(settings):
    db = Database.from_url(settings.database_url)
    now = datetime.now(UTC)
    due_daily = await scheduled(db, "daily", now - timedelta(days=2))
    never_synced = await scheduled(db, "hourly", None)
    recent = await scheduled(db, "daily", now - timedelta(hours=1))
    unscheduled = await scheduled(db, "", None)
    queue = Recorded()
    resources = Resources(db, settings, build_plugins(), None, queue)
    assert await create_due_syncs(resources) == 2
    assert await create_due_syncs(resources) == 0  # the first ones are still queued: no second job
    for (tenant_id, connection_id), expected in ((due_daily, 1), (never_synced, 1), (recent, 0),
                                                 (unscheduled, 0)):
        async with db.transaction(tenant_id, write=False):
            jobs = await Job.count().where((Job.tenant_id == tenant_id) & (Job.subject_id == connection_id)).run()
        assert jobs == expected
    assert len(queue.sent) == 2
