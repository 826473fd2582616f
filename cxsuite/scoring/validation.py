"""Rules a scoring model must satisfy beyond its shape.

msgspec already refuses wrong types and unknown keys; these checks catch what a type cannot
say (bands out of order, a recommendation for a dimension that does not exist, a KPI movement
with no source that does not read as an assumption). Every problem names its place in the
file, e.g. ``thresholds[3] (customer_link_rate).bands``, so the author can go straight to it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator

from cxsuite.errors import FieldProblem
from cxsuite.scoring.errors import ModelInvalid
from cxsuite.scoring.schema import AllStages, ScoringModel, ThresholdTable

Problem = tuple[str, str]
LEVELS = (1, 2, 3, 4, 5)


def check_model(model: ScoringModel, origin: str) -> None:
    """Raise :class:`ModelInvalid` listing every problem in ``model``; ``origin`` names the file."""
    checks = (_check_grid, _check_rules, _check_metrics, _check_questionnaire, _check_library)
    problems = [problem for check in checks for problem in check(model)]
    if problems:
        detail = "; ".join(f"{path}: {reason}" for path, reason in problems)
        raise ModelInvalid(f"{origin}: {detail}", problems=[FieldProblem(p, r) for p, r in problems])


def library_problems(model: ScoringModel) -> list[Problem]:
    """Every problem of the model's recommendation library (plugins' additions are checked
    with the same rules as the model file's own entries)."""
    return list(_check_library(model))


def _duplicates(section: str, keys: Iterable[str]) -> Iterator[Problem]:
    """One problem per key used more than once in a section."""
    for key, count in sorted(Counter(keys).items()):
        if count > 1:
            yield section, f"{key!r} appears {count} times"


def _unknown(path: str, values: Iterable[str], known: set[str], what: str) -> Iterator[Problem]:
    """One problem per value that is not among the known keys."""
    for value in values:
        if value not in known:
            yield path, f"unknown {what} {value!r}"


def _stage_list(path: str, stages: AllStages | tuple[str, ...], model: ScoringModel) -> Iterator[Problem]:
    """A stage list must be ``all`` or name stages of the model."""
    if stages != "all":
        yield from _unknown(path, stages, {stage.key for stage in model.stages}, "stage")


def _check_grid(model: ScoringModel) -> Iterator[Problem]:
    """Dimensions, levels, level bands, stages and their weights and targets."""
    dims = {dim.key for dim in model.dimensions}
    yield from _duplicates("dimensions", [dim.key for dim in model.dimensions])
    if tuple(level.level for level in model.levels) != LEVELS:
        yield "levels", "must define levels 1, 2, 3, 4, 5 in order"
    bands = model.level_bands
    if tuple(band.level for band in bands) != LEVELS or bands[0].min_score != 1.0:
        yield "level_bands", "must give levels 1..5 in order, level 1 starting at 1.0"
    elif any(low.min_score >= high.min_score for low, high in itertools.pairwise(bands)):
        yield "level_bands", "min_score must increase with the level"
    yield from _duplicates("stages", [stage.key for stage in model.stages])
    for i, stage in enumerate(model.stages):
        path = f"stages[{i}] ({stage.key})"
        if set(stage.weights) != dims:
            yield f"{path}.weights", f"must give a weight for exactly {sorted(dims)}"
        if any(weight not in (0, 1, 2) for weight in stage.weights.values()):
            yield f"{path}.weights", "weights are 0 (not scored), 1 (normal) or 2 (primary)"
        yield from _unknown(f"{path}.targets", stage.targets, dims, "dimension")
        if any(target not in LEVELS for target in stage.targets.values()):
            yield f"{path}.targets", "targets are levels 1..5"


def _check_rules(model: ScoringModel) -> Iterator[Problem]:
    """Class weights, cap, contested gap, default target, confidence and opportunity rules."""
    weights = model.class_weights
    if min(weights.questionnaire, weights.o_data, weights.x_data) < 0:
        yield "class_weights", "weights cannot be negative"
    if weights.questionnaire + weights.o_data + weights.x_data <= 0:
        yield "class_weights", "at least one weight must be positive"
    if not 1.0 <= model.questionnaire_only_cap <= 5.0:
        yield "questionnaire_only_cap", "must be a score between 1.0 and 5.0"
    if model.contested_gap < 1:
        yield "contested_gap", "must be at least 1 level"
    if model.default_target_level not in LEVELS:
        yield "default_target_level", "must be a level 1..5"
    rules = model.confidence
    if rules.x_min_n < 1 or rules.o_min_days < 1 or not 0 <= rules.insufficient_below <= 1:
        yield "confidence", "x_min_n and o_min_days must be >= 1, insufficient_below in 0..1"
    if model.opportunity_rules.effort_cut not in LEVELS:
        yield "opportunity_rules.effort_cut", "must be an effort 1..5"


def _check_metrics(model: ScoringModel) -> Iterator[Problem]:
    """Metric definitions, threshold tables and benchmarks refer to each other consistently."""
    yield from _duplicates("metrics", [metric.key for metric in model.metrics])
    yield from _duplicates("thresholds", [table.metric for table in model.thresholds])
    yield from _duplicates("benchmarks", [benchmark.id for benchmark in model.benchmarks])
    metrics = {metric.key: metric for metric in model.metrics}
    for i, benchmark in enumerate(model.benchmarks):
        path = f"benchmarks[{i}] ({benchmark.id}).metric"
        yield from _unknown(path, [benchmark.metric], set(metrics), "metric")
    for i, table in enumerate(model.thresholds):
        path = f"thresholds[{i}] ({table.metric})"
        if table.metric not in metrics:
            yield f"{path}.metric", "no definition under metrics"
        elif not table.dimensions and not metrics[table.metric].outcome:
            yield f"{path}.dimensions", "a table without dimensions must band an outcome metric"
        yield from _check_table(path, table, model)


def _check_table(path: str, table: ThresholdTable, model: ScoringModel) -> Iterator[Problem]:
    """Bands run from the best level down with bounds moving the right way; provenance is stated."""
    levels = [band.level for band in table.bands]
    if not levels or levels != sorted(set(levels), reverse=True) or not set(levels) <= {2, 3, 4, 5}:
        yield f"{path}.bands", "levels must be distinct, within 2..5 and run from the best down"
    bounds = [band.bound for band in table.bands]
    ordered = sorted(bounds) if table.direction == "lower_is_better" else sorted(bounds, reverse=True)
    if bounds != ordered or len(set(bounds)) != len(bounds):
        way = "increasing" if table.direction == "lower_is_better" else "decreasing"
        yield f"{path}.bands", f"bounds must be strictly {way} for {table.direction}"
    if not table.source and not table.default:
        yield path, "needs a source (citation) or default: true"
    dims = {dim.key for dim in model.dimensions}
    yield from _unknown(f"{path}.dimensions", table.dimensions, dims, "dimension")
    yield from _stage_list(f"{path}.stages", table.stages, model)
    if table.benchmark is not None:
        known = {benchmark.id for benchmark in model.benchmarks}
        yield from _unknown(f"{path}.benchmark", [table.benchmark], known, "benchmark")


def _check_questionnaire(model: ScoringModel) -> Iterator[Problem]:
    """Items have five anchored answers, a known dimension and known stages."""
    yield from _duplicates("questionnaire", [item.id for item in model.questionnaire])
    dims = {dim.key for dim in model.dimensions}
    for i, item in enumerate(model.questionnaire):
        path = f"questionnaire[{i}] ({item.id})"
        yield from _unknown(f"{path}.dimension", [item.dimension], dims, "dimension")
        yield from _stage_list(f"{path}.stages", item.stages, model)
        if len(item.answers) != len(LEVELS):
            yield f"{path}.answers", "needs exactly five anchored answers (levels 1..5)"


def _check_library(model: ScoringModel) -> Iterator[Problem]:
    """Recommendations are well-formed and never state an unsourced movement as fact."""
    yield from _duplicates("recommendations", [rec.id for rec in model.recommendations])
    dims = {dim.key for dim in model.dimensions}
    metrics = {metric.key for metric in model.metrics}
    for i, rec in enumerate(model.recommendations):
        path = f"recommendations[{i}] ({rec.id})"
        yield from _unknown(f"{path}.dimension", [rec.dimension], dims, "dimension")
        yield from _stage_list(f"{path}.stages", rec.stages, model)
        yield from _unknown(f"{path}.expected_kpi.kpi", [rec.expected_kpi.kpi], metrics, "metric")
        if rec.effort not in LEVELS:
            yield f"{path}.effort", "effort is 1..5"
        if not rec.levels or not set(rec.levels) <= set(LEVELS):
            yield f"{path}.levels", "levels are 1..5"
        is_assumption = rec.expected_kpi.movement.startswith("Assumption:")
        if (rec.expected_kpi.source == "default") != is_assumption:
            yield f"{path}.expected_kpi", "source: default if and only if movement starts 'Assumption:'"
