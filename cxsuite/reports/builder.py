"""Score run → :class:`ReportDocument`: the only place that knows both storage and the report.

:func:`load_inputs` reads everything a report shows in one tenant transaction (the run, its
journey and model, the project and client, the previous run for the trend, the connections
the data came from, the tenant's branding); :func:`build_document` turns that into the frozen
document without touching the database. Every date in the document comes from the run, never
from the clock, so rendering the same run again gives the same report.

Model text (level, dimension and stage names, recommendations) becomes :class:`Term` so the
catalogue translates it; what the consultant or client wrote (a renamed stage, touchpoints, the
client's name, the project description) stays plain text and is printed as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.connections.tables import Connection
from cxsuite.connectors.records import RECORD_TYPES, table_for
from cxsuite.customers.service import CustomerView as CustomerViewState
from cxsuite.customers.service import view_of
from cxsuite.db.sql import execute
from cxsuite.errors import NotFound
from cxsuite.projects.tables import Project
from cxsuite.reports import document as doc
from cxsuite.reports.branding import TenantLook, tenant_look
from cxsuite.reports.caveats import INSUFFICIENT, caveats_for, state_caveats
from cxsuite.reports.i18n import Localiser
from cxsuite.reports.labels import (
    CHANNEL_LABELS,
    METRIC_LABELS,
    QUESTIONNAIRE_EVIDENCE,
    RECORD_KIND_LABELS,
    TOUCHPOINT_LABELS,
    UNIT_LABELS,
)
from cxsuite.reports.narrative import ReportText, paragraphs
from cxsuite.reports.narrative import stored as stored_text
from cxsuite.reports.pain_points import pain_points
from cxsuite.reports.sections import Section
from cxsuite.scoring import journey_evidence, results, value_inputs
from cxsuite.scoring.engine import level_of
from cxsuite.scoring.journey import StoredJourney, by_id
from cxsuite.scoring.opportunities import Opportunity, ranked
from cxsuite.scoring.priorities import prioritise, stored_opportunities
from cxsuite.scoring.schema import Benchmark, ScoringModel
from cxsuite.scoring.tables import ScoreRunRow
from cxsuite.workspaces.tables import Workspace

TEMPLATE_VERSION = "strategy-report 1.1"
# Outcomes counted in survey answers, where fewer than 30 is a small sample.
ANSWER_METRICS = frozenset({"nps", "csat", "ces_v2_agree_rate", "ces_v1_mean", "csat_channel_spread_points"})
ROADMAP_LENGTH = 15
T = doc.Term
_REFERENCE = re.compile(r"\s*\[[^\]]*\]")


@dataclass(frozen=True)
class SourceData:
    """A connection the run's figures came from, with its live record counts per kind."""

    connector: str
    account: str
    counts: tuple[tuple[str, int], ...]
    last_sync: datetime | None
    connector_key: str = ""


@dataclass(frozen=True)
class ReportInputs:
    """Everything :func:`build_document` needs, read from storage in one go."""

    run: Mapping[str, Any]
    result: results.ScoreResult
    opportunities: tuple[Opportunity, ...]
    journey: StoredJourney
    project: Mapping[str, Any]
    client_name: str
    previous: Mapping[str, Any] | None
    sources: tuple[SourceData, ...]
    look: TenantLook
    customer_view: CustomerViewState | None = None
    text: ReportText = field(default_factory=ReportText)
    evidence: journey_evidence.JourneyEvidence | None = None

    @property
    def model(self) -> ScoringModel:
        """The model the run used (the journey version names it)."""
        return self.journey.model


async def load_inputs(tenant_id: UUID, run_id: UUID, connectors: Mapping[str, Any],
                      sections: Sequence[Section] = ()) -> ReportInputs:
    """Read a succeeded run and its surroundings (inside the caller's tenant transaction)."""
    run = await ScoreRunRow.select().where(
        (ScoreRunRow.tenant_id == tenant_id) & (ScoreRunRow.id == run_id)).first().run()
    if run is None or run["status"] != "succeeded":
        raise NotFound("succeeded score run not found")
    project = await Project.select().where(
        (Project.tenant_id == tenant_id) & (Project.id == run["project_id"])).first().run()
    workspace = await Workspace.select(Workspace.name).where(
        (Workspace.tenant_id == tenant_id) & (Workspace.id == run["workspace_id"])).first().run()
    if project is None or workspace is None:
        raise NotFound("project not found")
    previous = await ScoreRunRow.select(ScoreRunRow.result, ScoreRunRow.finished_at).where(
        (ScoreRunRow.tenant_id == tenant_id) & (ScoreRunRow.project_id == run["project_id"])
        & (ScoreRunRow.status == "succeeded") & (ScoreRunRow.created_at < run["created_at"])
    ).order_by(ScoreRunRow.created_at, ascending=False).first().run()
    journey = await by_id(tenant_id, run["journey_version_id"])
    result = msgspec.json.decode(run["result"], type=results.ScoreResult)
    stage_keys = [s.key for s in journey.stages]
    return ReportInputs(
        run=run, result=result,
        # THE order (cxsuite.scoring.priorities), valued with the project's value inputs as they are now.
        opportunities=prioritise(journey.model, result,
                                 await value_inputs.stored(tenant_id, run["project_id"]),
                                 stored=stored_opportunities(run)),
        journey=journey, project=project,
        client_name=workspace["name"], previous=previous,
        sources=await _sources(tenant_id, run["workspace_id"], connectors),
        look=await tenant_look(tenant_id, sections),
        customer_view=await view_of(Connection._meta.db, tenant_id, run["workspace_id"]),
        text=await stored_text(tenant_id, run["project_id"]),
        evidence=await journey_evidence.for_run_row(Project._meta.db, tenant_id, run, stage_keys))


async def _sources(tenant_id: UUID, workspace_id: UUID, connectors: Mapping[str, Any],
                   ) -> tuple[SourceData, ...]:
    """The workspace's synced connections with their current (not archived) record counts."""
    connections = await Connection.select(Connection.id, Connection.connector, Connection.name,
                                          Connection.last_sync_at).where(
        (Connection.tenant_id == tenant_id) & (Connection.workspace_id == workspace_id)
        & Connection.last_sync_at.is_not_null()).order_by(Connection.created_at).run()
    found = []
    engine = Connection._meta.db
    for connection in connections:
        counts = []
        for kind in RECORD_TYPES:
            rows = await execute(engine, f"SELECT count(*) AS n FROM {table_for(kind)} "  # fixed table names
                                 "WHERE tenant_id = {} AND connection_id = {} AND NOT archived",
                                 tenant_id, connection["id"])
            if rows[0]["n"]:
                counts.append((kind, int(rows[0]["n"])))
        plugin = connectors.get(connection["connector"])
        found.append(SourceData(plugin.display_name if plugin else connection["connector"],
                                connection["name"], tuple(counts), connection["last_sync_at"],
                                connection["connector"]))
    return tuple(found)


def build_document(inputs: ReportInputs, language: str, l10n: Localiser) -> doc.ReportDocument:
    """The report of ``inputs`` in ``language``; pure, so the same inputs give the same document."""
    model, result, run = inputs.model, inputs.result, inputs.run
    period = doc.Period(run["period_start"], run["period_end"])
    stage_names = {s.key: s.name for s in model.stages}
    overall = result.overall
    if overall.score is None or overall.level is None or overall.weakest_dimension is None:
        raise NotFound("the score run has no scored dimension to report on")
    dimension_names = {d.key: T(d.name) for d in model.dimensions}
    return doc.ReportDocument(
        branding=inputs.look.branding,
        language=language,
        client_name=inputs.client_name,
        project_name=inputs.project["name"],
        context=inputs.project["description"],
        period=period,
        generated_at=run["finished_at"],
        overall=doc.Overall(overall.score, overall.level, T(_level(model, overall.level).name),
                            overall.weakest_dimension),
        levels=tuple(doc.Level(lv.level, T(lv.name), T(lv.anchor)) for lv in model.levels),
        dimensions=tuple(doc.Dimension(d.key, dimension_names[d.key], d.score, d.level,
                                       _target(result, d.key, model.default_target_level))
                         for d in result.dimensions),
        stages=tuple(doc.Stage(s.key, T(s.name) if stage_names.get(s.key) == s.name else s.name)
                     for s in inputs.journey.stages),
        cells=tuple(_cell(c, l10n) for c in result.cells),
        journey=_journey(inputs, l10n),
        kpis=_kpis(result, inputs.previous, l10n) + _missing_kpis(model, result, l10n),
        opportunities=_opportunities(model, inputs.opportunities, inputs.text.opportunity_notes),
        data_sources=tuple(doc.DataSource(
            s.connector, s.account, period, tuple((T(RECORD_KIND_LABELS[k]), n) for k, n in s.counts),
            s.last_sync or run["finished_at"]) for s in inputs.sources),
        model_version=f"{model.name} {model.version}",
        template_version=TEMPLATE_VERSION,
        trend=_trend(inputs.previous),
        customer_view=_customer_view(inputs),
        section_order=inputs.look.section_order,
        disabled_sections=inputs.look.disabled_sections,
        unused_evidence=tuple(_state_evidence(model, state, l10n) for state in result.metric_states),
        executive_summary=paragraphs(inputs.text.executive_summary),
    )


def _customer_view(inputs: ReportInputs) -> doc.CustomerView | None:
    """The resolved customer graph in the report's terms: sources by their display names."""
    view = inputs.customer_view
    if view is None or view.resolved_at is None:
        return None
    names = {s.connector_key: s.connector for s in inputs.sources}
    summary = view.summary
    return doc.CustomerView(
        records=summary.records, customers=summary.customers,
        customers_in_several_records=summary.customers_in_several_records,
        duplicates_within_source=summary.duplicates_within_source,
        unreadable_phones=summary.unreadable_phones,
        records_by_source=tuple((names.get(k, k), n) for k, n in summary.records_by_source.items()),
        source_pairs=tuple((names.get(p.first, p.first), names.get(p.second, p.second), p.customers)
                           for p in summary.source_pairs),
        resolved_at=view.resolved_at)


def _level(model: ScoringModel, number: int) -> Any:
    return next(lv for lv in model.levels if lv.level == number)


def _target(result: results.ScoreResult, dimension: str, default: int) -> float:
    """A dimension's target: the mean target of its cells that are scored at all."""
    targets = [c.target for c in result.cells if c.dimension == dimension and c.applicability > 0]
    return sum(targets) / len(targets) if targets else float(default)


def metric_name(key: str) -> doc.Name:
    """A metric's catalogue label, or its key when no label exists (a plugin's own metric)."""
    return T(METRIC_LABELS[key]) if key in METRIC_LABELS else key


def channel_name(channel: str | None) -> doc.Name:
    """A channel key as the report names it (a connector's own channel is shown as recorded)."""
    if not channel:
        return ""
    return T(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else channel


def unit_text(unit: str | None, l10n: Localiser) -> str:
    """The unit as the report's language writes it."""
    label = UNIT_LABELS.get(unit or "", unit or "")
    return l10n.gettext(label) if label else ""


def _cell(cell: results.Cell, l10n: Localiser) -> doc.Cell:
    """A cell with its data evidence, and the questionnaire answers folded into one line (their
    mean and count at the questionnaire's level): the client needs the consultant's verdict,
    not every item."""
    data = [e for e in cell.evidence if e.kind != "questionnaire" and e.level is not None]
    answers = [e.value for e in cell.evidence if e.kind == "questionnaire" and e.value is not None]
    evidence = [_evidence(e, l10n) for e in data]
    if answers and cell.questionnaire_level is not None:
        evidence.append(doc.Evidence(
            metric=T(QUESTIONNAIRE_EVIDENCE), value=round(sum(answers) / len(answers), 1), unit="/ 5",
            threshold="", level=cell.questionnaire_level, kind="questionnaire", n=len(answers)))
    return doc.Cell(cell.stage, cell.dimension, cell.status, cell.level, cell.score, cell.confidence,
                    cell.contested, tuple(evidence))


def _evidence(item: results.EvidenceItem, l10n: Localiser) -> doc.Evidence:
    answers = item.kind == "x_data"
    return doc.Evidence(
        metric=metric_name(item.ref),
        value="–" if item.value is None else item.value,
        unit=unit_text(item.unit, l10n),
        threshold=item.threshold or "",
        level=item.level or 0,
        kind=item.kind,
        benchmark=_benchmark(item.benchmark),
        source=None if item.default else citation(item.source),
        n=item.n if item.n is not None else (len(item.records) or None),
        days=item.coverage_days,
        confidence=item.adequacy,
        caveats=caveats_for(item.value, item.unit, n=item.n, days=item.coverage_days, answers=answers),
    )


def _shown_value(state: results.MetricState, l10n: Localiser) -> float | str:
    """A flagged metric keeps its figure; an insufficient one prints the words, never 0 or a dash."""
    if state.status == "insufficient" or state.value is None:
        return l10n.gettext(INSUFFICIENT)
    return state.value


def _state_evidence(model: ScoringModel, state: results.MetricState, l10n: Localiser) -> doc.Evidence:
    """A metric no cell could use, as the evidence summary prints it (issue 15)."""
    definition = next((m for m in model.metrics if m.key == state.key), None)
    kind = definition.evidence_class if definition else "o_data"
    return doc.Evidence(
        metric=metric_name(state.key), value=_shown_value(state, l10n), unit=unit_text(state.unit, l10n),
        threshold="", level=0, kind=kind, n=state.n or None, confidence=0.0,
        caveats=state_caveats(state.status, state.reason, state.value, state.unit, state.n,
                              answers=kind == "x_data"))


def _missing_kpis(model: ScoringModel, result: results.ScoreResult, l10n: Localiser,
                  ) -> tuple[doc.KpiRow, ...]:
    """Outcome KPIs the run has no figure for: a row that says so in words (never 0), so the
    client sees what could not be measured, not a silently shorter table."""
    outcomes = {m.key for m in model.metrics if m.outcome}
    present = {o.metric for o in result.outcomes}
    return tuple(doc.KpiRow(
        metric=metric_name(s.key), value=None, unit=unit_text(s.unit, l10n), stage=s.stage,
        definition=channel_name(s.channel), records=s.n or 0,
        caveats=state_caveats(s.status, s.reason, s.value, s.unit, s.n))
        for s in result.metric_states
        if s.key in outcomes and s.key not in present and s.status == "insufficient" and s.stage is None)


def citation(source: str | None) -> str | None:
    """A model source as a report cites it: the work's name, without the research notes after the
    colon or the model's reference markers (``[25]``), which are English working notes."""
    if not source:
        return None
    name = _REFERENCE.sub("", source.split(": ", 1)[0]).strip().rstrip(".")
    return name or None


def _benchmark(bench: Benchmark | None) -> doc.Benchmark | None:
    """A benchmark as the report cites it: value, source and year (its population notes are
    model text in English and stay in the evidence workbook)."""
    if bench is None:
        return None
    return doc.Benchmark(bench.value, citation(bench.source) or "", _year(bench.year))


def _kpis(result: results.ScoreResult, previous: Mapping[str, Any] | None, l10n: Localiser,
          ) -> tuple[doc.KpiRow, ...]:
    before = {}
    if previous is not None:
        old = msgspec.json.decode(previous["result"], type=results.ScoreResult)
        before = {(o.metric, o.stage, o.channel): o.value for o in old.outcomes}
    return tuple(doc.KpiRow(
        metric=metric_name(o.metric), value=o.value, unit=unit_text(o.unit, l10n), stage=o.stage,
        definition=channel_name(o.channel),
        benchmark=_benchmark(o.benchmark),
        records=o.n or len(o.records), previous=before.get((o.metric, o.stage, o.channel)),
        caveats=state_caveats("flagged", None, o.value, o.unit, o.n, answers=o.metric in ANSWER_METRICS)
        if o.status == "flagged" else caveats_for(o.value, o.unit, n=o.n, answers=o.metric in ANSWER_METRICS),
    ) for o in result.outcomes)


def _year(text: str) -> int | None:
    digits = text.strip()[:4]
    return int(digits) if digits.isdigit() else None


def _journey(inputs: ReportInputs, l10n: Localiser) -> doc.Journey:
    """Touchpoints as the consultant mapped them and as the records show them, outcomes per
    stage, CSAT as the curve, and per stage its evidence, maturity and pain points (distinct
    themes ranked by the number of records behind them, :mod:`cxsuite.scoring.journey_evidence`)."""
    result, evidence = inputs.result, inputs.evidence
    staged = [o for o in result.outcomes if o.stage and o.channel is None]
    mapped = [doc.Touchpoint(stage.key, channel_name(tp.channel), tp.name)
              for stage in inputs.journey.stages for tp in stage.touchpoints]
    stages = evidence.stages if evidence else []
    seen = {(tp.stage, tp.name) for tp in mapped}
    recorded = [doc.Touchpoint(s.stage, T(RECORD_KIND_LABELS[tp.source]), touchpoint_name(tp.name))
                for s in stages for tp in s.touchpoints if (s.stage, touchpoint_name(tp.name)) not in seen]
    commentary = inputs.text.stage_commentary
    return doc.Journey(
        touchpoints=tuple(mapped + recorded),
        kpis=tuple(doc.StageKpi(o.stage, metric_name(o.metric), o.value, unit_text(o.unit, l10n))
                   for o in staged if o.stage),
        # CSAT (% satisfied) on the curve's −2…+2 scale: 50 % is neutral, 100 % is +2.
        satisfaction=tuple(doc.Satisfaction(o.stage, max(-2.0, min(2.0, (o.value - 50) / 25)), o.n or 0)
                           for o in staged if o.metric == "csat" and o.stage),
        pain_points=pain_points(stages),
        stages=tuple(_stage_evidence(inputs, key, next((s for s in stages if s.stage == key), None),
                                     paragraphs(commentary.get(key, "")))
                     for key in (s.key for s in inputs.journey.stages)),
        unattributed=sum(evidence.unattributed.values()) if evidence else 0,
    )


def touchpoint_name(name: str) -> doc.Name:
    """A recorded touchpoint as the report names it (unknown ones are client data, shown as is)."""
    key = name.strip().lower()
    if key in TOUCHPOINT_LABELS:
        return T(TOUCHPOINT_LABELS[key])
    return channel_name(key) if key in CHANNEL_LABELS else name


def _merged(touchpoints: Sequence[journey_evidence.Touchpoint]) -> tuple[tuple[doc.Name, int], ...]:
    """Touchpoints that the report names alike (a ticket's "support" and a survey's "support
    ticket") as one, their counts added, largest first."""
    merged: dict[doc.Name, int] = {}
    for tp in touchpoints:
        name = touchpoint_name(tp.name)
        merged[name] = merged.get(name, 0) + tp.n
    return tuple(sorted(merged.items(), key=lambda item: -item[1]))


def _stage_evidence(inputs: ReportInputs, stage: str, found: journey_evidence.StageEvidence | None,
                    commentary: tuple[str, ...]) -> doc.StageEvidence:
    """A stage's records, touchpoints, CSAT/NPS and maturity (its applicable cells' weighted mean
    score as a level), with the consultant's commentary."""
    cells = [c for c in inputs.result.cells
             if c.stage == stage and c.score is not None and c.applicability > 0 and c.status == "scored"]
    weight = sum(c.applicability for c in cells)
    score = sum(c.score * c.applicability for c in cells if c.score is not None) / weight if weight else None
    level = level_of(inputs.model, None if score is None else round(score, 2))
    return doc.StageEvidence(
        stage=stage, records=found.total if found else 0,
        touchpoints=_merged(found.touchpoints) if found else (),
        csat=found.csat if found else None, csat_n=found.csat_n if found else 0,
        nps=found.nps if found else None, nps_n=found.nps_n if found else 0,
        level=level, level_name=T(_level(inputs.model, level).name) if level else "", commentary=commentary)


def _opportunities(model: ScoringModel, found: Sequence[Opportunity], notes: Mapping[str, str] | None = None,
                   ) -> tuple[doc.Opportunity, ...]:
    """The roadmap: :func:`~cxsuite.scoring.opportunities.ranked` (each library action once, best
    first), stopping at :data:`ROADMAP_LENGTH`, with the consultant's note beside each; a
    plugin's action keeps its own description."""
    notes = notes or {}
    library = {r.id: r.description for r in model.recommendations}
    described = {o.recommendation_id: library.get(o.recommendation_id, o.description) for o in found}
    return tuple(doc.Opportunity(
        title=T(o.title), description=T(described[o.recommendation_id]) if described[o.recommendation_id]
        else "",
        dimension=o.dimension, stage=o.stage, value=o.value, effort=o.effort, priority=o.priority,
        quadrant=o.quadrant, horizon=o.horizon, owner_role=T(o.owner_role),
        expected_kpi=T(o.expected_kpi.movement),
        kpi_source=None if o.expected_kpi.source == "default" else citation(o.expected_kpi.source),
        confidence=o.confidence, value_estimated=o.value_basis == "estimate",
        note=paragraphs(notes.get(o.recommendation_id, "")),
        value_set=o.value_basis != "estimate", effort_set=o.effort_basis == "consultant",
        confidence_set=o.confidence_basis == "consultant",
    ) for o in ranked(found, ROADMAP_LENGTH))


def _trend(previous: Mapping[str, Any] | None) -> doc.Trend | None:
    if previous is None:
        return None
    old = msgspec.json.decode(previous["result"], type=results.ScoreResult)
    scores = tuple((d.key, d.score) for d in old.dimensions if d.score is not None)
    finished = previous["finished_at"]
    return doc.Trend(finished.date().isoformat(), finished.date(), scores) if scores else None
