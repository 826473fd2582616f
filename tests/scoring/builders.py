"""Small builders for scoring inputs, so each test states only what matters to it."""

from __future__ import annotations

from datetime import UTC, datetime

from cxsuite.scoring import Answer, MetricValue

WHEN = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def answer(item_id, stage, value, *, by="consultant@example.com", at=WHEN):
    return Answer(item_id=item_id, stage=stage, answer=value, answered_by=by, answered_at=at)


def o_metric(key, value, unit, *, days=180.0, stage=None, channel=None):
    return MetricValue(key=key, value=value, unit=unit, coverage_days=days, stage=stage, channel=channel)


def x_metric(key, value, unit, *, n=200, stage=None, channel=None):
    return MetricValue(key=key, value=value, unit=unit, n=n, stage=stage, channel=channel)
