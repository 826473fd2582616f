"""Running one job, wherever it runs (an arq worker or in-process), with the same semantics.

Delivery is at least once: the same id may arrive twice (a duplicate enqueue, a redelivery
after a crash, the reconciler after a Redis restart). :func:`service.claim` lets exactly one
runner take the row, and only while its tenant is under its concurrency cap; the others
return. Every attempt is recorded. What ends an attempt decides what happens next, through
:func:`cxsuite.failures.classify` (the one place an exception gets its class):

- success → ``succeeded`` with the body's result reference;
- cancellation requested → ``cancelled`` (what the body committed stays);
- ``transient`` (network errors, 5xx, database deadlocks, Redis dropping) → back to ``queued``
  after an equal-jitter exponential backoff (or the vendor's ``retry_after``), until the kind's attempts are
  spent → ``failed`` with ``retryable`` set: the next run resumes from the checkpoint;
- ``rate_limited`` (a vendor's window is spent, e.g. a daily limit) → ``waiting`` until the
  vendor's ``resume_at``, showing its message; the attempt is given back, so waiting never
  exhausts the budget;
- ``needs_reconnect``, ``misconfigured``, ``bad_data`` → ``failed`` at once with a message the
  client admin can act on;
- the kind's own timeout → ``failed``; an unexpected error (``internal``) → ``failed`` with a
  generic message (the traceback goes to the log). Nothing escapes to crash the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import FailureClass
from cxsuite.failures import Failure, classify
from cxsuite.jobs import service
from cxsuite.jobs.kinds import JobContext, JobKind, Resources, kind
from cxsuite.logs import bind

log = logging.getLogger("cxsuite.jobs")
HEARTBEAT_S = 5.0
BASE_BACKOFF_S, MAX_BACKOFF_S = 5.0, 300.0


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds until the next try: the vendor's hint, else exponential backoff with "equal
    jitter" (half the step fixed, half random). Full jitter could draw near-zero waits, so a
    job's retries could all land inside one vendor outage; with a fixed half, the waits before
    the 5th attempt add up to at least 75 s (10 + 20 + 40 + 80, halved), so a one-minute outage
    is outlasted without a person, while workers retrying at once still spread out."""
    if retry_after is not None:
        return float(retry_after)
    step = min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2 ** attempt)
    return step / 2 + random.uniform(0, step / 2)  # noqa: S311 - jitter, not a secret


async def run_job(resources: Resources, tenant_id: UUID, job_id: UUID) -> str:
    """Run the job if this runner can claim it; returns what happened (for logs and tests)."""
    stale = timedelta(seconds=resources.settings.job_stale_seconds)
    outcome, row = await service.claim(resources.db, tenant_id, job_id, stale,
                                       resources.settings.tenant_job_concurrency)
    if outcome == "busy":
        delay = await _fair_delay(resources, tenant_id)
        await _send(resources, tenant_id, job_id, delay)
        return "deferred"
    if row is None:
        return "skipped"
    with bind(job_id=job_id, tenant_id=tenant_id, workspace_id=row["workspace_id"] or ""):
        outcome = await _execute(resources, row)
    await _hand_over(resources, tenant_id)
    return outcome


async def _hand_over(resources: Resources, tenant_id: UUID) -> None:
    """Give the slot this job frees to the tenant's next job now, instead of leaving it idle
    until that job's deferred message comes due (a duplicate message is harmless)."""
    next_job = await service.next_due(resources.db, tenant_id)
    if next_job is not None:
        await _send(resources, tenant_id, next_job, 0.0)


async def _fair_delay(resources: Resources, tenant_id: UUID) -> float:
    """Longer waits for longer backlogs, so a tenant with hundreds of jobs does not spin."""
    backlog = await service.queued_count(resources.db, tenant_id)
    return min(60.0, 2.0 + backlog / max(resources.settings.tenant_job_concurrency, 1))


async def _execute(resources: Resources, row: dict[str, Any]) -> str:
    job_kind = kind(row["kind"])
    context = _context(resources, row)
    heartbeat = asyncio.create_task(_heartbeat(resources, row))
    deadline = asyncio.timeout(job_kind.timeout_s)
    try:
        async with deadline:
            result = await job_kind.body(context)
    except BaseException as exc:  # every outcome is recorded; nothing reaches the worker loop
        return await _ended(resources, row, job_kind, exc, timed_out=deadline.expired())
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat  # never leave a beat half-written behind the outcome
    await service.finish(resources.db, row["tenant_id"], row["id"], "succeeded", result_ref=result)
    log.info("job %s succeeded", row["kind"])
    return "succeeded"


def _context(resources: Resources, row: dict[str, Any]) -> JobContext:
    async def beat(progress: float | None, counts: dict[str, Any] | None) -> bool:
        return await service.beat(resources.db, row["tenant_id"], row["id"], progress, counts)

    adapter = logging.LoggerAdapter(logging.getLogger(f"cxsuite.jobs.{row['kind']}"), {})
    return JobContext(resources, row["id"], row["tenant_id"], row["workspace_id"], row["subject_id"],
                      row["created_by"], adapter, beat)


async def _heartbeat(resources: Resources, row: dict[str, Any]) -> None:
    """Beat between progress reports too, so a slow batch is not mistaken for a dead worker."""
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        await service.beat(resources.db, row["tenant_id"], row["id"])


async def _ended(resources: Resources, row: dict[str, Any], job_kind: JobKind, exc: BaseException, *,
                 timed_out: bool) -> str:
    """Record how an attempt that did not succeed ended, and what happens next."""
    tenant_id, job_id = row["tenant_id"], row["id"]
    if timed_out:
        message = f"took longer than its {job_kind.timeout_s:.0f} s limit and was stopped"
        await service.finish(resources.db, tenant_id, job_id, "failed", error=message,
                             error_class=FailureClass.INTERNAL)
        return "failed"
    if isinstance(exc, SyncCancelled | asyncio.CancelledError):
        if isinstance(exc, asyncio.CancelledError) and not await _cancel_requested(resources, row):
            raise exc  # the process is shutting down: leave the job to be resumed
        await service.finish(resources.db, tenant_id, job_id, "cancelled", error="cancelled on request")
        return "cancelled"
    failure = classify(exc)
    if failure.failure_class == FailureClass.INTERNAL:
        log.error("job %s failed unexpectedly", row["kind"], exc_info=exc)
    if failure.failure_class == FailureClass.RATE_LIMITED:
        return await _wait(resources, row, failure)
    budget = min(row["max_attempts"], job_kind.max_attempts)
    if failure.failure_class == FailureClass.TRANSIENT and row["attempts"] < budget:
        delay = backoff(row["attempts"], failure.retry_after)
        await service.requeue(resources.db, tenant_id, job_id, datetime.now(UTC) + timedelta(seconds=delay),
                              error=failure.message, error_class=failure.failure_class)
        await _send(resources, tenant_id, job_id, delay)
        log.warning("job %s will retry in %.1f s: %s", row["kind"], delay, failure.message)
        return "retrying"
    message = failure.message
    if failure.failure_class == FailureClass.TRANSIENT:
        message = f"{message}; gave up after {row['attempts']} attempts, the next run tries again"
    await service.finish(resources.db, tenant_id, job_id, "failed", error=message,
                         error_class=failure.failure_class)
    return "failed"


async def _wait(resources: Resources, row: dict[str, Any], failure: Failure) -> str:
    """Pause the job until the vendor's window reopens; it resumes by itself then."""
    now = datetime.now(UTC)
    resume_at = failure.resume_at or now + timedelta(seconds=failure.retry_after or MAX_BACKOFF_S)
    await service.requeue(resources.db, row["tenant_id"], row["id"], resume_at, error=failure.message,
                          error_class=failure.failure_class, waiting=True)
    delay = max((resume_at - now).total_seconds(), 0.0)
    await _send(resources, row["tenant_id"], row["id"], delay)
    log.warning("job %s waits until %s: %s", row["kind"], resume_at.isoformat(), failure.message)
    return "waiting"


async def _send(resources: Resources, tenant_id: UUID, job_id: UUID, delay: float) -> None:
    """Queue the job's next run. The row already says when it is due, so if the queue is away
    (Redis down) the reconciler sends it later: nothing is lost by not raising here."""
    try:
        await resources.queue.enqueue(tenant_id, job_id, defer_s=delay)
    except Exception as exc:  # the reconciler covers every failure to send
        log.warning("could not queue job %s (%s); the reconciler will send it", job_id, type(exc).__name__)


async def _cancel_requested(resources: Resources, row: dict[str, Any]) -> bool:
    return await service.beat(resources.db, row["tenant_id"], row["id"])
