"""A score run's report as HTML before the PDF is generated (consultants).

Served as a standalone page, not inside a console page or iframe: the report's HTML carries its
own inline ``<style>``, which the console's CSP (``style-src 'self'``) forbids. The page keeps the
API's preview policy instead (``default-src 'none'; style-src 'unsafe-inline'; img-src data:`` and
no script at all), so the report's styles apply and nothing in it can run or load. The person
comes back with the browser's back button or the run page's link."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.params import FromPath

from cxsuite.console.context import Console
from cxsuite.console.i18n import LANGUAGES
from cxsuite.reports.controllers import PREVIEW_HEADERS


class ReportPreviewPages(Controller):
    """The report preview of one run."""

    @get("/p/{project_id:uuid}/runs/{run_id:uuid}/preview")
    async def preview(self, request: Request, project_id: FromPath[UUID],
                      run_id: FromPath[UUID]) -> Response[str]:
        """The API's HTML of the run's report in the chosen language (the API decides who may)."""
        language = str(request.query_params.get("language") or "")
        async with await Console.open(request) as c:
            params = {"language": language} if language in LANGUAGES else {}
            answer = await c.api.raw("GET", f"/score-runs/{run_id}/report-preview", params=params)
            return Response(answer.text, media_type="text/html", headers=PREVIEW_HEADERS)
