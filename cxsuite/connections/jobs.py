"""The ``sync`` job: one connection's import, through the sync engine, resumable anywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from cxsuite.access.permissions import Action, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.connections.runtime import open_connection
from cxsuite.connections.service import get as get_connection
from cxsuite.connections.tables import Connection
from cxsuite.connectors.engine import SyncEngine, SyncProgress
from cxsuite.customers.service import resolve_after_import
from cxsuite.db.session import Database
from cxsuite.db.statistics import refresh_record_statistics
from cxsuite.jobs import service as jobs
from cxsuite.jobs.kinds import JobContext, JobKind, register_kind
from cxsuite.scoring.quality import import_notes

# A first import of a large account runs for a long time, but every batch is committed, so a
# timeout loses little: the next attempt resumes from the checkpoint.
SYNC_TIMEOUT_S = 3600


async def sync_body(ctx: JobContext) -> str:
    """Run every stream of the connection; progress and cancellation go through the job."""
    res = ctx.resources

    async def progress(p: SyncProgress) -> None:
        await ctx.report_progress(p.fraction, {"stream": p.stream, **p.counts.as_dict()})

    async with open_connection(res.db, res.settings, res.plugins.connectors(), ctx.tenant_id,
                               ctx.subject_id, redis=res.redis) as opened:
        engine = SyncEngine(res.db, opened.scope, opened.connector, on_progress=progress,
                            cancelled=ctx.cancelled, job_id=ctx.job_id)
        result = await engine.run()
        kinds = {stream.name: stream.kind for stream in opened.connector.streams}
    written = [(kinds[stream], counts.written) for stream, counts in result.per_stream.items()]
    await refresh_record_statistics(res.db, written)
    if any(kind == "customer" and count for kind, count in written):  # keyed and grouped here, once
        await resolve_after_import(res.db, ctx.tenant_id, opened.scope.workspace_id)
    notes = await import_notes(res.db, ctx.tenant_id, opened.scope.workspace_id)
    await ctx.report_progress(1.0, {**result.totals.as_dict(), **({"quality_notes": notes} if notes else {})})
    async with res.db.transaction(ctx.tenant_id):
        await Connection.update({Connection.last_sync_at: datetime.now(UTC)}).where(
            (Connection.tenant_id == ctx.tenant_id) & (Connection.id == ctx.subject_id)).run()
    return f"connection:{ctx.subject_id}"


register_kind(JobKind("sync", sync_body, timeout_s=SYNC_TIMEOUT_S))


async def start_sync(db: Database, queue: object, principal: Principal, connection_id: UUID) -> dict:
    """The running or queued sync of the connection, or a new one (at most one at a time)."""
    connection = await get_connection(db, principal, connection_id)
    require_in_workspace(principal, connection["workspace_id"], Action.SYNC_RUN)
    job, created = await jobs.create(db, principal.tenant_id, kind="sync", subject_type="connection",
                                     subject_id=connection_id, workspace_id=connection["workspace_id"],
                                     created_by=principal.user_id, dedupe_key=f"sync:{connection_id}")
    if created:
        await queue.enqueue(principal.tenant_id, job["id"])  # type: ignore[attr-defined]
    return job
