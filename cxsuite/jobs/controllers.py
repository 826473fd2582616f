"""Job endpoints: read, list, cancel, and follow progress as server-sent events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from litestar.status_codes import HTTP_202_ACCEPTED

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.idempotency import once
from cxsuite.jobs.schemas import TERMINAL, JobDetailOut, JobOut, to_detail, to_out

POLL_S = 0.5
Status = Literal["queued", "running", "waiting", "succeeded", "failed", "cancelled"]


def accepted(job: dict[str, Any]) -> Response[JobOut]:
    """``202 Accepted`` with the job, and where to follow it."""
    return Response(to_out(job), status_code=HTTP_202_ACCEPTED,
                    headers={"Location": f"/api/v1/jobs/{job['id']}"})


async def start_once(request: Request[Any, Any, Any], db: Database, principal: Principal, key: str | None,
                     start: Callable[[], Awaitable[dict[str, Any]]]) -> Response[bytes]:
    """The answer of an endpoint that starts a job: ``start`` runs once per ``Idempotency-Key``
    (:func:`~cxsuite.jobs.idempotency.once`) and the job it returns is answered as :func:`accepted`."""
    async def answer() -> Response[JobOut]:
        return accepted(await start())
    return await once(request, db, principal, key, answer)


class JobController(Controller):
    """One job."""

    path = "/jobs/{job_id:uuid}"
    tags = ["jobs"]

    @get("/", guards=[requires(Action.JOB_READ)], responses=errors(401, 403, 404))
    async def read(self, job_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> JobDetailOut:
        """Status, progress, counts and outcome, with every attempt (start, end, outcome,
        failure class, message) and when the next one is due."""
        row = await service.get_for(db, principal, job_id)
        return to_detail(row, await service.attempts_of(db, principal.tenant_id, job_id), principal)

    @post("/cancel", status_code=HTTP_202_ACCEPTED, guards=[requires(Action.JOB_CANCEL)],
          responses=errors(401, 403, 404))
    async def cancel(self, job_id: FromPath[UUID], db: NamedDependency[Database],
                     principal: NamedDependency[Principal]) -> JobOut:
        """Stop at the next batch boundary; what was committed stays."""
        return to_out(await service.request_cancel(db, principal, job_id), principal)

    @get("/events", guards=[requires(Action.JOB_READ)], responses=errors(401, 403, 404),
         media_type="text/event-stream")
    async def events(self, job_id: FromPath[UUID], db: NamedDependency[Database],
                     principal: NamedDependency[Principal]) -> ServerSentEvent:
        """Server-sent events: ``progress`` whenever the job changes, then ``end``."""
        await service.get_for(db, principal, job_id)  # 404 before the stream starts
        return ServerSentEvent(job_events(db, principal, job_id))


async def job_events(db: Database, principal: Principal,
                     job_id: UUID) -> AsyncIterator[ServerSentEventMessage]:
    """The event stream of one job; the console's live progress uses it too."""
    last = None
    while True:
        job = to_out(await service.get_for(db, principal, job_id), principal)
        snapshot = (job.status, job.progress, json.dumps(job.counts, sort_keys=True), job.error)
        if snapshot != last:
            last = snapshot
            yield ServerSentEventMessage(event="progress", data=_json(job))
        if job.status in TERMINAL:
            yield ServerSentEventMessage(event="end", data=_json(job))
            return
        await asyncio.sleep(POLL_S)


def _json(job: JobOut) -> str:
    return msgspec.json.encode(job).decode()


class WorkspaceJobsController(Controller):
    """A workspace's jobs."""

    path = "/workspaces/{workspace_id:uuid}/jobs"
    tags = ["jobs"]

    @get("/", guards=[requires(Action.JOB_READ)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.LIST)})
    async def list_jobs(
        self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
        principal: NamedDependency[Principal], page: NamedDependency[ListPage],
        status: Annotated[Status | None, QueryParameter(description="Only jobs in this status")] = None,
        kind: Annotated[Literal["sync", "score", "render"] | None, QueryParameter(
            description="Only jobs of this kind")] = None,
    ) -> OffsetPagination[JobOut]:
        """Newest first, filtered by status and kind."""
        rows, total = await service.list_for_workspace(db, principal, workspace_id, status=status, kind=kind,
                                                       limit=page.limit, offset=page.offset,
                                                       listing=page.listing)
        return OffsetPagination([to_out(r, principal) for r in rows], page.limit, page.offset, total)
