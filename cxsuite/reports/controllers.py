"""Branding and report endpoints.

Branding is tenant-wide: owners change it, owners and consultants read and preview it. Reports
hang off a project (render, list) and are then addressed by id (read, publish, download).
Client admins and viewers see published reports of their own workspace only; everything else
answers 404.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody, MultipartBody, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from cxsuite.access.permissions import Action, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.api.types import UploadForm
from cxsuite.audit.service import Actor
from cxsuite.db.session import Database
from cxsuite.jobs.idempotency import IdempotencyKeyHeader, once
from cxsuite.reports import branding, narrative, service
from cxsuite.reports.document import MAX_LOGO_BYTES
from cxsuite.reports.grid import ReportGridOut, report_grid
from cxsuite.reports.jobs import start_report_job
from cxsuite.reports.preview import report_preview
from cxsuite.reports.render import render_html
from cxsuite.reports.sample import sample_document
from cxsuite.reports.schemas import BrandingIn, BrandingOut, Language, ReportAccepted, ReportIn, ReportOut
from cxsuite.reports.sections import Section, registry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The preview is our own HTML around tenant text: no script may run, nothing may load except
# inline styles and data: images, and it cannot be framed by another site.
PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "font-src data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _sections(state: State) -> list[Section]:
    """Every section a tenant can order or switch off: built-in ones and plugins'."""
    return registry(service.plugin_sections(state.plugins))


class BrandingController(Controller):
    """The consultancy's report look."""

    path = "/branding"
    tags = ["reports"]

    @get("/", guards=[requires(Action.REPORT_RENDER)], responses=errors(401, 403))
    async def get_branding(self, state: State, db: NamedDependency[Database],
                           principal: NamedDependency[Principal]) -> BrandingOut:
        """The branding reports are rendered with, and the sections and fonts to choose from."""
        return await branding.get_branding(db, principal, _sections(state))

    @put("/", guards=[requires(Action.BRANDING_MANAGE)], responses=errors(400, 401, 403, 422))
    async def put_branding(self, data: JSONBody[BrandingIn], state: State, db: NamedDependency[Database],
                           principal: NamedDependency[Principal],
                           actor: NamedDependency[Actor]) -> BrandingOut:
        """Change colours, fonts, footer, default language or sections (owners)."""
        return await branding.update_branding(db, principal, actor, data, _sections(state))

    @put("/logo", guards=[requires(Action.BRANDING_MANAGE)], request_max_body_size=MAX_LOGO_BYTES + 10_000,
         responses=errors(400, 401, 403, 413, 422))
    async def put_logo(self, data: MultipartBody[UploadForm], state: State, db: NamedDependency[Database],
                       principal: NamedDependency[Principal],
                           actor: NamedDependency[Actor]) -> BrandingOut:
        """Upload the logo: PNG or JPEG, up to 512 KiB and 4000 px a side, checked by its bytes."""
        content = await data.file.read()
        return await branding.set_logo(db, principal, actor, content, data.file.content_type,
                                       _sections(state))

    @delete("/logo", status_code=200, guards=[requires(Action.BRANDING_MANAGE)], responses=errors(401, 403))
    async def delete_logo(self, state: State, db: NamedDependency[Database],
                          principal: NamedDependency[Principal],
                           actor: NamedDependency[Actor]) -> BrandingOut:
        """Remove the logo; reports show the consultancy's name instead."""
        return await branding.delete_logo(db, principal, actor, _sections(state))

    @get("/preview", guards=[requires(Action.REPORT_RENDER)], media_type="text/html",
         responses={**errors(400, 401, 403),
                    200: ResponseSpec(str, media_type="text/html", description="The sample report")})
    async def preview(self, state: State, db: NamedDependency[Database],
                      principal: NamedDependency[Principal],
                      language: Annotated[Language | None, QueryParameter(
                          description="Report language (default: the tenant's)")] = None,
                      ) -> Response[str]:
        """The sample report in the tenant's branding, as HTML: check a brand before rendering."""
        require_tenant_wide(principal, Action.REPORT_RENDER)
        sections = service.plugin_sections(state.plugins)
        async with db.transaction(principal.tenant_id, write=False):
            look = await branding.tenant_look(principal.tenant_id, sections)
        document = dataclasses.replace(
            sample_document(language or look.default_language), branding=look.branding,
            section_order=look.section_order, disabled_sections=look.disabled_sections)
        return Response(render_html(document, extra_sections=sections), media_type="text/html",
                        headers=PREVIEW_HEADERS)


class ProjectReportsController(Controller):
    """A project's reports."""

    path = "/projects/{project_id:uuid}/reports"
    tags = ["reports"]

    @post("/", status_code=HTTP_202_ACCEPTED, guards=[requires(Action.REPORT_RENDER)],
          responses=errors(400, 401, 403, 404, 409, 422))
    async def render(self, project_id: FromPath[UUID], request: Request, db: NamedDependency[Database],
                     principal: NamedDependency[Principal], data: JSONBody[ReportIn],
                     idempotency_key: IdempotencyKeyHeader = None) -> Response[ReportAccepted]:
        """Render a score run (default: the newest) as a PDF; follow the job, then download
        (``Idempotency-Key``: once)."""
        async def start() -> Response[ReportAccepted]:
            accepted = await start_report_job(db, request.app.state.queue, principal, project_id, data)
            return Response(accepted, status_code=HTTP_202_ACCEPTED,
                            headers={"Location": f"/api/v1/jobs/{accepted.job.id}"})
        return await once(request, db, principal, idempotency_key, start)

    @get("/", guards=[requires(Action.REPORT_READ_PUBLISHED)], responses=errors(400, 401, 403, 404),
         dependencies={"page": list_params(service.LIST)})
    async def list_reports(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                           principal: NamedDependency[Principal],
                           page: NamedDependency[ListPage]) -> OffsetPagination[ReportOut]:
        """Newest first; client admins and viewers see published reports only."""
        reports, total = await service.list_reports(db, principal, project_id, page.limit, page.offset,
                                                    page.listing)
        return OffsetPagination(reports, page.limit, page.offset, total)


class ReportController(Controller):
    """One report."""

    path = "/reports/{report_id:uuid}"
    tags = ["reports"]

    @get("/", guards=[requires(Action.REPORT_READ_PUBLISHED)], responses=errors(401, 403, 404))
    async def get_report(self, report_id: FromPath[UUID], db: NamedDependency[Database],
                         principal: NamedDependency[Principal]) -> ReportOut:
        """How the report was made: run, language, template and model versions, PDF hash."""
        return await service.get_report(db, principal, report_id)

    @post("/publish", status_code=200, guards=[requires(Action.REPORT_PUBLISH)],
          responses=errors(401, 403, 404, 409))
    async def publish(self, report_id: FromPath[UUID], db: NamedDependency[Database],
                      principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> ReportOut:
        """Show a rendered report to the client's admins and viewers."""
        return await service.publish(db, principal, actor, report_id)

    @post("/unpublish", status_code=200, guards=[requires(Action.REPORT_PUBLISH)],
          responses=errors(401, 403, 404))
    async def unpublish(self, report_id: FromPath[UUID], db: NamedDependency[Database],
                        principal: NamedDependency[Principal], actor: NamedDependency[Actor]) -> ReportOut:
        """Take a published report back: the client's admins and viewers no longer see or
        download it (idempotent; audited as ``report.unpublished``)."""
        return await service.unpublish(db, principal, actor, report_id)

    @get("/grid", guards=[requires(Action.REPORT_READ_PUBLISHED)], responses=errors(401, 403, 404))
    async def grid(self, report_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> ReportGridOut:
        """The maturity grid of the run this report shows: for clients, only of a published
        report (they cannot read score runs themselves)."""
        return await report_grid(db, principal, report_id)

    @get("/download", guards=[requires(Action.REPORT_READ_PUBLISHED)], media_type="application/pdf",
         responses={**errors(401, 403, 404, 409),
                    200: ResponseSpec(bytes, media_type="application/pdf", description="The PDF")})
    async def download(self, report_id: FromPath[UUID], db: NamedDependency[Database],
                       principal: NamedDependency[Principal],
                       actor: NamedDependency[Actor]) -> Response[bytes]:
        """The PDF (audited); its ETag is the SHA-256 the report lists."""
        row, pdf = await service.download(db, principal, actor, report_id)
        name = f"cx-strategy-report-{row['language']}-{str(report_id)[:8]}.pdf"
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{name}"', "ETag": f'"{row["sha256"]}"',
            "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})

    @get("/evidence.xlsx", guards=[requires(Action.REPORT_READ_PUBLISHED)], media_type=XLSX,
         responses={**errors(401, 403, 404, 409),
                    200: ResponseSpec(bytes, media_type=XLSX, description="The evidence workbook")})
    async def evidence(self, report_id: FromPath[UUID], state: State, db: NamedDependency[Database],
                       principal: NamedDependency[Principal],
                       actor: NamedDependency[Actor]) -> Response[bytes]:
        """The full evidence behind the report (one sheet per metric, the records behind it), for
        whoever may download the PDF (audited as ``report.evidence_downloaded``)."""
        return _workbook(*await service.evidence(db, state.plugins, principal, actor, report_id))


def _workbook(row: dict[str, Any], workbook: bytes) -> Response[bytes]:
    """An evidence workbook as a download named after its run and language."""
    name = service.evidence_filename(row["language"], row["score_run_id"])
    return Response(workbook, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


class ScoreRunEvidenceController(Controller):
    """A score run's evidence workbook at an address that names only the run and the language:
    the link printed in the run's PDFs (a report's own id would differ from render to render)."""

    path = service.RUN_EVIDENCE_PATH
    tags = ["reports"]

    @get("/", guards=[requires(Action.REPORT_READ_PUBLISHED)], media_type=XLSX,
         responses={**errors(400, 401, 403, 404, 409),
                    200: ResponseSpec(bytes, media_type=XLSX, description="The evidence workbook")})
    async def run_evidence(self, run_id: FromPath[UUID], state: State, db: NamedDependency[Database],
                           principal: NamedDependency[Principal], actor: NamedDependency[Actor],
                           language: Annotated[Language | None, QueryParameter(
                               description="The language of the report that links here "
                                           "(default: the tenant's)")] = None,
                           ) -> Response[bytes]:
        """The workbook the run's PDF in ``language`` links to, for whoever may download such a
        PDF: consultants once it is rendered, the client's admins and viewers once it is published
        (audited as ``report.evidence_downloaded`` on that report; 404 for anyone else)."""
        return _workbook(*await service.run_evidence(db, state.plugins, principal, actor, run_id, language))


class ReportTextController(Controller):
    """The consultant's executive summary, stage commentary and recommendation notes."""

    path = "/projects/{project_id:uuid}/report-text"
    tags = ["reports"]

    @get("/", guards=[requires(Action.REPORT_RENDER)], responses=errors(401, 403, 404))
    async def get_text(self, project_id: FromPath[UUID], db: NamedDependency[Database],
                       principal: NamedDependency[Principal]) -> narrative.ReportTextOut:
        """The text every report of the project prints where a reader expects it."""
        return await narrative.get_text(db, principal, project_id)

    @put("/", guards=[requires(Action.REPORT_RENDER)], responses=errors(400, 401, 403, 404, 409, 422))
    async def put_text(self, project_id: FromPath[UUID], data: JSONBody[narrative.ReportText],
                       db: NamedDependency[Database],
                       principal: NamedDependency[Principal]) -> narrative.ReportTextOut:
        """Replace the text (plain text; blank lines separate paragraphs; limits in the errors)."""
        return await narrative.put_text(db, principal, project_id, data)


class ScoreRunReportPreviewController(Controller):
    """A score run's report as HTML, to read before generating the PDF."""

    path = "/score-runs/{run_id:uuid}/report-preview"
    tags = ["reports"]

    @get("/", guards=[requires(Action.REPORT_RENDER)], media_type="text/html",
         responses={**errors(400, 401, 403, 404),
                    200: ResponseSpec(str, media_type="text/html", description="The report as HTML")})
    async def run_preview(self, run_id: FromPath[UUID], state: State, db: NamedDependency[Database],
                          principal: NamedDependency[Principal],
                          language: Annotated[Language | None, QueryParameter(
                              description="Report language (default: the tenant's)")] = None,
                          ) -> Response[str]:
        """The report of a succeeded score run, exactly as the PDF would print it, as HTML with
        inline styles only (its CSP allows no script and no outside load). Nothing is stored."""
        html = await report_preview(db, state.plugins, principal, run_id, language)
        return Response(html, media_type="text/html", headers=PREVIEW_HEADERS)
