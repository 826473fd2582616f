"""Score runs as jobs: the ``score`` kind, and starting one (202 with the run and its job).

The body is :func:`cxsuite.scoring.service.run_score`: idempotent (a run that already
succeeded is returned as stored), so a redelivered job does no harm.
"""

from __future__ import annotations

from uuid import UUID

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.jobs import service as jobs
from cxsuite.jobs.kinds import JobContext, JobKind, register_kind
from cxsuite.scoring.schemas import JobOut, ScoreRunAccepted
from cxsuite.scoring.service import readable_run, run_score, start_run, summary_of
from cxsuite.scoring.tables import ScoreRunRow

KIND = "score"
# Scoring is SQL aggregation over one workspace: seconds at the benchmark scale, so a run that
# takes ten minutes is stuck, not slow.
SCORE_TIMEOUT_S = 600


async def score_body(ctx: JobContext) -> str:
    """Compute the queued run the job points at."""
    res = ctx.resources
    async with res.db.transaction(ctx.tenant_id, write=False):
        row = await ScoreRunRow.select(ScoreRunRow.project_id).where(
            (ScoreRunRow.tenant_id == ctx.tenant_id) & (ScoreRunRow.id == ctx.subject_id)).first().run()
    if row is None:
        return ""  # the project (and its run) was deleted meanwhile: nothing to do

    async def progress(fraction: float) -> None:
        await ctx.report_progress(fraction)

    await run_score(res.db, res.settings, ctx.tenant_id, row["project_id"], ctx.subject_id,
                    progress=progress, plugins=res.plugins)
    return f"score_run:{ctx.subject_id}"


register_kind(JobKind(KIND, score_body, timeout_s=SCORE_TIMEOUT_S, max_attempts=3))


async def start_score_job(db: Database, queue: object, principal: Principal, project_id: UUID,
                          ) -> ScoreRunAccepted:
    """A queued run and the job that will compute it."""
    run = await start_run(db, principal, project_id)
    readable = await readable_run(db, principal, run.id)
    job, _ = await jobs.create(db, principal.tenant_id, kind=KIND, subject_type="score_run",
                               subject_id=run.id, workspace_id=readable["workspace_id"],
                               created_by=principal.user_id, max_attempts=3)
    await queue.enqueue(principal.tenant_id, job["id"])  # type: ignore[attr-defined]
    return ScoreRunAccepted(run=summary_of(readable),
                            job=JobOut(id=job["id"], kind=KIND, status=job["status"]))
