"""Interaction metrics (D3, D4, D5, D6): workflow touches, speed to lead, channels, switching,
inner-loop follow-up.

A customer is identified by ``(connection_id, customer_external_id)``: external ids are the
vendor's, so the same string from two connections is not the same person.
"""

from __future__ import annotations

from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import (
    MetricScope,
    coverage_days,
    duration_summary,
    evidence,
    first_of_response,
    in_period,
    insufficient,
    recorded,
    scoped,
    seconds_between,
    share,
    value_of,
    within,
)

SWITCH_WINDOW_S = 7 * 86_400
FOLLOW_UP_WINDOW_S = 48 * 3600
FOLLOW_UP_TYPES = "('task', 'call')"


async def compute(scope: MetricScope) -> list[MetricValue]:
    """Every interaction metric of the model."""
    parts = await _interaction_pass(scope)
    return [await _workflow_share(scope, parts["workflow"][0]), await _speed_to_lead(scope),
            *_channels_per_stage(scope, parts["stage"]), _channel_switch(scope, parts["switch"][0]),
            await _inner_loop(scope)]


def _percent(key: str, row: dict, table: str, what: str, scope: MetricScope, detail: str) -> MetricValue:
    """A percentage metric from an ``n``/``hits``/``first_at``/``last_at`` aggregate row."""
    n = int(row["n"] or 0)
    return value_of(key, "percent", share(row["hits"], n), n,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence(table, n, what, scope, detail),))


def _contacts(source: str) -> str:
    """Inbound customer contacts (``c``, ``who``, ``ts``, ``channel``): the period's inbound
    interactions from ``source`` with a channel and a customer, and its tickets."""
    return (
        f"SELECT c, who, ts, channel FROM {source} WHERE direction = 'inbound' AND channel IS NOT "
        f"NULL AND who IS NOT NULL UNION ALL SELECT t.connection_id, t.customer_external_id, "
        f"t.created_at, lower(t.channel) FROM record_ticket t WHERE {scoped('t')} AND "
        f"{in_period('t.created_at')} AND t.channel IS NOT NULL AND t.customer_external_id IS NOT NULL")


async def _interaction_pass(scope: MetricScope) -> dict[str, list[dict]]:
    """The rows of the workflow share (``workflow``), the channels per stage (``stage``) and the
    channel switch rate (``switch``), from one read of the period's interactions.

    The period's interactions lie all over the table (it is ordered by import, not by time),
    so each statement that filtered them read nearly every page of it: seconds at 10 M rows.
    Here the needed columns are read once into ``p`` (PostgreSQL materialises a CTE used more
    than once) and aggregated three ways; ``g`` groups them into a few dozen rows by stage,
    channel, whether a known customer made them and whether they went out."""
    switched = within(scope.postgres, "next_ts", "ts", SWITCH_WINDOW_S, strict=False)
    rows = await scope.query(
        "WITH p AS (SELECT i.connection_id AS c, i.customer_external_id AS who, i.occurred_at AS ts, "
        "i.journey_stage AS stage, lower(i.channel) AS channel, lower(i.direction) AS direction, "
        f"i.automated FROM record_interaction i WHERE {scoped('i')} AND {in_period('i.occurred_at')}), "
        "g AS (SELECT stage, channel, who IS NOT NULL AS known, direction = 'outbound' AS outbound, "
        "COUNT(*) AS n, SUM(CASE WHEN automated THEN 1 ELSE 0 END) AS hits, MIN(ts) AS first_at, "
        "MAX(ts) AS last_at FROM p GROUP BY 1, 2, 3, 4) "
        "SELECT 'workflow' AS part, NULL AS stage, 0 AS channels, CAST(SUM(n) AS BIGINT) AS n, "
        "CAST(SUM(hits) AS BIGINT) AS hits, MIN(first_at) AS first_at, MAX(last_at) AS last_at "
        "FROM g WHERE outbound "
        "UNION ALL SELECT 'stage', stage, COUNT(DISTINCT channel), CAST(SUM(n) AS BIGINT), NULL, "
        "MIN(first_at), MAX(last_at) FROM (SELECT stage, channel, n, first_at, last_at FROM g "
        "WHERE known AND channel IS NOT NULL UNION ALL SELECT 'usage_service', lower(t.channel), 1, "
        f"t.created_at, t.created_at FROM record_ticket t WHERE {scoped('t')} AND "
        f"{in_period('t.created_at')} AND t.channel IS NOT NULL) c WHERE stage IS NOT NULL GROUP BY stage "
        f"UNION ALL SELECT 'switch', NULL, 0, COUNT(*), SUM(CASE WHEN next_channel <> channel AND "
        f"{switched} THEN 1 ELSE 0 END), MIN(ts), MAX(ts) FROM (SELECT ts, channel, LEAD(ts) OVER w "
        f"AS next_ts, LEAD(channel) OVER w AS next_channel FROM ({_contacts('p')}) k "
        "WINDOW w AS (PARTITION BY c, who ORDER BY ts, channel)) o")
    parts: dict[str, list[dict]] = {"workflow": [], "stage": [], "switch": []}
    for row in rows:
        parts[row["part"]].append(row)
    return parts


async def _workflow_share(scope: MetricScope, row: dict) -> MetricValue:
    """Share of outbound interactions a workflow or sequence generated."""
    value = _percent("workflow_touch_share", row, "record_interaction",
                     "outbound interactions", scope, "automated = workflow or sequence")
    # ``automated`` defaults to false, so "none automated" and "the source does not say" look
    # alike: without one automated interaction anywhere the share is unknown, not 0 %.
    if not await recorded(scope, "record_interaction", "r.automated"):
        return insufficient(value, "no source marks interactions as sent by a workflow or sequence")
    return value


async def _speed_to_lead(scope: MetricScope) -> MetricValue:
    """Median minutes from a deal's creation to the first human outbound contact of its customer."""
    pg = scope.postgres
    secs = seconds_between(pg, "d.created_at", "MIN(i.occurred_at)")
    source = (
        f"SELECT 'all' AS grp, d.created_at AS ts, {secs} / 60.0 AS v FROM record_deal d "
        f"LEFT JOIN record_interaction i ON {scoped('i')} AND i.connection_id = d.connection_id "
        f"AND i.customer_external_id = d.customer_external_id AND lower(i.direction) = 'outbound' "
        f"AND NOT i.automated AND i.occurred_at >= d.created_at WHERE {scoped('d')} AND "
        f"{in_period('d.created_at')} AND d.customer_external_id IS NOT NULL "
        f"GROUP BY d.connection_id, d.external_id, d.created_at")
    rows = await scope.query(duration_summary(pg, source))
    row = rows[0] if rows else {"n": 0, "excluded": 0, "median": None, "first_at": None, "last_at": None}
    n = int(row["n"] or 0)
    detail = f"{int(row['excluded'] or 0):,} never contacted excluded"
    return value_of("speed_to_lead_minutes_median", "minutes", row["median"], n,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence("record_deal", n, "leads contacted, created", scope, detail),))


def _channels_per_stage(scope: MetricScope, rows: list[dict]) -> list[MetricValue]:
    """Distinct channels with customer contacts per journey stage; tickets count as usage/service."""
    return [value_of("channels_active_count", "count", float(row["channels"]), int(row["n"]),
                     stage=row["stage"], coverage_days=coverage_days(row["first_at"], row["last_at"]),
                     evidence=(evidence("record_interaction+record_ticket", int(row["n"]),
                                        "customer contacts", scope, f"stage={row['stage']}"),))
            for row in sorted(rows, key=lambda r: r["stage"]) if row["stage"] in scope.stages]


def _channel_switch(scope: MetricScope, row: dict) -> MetricValue:
    """Share of customer contacts whose next contact, within 7 days, came on another channel."""
    return _percent("channel_switch_rate", row, "record_interaction+record_ticket",
                    "inbound customer contacts", scope, "next contact on another channel within 7 days")


async def _inner_loop(scope: MetricScope) -> MetricValue:
    """Share of detractors and low CSAT answers followed up (task, call or ticket) within 48 h."""
    pg = scope.postgres
    same = "{a}.connection_id = f.connection_id AND {a}.customer_external_id = f.customer_external_id"
    task = within(pg, "i.occurred_at", "f.submitted_at", FOLLOW_UP_WINDOW_S, strict=False)
    ticket = within(pg, "t.created_at", "f.submitted_at", FOLLOW_UP_WINDOW_S, strict=False)
    rows = await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN EXISTS (SELECT 1 FROM record_interaction i WHERE "
        f"{scoped('i')} AND {same.format(a='i')} AND lower(i.type) IN {FOLLOW_UP_TYPES} AND {task}) "
        f"OR EXISTS (SELECT 1 FROM record_ticket t WHERE {scoped('t')} AND {same.format(a='t')} "
        f"AND {ticket}) THEN 1 ELSE 0 END) AS hits, MIN(f.submitted_at) AS first_at, "
        f"MAX(f.submitted_at) AS last_at FROM record_feedback f WHERE {scoped('f')} AND "
        f"{in_period('f.submitted_at')} AND {first_of_response('f')} AND "
        f"f.customer_external_id IS NOT NULL AND ("
        f"(lower(f.metric) = 'nps' AND f.scale_min = 0 AND f.scale_max = 10 AND f.score <= 6) OR "
        f"(lower(f.metric) = 'csat' AND f.scale_min = 1 AND f.scale_max = 5 AND f.score <= 2))")
    value = _percent("inner_loop_follow_up_rate", rows[0], "record_feedback",
                     "detractor and low-CSAT answers from known customers", scope,
                     "followed by a task, call or ticket within 48 h")
    if not (await recorded(scope, "record_ticket", "r.customer_external_id IS NOT NULL")
            or await recorded(scope, "record_interaction",
                              f"lower(r.type) IN {FOLLOW_UP_TYPES} AND r.customer_external_id IS NOT NULL")):
        return insufficient(value, "no source of follow-ups: no tasks, calls or tickets for customers")
    return value
