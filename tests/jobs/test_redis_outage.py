"""Redis loss never costs a job: a worker process outlives a Redis outage (logging it once),
and when Redis comes back empty the reconciler re-sends every job the database still holds as
queued, so all of them complete, the one in flight from its checkpoint, with no duplicate and
no missing record. The test runs its own redis-server: the shared one is never stopped."""

from __future__ import annotations

import dataclasses

import anyio
import pytest

from cxsuite.db.session import Database
from cxsuite.jobs.queue import build_queue
from tests.support.server import sandbox_settings
from tests.support.syncs import expected, hubspot_connection, job_row, stored, wait_until, written
from tests.support.workers import RedisServer, WorkerProcess, worker_env

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
OUTAGE_S = 10


async def test_a_worker_outlives_a_redis_outage_and_every_job_completes_after_an_empty_restart(
        settings, slow_sandbox):
    db = Database.from_url(settings.database_url)
    syncs = [await hubspot_connection(db, settings, slow_sandbox) for _ in range(3)]
    with RedisServer() as redis_server:
        env = worker_env(settings, redis_server.url, {
            **sandbox_settings(slow_sandbox), "CXSUITE_WORKER_MAX_JOBS": "1", "CXSUITE_JOB_RECONCILE_SECONDS": "2",
            "CXSUITE_JOB_STALE_SECONDS": "30"})
        queue = await build_queue(dataclasses.replace(settings, redis_url=redis_server.url,
                                                      job_queue=env["CXSUITE_JOB_QUEUE"]))
        for tenant_id, _, job_id in syncs:
            await queue.enqueue(tenant_id, job_id)
        await queue.close()
        with WorkerProcess(env) as worker:
            async def one_in_flight():
                return any([written(await job_row(db, t, j)) > 0 for t, _, j in syncs])
            await wait_until(one_in_flight, 120, "a sync with committed batches")
            redis_server.stop()
            await anyio.sleep(OUTAGE_S)
            assert worker.alive, worker.output()[-3000:]
            redis_server.start()  # empty: the two queued messages are gone

            async def all_ended():
                rows = [await job_row(db, t, j) for t, _, j in syncs]
                return rows if all(r["status"] in ("succeeded", "failed") for r in rows) else None
            rows = await wait_until(all_ended, 240, "every sync to end")

            async def outage_over():
                return "Redis is reachable again" in worker.output()
            await wait_until(outage_over, 60, "the worker to see Redis answer again")
            assert worker.alive, worker.output()[-3000:]
        output = worker.output()
    assert [r["status"] for r in rows] == ["succeeded"] * 3, [r["error"] for r in rows]
    for tenant_id, connection_id, _ in syncs:
        assert await stored(db, tenant_id, connection_id) == expected(slow_sandbox)
    redis_lines = [line for line in output.splitlines() if "Redis is" in line]
    assert len(redis_lines) == 2, "\n".join(redis_lines)  # the outage, logged once when it starts and once when it ends
    assert "Redis is unreachable" in redis_lines[0] and "Redis is reachable again" in redis_lines[1]
