"""Report lifecycle: queue a render, render it (a job body), list, read, publish, download.

A report is one score run in one language. It is created ``queued`` with the run fixed, the
worker renders it (``rendering`` → ``rendered`` with the PDF, its SHA-256 and the template and
model versions, or ``failed`` with the reason), and a consultant publishes it to the client's
workspace. Consultants and owners see every report; client admins and viewers see published
ones only, in their own workspace — anything else is 404, never a hint that it exists.
Render, publish and download each leave an audit-log entry.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import anyio

from cxsuite.access.permissions import Action, allowed, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from cxsuite.plugin_manager import Plugins
from cxsuite.reports.branding import tenant_look
from cxsuite.reports.builder import TEMPLATE_VERSION, build_document, load_inputs
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, render_pdf
from cxsuite.reports.schemas import ReportIn, ReportOut
from cxsuite.reports.sections import Section
from cxsuite.reports.tables import ReportFile, ReportRow
from cxsuite.reports.workbook import evidence_workbook
from cxsuite.scoring.journey import project_for
from cxsuite.scoring.tables import ScoreRunRow

Progress = Callable[[float], Awaitable[None]]
R = ReportRow
COLUMNS = (R.id, R.workspace_id, R.project_id, R.score_run_id, R.language, R.status, R.sha256,
           R.size_bytes, R.template_version, R.model_version, R.model_hash, R.error, R.published_at,
           R.created_at, R.rendered_at)
log = logging.getLogger(__name__)


def plugin_sections(plugins: Plugins) -> list[Section]:
    """Sections plugins add; anything that is not a :class:`Section` is reported and skipped."""
    found = []
    for item in plugins.extras("register_report_sections"):
        if isinstance(item, Section):
            found.append(item)
        else:
            log.warning("a plugin returned %r from register_report_sections, not a Section", item)
    return found


def to_out(row: dict[str, Any]) -> ReportOut:
    """The API view of a report row."""
    return ReportOut(**{c._meta.name: row[c._meta.name] for c in COLUMNS},
                     published=row["published_at"] is not None)


async def start_render(db: Database, principal: Principal, project_id: UUID, data: ReportIn,
                       ) -> dict[str, Any]:
    """A queued report of the chosen (or newest succeeded) run; 422 when there is none."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        project = await project_for(principal, project_id, Action.REPORT_RENDER)
        run = await _succeeded_run(principal.tenant_id, project_id, data.score_run_id)
        language = data.language or (await tenant_look(principal.tenant_id)).default_language
        row = ReportRow(id=uuid4(), tenant_id=principal.tenant_id, workspace_id=project["workspace_id"],
                        project_id=project_id, score_run_id=run["id"], language=language, status="queued",
                        template_version=TEMPLATE_VERSION, model_version=run["model_version"],
                        model_hash=run["model_hash"], created_by=principal.user_id,
                        created_at=datetime.now(UTC))
        await ReportRow.insert(row).run()
        return {c._meta.name: getattr(row, c._meta.name) for c in COLUMNS}


async def attach_job(db: Database, tenant_id: UUID, report_id: UUID, job_id: UUID) -> None:
    """Remember which job renders the report (for support: report → job → logs)."""
    await _set(db, tenant_id, report_id, {R.job_id: job_id})


async def _succeeded_run(tenant_id: UUID, project_id: UUID, run_id: UUID | None) -> dict[str, Any]:
    where = (ScoreRunRow.tenant_id == tenant_id) & (ScoreRunRow.project_id == project_id)
    if run_id is not None:
        where &= ScoreRunRow.id == run_id
    run = await ScoreRunRow.select(ScoreRunRow.id, ScoreRunRow.status, ScoreRunRow.overall_level,
                                   ScoreRunRow.model_version, ScoreRunRow.model_hash).where(
        where & (ScoreRunRow.status == "succeeded")).order_by(
        ScoreRunRow.created_at, ascending=False).first().run()
    field = "body.score_run_id"
    if run is None:
        reason = ("is not a succeeded score run of this project" if run_id else
                  "the project has no succeeded score run yet; run scoring first")
        raise ValidationFailed(f"{field}: {reason}", problems=[FieldProblem(field, reason)])
    if run["overall_level"] is None:
        reason = "the run scored no dimension (every cell lacked evidence): nothing to report yet"
        raise ValidationFailed(f"{field}: {reason}", problems=[FieldProblem(field, reason)])
    return run


def evidence_filename(language: str, score_run_id: UUID | str) -> str:
    """The evidence workbook's file name: the download's and the one the PDF names. It follows the
    score run, not the report, so two renders of one run stay byte-identical."""
    return f"cx-evidence-{language}-{str(score_run_id)[:8]}.xlsx"


# The workbook of a score run in one language: served by the API under /api/v1 (bearer token)
# and by the console at the same path (session, sign-in first). Like the file name it names the
# run, not the report, so renders of one run agree.
RUN_EVIDENCE_PATH = "/score-runs/{run_id:uuid}/evidence.xlsx"


def evidence_link(public_base_url: str, score_run_id: UUID | str, language: str) -> str:
    """The absolute address the PDF links to: the console's copy of the run's workbook route, so a
    person clicking it in a PDF reader is asked to sign in rather than shown an API's 401."""
    path = RUN_EVIDENCE_PATH.replace("{run_id:uuid}", str(score_run_id))
    return f"{public_base_url.rstrip('/')}{path}?language={language}"


async def render_report(db: Database, plugins: Plugins, tenant_id: UUID, report_id: UUID,
                        progress: Progress | None = None, public_base_url: str = "") -> dict[str, Any]:
    """Render and store one queued report (the body of the ``report`` job); idempotent. With
    ``public_base_url`` the PDF links to the run's evidence workbook (:func:`evidence_link`)."""
    async with db.transaction(tenant_id, write=False):
        report = await ReportRow.select().where(
            (R.tenant_id == tenant_id) & (R.id == report_id)).first().run()
    if report is None:
        raise NotFound("report not found")
    if report["status"] == "rendered":
        return report
    await _set(db, tenant_id, report_id, {R.status: "rendering", R.error: ""})
    actor = Actor(report["created_by"])
    try:
        sections = plugin_sections(plugins)
        async with db.transaction(tenant_id, write=False):
            inputs = await load_inputs(tenant_id, report["score_run_id"], plugins.connectors(), sections)
        language, run_id = report["language"], report["score_run_id"]
        document = replace(
            build_document(inputs, language, localiser(TEMPLATES_DIR, language)),
            evidence_file=evidence_filename(language, run_id),
            evidence_link=evidence_link(public_base_url, run_id, language) if public_base_url else "")
        if progress:
            await progress(0.2)
        pdf = await anyio.to_thread.run_sync(lambda: render_pdf(document, extra_sections=sections))
    except Exception as exc:
        async with db.transaction(tenant_id, report["created_by"]):
            await R.update({R.status: "failed", R.error: str(exc)[:2000]}).where(
                (R.tenant_id == tenant_id) & (R.id == report_id)).run()
            await record(tenant_id, actor, "report.rendered", object_type="report", object_id=report_id,
                         outcome="failure", details={"error": str(exc)[:300]})
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    async with db.transaction(tenant_id, report["created_by"]):
        await ReportFile.delete().where((ReportFile.tenant_id == tenant_id)
                                        & (ReportFile.report_id == report_id)).run()
        await ReportFile.insert(ReportFile(report_id=report_id, tenant_id=tenant_id, content=pdf)).run()
        await R.update({R.status: "rendered", R.sha256: digest, R.size_bytes: len(pdf),
                        R.template_version: document.template_version,
                        R.rendered_at: datetime.now(UTC)}).where(
            (R.tenant_id == tenant_id) & (R.id == report_id)).run()
        await record(tenant_id, actor, "report.rendered", object_type="report", object_id=report_id,
                     details={"language": report["language"], "sha256": digest, "bytes": len(pdf),
                              "score_run_id": str(report["score_run_id"])})
    return {**report, "status": "rendered", "sha256": digest}


async def _set(db: Database, tenant_id: UUID, report_id: UUID, values: dict[Any, Any]) -> None:
    async with db.transaction(tenant_id):
        await R.update(values).where((R.tenant_id == tenant_id) & (R.id == report_id)).run()


def _visible(principal: Principal, row: dict[str, Any]) -> bool:
    """Drafts for those who may read drafts; published reports for everyone in the workspace."""
    role = principal.role_in(row["workspace_id"])
    if allowed(role, Action.REPORT_READ_DRAFT):
        return True
    return row["published_at"] is not None and allowed(role, Action.REPORT_READ_PUBLISHED)


async def _readable(principal: Principal, report_id: UUID) -> dict[str, Any]:
    """A report the caller may see (inside a transaction); 404 for anything else."""
    row = await ReportRow.select(*COLUMNS, R.created_by).where(
        (R.tenant_id == principal.tenant_id) & (R.id == report_id)).first().run()
    if row is None or not _visible(principal, row):
        raise NotFound("report not found")
    return row


async def _rendered(principal: Principal, report_id: UUID) -> dict[str, Any]:
    """A report the caller may see and whose files exist (inside a transaction); 409 before that."""
    row = await _readable(principal, report_id)
    if row["status"] != "rendered":
        raise Conflict(f"the report is not rendered yet (status: {row['status']})")
    return row


async def get_report(db: Database, principal: Principal, report_id: UUID) -> ReportOut:
    """One report the caller may see."""
    async with db.transaction(principal.tenant_id, write=False):
        return to_out(await _readable(principal, report_id))


LIST = ListSpec(sorts=("created_at", "language", "status"), default="-created_at",
                search=("language", "status", "template_version"))


async def list_reports(db: Database, principal: Principal, project_id: UUID, limit: int, offset: int,
                       listing: Listing | None = None) -> tuple[list[ReportOut], int]:
    """The project's reports, newest first: all of them for consultants, published for clients."""
    async with db.transaction(principal.tenant_id, write=False):
        project = await project_for(principal, project_id, Action.REPORT_READ_PUBLISHED)
        where = (R.tenant_id == principal.tenant_id) & (R.project_id == project_id)
        if not allowed(principal.role_in(project["workspace_id"]), Action.REPORT_READ_DRAFT):
            where &= R.published_at.is_not_null()
        rows, total = await page_listed(ReportRow, where, COLUMNS, LIST, listing, limit=limit, offset=offset)
    return [to_out(row) for row in rows], total


async def publish(db: Database, principal: Principal, actor: Actor, report_id: UUID) -> ReportOut:
    """Make a rendered report visible to the client's admins and viewers (idempotent)."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await _readable(principal, report_id)
        require_in_workspace(principal, row["workspace_id"], Action.REPORT_PUBLISH)
        if row["status"] != "rendered":
            raise Conflict(f"only a rendered report can be published (this one is {row['status']})")
        if row["published_at"] is None:
            now = datetime.now(UTC)
            await R.update({R.published_at: now, R.published_by: principal.user_id}).where(
                (R.tenant_id == principal.tenant_id) & (R.id == report_id)).run()
            await record(principal.tenant_id, actor, "report.published", object_type="report",
                         object_id=report_id, details={"workspace_id": str(row["workspace_id"])})
            row = {**row, "published_at": now}
        return to_out(row)


async def unpublish(db: Database, principal: Principal, actor: Actor, report_id: UUID) -> ReportOut:
    """Take a published report back from the client (published by mistake, or superseded):
    its admins and viewers no longer see or download it; the consultant still does, and may
    publish it again. Idempotent: only an actual change is audited."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await _readable(principal, report_id)
        require_in_workspace(principal, row["workspace_id"], Action.REPORT_PUBLISH)
        if row["published_at"] is not None:
            await R.update({R.published_at: None, R.published_by: None}).where(
                (R.tenant_id == principal.tenant_id) & (R.id == report_id)).run()
            await record(principal.tenant_id, actor, "report.unpublished", object_type="report",
                         object_id=report_id, details={"workspace_id": str(row["workspace_id"]),
                                                       "published_at": row["published_at"].isoformat()})
            row = {**row, "published_at": None}
        return to_out(row)


async def evidence(db: Database, plugins: Plugins, principal: Principal, actor: Actor, report_id: UUID,
                   ) -> tuple[dict[str, Any], bytes]:
    """The report row and its evidence workbook, built from the same run, in the report's language;
    the same rules as :func:`download` (visible, rendered) and audited the same way."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await _rendered(principal, report_id)
        inputs = await load_inputs(principal.tenant_id, row["score_run_id"], plugins.connectors(),
                                   plugin_sections(plugins))
        await record(principal.tenant_id, actor, "report.evidence_downloaded", object_type="report",
                     object_id=report_id, details={"sha256": row["sha256"]})
    l10n = localiser(TEMPLATES_DIR, row["language"])
    document = build_document(inputs, row["language"], l10n)
    return row, await anyio.to_thread.run_sync(lambda: evidence_workbook(document, inputs.result, l10n))


async def run_evidence(db: Database, plugins: Plugins, principal: Principal, actor: Actor, run_id: UUID,
                       language: str | None) -> tuple[dict[str, Any], bytes]:
    """The evidence workbook of a score run in ``language`` (default: the tenant's), the one its
    PDFs link to: that of a rendered report of the run in that language which the caller may see
    (a published one first, so a client's download is audited against what they were given). The
    workbook is built from the run, so every such report has the same one; 404 when the caller
    sees none."""
    async with db.transaction(principal.tenant_id, write=False):
        language = language or (await tenant_look(principal.tenant_id)).default_language
        rows = await ReportRow.select(*COLUMNS).where(
            (R.tenant_id == principal.tenant_id) & (R.score_run_id == run_id) & (R.language == language)
            & (R.status == "rendered")).order_by(R.created_at, ascending=False).run()
    visible = sorted((row for row in rows if _visible(principal, row)),
                     key=lambda row: row["published_at"] is None)
    if not visible:
        raise NotFound("no rendered report of this score run in that language")
    return await evidence(db, plugins, principal, actor, visible[0]["id"])


async def download(db: Database, principal: Principal, actor: Actor, report_id: UUID,
                   ) -> tuple[dict[str, Any], bytes]:
    """The report row and its PDF; 409 while it is not rendered. Every download is audited."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await _rendered(principal, report_id)
        stored = await ReportFile.select(ReportFile.content).where(
            (ReportFile.tenant_id == principal.tenant_id) & (ReportFile.report_id == report_id)).first().run()
        if stored is None:
            raise NotFound("report file not found")
        await record(principal.tenant_id, actor, "report.downloaded", object_type="report",
                     object_id=report_id, details={"sha256": row["sha256"]})
    return row, bytes(stored["content"])
