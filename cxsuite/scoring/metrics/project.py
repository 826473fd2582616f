"""Metrics about the project rather than its records (D7): KPI coverage of the journey's
stages.

It is fixed by the run's own metric values. Nothing about the run itself (how many runs came
before it, when it was made) is a metric: such metadata would change the maturity scores of a
second run on unchanged data, and a report could not be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import MetricScope, value_of
from cxsuite.scoring.schema import ScoringModel, applies_to


async def project_metrics(scope: MetricScope, run: dict[str, Any], model: ScoringModel,
                          values: Sequence[MetricValue]) -> list[MetricValue]:
    """``kpi_stage_coverage_rate`` for ``run``."""
    return [kpi_stage_coverage(model, scope.stages, values)]


def _slots(model: ScoringModel, stages: Sequence[str]) -> list[tuple[str, str]]:
    """(stage, outcome KPI) pairs the journey should measure: each outcome at the stages its
    threshold table covers (every stage when it has no table)."""
    tables = {table.metric: table for table in model.thresholds}
    return [(stage, m.key) for stage in stages for m in model.metrics
            if m.outcome and (m.key not in tables or applies_to(tables[m.key].stages, stage))]


def _pinned(model: ScoringModel, key: str) -> str | None:
    """The one stage a KPI's table is limited to (a journey-wide value then belongs to it)."""
    table = next((t for t in model.thresholds if t.metric == key), None)
    return table.stages[0] if table and table.stages != "all" and len(table.stages) == 1 else None


def kpi_stage_coverage(model: ScoringModel, stages: Sequence[str],
                       values: Sequence[MetricValue]) -> MetricValue:
    """Share of (stage, outcome KPI) slots with a value: a value for the stage, or a
    journey-wide value of a KPI pinned to that one stage."""
    present = {(v.stage or _pinned(model, v.key), v.key) for v in values if v.value is not None}
    slots = _slots(model, stages)
    filled = sum(1 for slot in slots if slot in present)
    return value_of("kpi_stage_coverage_rate", "percent", 100 * filled / len(slots) if slots else None,
                    len(slots), evidence=(f"score run metrics: {filled} of {len(slots)} (stage, "
                                          f"outcome KPI) slots have a value",))
