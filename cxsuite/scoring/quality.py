"""Data-quality checks of every score run: figures that look like artefacts, not facts.

"100 % duplicates", "0 % completeness over 5,000 customers" or "a median reply of 72,990
minutes" are almost never true: they come from a field nobody fills, a placeholder email, or
tickets nobody closed. Each check turns such a figure into a **note** naming the records
behind it (external ids, up to :data:`RECORD_CAP`), and the metric into status ``flagged``.

Policy: a flagged metric is **excluded from scoring** (its figure is kept, printed with the
caveat, and the cell falls back on its other evidence), rather than scored with lowered
confidence. A lowered confidence would still let an artefact move a cell by up to four levels;
excluding it costs one item of evidence, and the cell says it is insufficient when nothing
else is left. Clock skew and GA4 sampling are recorded as notes on the run; GA4 figures are
flagged only when the doubtful rows hold at least :data:`WEB_FLAG_SHARE` of the sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

import msgspec

from cxsuite.db.session import Database
from cxsuite.scoring.inputs import MetricValue
from cxsuite.scoring.metrics.scope import MetricScope, in_period, scoped, seconds_between
from cxsuite.settings import Settings

RECORD_CAP = 20
WEB_FLAG_SHARE = 0.05
WEB_QUALITY_FLAGS = ("sampled", "thresholded", "other_row")
WEB_METRICS = ("ecommerce_conversion_rate", "engagement_rate", "returning_vs_new_key_event_rate_ratio")
HOURS_PER_UNIT = {"minutes": 1 / 60, "hours": 1.0, "days": 24.0}
# Duration metrics and the (table, start, end) whose records a flag names.
DURATION_RECORDS = {
    "ticket_first_response_median_hours_email": ("record_ticket", "created_at", "first_response_at"),
    "ticket_first_response_p90_hours_email": ("record_ticket", "created_at", "first_response_at"),
    "ticket_first_response_median_minutes_chat": ("record_ticket", "created_at", "first_response_at"),
    "ticket_first_response_p90_minutes_chat": ("record_ticket", "created_at", "first_response_at"),
    "ticket_resolution_median_hours": ("record_ticket", "created_at", "resolved_at"),
    "ticket_resolution_p90_hours": ("record_ticket", "created_at", "resolved_at"),
    "sales_cycle_median_days": ("record_deal", "created_at", "closed_at"),
}
DAYS_BOUND_FACTOR = 12
# Shares of journey stages, not of records: 0 % ("no stage has 30 answers") is an honest finding.
EXTREME_EXEMPT = frozenset({"x_metric_stage_coverage_rate", "kpi_stage_coverage_rate"})
# Timestamps that must not lie after the run's reference time, and pairs that must be ordered.
FUTURE = (("record_ticket", "created_at"), ("record_interaction", "occurred_at"),
          ("record_feedback", "submitted_at"), ("record_deal", "created_at"))
ORDERED = (("record_ticket", "created_at", "first_response_at"),
           ("record_ticket", "created_at", "resolved_at"), ("record_deal", "created_at", "closed_at"))


class QualityNote(msgspec.Struct, frozen=True, kw_only=True):
    """One data-quality finding: which check, about which metric (or the run), how many
    records, and the first of them by external id."""

    check: str
    metric: str | None = None
    table: str | None = None
    count: int
    records: tuple[str, ...] = ()
    text: str


@dataclass(frozen=True)
class Rules:
    """The configurable bounds (``docs/configuration.md``)."""

    max_duration_hours: float = 720.0
    extreme_min_n: int = 100
    duplicate_share: float = 50.0

    @classmethod
    def of(cls, settings: Settings | None) -> Rules:
        """The bounds a deployment configured (defaults without settings)."""
        if settings is None:
            return cls()
        return cls(float(settings.plausible_duration_hours), settings.extreme_rate_min_n,
                   float(settings.duplicate_share_flag_percent))


def flag(value: MetricValue, note: QualityNote) -> MetricValue:
    """``value`` flagged by ``note``: kept for display, excluded from scoring."""
    return msgspec.structs.replace(value, status="flagged", reason=value.reason or note.text,
                                   notes=(*value.notes, note.text))


async def check_run(scope: MetricScope, values: Sequence[MetricValue], rules: Rules,
                    ) -> tuple[list[MetricValue], list[QualityNote]]:
    """Every check over one run's values and records: the values (some flagged) and the notes."""
    notes: list[QualityNote] = []
    checked: list[MetricValue] = []
    web = await _web_quality(scope)
    web_note, web_flags = web if web else (None, False)
    if web_note:
        notes.append(web_note)
    for value in values:
        if value.value is not None and value.status == "measured":
            note = (await _duplicates(scope, value, rules) or _extreme_rate(value, rules)
                    or await _implausible_duration(scope, value, rules))
            if note is not None:
                notes.append(note)
            elif web_flags and value.key in WEB_METRICS:
                note = web_note
            if note is not None:
                value = flag(value, note)
        checked.append(value)
    notes += await _clock_skew(scope)
    return checked, notes


def _extreme_rate(value: MetricValue, rules: Rules) -> QualityNote | None:
    """A rate of exactly 0 or 100 % over many records: usually an unrecorded field."""
    if (value.unit != "percent" or value.value not in (0.0, 100.0) or (value.n or 0) < rules.extreme_min_n
            or value.key in EXTREME_EXEMPT):
        return None
    behind = f" ({value.evidence[0]})" if value.evidence else ""
    return QualityNote(check="extreme_rate", metric=value.key, count=value.n or 0,
                       text=f"{value.key} is exactly {value.value:g} % over {value.n:,} records{behind}: "
                            f"usually a field that is not recorded, not a fact")


async def _implausible_duration(scope: MetricScope, value: MetricValue, rules: Rules) -> QualityNote | None:
    """A median or P90 duration beyond the plausibility bound, with the records beyond it."""
    if value.unit not in HOURS_PER_UNIT or value.value is None:
        return None
    bound = rules.max_duration_hours * (DAYS_BOUND_FACTOR if value.unit == "days" else 1)
    hours = value.value * HOURS_PER_UNIT[value.unit]
    if hours <= bound:
        return None
    count, ids = 0, ()
    if value.key in DURATION_RECORDS:
        table, start, end = DURATION_RECORDS[value.key]
        secs = seconds_between(scope.postgres, f"r.{start}", f"r.{end}")
        count, ids = await _records(scope, table, f"{in_period('r.' + start)} AND r.{end} IS NOT NULL "
                                                  f"AND {secs} > {bound * 3600:.0f}")
    return QualityNote(check="implausible_duration", metric=value.key, table=DURATION_RECORDS.get(
        value.key, (None,))[0], count=count, records=ids,
        text=f"{value.key} is {hours:,.0f} hours, beyond the plausible {bound:,.0f} hours: "
             f"probably open or unlogged items or broken timestamps ({count:,} records beyond it)")


async def _duplicates(scope: MetricScope, value: MetricValue, rules: Rules) -> QualityNote | None:
    """A duplicate share over the threshold, naming customer records that repeat a resolved
    customer inside their own source (the definition the metric uses, :mod:`cxsuite.customers`)."""
    if value.key != "duplicate_customer_rate" or value.value is None or value.value <= rules.duplicate_share:
        return None
    rows = await scope.query(
        "SELECT external_id FROM (SELECT c.external_id, COUNT(*) OVER (PARTITION BY m.customer_id, "
        "c.source) AS copies FROM record_customer c JOIN customer_member m ON m.tenant_id = c.tenant_id "
        "AND m.workspace_id = c.workspace_id AND m.connection_id = c.connection_id AND m.external_id = "
        f"c.external_id WHERE {scoped('c')} AND (c.created_at IS NULL OR c.created_at < @end)) x "
        f"WHERE copies > 1 ORDER BY external_id LIMIT {RECORD_CAP}")
    return QualityNote(check="duplicate_share", metric=value.key, table="record_customer",
                       count=round((value.n or 0) * value.value / 100),
                       records=tuple(str(r["external_id"]) for r in rows),
                       text=f"{value.value:.0f} % of customers share an email or phone, above the plausible "
                            f"{rules.duplicate_share:g} %: usually a placeholder value, not real duplicates")


async def _web_quality(scope: MetricScope) -> tuple[QualityNote, bool] | None:
    """GA4 rows that are sampled, thresholded or rolled into "(other)"; flag the web figures
    when those rows hold at least :data:`WEB_FLAG_SHARE` of the period's sessions."""
    pg = scope.postgres
    elements = ("jsonb_array_elements_text(CASE WHEN jsonb_typeof(w.quality_flags) = 'array' THEN "
                "w.quality_flags ELSE '[]'::jsonb END) AS e(value)" if pg else "json_each(w.quality_flags) e")
    wanted = ", ".join(f"'{f}'" for f in WEB_QUALITY_FLAGS)
    doubtful = f"EXISTS (SELECT 1 FROM {elements} WHERE e.value IN ({wanted}))"
    period = f"{scoped('w')} AND w.date >= @dstart AND w.date <= @dend"
    totals = await scope.query(
        f"SELECT SUM(w.sessions) AS sessions, SUM(CASE WHEN {doubtful} THEN w.sessions ELSE 0 END) AS "
        f"flagged_sessions, SUM(CASE WHEN {doubtful} THEN 1 ELSE 0 END) AS flagged FROM record_web_metric w "
        f"WHERE {period}")
    row = totals[0]
    if not row["flagged"]:
        return None
    ids = await scope.query(f"SELECT w.external_id FROM record_web_metric w WHERE {period} AND {doubtful} "
                            f"ORDER BY w.external_id LIMIT {RECORD_CAP}")
    share = float(row["flagged_sessions"] or 0) / float(row["sessions"] or 1)
    note = QualityNote(check="web_sampled", table="record_web_metric", count=int(row["flagged"]),
                       records=tuple(str(r["external_id"]) for r in ids),
                       text=f"{int(row['flagged']):,} Google Analytics rows are sampled, thresholded or "
                            f"rolled into '(other)' ({share:.0%} of sessions): web figures are estimates")
    return note, share >= WEB_FLAG_SHARE


async def _clock_skew(scope: MetricScope) -> list[QualityNote]:
    """Records dated after the run's reference time, and records that end before they start."""
    notes = []
    for table, column in FUTURE:
        count, ids = await _records(scope, table, f"{in_period('r.' + column)} AND r.{column} > @asof")
        if count:
            notes.append(QualityNote(check="clock_skew", table=table, count=count, records=ids,
                                     text=f"{count:,} {table} records have {column} in the future"))
    for table, start, end in ORDERED:
        count, ids = await _records(scope, table, f"{in_period('r.' + start)} AND r.{end} < r.{start}")
        if count:
            notes.append(QualityNote(check="clock_skew", table=table, count=count, records=ids,
                                     text=f"{count:,} {table} records have {end} before {start}: "
                                          f"left out of the durations"))
    return notes


async def _records(scope: MetricScope, table: str, condition: str) -> tuple[int, tuple[str, ...]]:
    """How many records of the workspace meet ``condition``, and the first ids."""
    where = f"FROM {table} r WHERE {scoped('r')} AND {condition}"
    count = await scope.query(f"SELECT COUNT(*) AS n {where}")
    n = int(count[0]["n"] or 0)
    if not n:
        return 0, ()
    rows = await scope.query(f"SELECT r.external_id {where} ORDER BY r.external_id LIMIT {RECORD_CAP}")
    return n, tuple(str(r["external_id"]) for r in rows)


IMPORT_WINDOW = (date(1900, 1, 1), date(2199, 12, 31))


async def import_notes(db: Database, tenant_id: UUID, workspace_id: UUID) -> list[dict[str, object]]:
    """The checks that need no metric (clock skew, GA4 sampling), over all the workspace's
    records right after an import, for the sync job's result: the consultant sees doubtful
    timestamps when the data arrives, not only in the next score run."""
    scope = MetricScope(db, tenant_id, workspace_id, *IMPORT_WINDOW, datetime.now(UTC), ())
    async with db.transaction(tenant_id, write=False):
        notes = await _clock_skew(scope)
        web = await _web_quality(scope)
    return [msgspec.to_builtins(note) for note in ([web[0]] if web else []) + notes]
