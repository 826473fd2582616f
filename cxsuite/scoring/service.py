"""Score runs: start one, run it (a plain async function a job body calls), list and read them.

A run is created ``queued`` with the journey version and model it will use, so what it scores
is fixed when it is asked for, not when a worker gets to it. :func:`run_score` then reads the
project's answers, computes every metric by SQL over the workspace's records, scores, finds
opportunities and stores inputs, result and opportunities as canonical JSON. It is idempotent:
a succeeded run is returned as stored, so a retried job does no harm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from cxsuite.access.permissions import Action, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.customers.service import resolve_workspace
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.session import Database
from cxsuite.db.steps import step
from cxsuite.errors import NotFound
from cxsuite.plugin_manager import Plugins, build_plugins
from cxsuite.projects.period import explicit_period
from cxsuite.projects.tables import Project
from cxsuite.scoring import value_inputs
from cxsuite.scoring.engine import score
from cxsuite.scoring.inputs import Answer, Journey, MetricValue
from cxsuite.scoring.journey import by_id, current, project_for
from cxsuite.scoring.metrics import compute_metrics, latest_data_date
from cxsuite.scoring.metrics.plugins import plugin_metrics
from cxsuite.scoring.metrics.project import project_metrics
from cxsuite.scoring.metrics.scope import MetricScope
from cxsuite.scoring.model import content_hash
from cxsuite.scoring.opportunities import find_opportunities
from cxsuite.scoring.plugin_recommendations import plugin_recommendations
from cxsuite.scoring.quality import QualityNote, Rules, check_run
from cxsuite.scoring.questionnaire import answers_for_scoring, stored_answers
from cxsuite.scoring.results import ScoreResult
from cxsuite.scoring.schema import ScoringModel
from cxsuite.scoring.schemas import ScoreRunOut, ScoreRunSummary
from cxsuite.scoring.tables import ScoreRunRow
from cxsuite.settings import Settings

Progress = Callable[[float], Awaitable[None]]
RUN = ScoreRunRow
SUMMARY = [RUN.id, RUN.project_id, RUN.status, RUN.journey_version, RUN.model_version, RUN.model_hash,
           RUN.period_start, RUN.period_end, RUN.overall_score, RUN.overall_level, RUN.error,
           RUN.created_by, RUN.created_at, RUN.finished_at]


class RunInputs(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a run scored, stored beside its result so the result can be reproduced."""

    model_version: str
    model_hash: str
    journey_version: int
    period_start: date
    period_end: date
    as_of: datetime
    journey: Journey
    metrics: tuple[MetricValue, ...]
    answers: tuple[Answer, ...]
    quality_notes: tuple[QualityNote, ...] = ()


@dataclass(frozen=True)
class ScoreRun:
    """What :func:`run_score` hands back to the job that called it."""

    id: UUID
    project_id: UUID
    status: str
    result: ScoreResult | None
    error: str


def rescore(model: ScoringModel, inputs: RunInputs) -> ScoreResult:
    """Score stored inputs again: equal bytes to the stored result prove the run reproducible."""
    return score(model, inputs.journey, inputs.metrics, inputs.answers)


async def start_run(db: Database, principal: Principal, project_id: UUID,
                    as_of: datetime | None = None) -> ScoreRunSummary:
    """A queued run bound to the current journey version and its model."""
    journey = await current(db, principal, project_id, Action.SCORE_RUN)
    now = datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        project = await project_for(principal, project_id, Action.SCORE_RUN)
        row = ScoreRunRow(
            id=uuid4(), tenant_id=principal.tenant_id, project_id=project_id,
            workspace_id=project["workspace_id"], journey_version_id=journey.id,
            journey_version=journey.version, model_id=journey.model_id,
            model_version=journey.model.version, model_hash=content_hash(journey.model),
            status="queued", as_of=as_of or now, created_by=principal.user_id, created_at=now)
        await ScoreRunRow.insert(row).run()
    return ScoreRunSummary(**{column._meta.name: getattr(row, column._meta.name) for column in SUMMARY})


async def run_score(db: Database, settings: Settings, tenant_id: UUID, project_id: UUID, run_id: UUID,
                    progress: Progress | None = None, plugins: Plugins | None = None) -> ScoreRun:
    """Compute and store one queued run (the body of the ``score`` job).

    ``settings`` keeps the signature every job body has; ``plugins`` defaults to the installed
    entry points. A failure is stored on the run (status ``failed``) and raised again.
    """
    row = await _row(db, tenant_id, project_id, run_id)
    if row["status"] == "succeeded":
        stored = msgspec.json.decode(row["result"], type=ScoreResult)
        return ScoreRun(run_id, project_id, "succeeded", stored, "")
    await _update(db, tenant_id, run_id, {RUN.status: "running", RUN.error: ""})
    try:
        plugins = plugins or build_plugins()
        await fix_period(db, tenant_id, row)
        # the link and duplicate metrics read the graph
        async with step(db.engine, "resolution with its commit"), db.transaction(tenant_id):
            await resolve_workspace(db, tenant_id, row["workspace_id"])
        inputs, model = await _gather(db, tenant_id, row, progress, plugins, Rules.of(settings))
        result = rescore(model, inputs)
        async with db.transaction(tenant_id, write=False):
            values = await value_inputs.stored(tenant_id, project_id)
        opportunities = find_opportunities(model, result, value_inputs.business(values, result.stages),
                                           value_inputs.overrides(values, result.stages),
                                           extra=plugin_recommendations(plugins, model))
    except Exception as exc:
        await _update(db, tenant_id, run_id, {RUN.status: "failed", RUN.error: str(exc)[:2000],
                                              RUN.finished_at: datetime.now(UTC)})
        raise
    await _update(db, tenant_id, run_id, {
        RUN.status: "succeeded", RUN.period_start: inputs.period_start, RUN.period_end: inputs.period_end,
        RUN.inputs: _json(inputs), RUN.result: result.encode().decode(),
        RUN.opportunities: _json(opportunities),
        RUN.overall_score: result.overall.score, RUN.overall_level: result.overall.level,
        RUN.finished_at: datetime.now(UTC)})
    return ScoreRun(run_id, project_id, "succeeded", result, "")


def _json(value: Any) -> str:
    """Canonical JSON text (sorted keys), the form every stored payload takes."""
    return msgspec.json.encode(value, order="deterministic").decode()


async def _row(db: Database, tenant_id: UUID, project_id: UUID, run_id: UUID) -> dict[str, Any]:
    async with db.transaction(tenant_id, write=False):
        row = await ScoreRunRow.select().where(
            (RUN.tenant_id == tenant_id) & (RUN.id == run_id) & (RUN.project_id == project_id)).first().run()
    if row is None:
        raise NotFound("score run not found")
    return row


async def _update(db: Database, tenant_id: UUID, run_id: UUID, values: dict[Any, Any]) -> None:
    async with db.transaction(tenant_id):
        await ScoreRunRow.update(values).where((RUN.tenant_id == tenant_id) & (RUN.id == run_id)).run()


async def fix_period(db: Database, tenant_id: UUID, row: dict[str, Any]) -> None:
    """Give a project made before periods were explicit its period, stored once
    (:mod:`cxsuite.projects.period`), so no later run silently scores another window."""
    async with db.transaction(tenant_id):
        project = await Project.select(Project.period_start, Project.period_end).where(
            (Project.tenant_id == tenant_id) & (Project.id == row["project_id"])).first().run()
        if project is None or (project["period_start"] and project["period_end"]):
            return
        latest = await latest_data_date(db, tenant_id, row["workspace_id"])
        start, end = explicit_period(project["period_start"], project["period_end"], latest,
                                     row["as_of"].date())
        await Project.update({Project.period_start: start, Project.period_end: end}).where(
            (Project.tenant_id == tenant_id) & (Project.id == row["project_id"])).run()


async def _gather(db: Database, tenant_id: UUID, row: dict[str, Any], progress: Progress | None,
                  plugins: Plugins, rules: Rules) -> tuple[RunInputs, ScoringModel]:
    """Journey, answers and every metric, read in one tenant transaction, then the
    data-quality checks (:mod:`cxsuite.scoring.quality`) over the values and their records."""
    async with db.transaction(tenant_id, write=False):
        project = await Project.select().where(
            (Project.tenant_id == tenant_id) & (Project.id == row["project_id"])).first().run()
        journey = await by_id(tenant_id, row["journey_version_id"])
        answers = answers_for_scoring(journey, await stored_answers(tenant_id, row["project_id"]))
        start, end = project["period_start"], project["period_end"]
        scope = MetricScope(db, tenant_id, row["workspace_id"], start, end, row["as_of"],
                            tuple(stage.key for stage in journey.stages))
        values = await compute_metrics(scope)
        if progress:
            await progress(0.8)
        async with step(db.engine, "metrics: plugins and project"):
            values += await plugin_metrics(plugins.extras("register_metrics"), scope, journey.model, values)
            values += await project_metrics(scope, row, journey.model, values)
        async with step(db.engine, "quality checks"):
            values, notes = await check_run(scope, [settled(v) for v in values], rules)
    inputs = RunInputs(model_version=journey.model.version, model_hash=content_hash(journey.model),
                       journey_version=journey.version, period_start=start, period_end=end,
                       as_of=row["as_of"], journey=journey.for_scoring(),
                       metrics=tuple(sorted(values, key=_identity)), answers=tuple(answers),
                       quality_notes=tuple(notes))
    return inputs, journey.model


def settled(value: MetricValue) -> MetricValue:
    """A value without a figure is insufficient evidence whoever computed it (a plugin may
    return ``value=None`` and leave the status at its default)."""
    if value.value is None and value.status != "insufficient":
        return msgspec.structs.replace(value, status="insufficient", reason=value.reason or "no value")
    return value


def _identity(value: MetricValue) -> tuple[str, str, str]:
    return (value.key, value.stage or "", value.channel or "")


RUN_LIST = ListSpec(sorts=("created_at", "status", "model_version"), default="-created_at",
                    search=("status", "model_version", "error"))


async def list_runs(db: Database, principal: Principal, project_id: UUID, limit: int, offset: int,
                    listing: Listing | None = None) -> tuple[list[ScoreRunSummary], int]:
    """The project's runs, newest first."""
    mine = (RUN.tenant_id == principal.tenant_id) & (RUN.project_id == project_id)
    async with db.transaction(principal.tenant_id, write=False):
        await project_for(principal, project_id, Action.SCORE_READ)
        rows, total = await page_listed(ScoreRunRow, mine, SUMMARY, RUN_LIST, listing, limit=limit,
                                        offset=offset)
    return [ScoreRunSummary(**row) for row in rows], total


async def readable_run(db: Database, principal: Principal, run_id: UUID) -> dict[str, Any]:
    """A run the caller may read: 404 when absent or another tenant's or workspace's."""
    async with db.transaction(principal.tenant_id, write=False):
        row = await ScoreRunRow.select().where(
            (RUN.tenant_id == principal.tenant_id) & (RUN.id == run_id)).first().run()
    if row is None:
        raise NotFound("score run not found")
    require_in_workspace(principal, row["workspace_id"], Action.SCORE_READ)
    return row


def summary_of(row: dict[str, Any]) -> ScoreRunSummary:
    """The list view of a full run row."""
    return ScoreRunSummary(**{column._meta.name: row[column._meta.name] for column in SUMMARY})


async def get_run(db: Database, principal: Principal, run_id: UUID) -> ScoreRunOut:
    """A run with its grid, evidence, opportunities and inputs."""
    row = await readable_run(db, principal, run_id)
    decode = msgspec.json.decode
    inputs = decode(row["inputs"]) if row["inputs"] else None
    return ScoreRunOut(run=summary_of(row), result=decode(row["result"]) if row["result"] else None,
                       opportunities=decode(row["opportunities"]) if row["opportunities"] else [],
                       inputs=inputs, quality_notes=(inputs or {}).get("quality_notes", []))
