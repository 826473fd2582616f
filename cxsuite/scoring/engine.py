"""The maturity scoring engine: a pure function from model + inputs to a :class:`ScoreResult`.

It follows SCORING.md step by step:

1. each evidence item gets a level from its threshold table (or the answer itself);
2. a cell's score is the class-weighted mean of its evidence levels (questionnaire 0.4,
   O-data 0.4, X-data 0.2, equal within a class, re-normalised over the classes present);
   questionnaire-only cells are capped at 3.0; a gap of ≥ 2 levels between the questionnaire
   and the data flags the cell *contested*;
3. the level comes from the model's level bands;
4. confidence = (class weight present / class weight expected) × sample adequacy; under 0.5 the
   cell is *insufficient evidence* and gets no score at all (never a silent 1);
5. dimension = applicability-weighted mean of its scored cells; overall = mean of the scored
   dimensions, with the weakest one named.

Rounding, half up, happens at three documented points only: cell scores and confidences to 2
decimals (before banding), dimension scores to 2 decimals (from the rounded cell scores), and
the overall score to 2 decimals. Evidence weights are rounded to 4 decimals for display.
Sums use ``math.fsum`` and inputs are sorted first, so the result does not depend on the order
inputs arrive in: same inputs, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from cxsuite.scoring._numbers import mean, round_half_up, weighted_mean
from cxsuite.scoring.evidence import (
    Prepared,
    answer_evidence,
    expected_classes,
    metric_evidence,
    metric_states,
    outcomes,
    prepare,
    unscored_metrics,
)
from cxsuite.scoring.inputs import Answer, Journey, MetricValue, StageSpec
from cxsuite.scoring.model import content_hash
from cxsuite.scoring.results import Cell, CellStatus, DimensionScore, EvidenceItem, Overall, ScoreResult
from cxsuite.scoring.schema import Dimension, ScoringModel

_KIND_ORDER = {"questionnaire": 0, "o_data": 1, "x_data": 2}
_DATA_CLASSES = ("o_data", "x_data")


def score(
    model: ScoringModel,
    journey: Journey,
    metrics: Sequence[MetricValue] = (),
    answers: Sequence[Answer] = (),
) -> ScoreResult:
    """Score a journey: every stage × dimension cell, the dimensions, the overall and the outcomes."""
    prep = prepare(model, journey, metrics, answers)
    cells = tuple(_score_cell(prep, spec, dim.key) for spec in journey.stages for dim in model.dimensions)
    dimensions = tuple(_dimension(model, dim, cells) for dim in model.dimensions)
    return ScoreResult(
        model_version=model.version,
        model_hash=content_hash(model),
        stages=prep.stage_keys,
        cells=cells,
        dimensions=dimensions,
        overall=_overall(model, dimensions),
        outcomes=outcomes(prep),
        unscored_metrics=unscored_metrics(prep),
        metric_states=metric_states(prep),
    )


def level_of(model: ScoringModel, score: float | None) -> int | None:
    """The level a (2-decimal) score reaches: the highest band whose ``min_score`` it meets."""
    if score is None:
        return None
    return max((band.level for band in model.level_bands if score >= band.min_score), default=1)


def applicability(model: ScoringModel, spec: StageSpec, dimension: str) -> int:
    """The stage's weight for a dimension: the journey's override, the model's default, else 1."""
    if dimension in spec.applicability:
        return spec.applicability[dimension]
    stage = next((stage for stage in model.stages if stage.key == spec.key), None)
    return 1 if stage is None else stage.weights[dimension]


def target(model: ScoringModel, spec: StageSpec, dimension: str) -> int:
    """The target level: the journey's, else the model stage's, else the model default (3)."""
    stage = next((stage for stage in model.stages if stage.key == spec.key), None)
    model_target = stage.targets.get(dimension) if stage else None
    return spec.targets.get(dimension) or model_target or model.default_target_level


@dataclass(frozen=True)
class _Tally:
    """A cell's evidence summarised per class: mean level of the leveled items, and item counts."""

    means: dict[str, float]
    counts: dict[str, int]

    @classmethod
    def of(cls, items: Sequence[EvidenceItem]) -> _Tally:
        """Summarise items; "don't know" answers count as items but have no level."""
        kinds = sorted({item.kind for item in items}, key=_KIND_ORDER.__getitem__)
        levels = {k: [i.level for i in items if i.kind == k and i.level is not None] for k in kinds}
        means = {k: m for k in kinds if (m := mean(float(v) for v in levels[k])) is not None}
        return cls(means, {k: sum(1 for i in items if i.kind == k) for k in kinds})

    def score(self, model: ScoringModel, classes: Sequence[str]) -> float | None:
        """Class-weighted mean over the given classes that are present, rounded to 2 decimals."""
        pairs = [(model.class_weights.of(k), self.means[k]) for k in classes if k in self.means]
        raw = weighted_mean(pairs)
        return None if raw is None else round_half_up(raw)


def _score_cell(prep: Prepared, spec: StageSpec, dimension: str) -> Cell:
    """Steps 1–4 for one stage × dimension cell."""
    model = prep.model
    items = answer_evidence(prep, spec.key, dimension) + metric_evidence(prep, spec.key, dimension)
    items.sort(key=lambda i: (_KIND_ORDER[i.kind], i.ref, i.stage or "", i.channel or ""))
    tally = _Tally.of(items)
    raw = tally.score(model, tuple(_KIND_ORDER))
    questionnaire_only = set(tally.means) == {"questionnaire"}
    capped = questionnaire_only and raw is not None and raw > model.questionnaire_only_cap
    cell_score = model.questionnaire_only_cap if capped else raw
    confidence = _confidence(model, tally, items, expected_classes(model, spec.key, dimension))
    q_level = level_of(model, tally.score(model, ("questionnaire",)))
    data_level = level_of(model, tally.score(model, _DATA_CLASSES))
    weight = applicability(model, spec, dimension)
    status = _status(model, weight, cell_score, confidence)
    scored = status == "scored"
    return Cell(
        stage=spec.key, dimension=dimension, applicability=weight, target=target(model, spec, dimension),
        status=status, score=cell_score if scored else None,
        level=level_of(model, cell_score) if scored else None, confidence=confidence,
        contested=q_level is not None and data_level is not None
        and abs(q_level - data_level) >= model.contested_gap,
        capped=capped, questionnaire_level=q_level, data_level=data_level,
        evidence=_with_weights(model, tally, items),
    )


def _status(model: ScoringModel, weight: int, cell_score: float | None, confidence: float) -> CellStatus:
    """not_applicable (weight 0), insufficient_evidence (no score or low confidence), else scored."""
    if weight == 0:
        return "not_applicable"
    if cell_score is None or confidence < model.confidence.insufficient_below:
        return "insufficient_evidence"
    return "scored"


def _confidence(
    model: ScoringModel, tally: _Tally, items: Sequence[EvidenceItem], expected: set[str]
) -> float:
    """(weight of classes present / weight of classes expected) × mean sample adequacy.

    Adequacy is averaged over the items of the present classes with the same weights as the
    score (class weight shared equally by its items, "don't know" answers included at 0), so
    a thin sample or a "don't know" lowers confidence in proportion to its share.
    """
    weights = model.class_weights
    present = math.fsum(weights.of(k) for k in tally.means)
    wanted = math.fsum(weights.of(k) for k in expected)
    coverage = present / wanted if wanted > 0 else 0.0
    pairs = [(weights.of(i.kind) / tally.counts[i.kind], i.adequacy) for i in items if i.kind in tally.means]
    sample = weighted_mean(pairs) or 0.0
    return round_half_up(coverage * sample)


def _with_weights(
    model: ScoringModel, tally: _Tally, items: Sequence[EvidenceItem]
) -> tuple[EvidenceItem, ...]:
    """Each item's share of the cell score (0 for items without a level), rounded to 4 decimals."""
    present = math.fsum(model.class_weights.of(k) for k in tally.means)
    leveled = {k: sum(1 for i in items if i.kind == k and i.level is not None) for k in tally.means}

    def share(item: EvidenceItem) -> float:
        """The item's class weight over the present classes, split among the class's leveled items."""
        if item.level is None or present <= 0:
            return 0.0
        return round_half_up(model.class_weights.of(item.kind) / present / leveled[item.kind], 4)

    return tuple(msgspec.structs.replace(item, weight=share(item)) for item in items)


def _dimension(model: ScoringModel, dimension: Dimension, cells: Sequence[Cell]) -> DimensionScore:
    """Applicability-weighted mean of the dimension's scored cells (from their rounded scores)."""
    mine = [cell for cell in cells if cell.dimension == dimension.key]
    scored = [cell for cell in mine if cell.status == "scored" and cell.score is not None]
    raw = weighted_mean((float(cell.applicability), cell.score) for cell in scored if cell.score is not None)
    value = None if raw is None else round_half_up(raw)
    return DimensionScore(
        key=dimension.key, name=dimension.name, score=value, level=level_of(model, value),
        scored_cells=len(scored),
        insufficient_cells=sum(1 for cell in mine if cell.status == "insufficient_evidence"),
    )


def _overall(model: ScoringModel, dimensions: Sequence[DimensionScore]) -> Overall:
    """Mean of the scored dimensions, and the weakest of them (ties go to the first key)."""
    scored = [(dim.score, dim.key) for dim in dimensions if dim.score is not None]
    raw = mean(value for value, _ in scored)
    value = None if raw is None else round_half_up(raw)
    weakest = min(scored, default=None)
    return Overall(
        score=value, level=level_of(model, value),
        weakest_dimension=weakest[1] if weakest else None, weakest_score=weakest[0] if weakest else None,
    )
