"""From inputs to evidence items: checking the inputs, banding values, finding each cell's evidence.

Inputs are checked against the model before anything is scored (a metric in the wrong unit
or an answer for an unknown stage is an error, not a silent miss), then sorted, so that the
order in which a caller lists them can never change a result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxsuite.scoring.errors import InputInvalid
from cxsuite.scoring.inputs import Answer, Journey, MetricValue
from cxsuite.scoring.results import EvidenceItem, MetricState, Outcome
from cxsuite.scoring.schema import (
    Benchmark,
    MetricDefinition,
    ScoringModel,
    ThresholdTable,
    applies_to,
)


@dataclass(frozen=True)
class Prepared:
    """Checked, sorted and indexed inputs of one score run."""

    model: ScoringModel
    journey: Journey
    metrics: dict[str, tuple[MetricValue, ...]]
    answers: dict[tuple[str, str], Answer]

    @property
    def stage_keys(self) -> tuple[str, ...]:
        """The journey's stage keys in order."""
        return tuple(stage.key for stage in self.journey.stages)


def prepare(
    model: ScoringModel, journey: Journey, metrics: Sequence[MetricValue], answers: Sequence[Answer]
) -> Prepared:
    """Check the inputs against the model and index them by metric key and (item, stage)."""
    _check_journey(model, journey)
    stages = {stage.key for stage in journey.stages}
    ordered = sorted(metrics, key=_metric_identity)
    for value in ordered:
        _check_metric(model, stages, value)
    identities = [_metric_identity(value) for value in ordered]
    if len(set(identities)) != len(identities):
        raise InputInvalid("a metric value is given twice for the same key, stage and channel")
    by_key: dict[str, tuple[MetricValue, ...]] = {}
    for value in ordered:
        by_key[value.key] = (*by_key.get(value.key, ()), value)
    return Prepared(model, journey, by_key, _latest_answers(model, stages, answers))


def _metric_identity(value: MetricValue) -> tuple[str, str, str, float]:
    """Sort key of a metric value; also what must be unique among the inputs (first three parts)."""
    return (value.key, value.stage or "", value.channel or "", -1.0 if value.value is None else value.value)


def _check_journey(model: ScoringModel, journey: Journey) -> None:
    """Stages are unique; overrides name known dimensions and hold valid weights and targets."""
    keys = [stage.key for stage in journey.stages]
    if not keys or len(set(keys)) != len(keys):
        raise InputInvalid(f"journey stages must be non-empty and unique, got {keys}")
    dims = {dim.key for dim in model.dimensions}
    for stage in journey.stages:
        unknown = sorted((set(stage.applicability) | set(stage.targets)) - dims)
        if unknown:
            raise InputInvalid(f"journey stage {stage.key!r}: unknown dimensions {unknown}")
        if any(weight not in (0, 1, 2) for weight in stage.applicability.values()):
            raise InputInvalid(f"journey stage {stage.key!r}: applicability is 0, 1 or 2")
        if any(target not in range(1, 6) for target in stage.targets.values()):
            raise InputInvalid(f"journey stage {stage.key!r}: targets are levels 1..5")


def _check_metric(model: ScoringModel, stages: set[str], value: MetricValue) -> None:
    """A known metric must come in the model's unit, for a stage of the journey (or all stages)."""
    definition = _definition(model, value.key)
    if definition is not None and definition.unit != value.unit:
        raise InputInvalid(f"metric {value.key!r} is in {definition.unit}, got {value.unit!r}")
    if value.stage is not None and value.stage not in stages:
        raise InputInvalid(f"metric {value.key!r} names stage {value.stage!r}, not in the journey")


def _latest_answers(
    model: ScoringModel, stages: set[str], answers: Sequence[Answer]
) -> dict[tuple[str, str], Answer]:
    """Check answers and keep the latest per (item, stage); ties go to the later answerer id."""
    items = {item.id: item for item in model.questionnaire}
    latest: dict[tuple[str, str], Answer] = {}
    for answer in sorted(answers, key=lambda a: (a.answered_at, a.answered_by, a.answer or 0)):
        item = items.get(answer.item_id)
        if item is None:
            raise InputInvalid(f"answer to unknown questionnaire item {answer.item_id!r}")
        if answer.stage not in stages or not applies_to(item.stages, answer.stage):
            raise InputInvalid(f"item {item.id!r} is not asked for stage {answer.stage!r}")
        if answer.answer is None and not item.dont_know_allowed:
            raise InputInvalid(f"item {item.id!r} does not allow 'don't know'")
        if answer.answer is not None and answer.answer not in range(1, 6):
            raise InputInvalid(f"item {item.id!r}: answers are 1..5, got {answer.answer}")
        latest[(answer.item_id, answer.stage)] = answer
    return {key: latest[key] for key in sorted(latest)}


def _definition(model: ScoringModel, key: str) -> MetricDefinition | None:
    """The model's definition of a metric key, if it has one."""
    return next((metric for metric in model.metrics if metric.key == key), None)


def _benchmark(model: ScoringModel, table: ThresholdTable) -> Benchmark | None:
    """The benchmark a threshold table cites, if any."""
    return next((b for b in model.benchmarks if b.id == table.benchmark), None)


def band(table: ThresholdTable, definition: MetricDefinition, value: float) -> tuple[int, str]:
    """The level ``value`` reaches in ``table`` and a readable description of the band met.

    Bands are inclusive on the good side: with ``lower_is_better`` a value equal to a bound
    meets it (first response exactly 1 h → the "≤ 1 h" band).
    """
    for candidate in table.bands:
        if table.direction == "higher_is_better" and value >= candidate.bound:
            return candidate.level, f">= {candidate.bound:g} {definition.unit} -> {candidate.level}"
        if table.direction == "lower_is_better" and value <= candidate.bound:
            return candidate.level, f"<= {candidate.bound:g} {definition.unit} -> {candidate.level}"
    return 1, f"no band met -> 1 ({table.direction.replace('_', ' ')})"


def adequacy(definition: MetricDefinition, value: MetricValue, model: ScoringModel) -> float:
    """Sample adequacy in 0..1: X needs n ≥ 30, O needs ≥ 90 days covered; unknown counts as 0."""
    rules = model.confidence
    if definition.adequacy == "none":
        return 1.0
    if definition.adequacy == "sample_size":
        return 0.0 if value.n is None else min(1.0, max(0, value.n) / rules.x_min_n)
    days = value.coverage_days
    return 0.0 if days is None else min(1.0, max(0.0, days) / rules.o_min_days)


def _values_for(prep: Prepared, key: str, stage: str) -> tuple[MetricValue, ...]:
    """The values of ``key`` for ``stage``: stage-specific ones win over journey-wide ones."""
    values = prep.metrics.get(key, ())
    specific = tuple(v for v in values if v.stage == stage)
    chosen = specific or tuple(v for v in values if v.stage is None)
    return tuple(v for v in chosen if v.scorable)


def _cell_tables(model: ScoringModel, stage: str, dimension: str) -> list[ThresholdTable]:
    """Threshold tables that are evidence for this cell."""
    return [t for t in model.thresholds if dimension in t.dimensions and applies_to(t.stages, stage)]


def metric_evidence(prep: Prepared, stage: str, dimension: str) -> list[EvidenceItem]:
    """Evidence items from metric values for one cell (``weight`` is filled in by the engine)."""
    items = []
    for table in _cell_tables(prep.model, stage, dimension):
        definition = _definition(prep.model, table.metric)
        assert definition is not None  # guaranteed by model validation
        for value in _values_for(prep, table.metric, stage):
            items.append(_metric_item(prep.model, table, definition, value))
    return items


def _metric_item(
    model: ScoringModel, table: ThresholdTable, definition: MetricDefinition, value: MetricValue
) -> EvidenceItem:
    """One metric value as an evidence item, with its band, source and benchmark."""
    assert value.value is not None  # filtered by _values_for
    level, threshold = band(table, definition, value.value)
    return EvidenceItem(
        kind=definition.evidence_class, ref=table.metric, stage=value.stage, channel=value.channel,
        value=float(value.value), unit=value.unit, n=value.n,
        coverage_days=None if value.coverage_days is None else float(value.coverage_days),
        level=level, threshold=threshold, source=table.source, default=table.default, note=table.note,
        benchmark=_benchmark(model, table), adequacy=adequacy(definition, value, model),
        weight=0.0, records=value.evidence,
    )


def answer_evidence(prep: Prepared, stage: str, dimension: str) -> list[EvidenceItem]:
    """Evidence items from questionnaire answers for one cell; "don't know" has no level."""
    items = []
    for item in prep.model.questionnaire:
        answer = prep.answers.get((item.id, stage))
        if item.dimension != dimension or answer is None:
            continue
        items.append(EvidenceItem(
            kind="questionnaire", ref=item.id, stage=stage, level=answer.answer,
            value=None if answer.answer is None else float(answer.answer),
            threshold=None if answer.answer is None else item.answers[answer.answer - 1],
            adequacy=0.0 if answer.answer is None else 1.0, weight=0.0,
            answered_by=answer.answered_by, answered_at=answer.answered_at,
        ))
    return items


def expected_classes(model: ScoringModel, stage: str, dimension: str) -> set[str]:
    """Evidence classes the model could supply for this cell (the denominator of coverage)."""
    tables = _cell_tables(model, stage, dimension)
    classes: set[str] = {d.evidence_class for t in tables if (d := _definition(model, t.metric))}
    if any(q.dimension == dimension and applies_to(q.stages, stage) for q in model.questionnaire):
        classes.add("questionnaire")
    return classes


def outcomes(prep: Prepared) -> tuple[Outcome, ...]:
    """Experience outcomes, banded against their benchmark tables, in journey order."""
    model = prep.model
    tables = {table.metric: table for table in model.thresholds}
    found = []
    for key in sorted(prep.metrics):
        definition = _definition(model, key)
        if definition is None or not definition.outcome:
            continue
        for value in prep.metrics[key]:
            if value.value is not None:  # measured or flagged: a flagged outcome keeps its caveat
                found.append(_outcome(model, tables.get(key), definition, value))
    order = {stage: i for i, stage in enumerate(prep.stage_keys)}
    found.sort(key=lambda o: (order.get(o.stage or "", len(order)), o.metric, o.channel or ""))
    return tuple(found)


def _outcome(
    model: ScoringModel, table: ThresholdTable | None, definition: MetricDefinition, value: MetricValue
) -> Outcome:
    """One outcome value with its band; a journey-wide value of a one-stage table belongs to that stage."""
    assert value.value is not None  # filtered by outcomes
    level, threshold = band(table, definition, value.value) if table else (None, None)
    stage = value.stage
    if stage is None and table is not None and table.stages != "all" and len(table.stages) == 1:
        stage = table.stages[0]
    return Outcome(
        stage=stage, metric=value.key, channel=value.channel, value=float(value.value), unit=value.unit,
        n=value.n, margin_of_error=value.margin_of_error, level=level, threshold=threshold,
        source=table.source if table else None, default=table.default if table else False,
        note=table.note if table else None,
        benchmark=_benchmark(model, table) if table else None, records=value.evidence,
        status=value.status, notes=value.notes,
    )


def metric_states(prep: Prepared) -> tuple[MetricState, ...]:
    """Every metric value that is not plain measured evidence: insufficient (with why) or
    flagged (with the data-quality notes), so the stored result and the report can say so."""
    return tuple(MetricState(key=v.key, stage=v.stage, channel=v.channel, status=v.status,
                             value=v.value, unit=v.unit, n=v.n, reason=v.reason, notes=v.notes)
                 for key in sorted(prep.metrics) for v in prep.metrics[key] if not v.scorable)


def unscored_metrics(prep: Prepared) -> tuple[str, ...]:
    """Metric keys given but used neither as evidence nor as an outcome (shown, not silently lost)."""
    used = {table.metric for table in prep.model.thresholds if table.dimensions}
    outcome_keys = {metric.key for metric in prep.model.metrics if metric.outcome}
    return tuple(key for key in sorted(prep.metrics) if key not in used | outcome_keys)
