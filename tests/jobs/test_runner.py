"""Job semantics through the runner and the in-process queue, on the real database:
one execution per job, retries for transient failures, fast failure for permanent ones,
cancellation at a boundary, timeouts, and fairness between tenants."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
import redis.exceptions

from cxsuite.db.session import Database
from cxsuite.errors import (
    ConnectorAuthError,
    ConnectorConfigError,
    ConnectorRateLimited,
    ConnectorTransientError,
)
from cxsuite.jobs import service
from cxsuite.jobs.kinds import JobContext, JobKind, Resources, register_kind
from cxsuite.jobs.queue import InlineQueue
from cxsuite.jobs.runner import backoff, run_job
from cxsuite.jobs.schemas import to_out
from cxsuite.plugin_manager import build_plugins
from tests.support.records import make_connection_owner
from tests.support.workers import most_at_once

pytestmark = pytest.mark.anyio
CALLS: dict[str, list[UUID]] = {}
SCRIPT: dict[UUID, list[object]] = {}


async def scripted(ctx: JobContext) -> str:
    """Does what the test scripted for this job, one step per attempt."""
    CALLS.setdefault("scripted", []).append(ctx.job_id)
    step = SCRIPT[ctx.job_id].pop(0)
    if isinstance(step, BaseException):
        raise step
    if step == "slow":
        for _ in range(25):
            await ctx.report_progress(0.5)
            if await ctx.cancelled():
                from cxsuite.connectors.engine import SyncCancelled

                raise SyncCancelled("stopped")
            await asyncio.sleep(0.02)
    if step == "hang":
        await asyncio.sleep(60)
    return f"done:{ctx.job_id}"


register_kind(JobKind("test_scripted", scripted, timeout_s=5.0, max_attempts=3))


@pytest.fixture
async def resources(settings):
    db = Database.from_url(settings.database_url)
    await db.start()
    fast = dataclasses.replace(settings, tenant_job_concurrency=2)
    queue = InlineQueue()
    res = Resources(db, fast, build_plugins(), None, queue)
    queue.bind(res)
    yield res
    await queue.close()
    await db.close()


async def new_job(res: Resources, steps: list[object], tenant_id: UUID | None = None) -> tuple[UUID, UUID]:
    if tenant_id is None:
        tenant_id, _, _ = await make_connection_owner(res.db)
    job, _ = await service.create(res.db, tenant_id, kind="test_scripted", subject_type="test",
                                  subject_id=tenant_id, workspace_id=None, created_by=None)
    SCRIPT[job["id"]] = list(steps)
    return tenant_id, job["id"]


async def status(res: Resources, tenant_id: UUID, job_id: UUID) -> dict:
    async with res.db.transaction(tenant_id, write=False):
        return await service.read(tenant_id, job_id)


async def test_duplicate_delivery_runs_the_job_once(resources):
    tenant_id, job_id = await new_job(resources, ["slow"])
    outcomes = await asyncio.gather(*(run_job(resources, tenant_id, job_id) for _ in range(3)))
    assert sorted(outcomes) == ["skipped", "skipped", "succeeded"]
    assert CALLS["scripted"].count(job_id) == 1


async def test_transient_failures_retry_then_succeed(resources, monkeypatch):
    monkeypatch.setattr("cxsuite.jobs.runner.backoff", lambda attempt, retry_after=None: 0.01)
    tenant_id, job_id = await new_job(resources, [ConnectorTransientError("HubSpot answered 503"),
                                                  ConnectionResetError("reset"), "ok"])
    await resources.queue.enqueue(tenant_id, job_id)
    await resources.queue.drain()
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"]) == ("succeeded", 3)
    assert row["result_ref"] == f"done:{job_id}"


async def test_permanent_failure_fails_fast_with_a_readable_error(resources):
    tenant_id, job_id = await new_job(resources, [ConnectorAuthError(
        "HubSpot refused the credentials even after a refresh; reconnect the account")])
    await run_job(resources, tenant_id, job_id)
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "reconnect the account" in row["error"]


async def test_unexpected_errors_fail_without_leaking_internals(resources):
    tenant_id, job_id = await new_job(resources, [KeyError("internal_secret_field")])
    assert await run_job(resources, tenant_id, job_id) == "failed"
    row = await status(resources, tenant_id, job_id)
    assert "internal_secret_field" not in row["error"]
    assert "logged" in row["error"]


async def test_exhausted_retries_end_failed_but_retryable_with_every_attempt_recorded(resources, monkeypatch):
    monkeypatch.setattr("cxsuite.jobs.runner.backoff", lambda attempt, retry_after=None: 0.01)
    tenant_id, job_id = await new_job(resources, [ConnectorTransientError("HubSpot answered 503")] * 3)
    await resources.queue.enqueue(tenant_id, job_id)
    await resources.queue.drain()
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"], row["error_class"]) == ("failed", 3, "transient")
    assert row["error"] == "HubSpot answered 503; gave up after 3 attempts, the next run tries again"
    assert to_out(row).retryable
    attempts = await service.attempts_of(resources.db, tenant_id, job_id)
    assert [(a["number"], a["outcome"], a["error_class"]) for a in attempts] == [
        (1, "retrying", "transient"), (2, "retrying", "transient"), (3, "failed", "transient")]
    assert all(a["started_at"] <= a["finished_at"] and a["message"].startswith("HubSpot answered 503")
               for a in attempts)


async def test_a_rate_limited_job_waits_for_the_vendor_window_without_spending_attempts(resources):
    resume_at = datetime.now(UTC) + timedelta(seconds=0.4)
    message = "HubSpot daily API limit reached; resumes at 00:00 UTC"
    tenant_id, job_id = await new_job(resources, [ConnectorRateLimited(message, resume_at=resume_at)] * 4 + ["ok"])
    assert await run_job(resources, tenant_id, job_id) == "waiting"
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"], row["error"], row["error_class"]) == (
        "waiting", 0, message, "rate_limited")
    out = to_out(row)
    assert out.next_attempt_at == resume_at and not out.retryable
    assert await run_job(resources, tenant_id, job_id) == "skipped"  # not before the window reopens
    await resources.queue.drain()  # resumes by itself; 4 waits do not exhaust a budget of 3
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"]) == ("succeeded", 1)
    outcomes = [a["outcome"] for a in await service.attempts_of(resources.db, tenant_id, job_id)]
    assert outcomes == ["waiting"] * 4 + ["succeeded"]


@pytest.mark.parametrize("error", [redis.exceptions.ConnectionError("Connection closed by server."),
                                   TimeoutError("the vendor did not answer in time")])
async def test_redis_dropping_and_a_body_timeout_are_transient_not_the_job_timeout(resources, monkeypatch, error):
    monkeypatch.setattr("cxsuite.jobs.runner.backoff", lambda attempt, retry_after=None: 0.01)
    tenant_id, job_id = await new_job(resources, [error, "ok"])
    await resources.queue.enqueue(tenant_id, job_id)
    await resources.queue.drain()
    row = await status(resources, tenant_id, job_id)
    assert (row["status"], row["attempts"]) == ("succeeded", 2), row["error"]


async def test_misconfiguration_fails_at_once_and_says_so(resources):
    tenant_id, job_id = await new_job(resources, [ConnectorConfigError(
        "HubSpot rejected cxsuite's OAuth client id or secret; fix CXSUITE_OAUTH_CLIENTS")])
    assert await run_job(resources, tenant_id, job_id) == "failed"
    row = await status(resources, tenant_id, job_id)
    assert (row["attempts"], row["error_class"]) == (1, "misconfigured")
    assert "OAuth client id or secret" in row["error"] and not to_out(row).retryable


async def test_simultaneous_claims_never_exceed_the_tenant_cap(resources):
    tenant_id, first = await new_job(resources, ["slow"])
    jobs = [first] + [(await new_job(resources, ["slow"], tenant_id))[1] for _ in range(5)]
    outcomes = await asyncio.gather(*(run_job(resources, tenant_id, j) for j in jobs))
    assert outcomes.count("succeeded") <= 2 and "deferred" in outcomes, outcomes
    await resources.queue.drain()  # the deferred ones run as slots free up
    attempts = [a for j in jobs for a in await service.attempts_of(resources.db, tenant_id, j)]
    assert [a["outcome"] for a in attempts] == ["succeeded"] * 6
    assert most_at_once([(a["started_at"], a["finished_at"]) for a in attempts]) == 2


async def test_timeout_ends_the_job_failed(resources):
    tenant_id, job_id = await new_job(resources, ["hang"])
    assert await run_job(resources, tenant_id, job_id) == "failed"
    assert "limit" in (await status(resources, tenant_id, job_id))["error"]


async def test_cancellation_stops_a_running_job(resources):
    tenant_id, job_id = await new_job(resources, ["slow"])
    running = asyncio.create_task(run_job(resources, tenant_id, job_id))
    await asyncio.sleep(0.2)
    from cxsuite.jobs.tables import Job

    async with resources.db.transaction(tenant_id):
        await Job.update({Job.cancel_requested: True}).where(Job.id == job_id).run()
    assert await running == "cancelled"


async def test_a_tenant_over_its_cap_waits_while_another_runs(resources):
    tenant_a, first = await new_job(resources, ["slow"])
    _, second = await new_job(resources, ["slow"], tenant_a)
    _, third = await new_job(resources, ["ok"], tenant_a)
    tenant_b, other = await new_job(resources, ["ok"])
    running = [asyncio.create_task(run_job(resources, tenant_a, j)) for j in (first, second)]
    await asyncio.sleep(0.15)
    assert await run_job(resources, tenant_a, third) == "deferred"  # A already runs two
    assert await run_job(resources, tenant_b, other) == "succeeded"  # B is not starved
    assert await asyncio.gather(*running) == ["succeeded", "succeeded"]
    await resources.queue.drain()  # A's deferred job ran once a slot was free
    assert (await status(resources, tenant_a, third))["status"] == "succeeded"


def test_the_retry_budget_outlasts_a_one_minute_vendor_outage():
    """Transient failures are retried over at least 60 s of waiting, whatever the jitter draws:
    a vendor that is down for a minute must not fail a sync for good (issue 14's 60 s outage).
    With full jitter (the old backoff) the waits of four retries could add up to seconds."""
    retries = JobKind.__dataclass_fields__["max_attempts"].default - 1
    for _ in range(200):
        shortest = sum(backoff(attempt) for attempt in range(1, retries + 1))
        assert shortest >= 60, shortest
    assert backoff(3, retry_after=7.5) == 7.5
