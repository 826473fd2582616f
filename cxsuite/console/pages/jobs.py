"""A job's page, with live progress from the same event stream as ``/api/v1/jobs/{id}/events``."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import ServerSentEvent

from cxsuite.console.context import Console
from cxsuite.console.session import session_token
from cxsuite.identity.service import authenticate
from cxsuite.identity.tokens import TokenLifetimes
from cxsuite.jobs.controllers import job_events

JOB_STATUSES = ("queued", "running", "waiting", "succeeded", "failed", "cancelled")


def _back(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


class JobPages(Controller):
    """Watching background work."""

    @get("/jobs/{job_id:uuid}")
    async def show(self, request: Request, job_id: FromPath[UUID],
                   back: FromQuery[str | None] = None) -> Response[str]:
        """Status, progress bar (updated live by ``console.js``), attempts and the outcome."""
        async with await Console.open(request) as c:
            job = await c.api.get(f"/jobs/{job_id}")
            words = {s: c.word(s) for s in JOB_STATUSES}
            return c.page("job.html", job=job, back=_back(back), job_words=words)

    @get("/jobs/{job_id:uuid}/events", media_type="text/event-stream")
    async def events(self, request: Request, job_id: FromPath[UUID]) -> ServerSentEvent:
        """``progress`` events, then ``end``: the API's stream, opened with the browser's
        session (an ``EventSource`` cannot send an ``Authorization`` header)."""
        async with await Console.open(request) as c:
            await c.api.get(f"/jobs/{job_id}")  # the API's guard and visibility decide, 404/403 first
        state = request.app.state
        principal = await authenticate(state.db, session_token(request) or "",
                                       TokenLifetimes.from_settings(state.settings))
        return ServerSentEvent(job_events(state.db, principal, job_id))
