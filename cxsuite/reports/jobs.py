"""Rendering as a job: the ``report`` kind, and starting one (202 with the report and its job).

The body is :func:`cxsuite.reports.service.render_report`, idempotent (a rendered report is
left as stored), so a redelivered job does no harm. WeasyPrint runs in a child process bounded
in time and memory (:mod:`cxsuite.reports.render`); the job's timeout sits above that bound. A
worker warms the renderer as it starts (``warm_up``), so its first report is as fast as the rest.
"""

from __future__ import annotations

from uuid import UUID

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.jobs import service as jobs
from cxsuite.jobs.kinds import JobContext, JobKind, register_kind
from cxsuite.reports.render import warm_up
from cxsuite.reports.schemas import ReportAccepted, ReportIn
from cxsuite.reports.service import attach_job, render_report, start_render, to_out
from cxsuite.scoring.schemas import JobOut

KIND = "report"
# The PDF step is stopped after 90 s (RenderLimits); the rest is reading one run.
REPORT_TIMEOUT_S = 300


async def report_body(ctx: JobContext) -> str:
    """Render the queued report the job points at."""
    res = ctx.resources

    async def progress(fraction: float) -> None:
        await ctx.report_progress(fraction)

    await render_report(res.db, res.plugins, ctx.tenant_id, ctx.subject_id, progress=progress,
                        public_base_url=res.settings.public_base_url)
    return f"report:{ctx.subject_id}"


register_kind(JobKind(KIND, report_body, timeout_s=REPORT_TIMEOUT_S, max_attempts=2, warm_up=warm_up))


async def start_report_job(db: Database, queue: object, principal: Principal, project_id: UUID,
                           data: ReportIn) -> ReportAccepted:
    """A queued report and the job that will render it."""
    report = await start_render(db, principal, project_id, data)
    job, _ = await jobs.create(db, principal.tenant_id, kind=KIND, subject_type="report",
                               subject_id=report["id"], workspace_id=report["workspace_id"],
                               created_by=principal.user_id, max_attempts=2)
    await attach_job(db, principal.tenant_id, report["id"], job["id"])
    await queue.enqueue(principal.tenant_id, job["id"])  # type: ignore[attr-defined]
    return ReportAccepted(report=to_out({**report, "published_at": None}),
                          job=JobOut(id=job["id"], kind=KIND, status=job["status"]))
