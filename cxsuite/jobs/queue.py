"""The enqueue facade: arq on Redis in production, in-process tasks in the embedded default.

Only job ids travel (as JSON), never objects: the row is the truth, so a lost message costs
nothing that the reconciler does not restore, and a duplicate one costs nothing that the claim does
not absorb. arq is used only here and in ``cxsuite/worker.py``; swapping the queue means
replacing this module and the worker, nothing else.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from typing import Any, Protocol
from uuid import UUID, uuid4

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from cxsuite.jobs.fair import due_time
from cxsuite.jobs.kinds import Resources
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.jobs")
TASK_NAME = "run_job"
RETRIES = 5
CONNECT_TIMEOUT_S = 2


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
    """Jobs go to arq workers through Redis.

    Each message gets its own arq id, ``<job id>:<random>``: arq drops a message whose id it
    already holds, which would swallow a retry sent while the attempt that sends it still runs,
    and the job-id prefix lets the reconciler see which jobs Redis knows (:meth:`pending`).
    """

    def __init__(self, pool: ArqRedis, queue_name: str) -> None:
        self.pool, self.queue_name = pool, queue_name

    async def enqueue(self, tenant_id: UUID, job_id: UUID, defer_s: float = 0) -> None:
        """Send the id; a duplicate message is harmless (only one runner can claim the row).
        Without a delay, the message takes the tenant's next fair slot (:mod:`cxsuite.jobs.fair`)."""
        until = None if defer_s else await due_time(self.pool, self.queue_name, tenant_id)
        await self.pool.enqueue_job(TASK_NAME, str(tenant_id), str(job_id), _queue_name=self.queue_name,
                                    _job_id=f"{job_id}:{uuid4().hex[:12]}", _defer_by=defer_s or None,
                                    _defer_until=until)

    async def pending(self) -> set[UUID]:
        """Jobs with a message in Redis that no worker has started: what Redis still knows.

        A message a worker has started (its in-progress key is set) does not count: if that
        worker died, its job must be sent again rather than wait for arq's in-progress key to
        expire (the job timeout plus ten seconds)."""
        messages = [m.decode() for m in await self.pool.zrange(self.queue_name, 0, -1)]
        async with self.pool.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.exists(in_progress_key_prefix + message)
            started = await pipe.execute() if messages else []
        known: set[UUID] = set()
        for message, busy in zip(messages, started, strict=True):
            try:
                job_id = UUID(message.split(":", 1)[0])
            except ValueError:
                continue  # arq's own cron messages
            if not busy:
                known.add(job_id)
        return known

    async def depth(self) -> int:
        """Jobs waiting in Redis."""
        return int(await self.pool.zcard(self.queue_name))

    async def close(self) -> None:
        """Close the Redis pool."""
        await self.pool.aclose()


def redis_settings(settings: Settings) -> RedisSettings:
    """arq's connection settings from ``CXSUITE_REDIS_URL``, with reconnection.

    arq's ``conn_retries`` covers start-up only; every later command gets redis-py's retry
    with exponential backoff, and ``OSError`` must be among the retried errors because a
    refused reconnect raises it raw. The retries absorb a blip (about 5 s); a longer outage
    reaches the worker's poll guard (``cxsuite.worker``), which logs it, waits and tries again,
    and a job body that needs Redis fails its attempt as transient."""
    retry = Retry(ExponentialBackoff(cap=2.0, base=0.2), RETRIES,
                  supported_errors=(RedisConnectionError, RedisTimeoutError, OSError))
    return dataclasses.replace(RedisSettings.from_dsn(settings.redis_url), retry=retry,
                               retry_on_error=[RedisConnectionError, RedisTimeoutError],
                               conn_timeout=CONNECT_TIMEOUT_S)


async def build_queue(settings: Settings) -> InlineQueue | ArqQueue:
    """arq when Redis is configured, in-process otherwise."""
    if not settings.redis_url:
        return InlineQueue()
    pool = await create_pool(redis_settings(settings), job_serializer=serialize,
                             job_deserializer=deserialize, default_queue_name=settings.job_queue)
    return ArqQueue(pool, settings.job_queue)
