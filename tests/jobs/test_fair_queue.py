"""Messages interleave tenants: a tenant's k-th queued job sits k slots behind the queue's head,
so a tenant sending one job behind another tenant's backlog is next, not last (a real Redis,
the real queue; no worker needed: the order is the queue's)."""

from __future__ import annotations

import asyncio
import dataclasses
from uuid import uuid4

import pytest

from cxsuite.jobs.queue import build_queue
from tests.support.workers import RedisServer

pytestmark = pytest.mark.anyio


async def test_a_one_job_tenant_is_queued_ahead_of_a_backlog_sent_before_it(settings):
    busy, other, lone = uuid4(), uuid4(), uuid4()
    with RedisServer() as redis_server:
        queue = await build_queue(dataclasses.replace(settings, redis_url=redis_server.url,
                                                      job_queue=f"cxsuite:test:{uuid4().hex[:8]}"))
        try:
            for n in range(30):
                await queue.enqueue(busy, uuid4())
                if n < 3:
                    await queue.enqueue(other, uuid4())
            await asyncio.sleep(0.05)  # wall-clock time passes: it must not push the newcomer back
            await queue.enqueue(lone, lone)
            await queue.enqueue(busy, uuid4(), defer_s=30)  # a deferral keeps its delay
            order = [m.decode() for m in await queue.pool.zrange(queue.queue_name, 0, -1)]
        finally:
            await queue.close()
    position = next(i for i, m in enumerate(order) if m.startswith(str(lone)))
    assert position <= 2, position  # behind at most the busy and the other tenant's first jobs
    assert len(order) == 35
