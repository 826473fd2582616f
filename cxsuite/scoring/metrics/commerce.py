"""Commercial outcomes: web conversion and engagement, returning-visitor lift, win rate, sales
cycle, repeat purchase and monthly churn.

A customer counts as lost in the month of ``churned_at`` (m0012) where a source records it,
else in the month of its last update once its lifecycle stage is one of
:data:`CHURNED_STAGES`, and as a customer at a month's start when it was created before it
in :data:`CUSTOMER_STAGES` (or churned later). SQL returns a (created month, churn month)
histogram; the monthly rates come from :func:`cxsuite.scoring.formulas.churn_rate` over it.
"""

from __future__ import annotations

from datetime import date

from cxsuite.scoring import formulas
from cxsuite.scoring._numbers import mean
from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import (
    MetricScope,
    coverage_days,
    duration_summary,
    evidence,
    in_period,
    month_of,
    raw_text,
    scoped,
    seconds_between,
    share,
    value_of,
)

CHURNED_STAGES = ("churned", "former_customer", "lost")
CUSTOMER_STAGES = ("customer", "evangelist", *CHURNED_STAGES)
WEB = "FROM record_web_metric w WHERE " + scoped("w") + " AND w.date >= @dstart AND w.date <= @dend"


def _in(values: tuple[str, ...]) -> str:
    """A SQL list of constant strings."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


async def compute(scope: MetricScope) -> list[MetricValue]:
    """Every commercial metric of the model."""
    return [*await _web(scope), await _returning_lift(scope), await _win_rate(scope),
            await _sales_cycle(scope), await _repeat_purchase(scope), await _churn(scope)]


async def _web(scope: MetricScope) -> list[MetricValue]:
    """Conversion rate (conversions / sessions) and engagement rate (engaged / sessions)."""
    rows = await scope.query(
        f"SELECT SUM(w.sessions) AS sessions, SUM(w.engaged_sessions) AS engaged, "
        f"SUM(w.conversions) AS conversions, MIN(w.date) AS first_at, MAX(w.date) AS last_at {WEB}")
    row = rows[0]
    sessions = int(row["sessions"] or 0)
    days = coverage_days(row["first_at"], row["last_at"])
    ref = (evidence("record_web_metric", sessions, "sessions on days", scope),)
    conversions = float(row["conversions"] or 0)
    return [
        value_of("ecommerce_conversion_rate", "percent", share(conversions, sessions), sessions,
                 coverage_days=days, evidence=ref),
        value_of("engagement_rate", "percent", share(int(row["engaged"] or 0), sessions), sessions,
                 coverage_days=days, evidence=ref),
    ]


async def _returning_lift(scope: MetricScope) -> MetricValue:
    """Key-event (conversion) rate of returning visitors over that of new visitors (GA4
    ``newVsReturning``: the ``new_vs_returning`` column, or the raw payload of rows synced
    before it existed). Insufficient without both kinds of visitor or without a new-visitor
    conversion (the ratio is undefined), never 0."""
    visitor = f"lower(COALESCE(w.new_vs_returning, {raw_text(scope.postgres, 'newVsReturning')}))"
    rows = await scope.query(
        f"SELECT {visitor} AS visitor, SUM(w.sessions) AS sessions, SUM(w.conversions) AS conversions, "
        f"MIN(w.date) AS first_at, MAX(w.date) AS last_at {WEB} AND {visitor} IN ('new', 'returning') "
        f"GROUP BY {visitor}")
    by = {row["visitor"]: row for row in rows}
    new, back = by.get("new"), by.get("returning")
    n = sum(int(row["sessions"] or 0) for row in rows)
    ratio, reason = None, "no sessions split into new and returning visitors (GA4 newVsReturning)"
    if new and back and new["sessions"] and back["sessions"]:
        reason = "no key event (conversion) by new visitors: the ratio is undefined"
        if new["conversions"]:
            back_rate = float(back["conversions"] or 0) / back["sessions"]
            ratio = back_rate / (float(new["conversions"]) / new["sessions"])
    first = min((str(r["first_at"]) for r in rows), default=None)
    last = max((str(r["last_at"]) for r in rows), default=None)
    return value_of("returning_vs_new_key_event_rate_ratio", "ratio", ratio, n if ratio is not None else 0,
                    reason=reason, coverage_days=coverage_days(first, last),
                    evidence=(evidence("record_web_metric", n, "sessions of new and returning visitors "
                                       "on days", scope),))


async def _win_rate(scope: MetricScope) -> MetricValue:
    """Won / (won + lost) over deals closed in the period."""
    rows = await scope.query(
        f"SELECT SUM(CASE WHEN d.won THEN 1 ELSE 0 END) AS won, SUM(CASE WHEN d.won THEN 0 ELSE 1 END) "
        f"AS lost, MIN(d.closed_at) AS first_at, MAX(d.closed_at) AS last_at FROM record_deal d WHERE "
        f"{scoped('d')} AND {in_period('d.closed_at')} AND d.won IS NOT NULL")
    row = rows[0]
    result = formulas.win_rate(int(row["won"] or 0), int(row["lost"] or 0))
    return value_of("win_rate", "percent", result.value, result.denominator,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence("record_deal", result.denominator, "deals closed", scope,
                                       f"{result.numerator:,} won"),))


async def _sales_cycle(scope: MetricScope) -> MetricValue:
    """Median days from creation to close of deals won in the period."""
    secs = seconds_between(scope.postgres, "d.created_at", "d.closed_at")
    source = (f"SELECT 'all' AS grp, d.closed_at AS ts, CASE WHEN d.closed_at >= d.created_at THEN "
              f"{secs} / 86400.0 END AS v FROM record_deal d WHERE {scoped('d')} AND "
              f"{in_period('d.closed_at')} AND d.won")
    rows = await scope.query(duration_summary(scope.postgres, source))
    row = rows[0] if rows else {"n": 0, "median": None, "first_at": None, "last_at": None}
    n = int(row["n"] or 0)
    return value_of("sales_cycle_median_days", "days", row["median"], n,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence("record_deal", n, "won deals closed", scope),))


async def _repeat_purchase(scope: MetricScope) -> MetricValue:
    """Buyers with ≥ 2 won deals / buyers with ≥ 1, over deals won in the period."""
    rows = await scope.query(
        f"SELECT SUM(CASE WHEN orders >= 2 THEN 1 ELSE 0 END) AS repeat, COUNT(*) AS buyers, "
        f"MIN(first_at) AS first_at, MAX(last_at) AS last_at FROM (SELECT COUNT(*) AS orders, "
        f"MIN(d.closed_at) AS first_at, MAX(d.closed_at) AS last_at FROM record_deal d WHERE "
        f"{scoped('d')} AND {in_period('d.closed_at')} AND d.won AND COALESCE(d.customer_external_id, "
        f"d.company_external_id) IS NOT NULL GROUP BY d.connection_id, "
        f"COALESCE(d.customer_external_id, d.company_external_id)) b")
    row = rows[0]
    result = formulas.rate(int(row["repeat"] or 0), int(row["buyers"] or 0))
    return value_of("repeat_purchase_rate", "percent", result.value, result.denominator,
                    coverage_days=coverage_days(row["first_at"], row["last_at"]),
                    evidence=(evidence("record_deal", result.denominator, "buyers with won deals closed",
                                       scope, f"{result.numerator:,} bought twice or more"),))


def months(start: date, end: date) -> list[str]:
    """``YYYY-MM`` of every month the period touches."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


async def _churn(scope: MetricScope) -> MetricValue:
    """Mean monthly churn over the period's months that start with customers."""
    pg = scope.postgres
    churned = f"(c.churned_at IS NOT NULL OR lower(c.lifecycle_stage) IN {_in(CHURNED_STAGES)})"
    lost_month = (f"COALESCE({month_of(pg, 'c.churned_at')}, {month_of(pg, 'c.updated_at')})")
    rows = await scope.query(
        f"SELECT COALESCE({month_of(pg, 'c.created_at')}, '0000-00') AS born, CASE WHEN {churned} "
        f"THEN {lost_month} END AS lost, COUNT(*) AS n FROM record_customer c "
        f"WHERE {scoped('c')} AND (lower(c.lifecycle_stage) IN {_in(CUSTOMER_STAGES)} "
        f"OR c.churned_at IS NOT NULL) GROUP BY 1, 2")
    rates, lost_total, months_used = [], 0, 0
    for month in months(scope.period_start, scope.period_end):
        alive = [r for r in rows if r["born"] < month and (r["lost"] is None or r["lost"] >= month)]
        at_start = sum(int(r["n"]) for r in alive)
        lost = sum(int(r["n"]) for r in alive if r["lost"] == month)
        result = formulas.churn_rate(lost, at_start)
        if result.value is not None:
            rates.append(result.value)
            lost_total, months_used = lost_total + lost, months_used + 1
    value = mean(rates)
    n = sum(int(r["n"]) for r in rows) if value is not None else 0
    days = (scope.period_end - scope.period_start).days + 1 if value is not None else None
    return value_of("monthly_churn_rate", "percent", value, n, coverage_days=days,
                    evidence=(evidence("record_customer", n, "customers over months", scope,
                                       f"{lost_total:,} lost in {months_used} months"),))
