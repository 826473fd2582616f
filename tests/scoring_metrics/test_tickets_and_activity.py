"""Ticket and interaction metrics against hand-computed fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connectors.records import Deal, Interaction, Ticket

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def ticket(i: int, channel: str = "email", reply_h: float | None = None, resolve_h: float | None = None,
           **extra: object) -> Ticket:
    """A ticket created at T0 + i days, answered and resolved after the given hours."""
    created = T0 + timedelta(days=i)
    return Ticket(external_id=f"t{i}", channel=channel, created_at=created,
                  first_response_at=None if reply_h is None else created + timedelta(hours=reply_h),
                  resolved_at=None if resolve_h is None else created + timedelta(hours=resolve_h),
                  **extra)


async def test_first_response_excludes_unanswered_tickets_per_channel(ws):
    await ws.write("ticket", [ticket(0, reply_h=1), ticket(1, reply_h=3), ticket(2, reply_h=2),
                              ticket(3, reply_h=10), ticket(4), ticket(5, "chat", reply_h=0.05)])
    m = await ws.metrics()
    median, p90 = m[("ticket_first_response_median_hours_email", None)], m[("ticket_first_response_p90_hours_email", None)]
    assert (median.value, median.n, median.channel) == (2.5, 4, "email")  # (2 + 3) / 2
    assert p90.value == 10.0  # rank ceil(0.9 * 4) = 4
    assert "1 without one excluded" in median.evidence[0]
    assert m[("ticket_first_response_median_minutes_chat", None)].value == pytest.approx(3.0)


async def test_no_tickets_gives_no_value_never_zero(ws):
    value = await ws.metric("ticket_resolution_median_hours")
    assert (value.value, value.n) == (None, 0)


async def test_resolution_sla_self_service_and_fcr(ws):
    await ws.write("ticket", [
        ticket(0, reply_h=2, resolve_h=4, customer_external_id="a"),
        ticket(1, reply_h=30, resolve_h=48, customer_external_id="b", reopened=True),
        ticket(2, resolve_h=1, customer_external_id="c"),          # bot-resolved, never answered
        ticket(3, reply_h=1, resolve_h=10, customer_external_id="a"),  # repeat within 7 days of t0
        ticket(4, "phone", reply_h=1, resolve_h=2, customer_external_id="d"),
    ])
    m = await ws.metrics()
    assert m[("ticket_resolution_median_hours", None)].value == 4.0  # 1, 2, 4, 10, 48
    assert m[("ticket_resolution_p90_hours", None)].value == 48.0
    # email SLA 24 h: t0, t3 met; t1 late; t2 unanswered and long overdue; phone has no SLA
    assert m[("ticket_sla_attainment_rate", None)].value == 50.0
    assert m[("self_service_share", None)].value == 20.0
    # resolved 5: t0 repeated by t3, t1 reopened -> 3 of 5
    assert m[("first_contact_resolution_rate", None)].value == 60.0


async def test_auto_assignment_reads_the_canonical_fields_and_is_insufficient_without_them(ws):
    await ws.write("ticket", [ticket(0)])
    unknown = await ws.metric("ticket_auto_assignment_rate")
    assert (unknown.value, unknown.status) == (None, "insufficient")
    assert "assigned" in (unknown.reason or "")
    await ws.write("ticket", [ticket(1, assigned_at=T0 + timedelta(days=1, seconds=30)),
                              ticket(2, assigned_at=T0 + timedelta(days=2, hours=1)),
                              ticket(3, auto_assigned=True, assigned_at=T0 + timedelta(days=3, hours=2)),
                              ticket(4, auto_assigned=False, assigned_at=T0 + timedelta(days=4, seconds=5))])
    value = await ws.metric("ticket_auto_assignment_rate")
    # t0 has neither field and is left out; t1 within 60 s, t3 by the vendor's flag; t4's flag wins
    assert (value.value, value.n, value.status) == (50.0, 4, "measured")


async def test_a_true_zero_auto_assignment_is_measured(ws):
    await ws.write("ticket", [ticket(i, auto_assigned=False) for i in range(3)])
    value = await ws.metric("ticket_auto_assignment_rate")
    assert (value.value, value.n, value.status) == (0.0, 3, "measured")


async def test_interactions_workflow_share_channels_switching(ws):
    def touch(i: int, channel: str, direction: str, hours: float, *, automated: bool = False,
              stage: str = "usage_service", who: str = "a", kind: str = "email") -> Interaction:
        return Interaction(external_id=f"i{i}", type=kind, channel=channel, direction=direction,
                           automated=automated, journey_stage=stage, customer_external_id=who,
                           occurred_at=T0 + timedelta(hours=hours))

    await ws.write("interaction", [
        touch(1, "email", "outbound", 0, automated=True), touch(2, "email", "outbound", 1),
        touch(3, "email", "outbound", 2, automated=True), touch(4, "email", "outbound", 3, automated=True),
        touch(5, "email", "inbound", 10), touch(6, "chat", "inbound", 20), touch(7, "chat", "inbound", 30),
        touch(8, "phone", "inbound", 500, stage="awareness", who="b"),
    ])
    m = await ws.metrics()
    assert m[("workflow_touch_share", None)].value == 75.0
    assert m[("channels_active_count", "usage_service")].value == 2.0
    assert m[("channels_active_count", "awareness")].value == 1.0
    # inbound contacts of a: email -> chat (switch), chat -> chat, chat (last); b: one contact
    assert m[("channel_switch_rate", None)].value == 25.0


async def test_speed_to_lead_uses_the_first_human_outbound_contact(ws):
    await ws.write("deal", [Deal(external_id="d1", created_at=T0, customer_external_id="a"),
                            Deal(external_id="d2", created_at=T0, customer_external_id="b"),
                            Deal(external_id="d3", created_at=T0, customer_external_id="never")])
    await ws.write("interaction", [
        Interaction(external_id="x1", type="email", direction="outbound", automated=True,
                    customer_external_id="a", occurred_at=T0 + timedelta(minutes=1)),
        Interaction(external_id="x2", type="call", direction="outbound", customer_external_id="a",
                    occurred_at=T0 + timedelta(minutes=10)),
        Interaction(external_id="x3", type="call", direction="outbound", customer_external_id="b",
                    occurred_at=T0 + timedelta(minutes=30))])
    value = await ws.metric("speed_to_lead_minutes_median")
    assert (value.value, value.n) == (20.0, 2)
    assert "1 never contacted excluded" in value.evidence[0]
