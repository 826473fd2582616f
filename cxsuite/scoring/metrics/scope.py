"""What every metric query shares: the scope it may read, the SQL dialect, and evidence texts.

A metric reads one workspace's canonical records over the audit period and nothing else, so
the scope carries the tenant and workspace, and :meth:`MetricScope.query` binds them into
every statement: SQLite has no row-level security, and a query that forgot either filter
would quietly score another client's data.

SQL is written once where both engines agree and through the small helpers below where they
do not (durations, percentiles, JSON paths, month keys). Statements use ``@name``
placeholders; ``@tenant``, ``@ws``, ``@start``, ``@end`` (timestamps, end exclusive),
``@dstart``, ``@dend`` (dates, inclusive) and ``@asof`` are always bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.scoring.inputs import MetricValue

_PARAM = re.compile(r"@([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class MetricScope:
    """One workspace, one audit period, one journey: everything a metric may look at.

    This is also what a plugin's ``compute(scope)`` receives (``docs/scoring.md``).
    """

    db: Database
    tenant_id: UUID
    workspace_id: UUID
    period_start: date
    period_end: date
    as_of: datetime
    stages: tuple[str, ...]

    @property
    def postgres(self) -> bool:
        """Which SQL dialect the helpers should write."""
        return self.db.is_postgres

    @property
    def start(self) -> datetime:
        """The first instant of the period (UTC midnight)."""
        return datetime.combine(self.period_start, time(), UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.period_end + timedelta(days=1), time(), UTC)

    @property
    def period_label(self) -> str:
        """The period as an evidence text prints it."""
        return f"{self.period_start.isoformat()}..{self.period_end.isoformat()}"

    async def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Run ``sql`` with ``@name`` parameters inside the caller's tenant transaction."""
        bound = {"tenant": self.tenant_id, "ws": self.workspace_id, "start": self.start,
                 "end": self.end, "dstart": self.period_start, "dend": self.period_end,
                 "asof": self.as_of, **params}
        args: list[Any] = []

        def placeholder(match: re.Match[str]) -> str:
            args.append(bound[match.group(1)])
            return "{}"

        return await execute(self.db.engine, _PARAM.sub(placeholder, sql), *args)


def scoped(alias: str) -> str:
    """The tenant, workspace and not-archived filter every record table read must carry."""
    return f"{alias}.tenant_id = @tenant AND {alias}.workspace_id = @ws AND NOT {alias}.archived"


def first_of_response(alias: str) -> str:
    """Keeps one row per source and response id across the workspace's connections.

    The same survey export uploaded through two connections (or two file imports) stores the
    same answers twice, each under its connection; an answer is counted once, from the
    connection whose id sorts first. Answers of different sources that share an id are
    different answers (issue 15, ``docs/file-import.md``)."""
    return (f"NOT EXISTS (SELECT 1 FROM record_feedback d WHERE d.tenant_id = {alias}.tenant_id AND "
            f"d.workspace_id = {alias}.workspace_id AND d.external_id = {alias}.external_id AND "
            f"d.source = {alias}.source AND NOT d.archived AND d.connection_id < {alias}.connection_id)")


def in_period(column: str) -> str:
    """A timestamp column inside the audit period."""
    return f"{column} >= @start AND {column} < @end"


def seconds_between(pg: bool, start: str, end: str) -> str:
    """Seconds from ``start`` to ``end``; SQLite's Julian days are rounded to the millisecond,
    which is exact for vendor timestamps and removes the float noise of the day fraction."""
    if pg:
        return f"EXTRACT(EPOCH FROM ({end} - {start}))::float8"
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


def within(pg: bool, ts: str, base: str, seconds: int, *, strict: bool = True) -> str:
    """``ts`` falls after ``base`` (or at the same instant unless ``strict``) and at most
    ``seconds`` later."""
    after = ">" if strict else ">="
    if pg:
        return f"({ts} {after} {base} AND {ts} <= {base} + INTERVAL '{seconds} seconds')"
    return (f"(julianday({ts}) {after} julianday({base}) "
            f"AND julianday({ts}) <= julianday({base}) + {seconds} / 86400.0)")


def month_of(pg: bool, column: str) -> str:
    """``YYYY-MM`` of a UTC timestamp."""
    if pg:
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


def raw_text(pg: bool, *path: str) -> str:
    """A text value inside the vendor payload (``raw``), ``NULL`` when absent."""
    if pg:
        steps = "".join(f" -> '{key}'" for key in path[:-1])
        return f"(raw{steps} ->> '{path[-1]}')"
    return f"json_extract(raw, '$.{'.'.join(path)}')"


def duration_summary(pg: bool, source: str) -> str:
    """Count, median and nearest-rank P90 of ``v`` per ``grp`` over ``source``.

    ``source`` yields ``grp``, ``v`` (``NULL`` when the record has no usable duration, which
    counts in ``excluded``) and ``ts``. The median is the mean of the two middle values and P90
    the value at rank ceil(0.9·n), as in :mod:`cxsuite.scoring.formulas`: PostgreSQL's
    ``percentile_cont(0.5)`` and ``percentile_disc(0.9)``, ranks by ``ROW_NUMBER`` on SQLite.
    """
    tail = "MIN(ts) AS first_at, MAX(ts) AS last_at"
    if pg:
        return (f"SELECT grp, COUNT(v) AS n, COUNT(*) - COUNT(v) AS excluded, "
                f"percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS median, "
                f"percentile_disc(0.9) WITHIN GROUP (ORDER BY v) AS p90, {tail} "
                f"FROM ({source}) s GROUP BY grp")
    ranked = (f"SELECT grp, v, ts, ROW_NUMBER() OVER (PARTITION BY grp, v IS NULL ORDER BY v) AS rn, "
              f"COUNT(v) OVER (PARTITION BY grp) AS k FROM ({source}) s")
    return (f"SELECT grp, COUNT(v) AS n, COUNT(*) - COUNT(v) AS excluded, "
            f"AVG(CASE WHEN v IS NOT NULL AND rn IN ((k + 1) / 2, (k + 2) / 2) THEN v END) AS median, "
            f"MAX(CASE WHEN v IS NOT NULL AND rn = (9 * k + 9) / 10 THEN v END) AS p90, {tail} "
            f"FROM ({ranked}) r GROUP BY grp")


def as_datetime(value: Any) -> datetime | None:
    """A timestamp or date as the engines return it (SQLite gives text) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def coverage_days(first: Any, last: Any) -> int | None:
    """Calendar days from the first to the last record, both included (``None`` without records)."""
    start, end = as_datetime(first), as_datetime(last)
    if start is None or end is None:
        return None
    return (end.date() - start.date()).days + 1


def evidence(table: str, count: int, what: str, scope: MetricScope, detail: str = "") -> str:
    """The reference a report prints, for instance
    ``record_ticket: 1,234 tickets created 2025-01-01..2025-12-31, channel=email``."""
    text = f"{table}: {count:,} {what} {scope.period_label}"
    return f"{text}, {detail}" if detail else text


NO_RECORDS = "no records in the period"


def value_of(key: str, unit: str, value: float | None, n: int, *, reason: str | None = None,
             **extra: Any) -> MetricValue:
    """A metric value; no sample means no value (``None``, status ``insufficient``), never a zero."""
    if n == 0 or value is None:
        return MetricValue(key=key, unit=unit, value=None, n=n, status="insufficient",
                           reason=reason or NO_RECORDS, **extra)
    return MetricValue(key=key, unit=unit, value=value, n=n, **extra)


def insufficient(value: MetricValue, reason: str) -> MetricValue:
    """``value`` with its figure withdrawn: the records exist, but not what the figure needs
    (a field no source records). The evidence trail stays, so the reader sees what was there."""
    return msgspec.structs.replace(value, value=None, status="insufficient", reason=reason)


async def recorded(scope: MetricScope, table: str, condition: str) -> bool:
    """Whether any record of the workspace (any period) satisfies ``condition``: the test for
    "does a source record this field at all". A field nobody records makes a figure built on it
    insufficient evidence, never a zero (``docs/scoring.md``)."""
    rows = await scope.query(f"SELECT 1 AS hit FROM {table} r WHERE {scoped('r')} AND ({condition}) "
                             f"LIMIT 1")
    return bool(rows)


def json_list_filled(pg: bool, column: str) -> str:
    """A JSON list column that holds at least one element."""
    if pg:
        return f"(jsonb_typeof({column}) = 'array' AND jsonb_array_length({column}) > 0)"
    return f"(json_type({column}) = 'array' AND json_array_length({column}) > 0)"


def share(hits: float | None, total: float | None) -> float | None:
    """``100 × hits / total``, ``None`` for an empty total."""
    return None if not total else 100 * (hits or 0) / total
