"""The maturity grid behind a report, for everyone who may read the report.

Client admins and viewers may not read score runs (``SCORE_READ`` is the consultancy's), but a
published report shows them its grid anyway; this path gives them exactly that grid, reached
through the report (so a draft, another workspace or another tenant stays a 404), and nothing
else of the run (no inputs, no opportunities, no quality notes)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import NotFound
from cxsuite.reports.service import _readable
from cxsuite.scoring.journey import by_id
from cxsuite.scoring.tables import ScoreRunRow


class GridStageOut(msgspec.Struct):
    """A stage of the run's journey: its key (as in ``result.cells``) and the journey's name."""

    key: str
    name: str


class ReportGridOut(msgspec.Struct):
    """The grid of the run a report was rendered from, with the stages as that run's journey
    named them (the report's stage names; empty for a run stored without its journey)."""

    report_id: UUID
    score_run_id: UUID
    language: str
    result: dict[str, Any]
    stages: list[GridStageOut] = msgspec.field(default_factory=list)


async def report_grid(db: Database, principal: Principal, report_id: UUID) -> ReportGridOut:
    """The grid of a report the caller may see (published, for clients); 404 for anything else."""
    async with db.transaction(principal.tenant_id, write=False):
        report = await _readable(principal, report_id)
        run = await ScoreRunRow.select(ScoreRunRow.result, ScoreRunRow.journey_version_id).where(
            (ScoreRunRow.tenant_id == principal.tenant_id)
            & (ScoreRunRow.id == report["score_run_id"])).first().run()
        if run is None or not run["result"]:
            raise NotFound("the report's score run has no grid")
        version = run["journey_version_id"]
        journey = await by_id(principal.tenant_id, version) if version else None
    result = run["result"]
    return ReportGridOut(report_id=report_id, score_run_id=report["score_run_id"],
                         language=report["language"],
                         result=msgspec.json.decode(result) if isinstance(result, (str, bytes)) else result,
                         stages=[GridStageOut(s.key, s.name) for s in journey.stages] if journey else [])
