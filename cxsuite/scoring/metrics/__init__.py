"""The SQL metrics engine: every metric of the scoring model, computed where the data lives.

Each module aggregates one family of canonical records for one workspace and audit period
(:class:`~cxsuite.scoring.metrics.scope.MetricScope`) and returns
:class:`~cxsuite.scoring.inputs.MetricValue` objects; no record is loaded into Python. Two
metrics are about the project rather than its records (KPI stage coverage and the number of
score runs) and are added by the score-run service. Plugins add their own through the
``register_metrics`` hook (:mod:`cxsuite.scoring.metrics.plugins`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.db.steps import step
from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics import activity, commerce, customers, feedback, tickets
from cxsuite.scoring.metrics.scope import MetricScope, as_datetime, scoped

WORK_MEM = "64MB"
FAMILIES = (customers, tickets, activity, feedback, commerce)
# Where each record kind keeps its time: a project created without a period gets the 12 months up
# to the newest of them (cxsuite.projects.period).
LATEST = (("record_ticket", "created_at"), ("record_interaction", "occurred_at"),
          ("record_feedback", "submitted_at"), ("record_deal", "created_at"),
          ("record_deal", "closed_at"), ("record_customer", "created_at"), ("record_web_metric", "date"))


async def compute_metrics(scope: MetricScope) -> list[MetricValue]:
    """Every built-in metric for ``scope``; call inside the tenant's transaction.

    On PostgreSQL the transaction's queries get 64 MB of ``work_mem`` (the link rate's hashes of
    a million graph rows and the contact sort spilled to disk at the default 4 MB) and no JIT:
    each metric is one aggregate pass, and compiling one (inlining, optimisation) cost 0.7–1 s
    of backend CPU where the planner over-estimated rows (JSON list expansion) while the pass
    itself took 0.2 s."""
    if scope.postgres:
        await execute(scope.db.engine, f"SET LOCAL work_mem = '{WORK_MEM}'")
        await execute(scope.db.engine, "SET LOCAL jit = off")
    values: list[MetricValue] = []
    for family in FAMILIES:
        async with step(scope.db.engine, f"metrics: {family.__name__.rsplit('.', 1)[1]}"):
            values += await family.compute(scope)
    return values


async def latest_data_date(db: Database, tenant_id: UUID, workspace_id: UUID) -> date | None:
    """The date of the workspace's newest record up to now (a period set from the data ends
    there). A date after today is not data yet: a deal "closed" next year is a forecast typed
    into the close date, and anchoring the 12 months on it would leave the real records out."""
    now = datetime.now(UTC)
    found: list[datetime] = []
    for table, column in LATEST:
        bound = "@today" if column == "date" else "@asof"  # record_web_metric.date is a day
        rows = await MetricScope(db, tenant_id, workspace_id, date.min, date.min, now, ()).query(
            f"SELECT MAX(r.{column}) AS latest FROM {table} r WHERE {scoped('r')} AND r.{column} <= {bound}",
            today=now.date())
        latest = as_datetime(rows[0]["latest"])
        if latest is not None:
            found.append(latest)
    return max(found).date() if found else None


__all__ = ["MetricScope", "compute_metrics", "latest_data_date"]
