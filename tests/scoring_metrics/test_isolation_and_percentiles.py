"""Scores read only their own workspace, archived records never count, and SQL percentiles agree
with the Python formulas on random data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsuite.connectors.records import Customer, Feedback, Interaction, Ticket
from cxsuite.scoring import formulas
from tests.scoring_metrics.conftest import Workspace
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 4, 1, tzinfo=UTC)


def sample(prefix: str, n: int, hours: float) -> tuple[list[Ticket], list[Feedback], list[Customer]]:
    tickets = [Ticket(external_id=f"{prefix}t{i}", channel="email", created_at=T0 + timedelta(days=i),
                      first_response_at=T0 + timedelta(days=i, hours=hours * (i + 1)),
                      resolved_at=T0 + timedelta(days=i, hours=hours * 3), customer_external_id=f"c{i}")
               for i in range(n)]
    feedback = [Feedback(external_id=f"{prefix}f{i}", metric="nps", score=(i * 3) % 11, scale_min=0,
                         scale_max=10, submitted_at=T0 + timedelta(hours=i)) for i in range(n * 3)]
    customers = [Customer(external_id=f"c{i}", email=f"{prefix}{i % 2}@x.test") for i in range(n)]
    return tickets, feedback, customers


async def fill(ws: Workspace, prefix: str, n: int, hours: float) -> None:
    tickets, feedback, customers = sample(prefix, n, hours)
    await ws.write("ticket", tickets)
    await ws.write("feedback", feedback)
    await ws.write("customer", customers)
    await ws.write("interaction", [Interaction(external_id=f"{prefix}i", type="email", direction="inbound",
                                               channel="chat", customer_external_id="c0", occurred_at=T0)])


async def test_other_workspaces_and_tenants_change_nothing(ws, db):
    await fill(ws, "", 6, 2)
    alone = await ws.metrics()
    other_tenant = Workspace(db, *await make_connection_owner(db))
    await fill(other_tenant, "", 9, 5)  # same external ids, other tenant
    neighbour = Workspace(db, ws.tenant_id, uuid4(), ws.connection_id)
    await fill(neighbour, "", 7, 1)  # same tenant and connection, same external ids, other workspace
    assert await ws.metrics() == alone


async def test_archived_records_are_excluded(ws):
    await fill(ws, "", 4, 2)
    before = await ws.metrics()
    await ws.write("ticket", [Ticket(external_id="gone", channel="email", created_at=T0,
                                     first_response_at=T0 + timedelta(days=9), archived=True)])
    await ws.write("feedback", [Feedback(external_id="gone", metric="nps", score=0, scale_min=0, scale_max=10,
                                         submitted_at=T0, archived=True)])
    assert await ws.metrics() == before


durations = st.lists(st.integers(min_value=0, max_value=400_000), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seconds=durations, scores=st.lists(st.integers(0, 10), min_size=1, max_size=40))
async def test_sql_percentiles_and_nps_equal_the_formulas(ws, db, seconds, scores):
    fresh = Workspace(db, *await make_connection_owner(db))
    await fresh.write("ticket", [Ticket(external_id=f"t{i}", channel="email", created_at=T0,
                                        first_response_at=T0 + timedelta(seconds=s),
                                        resolved_at=T0 + timedelta(seconds=s))
                                 for i, s in enumerate(seconds)])
    await fresh.write("feedback", [Feedback(external_id=f"f{i}", metric="nps", score=s, scale_min=0,
                                            scale_max=10, submitted_at=T0) for i, s in enumerate(scores)])
    m = await fresh.metrics()
    tickets = [formulas.Ticket("email", T0, T0 + timedelta(seconds=s), T0 + timedelta(seconds=s)) for s in seconds]
    frt = formulas.first_response_times(tickets)["email"]
    resolution = formulas.resolution_times(tickets)["email"]
    assert m[("ticket_first_response_median_hours_email", None)].value == pytest.approx(frt.median, rel=1e-12)
    assert m[("ticket_first_response_p90_hours_email", None)].value == frt.p90
    assert m[("ticket_resolution_median_hours", None)].value == pytest.approx(resolution.median, rel=1e-12)
    assert m[("ticket_resolution_p90_hours", None)].value == resolution.p90
    nps = formulas.nps([formulas.Rating(s, "0-10") for s in scores])
    assert (m[("nps", None)].value, m[("nps", None)].margin_of_error) == (nps.value, nps.margin_of_error)
