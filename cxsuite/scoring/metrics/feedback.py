"""X-data metrics: NPS, CSAT, CES v1 and v2, CSAT channel spread, X-metric stage coverage.

SQL counts answers per metric, scale, stage, channel and score (a histogram of at most a few
thousand rows whatever the number of answers); the formulas then run on the counts with the
arithmetic of :mod:`cxsuite.scoring.formulas`, so the SQL path and the Python formulas agree
to the bit. Scales are never mixed: NPS or CSAT answers on more than one scale, or on a scale
the formula does not define, give no value and an evidence line saying why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cxsuite.scoring import formulas
from cxsuite.scoring.errors import MixedScalesError
from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import (
    MetricScope,
    coverage_days,
    evidence,
    first_of_response,
    in_period,
    scoped,
    value_of,
)

X_MIN_N = 30


@dataclass(frozen=True)
class Bucket:
    """Answers with the same metric, scale, stage, channel and score."""

    metric: str
    scale: str
    stage: str | None
    channel: str | None
    score: float
    n: int
    first_at: object
    last_at: object


@dataclass(frozen=True)
class XMetric:
    """How one X metric key reads the histogram: which answers, which scales, which formula."""

    key: str
    unit: str
    metric: str
    scales: tuple[str, ...]
    only_scale: str | None
    calc: Callable[[Sequence[Bucket], int], tuple[float | None, float | None]]


def _nps(buckets: Sequence[Bucket], n: int) -> tuple[float | None, float | None]:
    """NPS and its 95 % margin of error from counts (formulas.nps arithmetic)."""
    promoters = sum(b.n for b in buckets if b.score >= 9)
    detractors = sum(b.n for b in buckets if b.score <= 6)
    p, d = promoters / n, detractors / n
    return 100 * (promoters - detractors) / n, 196 * math.sqrt((p + d - (p - d) ** 2) / n)


def _top_box(buckets: Sequence[Bucket], n: int) -> tuple[float | None, float | None]:
    """CSAT top-2-box (4–5 of 5, 6–7 of 7) from counts."""
    cut = 6 if buckets[0].scale == "1-7" else 4
    return 100 * sum(b.n for b in buckets if b.score >= cut) / n, None


def _agree(buckets: Sequence[Bucket], n: int) -> tuple[float | None, float | None]:
    """CES v2 % agree (5–7) from counts."""
    return 100 * sum(b.n for b in buckets if b.score >= 5) / n, None


def _mean(buckets: Sequence[Bucket], n: int) -> tuple[float | None, float | None]:
    """CES v1 mean from counts (exact sum of integers over n, as formulas.mean)."""
    return math.fsum(b.score * b.n for b in buckets) / float(n), None


X_METRICS = (
    XMetric("nps", "points", "nps", ("0-10",), None, _nps),
    XMetric("csat", "percent", "csat", ("1-5", "1-7"), None, _top_box),
    XMetric("ces_v2_agree_rate", "percent", "ces", ("1-7",), "1-7", _agree),
    XMetric("ces_v1_mean", "scale_1_5", "ces", ("1-5",), "1-5", _mean),
)


async def compute(scope: MetricScope) -> list[MetricValue]:
    """Journey-wide and per-stage X metrics, the channel spread and the stage coverage."""
    buckets = await histogram(scope)
    values: list[MetricValue] = []
    for spec in X_METRICS:
        values.append(x_value(spec, buckets, scope, None))
        stages = sorted({b.stage for b in buckets if b.stage in scope.stages and b.metric == spec.metric})
        values += [x_value(spec, [b for b in buckets if b.stage == s], scope, s) for s in stages]
    return [*values, channel_spread(buckets, scope), stage_coverage(buckets, scope)]


async def histogram(scope: MetricScope) -> list[Bucket]:
    """Answer counts in the period, each answer once per source and response id; a CSAT
    answer about a ticket takes the ticket's channel."""
    rows = await scope.query(
        f"SELECT lower(f.metric) AS metric, f.scale_min AS lo, f.scale_max AS hi, f.journey_stage "
        f"AS stage, lower(COALESCE(t.channel, f.channel)) AS channel, f.score AS score, COUNT(*) AS n, "
        f"MIN(f.submitted_at) AS first_at, MAX(f.submitted_at) AS last_at FROM record_feedback f "
        f"LEFT JOIN record_ticket t ON t.tenant_id = f.tenant_id AND t.workspace_id = f.workspace_id "
        f"AND t.connection_id = f.connection_id AND t.external_id = f.ticket_external_id AND NOT "
        f"t.archived WHERE {scoped('f')} AND {in_period('f.submitted_at')} AND {first_of_response('f')} "
        f"AND f.score >= f.scale_min "
        f"AND f.score <= f.scale_max GROUP BY lower(f.metric), f.scale_min, f.scale_max, "
        f"f.journey_stage, lower(COALESCE(t.channel, f.channel)), f.score")
    return [Bucket(r["metric"], f"{int(r['lo'])}-{int(r['hi'])}", r["stage"], r["channel"],
                   float(r["score"]), int(r["n"]), r["first_at"], r["last_at"]) for r in rows]


def _span(buckets: Sequence[Bucket]) -> int | None:
    """Coverage days of a set of buckets."""
    if not buckets:
        return None
    return coverage_days(min(str(b.first_at) for b in buckets), max(str(b.last_at) for b in buckets))


def x_value(spec: XMetric, buckets: Sequence[Bucket], scope: MetricScope, stage: str | None) -> MetricValue:
    """One X metric over ``buckets`` (already narrowed to a stage when ``stage`` is set)."""
    mine = [b for b in buckets if b.metric == spec.metric and spec.only_scale in (None, b.scale)]
    n = sum(b.n for b in mine)
    scales = sorted({b.scale for b in mine})
    detail = f"stage={stage}" if stage else "all stages"
    ref = evidence("record_feedback", n, f"{spec.metric.upper()} answers submitted", scope, detail)
    problem = _scale_problem(spec, scales)
    if problem:
        return value_of(spec.key, spec.unit, None, 0, stage=stage, evidence=(f"{ref}; rejected: {problem}",))
    value, moe = spec.calc(mine, n) if n else (None, None)
    return value_of(spec.key, spec.unit, value, n, stage=stage, coverage_days=_span(mine),
                    evidence=(f"{ref}, scale {scales[0]}" if scales else ref,), margin_of_error=moe)


def _scale_problem(spec: XMetric, scales: Sequence[str]) -> str:
    """Why answers cannot be combined ('' when they can): the formulas' own refusal."""
    if len(scales) > 1:
        return str(MixedScalesError(spec.metric.upper(), list(scales)))
    if scales and scales[0] not in spec.scales:
        return f"{spec.metric.upper()} is defined on {' or '.join(spec.scales)}, not on {scales[0]}"
    return ""


def channel_spread(buckets: Sequence[Bucket], scope: MetricScope) -> MetricValue:
    """Highest minus lowest CSAT across channels with n ≥ 30 (formulas.channel_spread)."""
    csat = [b for b in buckets if b.metric == "csat" and b.channel]
    per_channel: dict[str, formulas.ShareResult] = {}
    for channel in sorted({b.channel for b in csat if b.channel}):
        mine = [b for b in csat if b.channel == channel]
        n = sum(b.n for b in mine)
        value, _ = _top_box(mine, n)
        per_channel[channel] = formulas.ShareResult(n, mine[0].scale, 0, value)
    kept = {c: r for c, r in per_channel.items() if r.n >= X_MIN_N}
    try:
        spread = formulas.channel_spread(kept, X_MIN_N)
    except MixedScalesError as exc:
        return value_of("csat_channel_spread_points", "points", None, 0, evidence=(f"rejected: {exc}",))
    n = min((r.n for r in kept.values()), default=0) if spread is not None else 0
    listed = ", ".join(f"{c} n={r.n}" for c, r in sorted(kept.items())) or "no channel with n >= 30"
    ref = evidence("record_feedback", sum(r.n for r in per_channel.values()), "CSAT answers submitted",
                   scope, f"channels {listed}")
    return value_of("csat_channel_spread_points", "points", spread, n, coverage_days=_span(csat),
                    evidence=(ref,))


def stage_coverage(buckets: Sequence[Bucket], scope: MetricScope) -> MetricValue:
    """Share of journey stages with at least one X metric at n ≥ 30."""
    covered = [stage for stage in scope.stages if any(
        sum(b.n for b in buckets if b.stage == stage and b.metric == spec.metric
            and spec.only_scale in (None, b.scale) and b.scale in spec.scales) >= X_MIN_N
        for spec in X_METRICS)]
    n = sum(b.n for b in buckets)
    ref = evidence("record_feedback", n, "answers submitted", scope,
                   f"stages with n >= 30: {', '.join(covered) or 'none'}")
    value = 100 * len(covered) / len(scope.stages) if scope.stages else None
    return value_of("x_metric_stage_coverage_rate", "percent", value, n, coverage_days=_span(buckets),
                    evidence=(ref,))
