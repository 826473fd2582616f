"""Reports: download the PDF and the evidence workbook, publish and unpublish."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, redirect
from cxsuite.console.grid import grid_of
from cxsuite.reports.service import RUN_EVIDENCE_PATH

PASSED_HEADERS = ("content-type", "content-disposition")


async def _file(request: Request, path: str) -> Response[bytes]:
    """A file as the API serves it to the signed-in person (type and name passed on)."""
    async with await Console.open(request) as c:
        upstream = await c.api.raw("GET", path)
    headers = {k: v for k, v in upstream.headers.items() if k.lower() in PASSED_HEADERS}
    media_type = headers.pop("content-type", "application/octet-stream")
    return Response(upstream.content, media_type=media_type, headers=headers)


class ReportPages(Controller):
    """Report files and publication."""

    @get(["/r/{report_id:uuid}/download", "/r/{report_id:uuid}/evidence.xlsx"])
    async def download(self, request: Request, report_id: FromPath[UUID]) -> Response[bytes]:
        """The PDF (``download``) or the evidence workbook behind it, as the API serves them at
        the same name (downloads are audited there)."""
        return await _file(request, f"/reports/{report_id}/{request.url.path.rsplit('/', 1)[1]}")

    @get(RUN_EVIDENCE_PATH)
    async def run_evidence(self, request: Request, run_id: FromPath[UUID]) -> Response[bytes]:
        """The address a report's PDF links to: a reader who clicks it in the PDF signs in first
        (and comes back here), then gets the workbook the API gives them at the same path."""
        query = f"?{request.url.query}" if request.url.query else ""
        return await _file(request, f"{RUN_EVIDENCE_PATH.replace('{run_id:uuid}', str(run_id))}{query}")

    @get("/r/{report_id:uuid}/grid")
    async def grid(self, request: Request, report_id: FromPath[UUID]) -> Response[str]:
        """The maturity grid behind a report: clients see it once the report is published."""
        async with await Console.open(request) as c:
            report = await c.api.get(f"/reports/{report_id}")
            project = await c.api.get(f"/projects/{report['project_id']}")
            shown = await c.api.get(f"/reports/{report_id}/grid")
            return c.page("report_grid.html", report=report, project=project,
                          grid=grid_of(shown["result"], shown.get("stages"), c.language))

    @post("/r/{report_id:uuid}/publish")
    async def publish(self, request: Request, report_id: FromPath[UUID]) -> Response[Any]:
        """Show the report to the client."""
        return await _shown_to_client(request, report_id, "publish", "published")

    @post("/r/{report_id:uuid}/unpublish")
    async def unpublish(self, request: Request, report_id: FromPath[UUID]) -> Response[Any]:
        """Withdraw the report from the client."""
        return await _shown_to_client(request, report_id, "unpublish", "unpublished")


async def _shown_to_client(request: Request, report_id: UUID, action: str, done: str) -> Response[Any]:
    """Publish or unpublish through the API, then back to the project with the notice ``done``
    (an API without the action, a 405, is a page that does not exist)."""
    async with await Console.open(request) as c:
        try:
            report = await c.api.post(f"/reports/{report_id}/{action}")
        except ApiError as error:
            if error.status != 405:
                raise
            raise ApiError(404, "") from error
        return redirect(f"/p/{report['project_id']}", done)
