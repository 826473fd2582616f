"""The activity family reads the period's interactions once and aggregates them three ways; the
three metrics must equal what one statement per metric gave (the queries before the shared
pass, kept here as the reference) on a varied seeded workspace."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connectors.records import Interaction, Ticket
from cxsuite.scoring.metrics.activity import SWITCH_WINDOW_S
from cxsuite.scoring.metrics.scope import coverage_days, in_period, scoped, share, within
from tests.scoring_metrics.conftest import PERIOD

pytestmark = pytest.mark.anyio

T0 = datetime(2024, 12, 20, tzinfo=UTC)  # the seed starts before the period and ends after it


def _seed(rng: random.Random) -> tuple[list[Interaction], list[Ticket]]:
    """Interactions and tickets with every case the queries filter on: mixed-case channels and
    directions, missing channels, customers, directions and stages, automated mixes."""
    channels = ["email", "Email", "chat", "phone", "SMS", None]
    stages = ["awareness", "consideration", "usage_service", "onboarding", "nowhere", None]
    directions = ["inbound", "Inbound", "outbound", "OUTBOUND", None]
    customers = [f"c{n}" for n in range(12)] + [None]
    interactions = [Interaction(
        external_id=f"i{n}", type=rng.choice(["email", "call", "task", "meeting"]),
        channel=rng.choice(channels), journey_stage=rng.choice(stages), direction=rng.choice(directions),
        automated=rng.random() < 0.4, customer_external_id=rng.choice(customers),
        occurred_at=T0 + timedelta(hours=rng.randrange(24 * 400))) for n in range(400)]
    tickets = [Ticket(external_id=f"t{n}", channel=rng.choice(channels), customer_external_id=rng.choice(customers),
                      created_at=T0 + timedelta(hours=rng.randrange(24 * 400))) for n in range(80)]
    return interactions, tickets


async def _reference(scope) -> dict[tuple[str, str | None], tuple[float | None, int, int | None]]:
    """(value, n, coverage days) per metric from one statement each, as before the shared pass."""
    pg = scope.postgres
    out: dict[tuple[str, str | None], tuple[float | None, int, int | None]] = {}
    row = (await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN i.automated THEN 1 ELSE 0 END) AS hits, "
        f"MIN(i.occurred_at) AS first_at, MAX(i.occurred_at) AS last_at FROM record_interaction i "
        f"WHERE {scoped('i')} AND {in_period('i.occurred_at')} AND lower(i.direction) = 'outbound'"))[0]
    out[("workflow_touch_share", None)] = (share(row["hits"], int(row["n"])), int(row["n"]),
                                           coverage_days(row["first_at"], row["last_at"]))
    for row in await scope.query(
            f"SELECT stage, COUNT(DISTINCT channel) AS channels, COUNT(*) AS n, MIN(ts) AS first_at, "
            f"MAX(ts) AS last_at FROM (SELECT i.journey_stage AS stage, lower(i.channel) AS channel, "
            f"i.occurred_at AS ts FROM record_interaction i WHERE {scoped('i')} AND "
            f"{in_period('i.occurred_at')} AND i.channel IS NOT NULL AND i.customer_external_id IS NOT NULL "
            f"UNION ALL SELECT 'usage_service', lower(t.channel), t.created_at FROM record_ticket t "
            f"WHERE {scoped('t')} AND {in_period('t.created_at')} AND t.channel IS NOT NULL) c "
            f"WHERE stage IS NOT NULL GROUP BY stage"):
        if row["stage"] in scope.stages:
            out[("channels_active_count", row["stage"])] = (
                float(row["channels"]), int(row["n"]), coverage_days(row["first_at"], row["last_at"]))
    contacts = (
        f"SELECT i.connection_id AS c, i.customer_external_id AS who, i.occurred_at AS ts, "
        f"lower(i.channel) AS channel FROM record_interaction i WHERE {scoped('i')} AND "
        f"{in_period('i.occurred_at')} AND lower(i.direction) = 'inbound' AND i.channel IS NOT NULL "
        f"AND i.customer_external_id IS NOT NULL UNION ALL SELECT t.connection_id, "
        f"t.customer_external_id, t.created_at, lower(t.channel) FROM record_ticket t WHERE "
        f"{scoped('t')} AND {in_period('t.created_at')} AND t.channel IS NOT NULL AND "
        f"t.customer_external_id IS NOT NULL")
    switched = within(pg, "next_ts", "ts", SWITCH_WINDOW_S, strict=False)
    row = (await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN next_channel <> channel AND {switched} THEN 1 ELSE 0 END) "
        f"AS hits, MIN(ts) AS first_at, MAX(ts) AS last_at FROM (SELECT ts, channel, "
        f"LEAD(ts) OVER w AS next_ts, LEAD(channel) OVER w AS next_channel FROM ({contacts}) k "
        f"WINDOW w AS (PARTITION BY c, who ORDER BY ts, channel)) o"))[0]
    out[("channel_switch_rate", None)] = (share(row["hits"], int(row["n"])), int(row["n"]),
                                          coverage_days(row["first_at"], row["last_at"]))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_shared_pass_equals_one_statement_per_metric(ws, seed):
    rng = random.Random(seed)
    interactions, tickets = _seed(rng)
    other = await ws.add_connection()
    await ws.write("interaction", interactions[:300])
    await ws.write("interaction", interactions[300:], connection_id=other)  # same ids, another source
    await ws.write("ticket", tickets)
    metrics = await ws.metrics()
    async with ws.db.transaction(ws.tenant_id, write=False):
        expected = await _reference(ws.scope())
    keys = {"workflow_touch_share", "channels_active_count", "channel_switch_rate"}
    got = {key: metrics[key] for key in metrics if key[0] in keys}
    assert set(got) == set(expected)
    assert expected[("workflow_touch_share", None)][1] > 0 and expected[("channel_switch_rate", None)][1] > 0
    for key, (value, n, days) in expected.items():
        assert (got[key].value, got[key].n, got[key].coverage_days) == (value, n, days), key
    assert PERIOD[0] > T0.date()
