"""X-data, customer-data and commercial metrics against hand-computed fixtures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cxsuite.connectors.records import Customer, Deal, Feedback, Interaction, Ticket, WebMetric
from cxsuite.scoring import formulas

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def answers(metric: str, scores: list[int], scale: tuple[int, int], *, stage: str | None = None,
            channel: str | None = None, prefix: str = "", who: str | None = None) -> list[Feedback]:
    return [Feedback(external_id=f"{prefix}{metric}{scale}{stage}{channel}{i}", metric=metric, score=s,
                     scale_min=scale[0], scale_max=scale[1], journey_stage=stage, channel=channel,
                     submitted_at=T0 + timedelta(hours=i), customer_external_id=who)
            for i, s in enumerate(scores)]


async def test_nps_with_margin_of_error_matches_the_formula(ws):
    scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 9]
    await ws.write("feedback", answers("nps", scores, (0, 10), stage="advocacy"))
    m = await ws.metrics()
    expected = formulas.nps([formulas.Rating(s, "0-10") for s in scores])
    for stage in (None, "advocacy"):
        value = m[("nps", stage)]
        assert (value.value, value.margin_of_error, value.n) == (expected.value, expected.margin_of_error, 10)
    assert expected.value == 20.0


async def test_nps_edge_cases_no_answers_all_passives_mixed_scales(ws):
    assert (await ws.metric("nps")).n == 0 and (await ws.metric("nps")).value is None
    await ws.write("feedback", answers("nps", [7, 8, 8], (0, 10)))
    assert (await ws.metric("nps")).value == 0.0
    await ws.write("feedback", answers("nps", [5], (1, 5)))
    rejected = await ws.metric("nps")
    assert (rejected.value, rejected.n) == (None, 0)
    assert "needs answers on one scale" in rejected.evidence[0]


async def test_csat_top_two_ces_versions_never_mixed_and_one_channel_spread(ws):
    await ws.write("feedback", answers("csat", [7, 6, 5, 1], (1, 7), channel="email")
                   + answers("ces", [7, 5, 4, 2], (1, 7)) + answers("ces", [1, 2, 2, 5], (1, 5)))
    m = await ws.metrics()
    assert m[("csat", None)].value == 50.0
    assert m[("ces_v2_agree_rate", None)].value == 50.0
    assert m[("ces_v1_mean", None)].value == 2.5
    spread = m[("csat_channel_spread_points", None)]
    assert (spread.value, spread.n) == (None, 0)  # one channel: no spread


async def test_csat_spread_across_channels_with_ticket_channel(ws):
    await ws.write("ticket", [Ticket(external_id="t1", channel="chat", created_at=T0)])
    chat = [Feedback(external_id=f"c{i}", metric="csat", score=5 if i < 27 else 1, scale_min=1,
                     scale_max=5, submitted_at=T0, ticket_external_id="t1") for i in range(30)]
    await ws.write("feedback", chat + answers("csat", [5] * 24 + [2] * 6, (1, 5), channel="email"))
    spread = await ws.metric("csat_channel_spread_points")
    assert (spread.value, spread.n) == (pytest.approx(10.0), 30)  # 90 % chat vs 80 % email
    coverage = await ws.metric("x_metric_stage_coverage_rate")
    assert coverage.value == 0.0  # answers carry no stage


async def test_inner_loop_follow_up(ws):
    await ws.write("feedback", answers("nps", [3, 2, 10], (0, 10), who="a", prefix="a")
                   + answers("csat", [1], (1, 5), who="b", prefix="b") + answers("nps", [1], (0, 10)))
    await ws.write("interaction", [Interaction(external_id="f1", type="task", customer_external_id="a",
                                               occurred_at=T0 + timedelta(hours=5))])
    value = await ws.metric("inner_loop_follow_up_rate")
    # a's two detractors followed within 48 h; b's low CSAT not; the anonymous one is not counted
    assert (value.value, value.n) == (pytest.approx(200 / 3), 3)


async def test_customer_data_metrics(ws):
    owner = {"properties": {"hubspot_owner_id": "42"}}
    await ws.write("customer", [
        Customer(external_id="c1", email="Ann@X.com ", phone="+44 20 7946 0000", lifecycle_stage="customer",
                 segment="smb", raw=owner),
        Customer(external_id="c2", email="ann@x.com", lifecycle_stage="lead", raw=owner),
        Customer(external_id="c3", phone="442079460000", segment="Enterprise"),
        Customer(external_id="c4", email="zed@x.com", lifecycle_stage="customer", archived=True),
    ])
    await ws.write("ticket", [Ticket(external_id="t1", created_at=T0, customer_external_id="c1"),
                              Ticket(external_id="t2", created_at=T0, customer_external_id="c4"),
                              Ticket(external_id="t3", created_at=T0, customer_external_id="ghost")])
    await ws.write("deal", [Deal(external_id="d1", created_at=T0, company_external_id="co1")])
    await ws.write("company", [])
    m = await ws.metrics()
    assert m[("key_field_completeness_rate", None)].value == pytest.approx(200 / 3)
    # c1~c2 by email; c3's phone has no "+" and the workspace no region, so it cannot be read
    assert m[("duplicate_customer_rate", None)].value == pytest.approx(200 / 3)
    assert m[("lifecycle_stage_coverage_rate", None)].value == 100.0
    assert m[("segments_in_use_count", None)].value == 2.0
    link = m[("customer_link_rate", None)]
    assert (link.value, link.n) == (25.0, 4)  # archived customer c4 does not count as known


async def test_sync_freshness_over_connected_connections(ws):
    from tests.scoring_metrics.conftest import AS_OF

    await ws.add_connection(last_sync_at=AS_OF - timedelta(hours=5))
    await ws.add_connection(last_sync_at=AS_OF - timedelta(hours=2))
    await ws.add_connection(status="error", last_sync_at=AS_OF - timedelta(days=30))
    assert (await ws.metric("sync_freshness_hours")).value == 5.0


async def test_web_deals_and_churn(ws):
    await ws.write("web_metric", [
        WebMetric(external_id="w1", date=date(2025, 2, 1), sessions=1000, engaged_sessions=600, conversions=20,
                  raw={"newVsReturning": "new"}),
        WebMetric(external_id="w2", date=date(2025, 2, 2), sessions=500, engaged_sessions=400, conversions=20,
                  raw={"newVsReturning": "returning"}),
        WebMetric(external_id="w3", date=date(2024, 2, 2), sessions=999, engaged_sessions=0)])
    closed = datetime(2025, 6, 1, tzinfo=UTC)
    await ws.write("deal", [
        Deal(external_id="d1", created_at=closed - timedelta(days=10), closed_at=closed, won=True, customer_external_id="a"),
        Deal(external_id="d2", created_at=closed - timedelta(days=30), closed_at=closed, won=True, customer_external_id="a"),
        Deal(external_id="d3", created_at=closed - timedelta(days=20), closed_at=closed, won=True, customer_external_id="b"),
        Deal(external_id="d4", created_at=closed - timedelta(days=5), closed_at=closed, won=False, customer_external_id="c"),
        Deal(external_id="d5", created_at=closed, won=None)])
    await ws.write("customer", [
        Customer(external_id=f"k{i}", lifecycle_stage="customer", created_at=datetime(2024, 6, 1, tzinfo=UTC))
        for i in range(9)] + [Customer(external_id="gone", lifecycle_stage="churned",
                                       created_at=datetime(2024, 6, 1, tzinfo=UTC),
                                       updated_at=datetime(2025, 3, 15, tzinfo=UTC))])
    m = await ws.metrics()
    assert m[("ecommerce_conversion_rate", None)].value == pytest.approx(40 / 15)
    assert m[("engagement_rate", None)].value == pytest.approx(100 * 1000 / 1500)
    assert m[("returning_vs_new_key_event_rate_ratio", None)].value == pytest.approx(2.0)
    assert m[("win_rate", None)].value == 75.0
    assert m[("sales_cycle_median_days", None)].value == 20.0
    assert m[("repeat_purchase_rate", None)].value == 50.0
    # 12 months of 10 customers (9 after March): one lost in March -> mean of 0 x 11 and 10 %
    assert m[("monthly_churn_rate", None)].value == pytest.approx(10 / 12)
