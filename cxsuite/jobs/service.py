"""Job rows: creation (with de-duplication), reads, cancellation and the state transitions
the runner makes. The row is the source of truth; the queue only carries its id."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action, require_in_workspace, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.lookup import one_in_tenant
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.jobs.schemas import TERMINAL
from cxsuite.jobs.tables import Job, JobAttempt
from cxsuite.workspaces.service import load as load_workspace


async def create(db: Database, tenant_id: UUID, *, kind: str, subject_type: str, subject_id: UUID,
                 workspace_id: UUID | None, created_by: UUID | None, dedupe_key: str | None = None,
                 max_attempts: int = 5) -> tuple[dict[str, Any], bool]:
    """A queued job, or the active one with the same ``dedupe_key`` (``created`` is False then)."""
    async with db.transaction(tenant_id):
        if dedupe_key:
            active = await _active(tenant_id, dedupe_key)
            if active:
                return active, False
        job_id = uuid4()
        await Job.insert(Job(id=job_id, tenant_id=tenant_id, workspace_id=workspace_id, kind=kind,
                             subject_type=subject_type, subject_id=subject_id, status="queued",
                             dedupe_key=dedupe_key, created_by=created_by, max_attempts=max_attempts,
                             created_at=datetime.now(UTC))).run()
        return await read(tenant_id, job_id), True


async def _active(tenant_id: UUID, dedupe_key: str) -> dict[str, Any] | None:
    return await Job.select().where((Job.tenant_id == tenant_id) & (Job.dedupe_key == dedupe_key)
                                    & Job.status.is_in(["queued", "running", "waiting"])).first().run()


async def read(tenant_id: UUID, job_id: UUID) -> dict[str, Any]:
    """The row (inside an open transaction)."""
    return await one_in_tenant(Job, tenant_id, job_id, what="job")


async def get_for(db: Database, principal: Principal, job_id: UUID, action: Action = Action.JOB_READ,
                  ) -> dict[str, Any]:
    """A job the caller may see: 404 across tenants and workspaces."""
    async with db.transaction(principal.tenant_id, write=False):
        row = await read(principal.tenant_id, job_id)
    if row["workspace_id"] is None:
        require_tenant_wide(principal, action)
    else:
        require_in_workspace(principal, row["workspace_id"], action)
    return row


LIST = ListSpec(sorts=("created_at", "kind", "status"), default="-created_at", search=("kind", "status"))


async def list_for_workspace(db: Database, principal: Principal, workspace_id: UUID, *,
                             status: str | None, kind: str | None, limit: int, offset: int,
                             listing: Listing | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of the workspace's jobs, newest first."""
    where = (Job.tenant_id == principal.tenant_id) & (Job.workspace_id == workspace_id)
    if status:
        where = where & (Job.status == status)
    if kind:
        where = where & (Job.kind == kind)
    async with db.transaction(principal.tenant_id, write=False):
        await load_workspace(principal, workspace_id, Action.JOB_READ)
        return await page_listed(Job, where, (), LIST, listing, limit=limit, offset=offset)


async def request_cancel(db: Database, principal: Principal, job_id: UUID) -> dict[str, Any]:
    """Ask the job to stop at its next batch boundary; a queued or waiting job is cancelled at once."""
    await get_for(db, principal, job_id, Action.JOB_CANCEL)
    now = datetime.now(UTC)
    async with db.transaction(principal.tenant_id):
        mine = (Job.tenant_id == principal.tenant_id) & (Job.id == job_id)
        await Job.update({Job.status: "cancelled", Job.finished_at: now, Job.cancel_requested: True}).where(
            mine & Job.status.is_in(["queued", "waiting"])).run()
        await Job.update({Job.cancel_requested: True}).where(mine & (Job.status == "running")).run()
        return await read(principal.tenant_id, job_id)


def worker_name() -> str:
    """Who runs an attempt, as its row records it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


async def claim(db: Database, tenant_id: UUID, job_id: UUID, stale_after: timedelta, cap: int,
                ) -> tuple[str, dict[str, Any] | None]:
    """Take the job for running: ``("claimed", row)``, ``("busy", None)`` when the tenant already
    runs ``cap`` jobs, or ``("skipped", None)`` when the job is not there to take.

    A queued job is taken, or a waiting one whose time has come, or a running one whose worker
    stopped beating. Counting the tenant's running jobs and taking this one happen in one
    transaction that holds the tenant's claim lock (PostgreSQL: a transaction-level advisory
    lock; SQLite: the database's single write lock), so workers claiming at the same instant
    cannot together exceed the cap. The conditional update is the lock on the job itself: of
    two workers holding the same id, one gets the row. The attempt is recorded with the claim,
    and an attempt left open by a dead worker is closed as ``interrupted``.
    """
    now = datetime.now(UTC)
    mine = (Job.tenant_id == tenant_id) & (Job.id == job_id)
    dead = (Job.status == "running") & (Job.heartbeat_at < now - stale_after)
    claimable = ((Job.status.is_in(["queued", "waiting"]) | dead)
                 & (Job.run_after.is_null() | (Job.run_after <= now)))
    async with db.transaction(tenant_id):
        if db.is_postgres:
            await execute(db.engine, "SELECT pg_advisory_xact_lock(hashtextextended({}, 0))",
                          f"cxsuite.jobs.claim:{tenant_id}")
        if not await Job.exists().where(mine & claimable).run():
            return "skipped", None
        if await _running(tenant_id, now - stale_after) >= cap:
            return "busy", None
        started = datetime.now(UTC)  # after the count: an attempt starts once the slot is free
        await Job.update({Job.status: "running", Job.attempts: Job.attempts + 1, Job.heartbeat_at: started,
                          Job.started_at: started, Job.run_after: None}).where(mine & claimable).run()
        await _open_attempt(tenant_id, job_id, started)
        return "claimed", await read(tenant_id, job_id)


async def _running(tenant_id: UUID, alive_since: datetime) -> int:
    return await Job.count().where((Job.tenant_id == tenant_id) & (Job.status == "running")
                                   & (Job.heartbeat_at >= alive_since)).run()


async def _open_attempt(tenant_id: UUID, job_id: UUID, now: datetime) -> None:
    of_job = (JobAttempt.tenant_id == tenant_id) & (JobAttempt.job_id == job_id)
    await JobAttempt.update({JobAttempt.outcome: "interrupted", JobAttempt.finished_at: now,
                             JobAttempt.message: "the worker stopped responding; another took over"}).where(
        of_job & (JobAttempt.outcome == "running")).run()
    last = await JobAttempt.select(JobAttempt.number).where(of_job).order_by(
        JobAttempt.number, ascending=False).first().run()
    number = (last["number"] if last else 0) + 1
    await JobAttempt.insert(JobAttempt(tenant_id=tenant_id, job_id=job_id, number=number,
                                       worker=worker_name(), started_at=now)).run()


async def _close_attempt(tenant_id: UUID, job_id: UUID, outcome: str, error_class: str, message: str) -> None:
    await JobAttempt.update({JobAttempt.outcome: outcome, JobAttempt.finished_at: datetime.now(UTC),
                             JobAttempt.error_class: error_class, JobAttempt.message: message[:2000]}).where(
        (JobAttempt.tenant_id == tenant_id) & (JobAttempt.job_id == job_id)
        & (JobAttempt.outcome == "running")).run()


async def attempts_of(db: Database, tenant_id: UUID, job_id: UUID) -> list[dict[str, Any]]:
    """Every attempt of the job, first first."""
    async with db.transaction(tenant_id, write=False):
        of_job = (JobAttempt.tenant_id == tenant_id) & (JobAttempt.job_id == job_id)
        return await JobAttempt.select().where(of_job).order_by(JobAttempt.number).run()


async def beat(db: Database, tenant_id: UUID, job_id: UUID, progress: float | None = None,
               counts: dict[str, Any] | None = None) -> bool:
    """Refresh the heartbeat (and progress); returns whether cancellation was requested."""
    changes: dict[Any, Any] = {Job.heartbeat_at: datetime.now(UTC)}
    if progress is not None:
        changes[Job.progress] = max(0.0, min(1.0, progress))
    if counts is not None:
        changes[Job.counts] = json.dumps(counts, sort_keys=True)
    async with db.transaction(tenant_id):
        await Job.update(changes).where((Job.tenant_id == tenant_id) & (Job.id == job_id)).run()
        row = await Job.select(Job.cancel_requested).where(
            (Job.tenant_id == tenant_id) & (Job.id == job_id)).first().run()
    return bool(row and row["cancel_requested"])


async def finish(db: Database, tenant_id: UUID, job_id: UUID, status: str, *, error: str = "",
                 error_class: str = "", result_ref: str = "") -> None:
    """Record the outcome, on the job and on its attempt."""
    assert status in TERMINAL
    changes: dict[Any, Any] = {Job.status: status, Job.error: error[:2000], Job.error_class: error_class}
    if status == "succeeded":
        changes[Job.progress] = 1.0
        changes[Job.result_ref] = result_ref
    async with db.transaction(tenant_id):
        changes[Job.finished_at] = datetime.now(UTC)
        await Job.update(changes).where((Job.tenant_id == tenant_id) & (Job.id == job_id)).run()
        await _close_attempt(tenant_id, job_id, status, error_class, error)


async def requeue(db: Database, tenant_id: UUID, job_id: UUID, run_after: datetime, *, error: str,
                  error_class: str, waiting: bool = False) -> None:
    """Back to the queue, not before ``run_after``: ``queued`` to retry a transient failure, or
    ``waiting`` for a vendor's limit window, which gives the attempt back (waiting is not failing)."""
    changes: dict[Any, Any] = {Job.status: "waiting" if waiting else "queued", Job.error: error[:2000],
                               Job.error_class: error_class, Job.run_after: run_after}
    if waiting:
        changes[Job.attempts] = Job.attempts - 1
    async with db.transaction(tenant_id):
        await Job.update(changes).where((Job.tenant_id == tenant_id) & (Job.id == job_id)).run()
        await _close_attempt(tenant_id, job_id, "waiting" if waiting else "retrying", error_class, error)


async def due(db: Database, tenant_id: UUID, stale_after: timedelta) -> list[dict[str, Any]]:
    """Jobs (``id``, ``status``) that should be in the queue: queued or waiting and due, or
    running with a dead worker."""
    now = datetime.now(UTC)
    async with db.transaction(tenant_id, write=False):
        return await Job.select(Job.id, Job.status).where((Job.tenant_id == tenant_id) & (
            (Job.status.is_in(["queued", "waiting"]) & (Job.run_after.is_null() | (Job.run_after <= now)))
            | ((Job.status == "running") & (Job.heartbeat_at < now - stale_after)))).run()


async def next_due(db: Database, tenant_id: UUID) -> UUID | None:
    """The tenant's oldest job that may start now (the runner hands a freed slot to it)."""
    now = datetime.now(UTC)
    async with db.transaction(tenant_id, write=False):
        row = await Job.select(Job.id).where(
            (Job.tenant_id == tenant_id) & Job.status.is_in(["queued", "waiting"])
            & (Job.run_after.is_null() | (Job.run_after <= now))).order_by(Job.created_at).first().run()
    return row["id"] if row else None


async def queued_count(db: Database, tenant_id: UUID) -> int:
    """The tenant's backlog."""
    async with db.transaction(tenant_id, write=False):
        return await Job.count().where((Job.tenant_id == tenant_id) & (Job.status == "queued")).run()
