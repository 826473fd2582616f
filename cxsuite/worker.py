"""The arq worker: the one process type that takes jobs from Redis (``cxsuite worker``).

Settings are deliberate, not arq's defaults: JSON payloads (not pickle), a per-job timeout
above the longest job kind, retries left to the job rows (``max_tries`` high, because arq counts
every start, crashes included), a 15 s health check (arq's default is an hour) and a drain
period on shutdown.

Redis may go away at any time; the worker does not. arq's poll loop has no error handling (a
dropped connection ends the process, arq issues #386 and #435), so :class:`ResilientWorker`
guards it: while Redis is unreachable the worker keeps running the jobs it holds, retries with
backoff and logs the outage once when it starts and once when it ends. The database is the
source of truth, so a reconciler (:mod:`cxsuite.jobs.reconcile`) runs at start and every
``CXSUITE_JOB_RECONCILE_SECONDS`` and re-sends what Redis lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from typing import Any
from uuid import UUID

from arq import cron
from arq.worker import Worker, func
from redis.exceptions import RedisError

from cxsuite.db.session import Database
from cxsuite.errors import FailureClass
from cxsuite.failures import classify
from cxsuite.jobs.kinds import Resources, longest_timeout, warm_up_all
from cxsuite.jobs.queue import build_queue, deserialize, redis_settings, serialize
from cxsuite.jobs.reconcile import reconcile
from cxsuite.jobs.registered import register_all
from cxsuite.jobs.runner import run_job
from cxsuite.jobs.schedules import create_due_syncs
from cxsuite.logs import configure_logging
from cxsuite.plugin_manager import build_plugins
from cxsuite.settings import Settings, load_settings

log = logging.getLogger("cxsuite.worker")
HEALTH_CHECK_S = 15
DRAIN_S = 30
REDIS_ERRORS = (RedisError, OSError)


class RedisOutage:
    """Whether Redis is reachable, logged once per outage, with the wait before the next try.

    An outage ends when Redis has answered for ``STABLE_S``: for a few seconds after Redis is
    back, commands that began during the outage (and connections pooled before it) still fail,
    and those failures belong to the same outage."""

    BASE_S, CAP_S, STABLE_S = 0.5, 10.0, 15.0

    def __init__(self) -> None:
        self.since: float | None = None
        self.answering_since: float | None = None
        self.failures = 0

    def down(self, exc: BaseException) -> float:
        """Note a failure; returns how long to wait (full-jitter exponential backoff)."""
        self.answering_since = None
        if self.since is None:
            self.since = time.monotonic()
            log.warning("Redis is unreachable (%s: %s); running jobs continue, reconnecting with backoff",
                        type(exc).__name__, exc)
        self.failures += 1
        return random.uniform(self.BASE_S, min(self.CAP_S, self.BASE_S * 2 ** self.failures))  # noqa: S311

    def up(self) -> None:
        """Note a success; ends the outage once Redis has answered for ``STABLE_S``."""
        if self.since is None:
            return
        now = time.monotonic()
        if self.answering_since is None:
            self.answering_since = now
        elif now - self.answering_since >= self.STABLE_S:
            log.warning("Redis is reachable again after %.0f s", self.answering_since - self.since)
            self.since, self.answering_since, self.failures = None, None, 0


class ResilientWorker(Worker):
    """arq's worker with its poll loop guarded against Redis going away."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outage = RedisOutage()
        self.ctx["outage"] = self.outage

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
            if self.outage.since is not None:
                await self.pool.ping()  # an iteration may not have needed Redis at all
        except REDIS_ERRORS as exc:
            await asyncio.sleep(self.outage.down(exc))
        else:
            self.outage.up()

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        """arq takes a slot before talking to Redis about a message and does not give it back
        when that fails; without this, each failure would cost the worker a slot for good."""
        for job_id in job_ids:
            try:
                await super().start_jobs([job_id])
            except REDIS_ERRORS:
                self._release_sem_dec_counter_on_complete()
                raise


async def run_job_task(ctx: dict[str, Any], tenant_id: str, job_id: str) -> str:
    """arq's entry point: ids in, outcome out."""
    return await run_job(ctx["resources"], UUID(tenant_id), UUID(job_id))


async def schedule(ctx: dict[str, Any]) -> int:
    """Create the sync jobs of connections whose schedule is due, then let the queue send them."""
    return await create_due_syncs(ctx["resources"])


async def reconcile_forever(resources: Resources, outage: RedisOutage) -> None:
    """The reconciler's loop, independent of arq's poll loop (so it runs whatever arq does)."""
    interval = resources.settings.job_reconcile_seconds
    while True:
        await asyncio.sleep(interval * random.uniform(0.8, 1.0))  # noqa: S311
        try:
            await reconcile(resources)
        except REDIS_ERRORS as exc:
            outage.down(exc)
        except Exception:  # the database may be away too; the next pass tries again
            log.warning("reconciling jobs failed; trying again in %d s", interval, exc_info=True)
        else:
            outage.up()


async def open_database(url: str, *, max_wait_s: float = 10.0) -> Database:
    """The database, waiting for it when it is not reachable yet: a worker started during a
    PostgreSQL restart (or before the server is up) waits with backoff instead of exiting,
    logging once; anything but a transient failure (a wrong password, say) still ends it."""
    db = Database.from_url(url)
    delay, waiting = 0.5, False
    while True:
        try:
            await db.start()
        except Exception as exc:
            if classify(exc).failure_class is not FailureClass.TRANSIENT:
                raise
            if not waiting:
                log.warning("the database is unreachable (%s); waiting for it", type(exc).__name__)
                waiting = True
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_wait_s)
            continue
        if waiting:
            log.warning("the database is reachable again")
        return db


async def startup(ctx: dict[str, Any]) -> None:
    """Database, plugins and queue for this worker process; the job kinds warmed up (the report
    renderer's fork server, so the first report does not pay WeasyPrint's import); a first
    reconciliation."""
    settings: Settings = ctx["settings"]
    configure_logging(settings.log_level, settings.log_json)
    register_all()
    await asyncio.to_thread(warm_up_all)
    db = await open_database(settings.database_url)
    queue = await build_queue(settings)
    resources = Resources(db, settings, build_plugins(), ctx["redis"], queue)
    ctx["resources"] = resources
    await reconcile(resources)
    ctx["reconciler"] = asyncio.create_task(reconcile_forever(resources, ctx["outage"]))


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close what startup opened."""
    reconciler: asyncio.Task[None] | None = ctx.get("reconciler")
    if reconciler is not None:
        reconciler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reconciler
    resources: Resources | None = ctx.get("resources")
    if resources is not None:
        await resources.queue.close()
        await resources.db.close()


def create_worker(settings: Settings | None = None, *, burst: bool = False) -> Worker:
    """An arq worker for ``settings``."""
    settings = settings or load_settings()
    register_all()
    return ResilientWorker(
        functions=[func(run_job_task, name="run_job", timeout=longest_timeout() + 60, max_tries=1000)],
        cron_jobs=[cron(schedule, minute=set(range(0, 60, 5)), second=30, unique=True)],
        on_startup=startup, on_shutdown=shutdown, ctx={"settings": settings},
        redis_settings=redis_settings(settings), queue_name=settings.job_queue,
        job_serializer=serialize, job_deserializer=deserialize, burst=burst, poll_delay=0.2,
        max_jobs=settings.worker_max_jobs, keep_result=0, health_check_interval=HEALTH_CHECK_S,
        job_completion_wait=DRAIN_S, handle_signals=not burst)
