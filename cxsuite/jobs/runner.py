"""Running one job, wherever it runs (an arq worker or in-process), with the same semantics.

Delivery is at least once: the same id may arrive twice (a duplicate enqueue, a redelivery
after a crash). :func:`service.claim` lets exactly one runner take the row; the other returns.
Outcomes:

- success → ``succeeded`` with the body's result reference;
- cancellation requested → ``cancelled`` (what the body committed stays);
- a transient failure (``retryable`` cxsuite errors, network errors, database deadlocks and
  locks) → back to ``queued`` after a full-jitter backoff (or the vendor's ``retry_after``),
  until ``max_attempts`` → ``failed``;
- a permanent failure (revoked credentials, invalid configuration) → ``failed`` at once with
  a message the client admin can act on;
- the kind's timeout → ``failed``; an unexpected error → ``failed`` with a generic message (the
  traceback goes to the log). Nothing escapes to crash the worker.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import CxsuiteError
from cxsuite.jobs import service
from cxsuite.jobs.kinds import JobContext, JobKind, Resources, kind
from cxsuite.logs import bind

log = logging.getLogger("cxsuite.jobs")
HEARTBEAT_S = 5.0
BASE_BACKOFF_S, MAX_BACKOFF_S = 2.0, 300.0


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, CxsuiteError):
        return exc.retryable
    if isinstance(exc, httpx.TransportError | ConnectionError):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return "locked" in str(exc)
    return type(exc).__name__ in ("DeadlockDetectedError", "SerializationError",
                                  "ConnectionDoesNotExistError", "InterfaceError")


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds until the next try: the vendor's hint, else full-jitter exponential backoff."""
    if retry_after is not None:
        return float(retry_after)
    return random.uniform(0, min(MAX_BACKOFF_S, BASE_BACKOFF_S * 2 ** attempt))  # noqa: S311


async def run_job(resources: Resources, tenant_id: UUID, job_id: UUID) -> str:
    """Run the job if this runner can claim it; returns what happened (for logs and tests)."""
    stale = timedelta(seconds=resources.settings.job_stale_seconds)
    if await _over_tenant_cap(resources, tenant_id, stale):
        delay = await _fair_delay(resources, tenant_id)
        await resources.queue.enqueue(tenant_id, job_id, defer_s=delay)
        return "deferred"
    row = await service.claim(resources.db, tenant_id, job_id, stale)
    if row is None:
        return "skipped"
    with bind(job_id=job_id, tenant_id=tenant_id, workspace_id=row["workspace_id"] or ""):
        return await _execute(resources, row)


async def _over_tenant_cap(resources: Resources, tenant_id: UUID, stale: timedelta) -> bool:
    cap = resources.settings.tenant_job_concurrency
    return await service.running_count(resources.db, tenant_id, stale) >= cap


async def _fair_delay(resources: Resources, tenant_id: UUID) -> float:
    """Longer waits for longer backlogs, so a tenant with hundreds of jobs does not spin."""
    backlog = await service.queued_count(resources.db, tenant_id)
    return min(60.0, 2.0 + backlog / max(resources.settings.tenant_job_concurrency, 1))


async def _execute(resources: Resources, row: dict[str, Any]) -> str:
    job_kind = kind(row["kind"])
    context = _context(resources, row)
    heartbeat = asyncio.create_task(_heartbeat(resources, row))
    try:
        result = await asyncio.wait_for(job_kind.body(context), timeout=job_kind.timeout_s)
    except BaseException as exc:  # every outcome is recorded; nothing reaches the worker loop
        return await _failed(resources, row, job_kind, exc)
    finally:
        heartbeat.cancel()
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


async def _failed(resources: Resources, row: dict[str, Any], job_kind: JobKind, exc: BaseException) -> str:
    tenant_id, job_id = row["tenant_id"], row["id"]
    if isinstance(exc, SyncCancelled | asyncio.CancelledError) and not isinstance(exc, TimeoutError):
        if isinstance(exc, asyncio.CancelledError) and not await _cancel_requested(resources, row):
            raise exc  # the process is shutting down: leave the job to be resumed
        await service.finish(resources.db, tenant_id, job_id, "cancelled", error="cancelled on request")
        return "cancelled"
    if isinstance(exc, TimeoutError):
        message = f"took longer than its {job_kind.timeout_s:.0f} s limit and was stopped"
    elif _transient(exc) and row["attempts"] < min(row["max_attempts"], job_kind.max_attempts):
        delay = backoff(row["attempts"], getattr(exc, "retry_after", None))
        await service.requeue(resources.db, tenant_id, job_id, delay, error=_message(exc))
        await resources.queue.enqueue(tenant_id, job_id, defer_s=delay)
        log.warning("job %s will retry in %.1f s: %s", row["kind"], delay, _message(exc))
        return "retrying"
    else:
        message = _message(exc)
    if not isinstance(exc, CxsuiteError | TimeoutError):
        log.error("job %s failed unexpectedly", row["kind"], exc_info=exc)
    await service.finish(resources.db, tenant_id, job_id, "failed", error=message)
    return "failed"


async def _cancel_requested(resources: Resources, row: dict[str, Any]) -> bool:
    return await service.beat(resources.db, row["tenant_id"], row["id"])


def _message(exc: BaseException) -> str:
    """What the client admin reads: our own errors say what to do; anything else is generic."""
    if isinstance(exc, CxsuiteError):
        return exc.detail
    if _transient(exc):
        return f"temporary failure ({type(exc).__name__}); gave up after the last retry"
    return "unexpected error; it has been logged for the operators"
