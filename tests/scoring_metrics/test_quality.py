"""Data-quality checks of a score run (issue 15, deliverable 4): implausible figures become
flagged notes naming the records behind them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cxsuite.connectors.records import Customer, Ticket, WebMetric
from cxsuite.customers.service import resolve_workspace
from cxsuite.scoring.metrics import compute_metrics
from cxsuite.scoring.quality import Rules, check_run
from cxsuite.settings import load_settings
from tests.scoring_metrics.conftest import AS_OF, PERIOD

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


DEFAULT_RULES = Rules()


async def checked(ws, rules: Rules = DEFAULT_RULES, period: tuple[date, date] = PERIOD):
    async with ws.db.transaction(ws.tenant_id):
        await resolve_workspace(ws.db, ws.tenant_id, ws.workspace_id)  # as a score run does
        scope = ws.scope(period)
        values, notes = await check_run(scope, await compute_metrics(scope), rules)
    return {(v.key, v.stage): v for v in values}, notes


async def test_an_implausible_resolution_time_is_flagged_with_its_tickets(ws):
    await ws.write("ticket", [Ticket(external_id=f"t{i}", channel="email", created_at=T0 + timedelta(days=i),
                                     first_response_at=T0 + timedelta(days=i, hours=1),
                                     resolved_at=T0 + timedelta(days=i + 60)) for i in range(5)])
    values, notes = await checked(ws)
    median = values[("ticket_resolution_median_hours", None)]
    assert median.status == "flagged" and median.value == 1440.0
    note = next(n for n in notes if n.metric == "ticket_resolution_median_hours")
    assert (note.check, note.count, note.records) == ("implausible_duration", 5, ("t0", "t1", "t2", "t3", "t4"))
    assert values[("ticket_first_response_median_hours_email", None)].status == "measured"
    # a wider bound takes the same figure at face value
    values, _ = await checked(ws, Rules(max_duration_hours=2000))
    assert values[("ticket_resolution_median_hours", None)].status == "measured"


async def test_extreme_rates_are_flagged_only_over_many_records(ws):
    await ws.write("ticket", [Ticket(external_id=f"t{i}", channel="email", created_at=T0 + timedelta(hours=i),
                                     first_response_at=T0 + timedelta(hours=i, minutes=5),
                                     resolved_at=T0 + timedelta(hours=i + 1)) for i in range(12)])
    values, _ = await checked(ws)
    assert values[("ticket_sla_attainment_rate", None)].status == "measured"  # 100 % of 12
    values, notes = await checked(ws, Rules(extreme_min_n=10))
    sla = values[("ticket_sla_attainment_rate", None)]
    assert (sla.status, sla.value) == ("flagged", 100.0)
    assert any(n.check == "extreme_rate" and n.metric == "ticket_sla_attainment_rate" for n in notes)


async def test_duplicates_over_the_threshold_name_the_customers(ws):
    await ws.write("customer", [Customer(external_id=f"c{i}", email="same@x.com") for i in range(3)]
                   + [Customer(external_id="solo", email="solo@x.com")])
    values, notes = await checked(ws)
    assert values[("duplicate_customer_rate", None)].status == "flagged"  # 75 % > 50 %
    assert next(n for n in notes if n.check == "duplicate_share").records == ("c0", "c1", "c2")
    values, _ = await checked(ws, Rules(duplicate_share=80))
    assert values[("duplicate_customer_rate", None)].status == "measured"


async def test_clock_skew_is_noted_with_the_records(ws):
    await ws.write("ticket", [
        Ticket(external_id="backwards", created_at=T0, resolved_at=T0 - timedelta(hours=3)),
        Ticket(external_id="ahead", created_at=AS_OF + timedelta(days=30)),
        Ticket(external_id="fine", created_at=T0, resolved_at=T0 + timedelta(hours=3))])
    _, notes = await checked(ws, period=(PERIOD[0], date(2026, 6, 30)))  # a period past the run's time
    skew = [(n.table, n.records, n.text) for n in notes if n.check == "clock_skew"]
    assert [(table, records) for table, records, _ in skew] == [
        ("record_ticket", ("ahead",)), ("record_ticket", ("backwards",))]
    assert "in the future" in skew[0][2] and "resolved_at before created_at" in skew[1][2]


async def test_ga4_sampled_rows_are_noted_and_flag_web_figures_above_five_percent(ws):
    await ws.write("web_metric", [
        WebMetric(external_id="big", date=date(2025, 2, 1), sessions=980, conversions=10, engaged_sessions=500),
        WebMetric(external_id="other", date=date(2025, 2, 1), sessions=20, conversions=1, engaged_sessions=5,
                  quality_flags=["other_row"])])
    values, notes = await checked(ws)
    note = next(n for n in notes if n.check == "web_sampled")
    assert (note.count, note.records) == (1, ("other",))
    assert values[("engagement_rate", None)].status == "measured"  # 2 % of sessions
    await ws.write("web_metric", [WebMetric(external_id="th", date=date(2025, 2, 2), sessions=100,
                                            conversions=1, engaged_sessions=50, quality_flags=["thresholded"])])
    values, _ = await checked(ws)
    assert values[("engagement_rate", None)].status == "flagged"
    assert values[("ecommerce_conversion_rate", None)].status == "flagged"


def test_the_bounds_are_settings():
    rules = Rules.of(load_settings({"CXSUITE_PLAUSIBLE_DURATION_HOURS": "48", "CXSUITE_EXTREME_RATE_MIN_N": "7",
                                    "CXSUITE_DUPLICATE_SHARE_FLAG_PERCENT": "20"}))
    assert rules == Rules(max_duration_hours=48.0, extreme_min_n=7, duplicate_share=20.0)
