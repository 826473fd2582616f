"""The enqueue facade: arq on Redis in production, in-process tasks in the embedded default.

Only job ids travel (as JSON), never objects: the row is the truth, so a lost message costs
nothing that the sweep does not restore, and a duplicate one costs nothing that the claim does
not absorb. arq is used only here and in ``cxsuite/worker.py``; swapping the queue means
replacing this module and the worker, nothing else.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Protocol
from uuid import UUID

from arq.connections import ArqRedis, RedisSettings, create_pool

from cxsuite.jobs.kinds import Resources
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.jobs")
TASK_NAME = "run_job"


def serialize(value: Any) -> bytes:
    """arq's job payloads as JSON (arq's default, pickle, would let Redis write code)."""
    return json.dumps(value, default=str).encode()


def deserialize(data: bytes) -> Any:
    """The inverse of :func:`serialize`."""
    return json.loads(data)


class JobQueue(Protocol):
    """Where a job id is sent to be run."""

    async def enqueue(self, tenant_id: UUID, job_id: UUID, defer_s: float = 0) -> None:
        """Run the job (not before ``defer_s`` seconds)."""

    async def close(self) -> None:
        """Release connections; let in-process jobs finish."""


class InlineQueue:
    """The embedded default: jobs run as tasks in this process, with the same runner."""

    def __init__(self) -> None:
        self.resources: Resources | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def bind(self, resources: Resources) -> None:
        """The resources jobs run with (set once the process has them)."""
        self.resources = resources

    async def enqueue(self, tenant_id: UUID, job_id: UUID, defer_s: float = 0) -> None:
        """Start a task (after ``defer_s``); the caller does not wait for it."""
        task = asyncio.create_task(self._run(tenant_id, job_id, defer_s))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, tenant_id: UUID, job_id: UUID, defer_s: float) -> None:
        from cxsuite.jobs.runner import run_job

        if defer_s:
            await asyncio.sleep(defer_s)
        assert self.resources is not None, "InlineQueue.bind() was not called"
        try:
            await run_job(self.resources, tenant_id, job_id)
        except Exception:  # the runner records outcomes; this only guards the event loop
            log.exception("inline job %s crashed", job_id)

    async def drain(self) -> None:
        """Wait for every job started so far (and those they re-enqueue)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Let running jobs finish."""
        await self.drain()


class ArqQueue:
    """Jobs go to arq workers through Redis."""

    def __init__(self, pool: ArqRedis, queue_name: str) -> None:
        self.pool, self.queue_name = pool, queue_name

    async def enqueue(self, tenant_id: UUID, job_id: UUID, defer_s: float = 0) -> None:
        """Send the id; a duplicate message is harmless (only one runner can claim the row)."""
        await self.pool.enqueue_job(TASK_NAME, str(tenant_id), str(job_id), _queue_name=self.queue_name,
                                    _defer_by=defer_s or None)

    async def depth(self) -> int:
        """Jobs waiting in Redis."""
        return int(await self.pool.zcard(self.queue_name))

    async def close(self) -> None:
        """Close the Redis pool."""
        await self.pool.aclose()


def redis_settings(settings: Settings) -> RedisSettings:
    """arq's connection settings from ``CXSUITE_REDIS_URL``."""
    return RedisSettings.from_dsn(settings.redis_url)


async def build_queue(settings: Settings) -> InlineQueue | ArqQueue:
    """arq when Redis is configured, in-process otherwise."""
    if not settings.redis_url:
        return InlineQueue()
    pool = await create_pool(redis_settings(settings), job_serializer=serialize,
                             job_deserializer=deserialize, default_queue_name=settings.job_queue)
    return ArqQueue(pool, settings.job_queue)
