"""A score run's report as HTML, before its PDF is generated: the same inputs, document and
templates as the PDF (``render_report``), printed to HTML instead of PDF and stored nowhere."""

from __future__ import annotations

from uuid import UUID

import anyio

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import NotFound
from cxsuite.plugin_manager import Plugins
from cxsuite.reports.branding import tenant_look
from cxsuite.reports.builder import build_document, load_inputs
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, render_html
from cxsuite.reports.service import plugin_sections
from cxsuite.scoring.journey import project_for
from cxsuite.scoring.tables import ScoreRunRow


async def report_preview(db: Database, plugins: Plugins, principal: Principal, run_id: UUID,
                         language: str | None) -> str:
    """The report of a succeeded run in ``language`` (default: the tenant's) as one HTML page;
    404 for a run outside the caller's tenant or workspaces (project_for decides)."""
    sections = plugin_sections(plugins)
    async with db.transaction(principal.tenant_id, write=False):
        run = await ScoreRunRow.select(ScoreRunRow.project_id).where(
            (ScoreRunRow.tenant_id == principal.tenant_id) & (ScoreRunRow.id == run_id)).first().run()
        if run is None:
            raise NotFound("score run not found")
        await project_for(principal, run["project_id"], Action.REPORT_RENDER)
        inputs = await load_inputs(principal.tenant_id, run_id, plugins.connectors(), sections)
        chosen = language or (await tenant_look(principal.tenant_id)).default_language
    document = build_document(inputs, chosen, localiser(TEMPLATES_DIR, chosen))
    return await anyio.to_thread.run_sync(lambda: render_html(document, extra_sections=sections))
