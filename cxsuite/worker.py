"""The arq worker: the one process type that takes jobs from Redis (``cxsuite worker``).

Settings are deliberate, not arq's defaults: JSON payloads (not pickle), a per-job timeout
above the longest job kind, retries left to the job rows (``max_tries`` high, because arq counts
every start, crashes included), a 15 s health check (arq's default is an hour), a drain period
on shutdown, and a sweep every minute (and at start) that re-enqueues what the database says
is due: queued jobs whose message Redis lost, and running jobs whose worker died.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from arq import cron
from arq.worker import Worker, func

from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.kinds import Resources, longest_timeout
from cxsuite.jobs.queue import build_queue, deserialize, redis_settings, serialize
from cxsuite.jobs.registered import register_all
from cxsuite.jobs.runner import run_job
from cxsuite.jobs.schedules import create_due_syncs
from cxsuite.logs import configure_logging
from cxsuite.plugin_manager import build_plugins
from cxsuite.settings import Settings, load_settings
from cxsuite.tenancy.directory import all_tenant_ids

log = logging.getLogger("cxsuite.worker")
HEALTH_CHECK_S = 15
DRAIN_S = 30


async def run_job_task(ctx: dict[str, Any], tenant_id: str, job_id: str) -> str:
    """arq's entry point: ids in, outcome out."""
    return await run_job(ctx["resources"], UUID(tenant_id), UUID(job_id))


async def sweep(ctx: dict[str, Any]) -> int:
    """Re-enqueue every due job of every tenant; returns how many."""
    resources: Resources = ctx["resources"]
    stale = timedelta(seconds=resources.settings.job_stale_seconds)
    count = 0
    for tenant_id in await all_tenant_ids(resources.db):
        for job_id in await service.due(resources.db, tenant_id, stale):
            await resources.queue.enqueue(tenant_id, job_id)
            count += 1
    if count:
        log.info("sweep re-enqueued %d job(s)", count)
    return count


async def schedule(ctx: dict[str, Any]) -> int:
    """Create the sync jobs of connections whose schedule is due, then let the sweep send them."""
    return await create_due_syncs(ctx["resources"])


async def startup(ctx: dict[str, Any]) -> None:
    """Database, plugins and queue for this worker process; a first sweep."""
    settings: Settings = ctx["settings"]
    configure_logging(settings.log_level, settings.log_json)
    register_all()
    db = Database.from_url(settings.database_url)
    await db.start()
    queue = await build_queue(settings)
    ctx["resources"] = Resources(db, settings, build_plugins(), ctx["redis"], queue)
    await sweep(ctx)


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close what startup opened."""
    resources: Resources | None = ctx.get("resources")
    if resources is not None:
        await resources.queue.close()
        await resources.db.close()


def create_worker(settings: Settings | None = None, *, burst: bool = False) -> Worker:
    """An arq worker for ``settings``."""
    settings = settings or load_settings()
    register_all()
    return Worker(
        functions=[func(run_job_task, name="run_job", timeout=longest_timeout() + 60, max_tries=1000)],
        cron_jobs=[cron(sweep, second=0, run_at_startup=False, unique=True),
                   cron(schedule, minute=set(range(0, 60, 5)), second=30, unique=True)],
        on_startup=startup, on_shutdown=shutdown, ctx={"settings": settings},
        redis_settings=redis_settings(settings), queue_name=settings.job_queue,
        job_serializer=serialize, job_deserializer=deserialize, burst=burst, poll_delay=0.2,
        max_jobs=settings.worker_max_jobs, keep_result=0, health_check_interval=HEALTH_CHECK_S,
        job_completion_wait=DRAIN_S, handle_signals=not burst)



