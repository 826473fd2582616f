"""Job rows: creation (with de-duplication), reads, cancellation and the state transitions
the runner makes. The row is the source of truth; the queue only carries its id."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from cxsuite.access.permissions import Action, require_in_workspace, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.db.lookup import one_in_tenant, page_of
from cxsuite.db.session import Database
from cxsuite.jobs.schemas import TERMINAL
from cxsuite.jobs.tables import Job
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
                                    & Job.status.is_in(["queued", "running"])).first().run()


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


async def list_for_workspace(db: Database, principal: Principal, workspace_id: UUID, *,
                             status: str | None, kind: str | None, limit: int, offset: int,
                             ) -> tuple[list[dict[str, Any]], int]:
    """A page of the workspace's jobs, newest first."""
    where = (Job.tenant_id == principal.tenant_id) & (Job.workspace_id == workspace_id)
    if status:
        where = where & (Job.status == status)
    if kind:
        where = where & (Job.kind == kind)
    async with db.transaction(principal.tenant_id, write=False):
        await load_workspace(principal, workspace_id, Action.JOB_READ)
        return await page_of(Job, where, (), Job.created_at, newest_first=True, limit=limit, offset=offset)


async def request_cancel(db: Database, principal: Principal, job_id: UUID) -> dict[str, Any]:
    """Ask the job to stop at its next batch boundary; a queued job is cancelled at once."""
    await get_for(db, principal, job_id, Action.JOB_CANCEL)
    now = datetime.now(UTC)
    async with db.transaction(principal.tenant_id):
        mine = (Job.tenant_id == principal.tenant_id) & (Job.id == job_id)
        await Job.update({Job.status: "cancelled", Job.finished_at: now,
                          Job.cancel_requested: True}).where(mine & (Job.status == "queued")).run()
        await Job.update({Job.cancel_requested: True}).where(mine & (Job.status == "running")).run()
        return await read(principal.tenant_id, job_id)


async def claim(db: Database, tenant_id: UUID, job_id: UUID, stale_after: timedelta) -> dict[str, Any] | None:
    """Take the job for running: a queued one, or a running one whose worker stopped beating.

    The conditional update is the lock: of two workers holding the same id, one gets the row.
    """
    now = datetime.now(UTC)
    dead = (Job.status == "running") & (Job.heartbeat_at < now - stale_after)
    claimable = (Job.status == "queued") | dead
    async with db.transaction(tenant_id):
        rows = await Job.update({Job.status: "running", Job.attempts: Job.attempts + 1, Job.heartbeat_at: now,
                                 Job.started_at: now, Job.run_after: None}).where(
            (Job.tenant_id == tenant_id) & (Job.id == job_id) & claimable
            & (Job.run_after.is_null() | (Job.run_after <= now))).returning(Job.id).run()
        return await read(tenant_id, job_id) if rows else None


async def running_count(db: Database, tenant_id: UUID, stale_after: timedelta) -> int:
    """Jobs of the tenant running right now (stale ones do not count)."""
    async with db.transaction(tenant_id, write=False):
        return await Job.count().where(
            (Job.tenant_id == tenant_id) & (Job.status == "running")
            & (Job.heartbeat_at >= datetime.now(UTC) - stale_after)).run()


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
                 result_ref: str = "") -> None:
    """Record the outcome."""
    assert status in TERMINAL
    changes: dict[Any, Any] = {Job.status: status, Job.error: error[:2000],
                               Job.finished_at: datetime.now(UTC)}
    if status == "succeeded":
        changes[Job.progress] = 1.0
        changes[Job.result_ref] = result_ref
    async with db.transaction(tenant_id):
        await Job.update(changes).where((Job.tenant_id == tenant_id) & (Job.id == job_id)).run()


async def requeue(db: Database, tenant_id: UUID, job_id: UUID, delay_s: float, error: str = "",
                  refund_attempt: bool = False) -> None:
    """Back to the queue, not before ``delay_s`` seconds (a transient failure or a fairness wait)."""
    changes: dict[Any, Any] = {Job.status: "queued", Job.error: error[:2000],
                               Job.run_after: datetime.now(UTC) + timedelta(seconds=delay_s)}
    if refund_attempt:
        changes[Job.attempts] = Job.attempts - 1
    async with db.transaction(tenant_id):
        await Job.update(changes).where((Job.tenant_id == tenant_id) & (Job.id == job_id)).run()


async def due(db: Database, tenant_id: UUID, stale_after: timedelta) -> list[UUID]:
    """Jobs the sweep must (re-)enqueue: queued and due, or running with a dead worker."""
    now = datetime.now(UTC)
    async with db.transaction(tenant_id, write=False):
        rows = await Job.select(Job.id).where((Job.tenant_id == tenant_id) & (
            ((Job.status == "queued") & (Job.run_after.is_null() | (Job.run_after <= now)))
            | ((Job.status == "running") & (Job.heartbeat_at < now - stale_after)))).run()
    return [r["id"] for r in rows]


async def queued_count(db: Database, tenant_id: UUID) -> int:
    """The tenant's backlog."""
    async with db.transaction(tenant_id, write=False):
        return await Job.count().where((Job.tenant_id == tenant_id) & (Job.status == "queued")).run()
