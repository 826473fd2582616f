"""Scheduled syncs: connections with a ``schedule`` get a sync job when it falls due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxsuite.connections.tables import Connection
from cxsuite.jobs import service
from cxsuite.jobs.kinds import Resources
from cxsuite.tenancy.directory import all_tenant_ids

INTERVALS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}


async def create_due_syncs(resources: Resources) -> int:
    """Queue a sync for every connected, scheduled connection whose last sync is old enough."""
    created = 0
    now = datetime.now(UTC)
    for tenant_id in await all_tenant_ids(resources.db):
        async with resources.db.transaction(tenant_id, write=False):
            rows = await Connection.select(Connection.id, Connection.workspace_id, Connection.schedule,
                                           Connection.last_sync_at).where(
                (Connection.tenant_id == tenant_id) & (Connection.status == "connected")
                & Connection.schedule.is_in(list(INTERVALS))).run()
        for row in rows:
            if row["last_sync_at"] and now - row["last_sync_at"] < INTERVALS[row["schedule"]]:
                continue
            job, new = await service.create(
                resources.db, tenant_id, kind="sync", subject_type="connection", subject_id=row["id"],
                workspace_id=row["workspace_id"], created_by=None, dedupe_key=f"sync:{row['id']}")
            if new:
                await resources.queue.enqueue(tenant_id, job["id"])
                created += 1
    return created
