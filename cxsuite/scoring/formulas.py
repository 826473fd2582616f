"""The standard CX formulas, written once so every figure in a report means the same thing.

Each formula takes raw answers or counts and returns a result that carries its sample size.
Empty input gives ``n = 0`` and ``value = None``: a score over nobody is unknown, not zero.
Nothing is rounded here; rounding happens where a figure is scored or displayed.

Rates and shares are percentages (0–100). Survey answers carry their scale, and a formula
refuses answers on a scale it does not define or on more than one scale
(:class:`~cxsuite.scoring.errors.MixedScalesError`): never mix scales.

Percentiles: the **median** is the mean of the two middle values for an even count (PostgreSQL
``percentile_cont(0.5)``); **P90** is the nearest-rank percentile, the smallest observed value
with at least 90 % of values at or below it, i.e. ``sorted[ceil(0.9·n) − 1]`` (PostgreSQL
``percentile_disc(0.9)``), so P90 is always a duration that really happened.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

import msgspec

from cxsuite.scoring._numbers import mean
from cxsuite.scoring.errors import MixedScalesError, ScaleError, ScoringError

Scale = Literal["0-10", "1-5", "1-7"]
_RANGES: dict[str, tuple[int, int]] = {"0-10": (0, 10), "1-5": (1, 5), "1-7": (1, 7)}
_CSAT_TOP2: dict[str, int] = {"1-5": 4, "1-7": 6}


class Rating(msgspec.Struct, frozen=True):
    """One survey answer with the scale it was asked on (the scale travels with the score)."""

    score: int
    scale: Scale


class NpsResult(msgspec.Struct, frozen=True):
    """NPS with its counts and 95 % margin of error in points, so ±MoE can be printed beside it."""

    n: int
    promoters: int
    passives: int
    detractors: int
    value: float | None
    margin_of_error: float | None


class ShareResult(msgspec.Struct, frozen=True):
    """A top-box share such as CSAT: ``hits`` of ``n`` answers, as a percentage."""

    n: int
    scale: str | None
    hits: int
    value: float | None


class CesResult(msgspec.Struct, frozen=True):
    """Customer Effort Score: mean on its scale, and % agree (v2 only), with the version named."""

    version: Literal["v1", "v2"]
    n: int
    mean: float | None
    agree_rate: float | None


class RateResult(msgspec.Struct, frozen=True):
    """``numerator / denominator`` as a percentage, keeping both counts for the evidence trail."""

    numerator: int
    denominator: int
    value: float | None


class DurationSummary(msgspec.Struct, frozen=True):
    """Median and P90 of durations; ``missing`` had no end event, ``invalid`` ended before they began."""

    n: int
    missing: int
    invalid: int
    median: float | None
    p90: float | None


class Ticket(msgspec.Struct, frozen=True):
    """The timestamps of one ticket that response and resolution times need.

    ``first_response`` is the first *human* public reply: auto-acknowledgements and bot prompts
    are dropped upstream, because counting them would make every helpdesk look instant.
    """

    channel: str
    created: datetime
    first_response: datetime | None = None
    resolved: datetime | None = None


class Deal(msgspec.Struct, frozen=True):
    """A closed deal's outcome and dates, for win rate and sales cycle."""

    created: datetime
    closed: datetime
    won: bool


def _checked_scale(metric: str, ratings: Sequence[Rating], allowed: Sequence[str]) -> str | None:
    """The single scale of ``ratings``, after checking it is allowed and every score fits it."""
    scales = sorted({rating.scale for rating in ratings})
    if len(scales) > 1:
        raise MixedScalesError(metric, scales)
    if not scales:
        return None
    if scales[0] not in allowed:
        raise ScaleError(f"{metric} is defined on {' or '.join(allowed)}, not on {scales[0]}")
    low, high = _RANGES[scales[0]]
    for rating in ratings:
        if isinstance(rating.score, bool) or not low <= rating.score <= high:
            raise ScaleError(f"{metric} answer {rating.score!r} is outside the {scales[0]} scale")
    return scales[0]


def nps(ratings: Sequence[Rating]) -> NpsResult:
    """NPS = 100 × (#9–10 − #0–6) / N on 0–10; passives (7–8) stay in N.

    MoE (95 %) scores each answer +1/0/−1: ``196 × √((p + d − (p − d)²) / N)`` points, with
    p and d the promoter and detractor shares.
    """
    _checked_scale("NPS", ratings, ("0-10",))
    n = len(ratings)
    promoters = sum(1 for rating in ratings if rating.score >= 9)
    detractors = sum(1 for rating in ratings if rating.score <= 6)
    if n == 0:
        return NpsResult(0, 0, 0, 0, None, None)
    p, d = promoters / n, detractors / n
    moe = 196 * math.sqrt((p + d - (p - d) ** 2) / n)
    value = 100 * (promoters - detractors) / n
    return NpsResult(n, promoters, n - promoters - detractors, detractors, value, moe)


def csat(ratings: Sequence[Rating]) -> ShareResult:
    """CSAT (top-2-box) = 100 × #(4–5) / N on 1–5, #(6–7) on 1–7. A mean is a different metric."""
    scale = _checked_scale("CSAT", ratings, ("1-5", "1-7"))
    if scale is None:
        return ShareResult(0, None, 0, None)
    hits = sum(1 for rating in ratings if rating.score >= _CSAT_TOP2[scale])
    return ShareResult(len(ratings), scale, hits, 100 * hits / len(ratings))


def ces_v2(ratings: Sequence[Rating]) -> CesResult:
    """CES v2, "made it easy for me", 1–7 agree scale: mean (higher is better) and % agree (5–7)."""
    _checked_scale("CES v2", ratings, ("1-7",))
    if not ratings:
        return CesResult("v2", 0, None, None)
    agree = sum(1 for rating in ratings if rating.score >= 5)
    return CesResult("v2", len(ratings), mean(r.score for r in ratings), 100 * agree / len(ratings))


def ces_v1(ratings: Sequence[Rating]) -> CesResult:
    """CES v1, effort on 1 very low – 5 very high: mean, where lower is better; no % agree."""
    _checked_scale("CES v1", ratings, ("1-5",))
    return CesResult("v1", len(ratings), mean(r.score for r in ratings), None)


def median(values: Iterable[float]) -> float | None:
    """The median (mean of the two middle values for an even count); ``None`` when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Iterable[float], pct: int) -> float | None:
    """Nearest-rank percentile: ``sorted[ceil(pct·n/100) − 1]``, an observed value; integer maths."""
    if not 0 < pct <= 100:
        raise ScoringError(f"percentile must be in 1..100, got {pct}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = -(-pct * len(ordered) // 100)
    return ordered[rank - 1]


def summarise_durations(hours: Sequence[float | None]) -> DurationSummary:
    """Median and P90 of durations in hours; ``None`` entries count as missing, negatives as invalid."""
    valid = [value for value in hours if value is not None and value >= 0]
    missing = sum(1 for value in hours if value is None)
    invalid = len(hours) - len(valid) - missing
    return DurationSummary(len(valid), missing, invalid, median(valid), percentile(valid, 90))


def _hours(start: datetime, end: datetime | None) -> float | None:
    """Elapsed hours, or ``None`` when the end event never happened."""
    return None if end is None else (end - start).total_seconds() / 3600


def _per_channel(tickets: Iterable[Ticket], end: str) -> dict[str, DurationSummary]:
    """Durations from ``created`` to the ``end`` timestamp, summarised per channel, channels sorted."""
    by_channel: dict[str, list[float | None]] = {}
    for ticket in tickets:
        by_channel.setdefault(ticket.channel, []).append(_hours(ticket.created, getattr(ticket, end)))
    return {channel: summarise_durations(by_channel[channel]) for channel in sorted(by_channel)}


def first_response_times(tickets: Iterable[Ticket]) -> dict[str, DurationSummary]:
    """First response time (first human reply − created) per channel, in hours.

    Tickets with no human reply yet are excluded from median and P90 and counted as ``missing``,
    because an unanswered ticket has no response time (its share is a metric of its own).
    """
    return _per_channel(tickets, "first_response")


def resolution_times(tickets: Iterable[Ticket]) -> dict[str, DurationSummary]:
    """Resolution time (resolved − created) per channel, in hours; open tickets count as missing."""
    return _per_channel(tickets, "resolved")


def rate(numerator: int, denominator: int) -> RateResult:
    """``100 × numerator / denominator``, refusing counts that cannot be a share."""
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ScoringError(f"a rate needs 0 ≤ numerator ≤ denominator, got {numerator}/{denominator}")
    value = None if denominator == 0 else 100 * numerator / denominator
    return RateResult(numerator, denominator, value)


def win_rate(won: int, lost: int) -> RateResult:
    """Win rate = won / (won + lost) of deals closed in the period; open deals do not count."""
    return rate(won, won + lost)


def churn_rate(lost: int, at_start: int) -> RateResult:
    """Churn = customers lost in the period / customers at its start (new ones excluded upstream)."""
    return rate(lost, at_start)


def repeat_purchase_rate(orders_per_customer: Iterable[int]) -> RateResult:
    """Customers with ≥ 2 orders / customers with ≥ 1 order in the window (not a session ratio)."""
    buyers = [count for count in orders_per_customer if count >= 1]
    return rate(sum(1 for count in buyers if count >= 2), len(buyers))


def engagement_rate(engaged_sessions: int, sessions: int) -> RateResult:
    """GA4 engagement rate = engaged sessions / sessions."""
    return rate(engaged_sessions, sessions)


def sales_cycle_median_days(deals: Iterable[Deal]) -> DurationSummary:
    """Sales cycle = median (close − create) of *won* deals, in days; lost deals are ignored."""
    days = [(deal.closed - deal.created).total_seconds() / 86400 for deal in deals if deal.won]
    return summarise_durations(days)


def channel_spread(per_channel: dict[str, ShareResult], min_n: int = 30) -> float | None:
    """Highest minus lowest CSAT across channels with ``n ≥ min_n``; ``None`` under two such channels.

    Small channels are left out because their CSAT is mostly noise, and a spread needs two ends.
    """
    kept = [result for result in per_channel.values() if result.n >= min_n and result.value is not None]
    scales = sorted({str(result.scale) for result in kept})
    if len(scales) > 1:
        raise MixedScalesError("CSAT channel spread", scales)
    values = [result.value for result in kept if result.value is not None]
    if len(values) < 2:
        return None
    return max(values) - min(values)
