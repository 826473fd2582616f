"""The reconciler: the database says which jobs should be in the queue; Redis is made to agree.

Redis is a cache of intent. A Redis restarted empty (no persistence) has forgotten every queued
message, and a worker killed mid-job leaves a ``running`` row whose heartbeat stops. Every
worker runs :func:`reconcile` at start and then every ``CXSUITE_JOB_RECONCILE_SECONDS``; it
sends again every job the database holds as queued or waiting and due that Redis no longer
knows, and every running job whose worker stopped beating. Running it from several workers at
once is safe: a duplicate message finds the job already claimed (and a short Redis lock keeps
the workers from all doing the same pass). The same pass deletes ``Idempotency-Key`` records
older than 24 hours.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from cxsuite.jobs import idempotency, service
from cxsuite.jobs.kinds import Resources
from cxsuite.tenancy.directory import all_tenant_ids

log = logging.getLogger("cxsuite.jobs.reconcile")


async def reconcile(resources: Resources) -> int:
    """Re-enqueue what the database says is due and Redis does not hold; returns how many."""
    settings = resources.settings
    lock, hold_ms = f"{settings.job_queue}:reconcile", settings.job_reconcile_seconds * 900
    if not await resources.redis.set(lock, service.worker_name(), nx=True, px=hold_ms):
        return 0  # another worker did this pass a moment ago
    known = await resources.queue.pending()
    stale = timedelta(seconds=settings.job_stale_seconds)
    count = 0
    for tenant_id in await all_tenant_ids(resources.db):
        for row in await service.due(resources.db, tenant_id, stale):
            if row["status"] == "running" or row["id"] not in known:
                await resources.queue.enqueue(tenant_id, row["id"])
                count += 1
        await idempotency.forget_expired(resources.db, tenant_id)
    if count:
        log.info("reconciler re-enqueued %d job(s) the queue did not hold", count)
    return count
