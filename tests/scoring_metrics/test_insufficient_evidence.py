"""Issue 15: a metric without its inputs is insufficient evidence (no figure, a reason), never
0 or 0 %; zero only where the data exists and the true value is zero. Also the metrics that
were never computed from canonical fields (owner, segments, automation, assignment, GA4
new-vs-returning)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cxsuite.connectors.records import Customer, Feedback, Interaction, Ticket, WebMetric

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def detractors(n: int, who: str = "a") -> list[Feedback]:
    return [Feedback(external_id=f"nps{i}", metric="nps", score=2, scale_min=0, scale_max=10,
                     submitted_at=T0 + timedelta(hours=i), customer_external_id=who) for i in range(n)]


def assert_insufficient(value, words: str) -> None:
    assert value.value is None, f"{value.key} shows {value.value} without its inputs"
    assert value.status == "insufficient"
    assert words in (value.reason or ""), value.reason


async def test_inner_loop_without_any_follow_up_source_is_insufficient_not_zero(ws):
    await ws.write("feedback", detractors(5))
    assert_insufficient(await ws.metric("inner_loop_follow_up_rate"), "no source of follow-ups")


async def test_inner_loop_with_a_follow_up_source_and_no_follow_up_is_a_true_zero(ws):
    await ws.write("feedback", detractors(5))
    await ws.write("ticket", [Ticket(external_id="t1", created_at=T0 - timedelta(days=30),
                                     customer_external_id="a")])
    value = await ws.metric("inner_loop_follow_up_rate")
    assert (value.value, value.n, value.status) == (0.0, 5, "measured")


async def test_customer_link_rate_without_any_customer_records_is_insufficient_not_zero(ws):
    await ws.write("feedback", detractors(4))
    await ws.write("ticket", [Ticket(external_id="t1", created_at=T0, customer_external_id="a")])
    assert_insufficient(await ws.metric("customer_link_rate"), "no customer or company records")


async def test_key_field_completeness_reads_owner_id_and_is_insufficient_without_owners(ws):
    await ws.write("customer", [Customer(external_id=f"c{i}", email=f"c{i}@x.com", lifecycle_stage="lead")
                                for i in range(4)])
    assert_insufficient(await ws.metric("key_field_completeness_rate"), "owner")
    await ws.write("customer", [Customer(external_id="c0", email="c0@x.com", lifecycle_stage="lead",
                                         owner_id="u1")])
    value = await ws.metric("key_field_completeness_rate")
    assert (value.value, value.n, value.status) == (25.0, 4, "measured")


async def test_segments_in_use_counts_the_segments_list_and_primary_segment(ws):
    await ws.write("customer", [Customer(external_id="c1"), Customer(external_id="c2")])
    assert_insufficient(await ws.metric("segments_in_use_count"), "segments")
    await ws.write("customer", [
        Customer(external_id="c1", segment="SMB", segments=["smb", "Newsletter"]),
        Customer(external_id="c2", segments=["newsletter", "VIP ", ""])])
    value = await ws.metric("segments_in_use_count")
    assert (value.value, value.n, value.status) == (3.0, 2, "measured")  # smb, newsletter, vip


async def test_workflow_touch_share_needs_one_automated_touch_to_mean_anything(ws):
    def touch(i: int, automated: bool) -> Interaction:
        return Interaction(external_id=f"i{i}", type="email", direction="outbound", automated=automated,
                           occurred_at=T0 + timedelta(hours=i))

    await ws.write("interaction", [touch(i, False) for i in range(4)])
    assert_insufficient(await ws.metric("workflow_touch_share"), "workflow")
    await ws.write("interaction", [touch(9, True)])
    value = await ws.metric("workflow_touch_share")
    assert (value.value, value.n) == (20.0, 5)


async def test_returning_vs_new_reads_the_canonical_column(ws):
    await ws.write("web_metric", [
        WebMetric(external_id="n", date=date(2025, 2, 1), sessions=1000, conversions=10, new_vs_returning="new"),
        WebMetric(external_id="r", date=date(2025, 2, 1), sessions=200, conversions=6,
                  new_vs_returning="returning")])
    value = await ws.metric("returning_vs_new_key_event_rate_ratio")
    assert (value.value, value.n) == (pytest.approx(3.0), 1200)


async def test_returning_vs_new_without_the_split_or_new_conversions_is_insufficient(ws):
    await ws.write("web_metric", [WebMetric(external_id="x", date=date(2025, 2, 1), sessions=100, conversions=3)])
    assert_insufficient(await ws.metric("returning_vs_new_key_event_rate_ratio"), "newVsReturning")
    await ws.write("web_metric", [
        WebMetric(external_id="n", date=date(2025, 2, 1), sessions=100, conversions=0, new_vs_returning="new"),
        WebMetric(external_id="r", date=date(2025, 2, 1), sessions=100, conversions=4,
                  new_vs_returning="returning")])
    assert_insufficient(await ws.metric("returning_vs_new_key_event_rate_ratio"), "undefined")


async def test_tickets_without_reply_times_give_no_self_service_or_sla_figure(ws):
    await ws.write("ticket", [Ticket(external_id=f"t{i}", channel="email", created_at=T0 + timedelta(hours=i),
                                     resolved_at=T0 + timedelta(hours=i + 3)) for i in range(5)])
    m = await ws.metrics()
    assert_insufficient(m[("self_service_share", None)], "first reply")
    assert_insufficient(m[("ticket_sla_attainment_rate", None)], "first reply")


async def test_an_empty_workspace_has_no_zero_anywhere(ws):
    for (key, _), value in (await ws.metrics()).items():
        assert value.value is None and value.status == "insufficient", key
