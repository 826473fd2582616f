"""Metrics registered by plugins through the ``register_metrics`` hook.

A plugin metric is an object with ``key``, ``unit``, ``description`` and an async
``compute(scope: MetricScope) -> MetricValue | list[MetricValue]``. Its values join the run's
inputs: scored when the model has a threshold table for the key, otherwise shown as unscored
evidence. A plugin that raises, returns something else, reuses a built-in key, names a stage
outside the journey or changes a model metric's unit is logged and skipped: one plugin's bug
never fails a score run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import MetricScope
from cxsuite.scoring.schema import ScoringModel

log = logging.getLogger("cxsuite.scoring")


async def plugin_metrics(metrics: Iterable[Any], scope: MetricScope, model: ScoringModel,
                         builtin: Sequence[MetricValue]) -> list[MetricValue]:
    """The values of every registered plugin metric that computes cleanly and fits the run."""
    taken = {value.key for value in builtin}
    units = {definition.key: definition.unit for definition in model.metrics}
    found: list[MetricValue] = []
    for metric in metrics:
        for value in await _values(metric, scope):
            problem = _problem(value, taken, units, scope)
            if problem:
                log.warning("plugin metric %r skipped: %s", getattr(metric, "key", metric), problem)
            else:
                found.append(value)
    return found


async def _values(metric: Any, scope: MetricScope) -> list[Any]:
    """What one plugin metric computed (nothing when it raised)."""
    try:
        result = await metric.compute(scope)
    except Exception as exc:  # a plugin's bug must not fail the run
        log.warning("plugin metric %r failed: %s: %s", getattr(metric, "key", metric),
                    type(exc).__name__, exc)
        return []
    return list(result) if isinstance(result, list | tuple) else [result]


def _problem(value: Any, taken: set[str], units: dict[str, str], scope: MetricScope) -> str:
    """Why a plugin value cannot join the run ('' when it can)."""
    if not isinstance(value, MetricValue):
        return f"compute returned {type(value).__name__}, not a MetricValue"
    if value.key in taken:
        return f"key {value.key!r} is a built-in metric"
    if value.key in units and units[value.key] != value.unit:
        return f"the model measures {value.key!r} in {units[value.key]}, not {value.unit}"
    if value.stage is not None and value.stage not in scope.stages:
        return f"stage {value.stage!r} is not in the journey"
    return ""
