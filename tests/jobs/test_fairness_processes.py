"""The per-tenant cap holds with several worker processes taking jobs at the same instant, and
a tenant with one job does not wait behind other tenants' queues. Measured from the database:
every attempt's start and end in ``job_attempt``."""

from __future__ import annotations

import dataclasses
from uuid import UUID

import pytest

from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.queue import build_queue
from cxsuite.jobs.tables import Job, JobAttempt
from tests.support.records import make_connection_owner
from tests.support.sleep_job import KIND
from tests.support.syncs import wait_until
from tests.support.workers import RedisServer, WorkerProcess, most_at_once, worker_env

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
CAP = 2
WORKERS = 4
JOBS = {"big": 30, "medium": 19, "single": 1}


async def statuses(db: Database, tenant_id: UUID) -> list[str]:
    async with db.transaction(tenant_id, write=False):
        return [r["status"] for r in await Job.select(Job.status).where(Job.tenant_id == tenant_id).run()]


async def tenant_attempts(db: Database, tenant_id: UUID) -> list[dict]:
    async with db.transaction(tenant_id, write=False):
        return await JobAttempt.select().where(JobAttempt.tenant_id == tenant_id).run()


async def test_four_workers_never_exceed_the_tenant_cap_and_a_lone_job_does_not_wait(settings):
    db = Database.from_url(settings.database_url)
    tenants: dict[str, UUID] = {}
    jobs: dict[str, list[UUID]] = {}
    for name, count in JOBS.items():
        tenants[name], _, _ = await make_connection_owner(db)
        jobs[name] = [(await service.create(db, tenants[name], kind=KIND, subject_type="test",
                                            subject_id=tenants[name], workspace_id=None, created_by=None))[0]["id"]
                      for _ in range(count)]
    with RedisServer() as redis_server:
        env = worker_env(settings, redis_server.url, {
            "CXSUITE_TENANT_JOB_CONCURRENCY": str(CAP), "CXSUITE_WORKER_MAX_JOBS": "4",
            "CXSUITE_TEST_SLEEP_S": "0.5", "CXSUITE_JOB_RECONCILE_SECONDS": "60"})
        queue = await build_queue(dataclasses.replace(settings, redis_url=redis_server.url,
                                                      job_queue=env["CXSUITE_JOB_QUEUE"]))
        for name in JOBS:  # the single job is sent last, behind 49 others
            for job_id in jobs[name]:
                await queue.enqueue(tenants[name], job_id)
        await queue.close()
        workers = [WorkerProcess(env, imports=("tests.support.sleep_job",)).start() for _ in range(WORKERS)]
        try:
            async def all_done():
                found = [status for n in JOBS for status in await statuses(db, tenants[n])]
                return all(status == "succeeded" for status in found)
            await wait_until(all_done, 240, "all 50 jobs")
        finally:
            for worker in workers:
                worker.stop()
    attempts = {name: await tenant_attempts(db, tenants[name]) for name in JOBS}
    for name, rows in attempts.items():
        assert len(rows) == JOBS[name], name  # one attempt each: no job ran twice
        assert most_at_once([(a["started_at"], a["finished_at"]) for a in rows]) <= CAP, name
    assert most_at_once([(a["started_at"], a["finished_at"]) for a in attempts["big"]]) == CAP  # the cap is used
    first_start = min(a["started_at"] for rows in attempts.values() for a in rows)
    single_wait = (attempts["single"][0]["started_at"] - first_start).total_seconds()
    big_starts = sorted(a["started_at"] for a in attempts["big"])
    print(f"single tenant's job started {single_wait:.2f} s after the first job; the big tenant's queue took "
          f"{(big_starts[-1] - big_starts[0]).total_seconds():.1f} s to start")
    assert single_wait < 5.0
    assert attempts["single"][0]["started_at"] < big_starts[len(big_starts) // 4]
