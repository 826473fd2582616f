"""Score runs as jobs.

The job body is :func:`cxsuite.scoring.service.run_score`. Until the job platform's kind
registry (``cxsuite.jobs.kinds``) exists, a run is executed inline by :func:`start_score_job`,
which still records a ``job`` row (kind ``score``) so clients follow the same 202 + job
contract they will get from the worker.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from uuid import UUID, uuid4

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.jobs.tables import Job
from cxsuite.plugin_manager import Plugins
from cxsuite.scoring.schemas import JobOut, ScoreRunAccepted
from cxsuite.scoring.service import readable_run, run_score, start_run, summary_of
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.scoring")
KIND = "score"


async def _finish(db: Database, tenant_id: UUID, job_id: UUID, status: str, error: str = "") -> None:
    async with db.transaction(tenant_id):
        await Job.update({Job.status: status, Job.error: error, Job.progress: 1.0,
                          Job.finished_at: datetime.now(UTC)}).where(
            (Job.tenant_id == tenant_id) & (Job.id == job_id)).run()


async def start_score_job(db: Database, settings: Settings, principal: Principal, project_id: UUID,
                          plugins: Plugins | None) -> ScoreRunAccepted:
    """Queue a run, run it inline under a job row, and answer with both."""
    run = await start_run(db, principal, project_id)
    job_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        workspace = (await readable_run(db, principal, run.id))["workspace_id"]
        await Job.insert(Job(id=job_id, tenant_id=principal.tenant_id, workspace_id=workspace, kind=KIND,
                             subject_type="score_run", subject_id=run.id, status="running",
                             created_by=principal.user_id, created_at=now, started_at=now,
                             max_attempts=1)).run()
    try:
        await run_score(db, settings, principal.tenant_id, project_id, run.id, plugins=plugins)
        status, error = "succeeded", ""
    except Exception as exc:  # stored on the run and the job; the client reads it there
        log.warning("score run %s failed: %s", run.id, exc)
        status, error = "failed", str(exc)[:2000]
    await _finish(db, principal.tenant_id, job_id, status, error)
    return ScoreRunAccepted(run=summary_of(await readable_run(db, principal, run.id)),
                            job=JobOut(id=job_id, kind=KIND, status=status))
