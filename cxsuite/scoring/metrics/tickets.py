"""Ticket metrics (D3, D4, D5): response and resolution times, SLA, assignment, self-service, FCR.

``first_response_at`` is the first *human* reply (connectors drop auto-acknowledgements), so
an unanswered ticket has no response time: it is excluded from median and P90 and counted in
the evidence, as :func:`cxsuite.scoring.formulas.first_response_times` does.
"""

from __future__ import annotations

from typing import Any

from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import (
    MetricScope,
    coverage_days,
    duration_summary,
    evidence,
    in_period,
    insufficient,
    recorded,
    scoped,
    seconds_between,
    share,
    value_of,
    within,
)

# First-response SLAs per channel, in seconds (cxsuite defaults, labelled so in docs/scoring.md).
SLA_SECONDS = {"email": 86_400, "web": 86_400, "form": 86_400, "social": 14_400, "chat": 300}
REPEAT_CONTACT_WINDOW_S = 7 * 86_400
AUTO_ASSIGN_WITHIN_S = 60
# Response-time metrics per channel: (channel, unit, divisor of seconds, median key, P90 key).
RESPONSE_KEYS = (
    ("email", "hours", 3600.0, "ticket_first_response_median_hours_email",
     "ticket_first_response_p90_hours_email"),
    ("chat", "minutes", 60.0, "ticket_first_response_median_minutes_chat",
     "ticket_first_response_p90_minutes_chat"),
)

TICKETS = "FROM record_ticket t WHERE " + scoped("t") + " AND " + in_period("t.created_at")


async def compute(scope: MetricScope) -> list[MetricValue]:
    """Every ticket metric of the model, from a handful of aggregate queries."""
    return [*await _first_response(scope), *await _resolution(scope), await _sla(scope),
            await _auto_assignment(scope), await _self_service(scope), await _fcr(scope)]


def _durations(summary: dict[str, Any] | None, keys: tuple[str, str], unit: str, what: str,
               scope: MetricScope, channel: str | None) -> list[MetricValue]:
    """Median and P90 values from one row of :func:`duration_summary` (or none)."""
    row = summary or {"n": 0, "excluded": 0, "median": None, "p90": None}
    n = int(row["n"] or 0)
    detail = f"channel={channel}" if channel else ""
    if row["excluded"]:
        detail = f"{detail}; {int(row['excluded']):,} without one excluded".lstrip("; ")
    refs = (evidence("record_ticket", n, what, scope, detail),)
    days = coverage_days(row.get("first_at"), row.get("last_at"))
    median_key, p90_key = keys
    return [value_of(key, unit, None if row[col] is None else float(row[col]), n, channel=channel,
                     coverage_days=days, evidence=refs)
            for key, col in ((median_key, "median"), (p90_key, "p90"))]


async def _first_response(scope: MetricScope) -> list[MetricValue]:
    """First human reply − created, email in hours and chat in minutes."""
    secs = seconds_between(scope.postgres, "t.created_at", "t.first_response_at")
    source = (f"SELECT lower(t.channel) AS grp, t.created_at AS ts, CASE WHEN t.first_response_at "
              f">= t.created_at THEN {secs} / (CASE lower(t.channel) WHEN 'chat' THEN 60.0 "
              f"ELSE 3600.0 END) END AS v {TICKETS} AND lower(t.channel) IN ('email', 'chat')")
    rows = {row["grp"]: row for row in await scope.query(duration_summary(scope.postgres, source))}
    values = []
    for channel, unit, _, median_key, p90_key in RESPONSE_KEYS:
        values += _durations(rows.get(channel), (median_key, p90_key), unit,
                             "tickets created with a first human reply", scope, channel)
    return values


async def _resolution(scope: MetricScope) -> list[MetricValue]:
    """Resolved − created in hours over resolved tickets, all channels."""
    secs = seconds_between(scope.postgres, "t.created_at", "t.resolved_at")
    source = (f"SELECT 'all' AS grp, t.created_at AS ts, CASE WHEN t.resolved_at >= t.created_at "
              f"THEN {secs} / 3600.0 END AS v {TICKETS}")
    rows = await scope.query(duration_summary(scope.postgres, source))
    return _durations(rows[0] if rows else None,
                      ("ticket_resolution_median_hours", "ticket_resolution_p90_hours"), "hours",
                      "tickets created and resolved", scope, None)


def _rate(key: str, row: dict[str, Any], what: str, scope: MetricScope, detail: str = "",
          table: str = "record_ticket") -> MetricValue:
    """A percentage metric from a ``n``/``hits``/``first_at``/``last_at`` aggregate row."""
    n = int(row["n"] or 0)
    return value_of(key, "percent", share(row["hits"], n), n,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence(table, n, what, scope, detail),))


async def _sla(scope: MetricScope) -> MetricValue:
    """Share of tickets answered within their channel's SLA; unanswered and overdue is missed."""
    pg = scope.postgres
    slas = ", ".join(f"('{channel}', {seconds})" for channel, seconds in sorted(SLA_SECONDS.items()))
    answered = seconds_between(pg, "t.created_at", "t.first_response_at")
    waited = seconds_between(pg, "t.created_at", "@asof")
    rows = await scope.query(
        f"WITH sla(channel, seconds) AS (VALUES {slas}) "
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN t.first_response_at IS NOT NULL AND {answered} "
        f"<= s.seconds THEN 1 ELSE 0 END) AS hits, MIN(t.created_at) AS first_at, "
        f"MAX(t.created_at) AS last_at FROM record_ticket t JOIN sla s ON s.channel = "
        f"lower(t.channel) WHERE {scoped('t')} AND {in_period('t.created_at')} "
        f"AND (t.first_response_at IS NOT NULL OR {waited} > s.seconds)")
    value = _rate("ticket_sla_attainment_rate", rows[0], "tickets with a channel SLA created", scope,
                  "SLA " + ", ".join(f"{c} {s // 60} min" for c, s in sorted(SLA_SECONDS.items())))
    if not await recorded(scope, "record_ticket", "r.first_response_at IS NOT NULL"):
        return insufficient(value, "no source records the first reply to a ticket")
    return value


async def _auto_assignment(scope: MetricScope) -> MetricValue:
    """Share of tickets a rule assigned: ``auto_assigned`` where the vendor says so, else assigned
    within 60 s of creation (``assigned_at``). Tickets with neither are unknown and left out of
    both counts; with none known the figure is insufficient evidence."""
    secs = seconds_between(scope.postgres, "t.created_at", "t.assigned_at")
    known = "(t.auto_assigned IS NOT NULL OR t.assigned_at IS NOT NULL)"
    rows = await scope.query(
        f"SELECT COUNT(*) AS total, SUM(CASE WHEN {known} THEN 1 ELSE 0 END) AS n, SUM(CASE WHEN "
        f"t.auto_assigned OR (t.auto_assigned IS NULL AND {secs} BETWEEN 0 AND {AUTO_ASSIGN_WITHIN_S}) "
        f"THEN 1 ELSE 0 END) AS hits, MIN(CASE WHEN {known} THEN t.created_at END) AS first_at, "
        f"MAX(CASE WHEN {known} THEN t.created_at END) AS last_at {TICKETS}")
    row = rows[0]
    value = _rate("ticket_auto_assignment_rate", row, "tickets created with an assignment record", scope,
                  f"{int(row['total'] or 0):,} tickets in all")
    if row["total"] and not row["n"]:
        return insufficient(value, "no source records when or how tickets were assigned")
    return value


async def _self_service(scope: MetricScope) -> MetricValue:
    """Share of tickets resolved without any human reply (bot or self-service)."""
    rows = await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN t.first_response_at IS NULL AND t.resolved_at IS NOT "
        f"NULL THEN 1 ELSE 0 END) AS hits, MIN(t.created_at) AS first_at, MAX(t.created_at) AS "
        f"last_at {TICKETS}")
    value = _rate("self_service_share", rows[0], "tickets created", scope,
                  "resolved with no human reply")
    # Without any first-reply time every resolved ticket would look self-served (100 %).
    for column, what in (("first_response_at", "the first reply to a ticket"),
                         ("resolved_at", "when a ticket was resolved")):
        if not await recorded(scope, "record_ticket", f"r.{column} IS NOT NULL"):
            return insufficient(value, f"no source records {what}")
    return value


def _no_repeat(pg: bool) -> str:
    """No new ticket and no inbound contact from the same customer within 7 days of resolution."""
    later_ticket = within(pg, "n.created_at", "t.resolved_at", REPEAT_CONTACT_WINDOW_S)
    later_contact = within(pg, "i.occurred_at", "t.resolved_at", REPEAT_CONTACT_WINDOW_S)
    same = "{a}.connection_id = t.connection_id AND {a}.customer_external_id = t.customer_external_id"
    return (f"NOT EXISTS (SELECT 1 FROM record_ticket n WHERE {scoped('n')} AND "
            f"{same.format(a='n')} AND {later_ticket}) AND NOT EXISTS (SELECT 1 FROM "
            f"record_interaction i WHERE {scoped('i')} AND {same.format(a='i')} AND "
            f"lower(i.direction) = 'inbound' AND {later_contact})")


async def _fcr(scope: MetricScope) -> MetricValue:
    """First-contact resolution proxy over resolved tickets."""
    rows = await scope.query(
        f"SELECT COUNT(*) AS n, SUM(CASE WHEN NOT t.reopened AND {_no_repeat(scope.postgres)} "
        f"THEN 1 ELSE 0 END) AS hits, MIN(t.created_at) AS first_at, MAX(t.created_at) AS last_at "
        f"{TICKETS} AND t.resolved_at IS NOT NULL")
    return _rate("first_contact_resolution_rate", rows[0], "resolved tickets created", scope,
                 "no reopen, no new contact within 7 days")
