"""The journey map's evidence: feedback, tickets and interactions attributed to stages and
touchpoints (:mod:`cxsuite.scoring.journey_mapping`), with volume, CSAT and NPS where answers
exist, and the top pain points per stage with their number of records and an anonymised quote.

Counting happens in SQL, grouped by exactly the fields attribution looks at (stage named by the
record, channel, type or metric, touchpoint, linked ticket, the customer's lifecycle stage), so
Python only sees a few hundred groups however many records there are. Pain points are themes:
the normalised text of a low-rated answer's comment (NPS 0–6, CSAT below the scale's midpoint)
or of a ticket's subject; the same theme at a stage is one pain point, counted once per record,
ranked by that count (evidence), then by text; a theme needs :data:`MIN_RECORDS` records. The
report reads this at render time for the run's period; the quote passes through
:func:`~cxsuite.scoring.anonymise.anonymise`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.scoring import journey_mapping
from cxsuite.scoring.anonymise import anonymise
from cxsuite.scoring.journey_mapping import MappingRule, RecordKey, attribute
from cxsuite.scoring.metrics.scope import in_period, scoped

PAIN_POINTS_PER_STAGE = 3
MIN_RECORDS = 2  # one complaint is an anecdote, not a pain point
_SUMS = ("csat_n", "csat_pos", "nps_n", "nps_pro", "nps_det")
TOUCHPOINTS_PER_STAGE = 6
# A low answer: an NPS detractor (0–6) or a rating below its scale's midpoint.
_LOW = ("(CASE WHEN lower(f.metric) = 'nps' THEN f.score <= 6 "
        "ELSE (f.score - f.scale_min) * 2 < (f.scale_max - f.scale_min) END)")
_CUSTOMER = ("LEFT JOIN record_customer c ON c.tenant_id = {a}.tenant_id "
             "AND c.workspace_id = {a}.workspace_id AND c.connection_id = {a}.connection_id "
             "AND c.external_id = {a}.customer_external_id AND NOT c.archived")
_TICKET = ("LEFT JOIN record_ticket t ON t.tenant_id = f.tenant_id AND t.workspace_id = f.workspace_id "
           "AND t.connection_id = f.connection_id AND t.external_id = f.ticket_external_id "
           "AND NOT t.archived")
_FEEDBACK_KEY = ("f.journey_stage AS stage, lower(f.metric) AS type, lower(COALESCE(t.channel, f.channel)) "
                 "AS channel, lower(f.touchpoint) AS touchpoint, CASE WHEN f.ticket_external_id IS NULL "
                 "THEN 0 ELSE 1 END AS linked, lower(c.lifecycle_stage) AS lifecycle")
_FEEDBACK_FROM = (f"FROM record_feedback f {_TICKET} {_CUSTOMER.format(a='f')} WHERE {scoped('f')} "
                  f"AND {in_period('f.submitted_at')} AND f.scale_max > f.scale_min "
                  "AND f.score >= f.scale_min AND f.score <= f.scale_max")


class Touchpoint(msgspec.Struct, frozen=True, kw_only=True):
    """Where customers met the company at a stage, and how many records show it."""

    name: str
    source: str
    n: int


class PainPoint(msgspec.Struct, frozen=True, kw_only=True):
    """A theme at a stage: ``source`` is ``feedback`` (low-rated comments) or ``ticket``
    (subjects); ``n`` records; ``quote`` anonymised."""

    theme: str
    quote: str
    source: str
    n: int


class StageEvidence(msgspec.Struct, frozen=True, kw_only=True):
    """One stage's records: volume per source, touchpoints, CSAT and NPS with their n, pain."""

    stage: str
    volume: dict[str, int]
    touchpoints: list[Touchpoint]
    csat: float | None = None
    csat_n: int = 0
    nps: float | None = None
    nps_n: int = 0
    pain_points: list[PainPoint] = []

    @property
    def total(self) -> int:
        """All records attributed to the stage."""
        return sum(self.volume.values())


class JourneyEvidence(msgspec.Struct, frozen=True, kw_only=True):
    """Every stage in journey order, what could not be attributed, and how attribution went."""

    period_start: date
    period_end: date
    stages: list[StageEvidence]
    unattributed: dict[str, int]
    attributed_by: dict[str, int]


@dataclass(frozen=True)
class Scope:
    """A workspace, a period and the journey's stage keys; queries run on ``engine`` inside the
    caller's tenant transaction (the report's loader has no :class:`Database`, only tables)."""

    engine: Any
    tenant_id: UUID
    workspace_id: UUID
    period_start: date
    period_end: date
    stages: tuple[str, ...]

    async def query(self, sql: str) -> list[dict[str, Any]]:
        """``sql`` with the ``@tenant``, ``@ws``, ``@start`` and ``@end`` parameters bound."""
        bound = {"tenant": self.tenant_id, "ws": self.workspace_id,
                 "start": datetime.combine(self.period_start, time(), UTC),
                 "end": datetime.combine(self.period_end + timedelta(days=1), time(), UTC)}
        args: list[Any] = []

        def placeholder(match: re.Match[str]) -> str:
            args.append(bound[match.group(1)])
            return "{}"

        return await execute(self.engine, re.sub(r"@([a-z]+)", placeholder, sql), *args)


async def collect(scope: Scope, rules: Sequence[MappingRule]) -> JourneyEvidence:
    """Count, attribute and rank (inside the caller's tenant transaction)."""
    stages = scope.stages
    volume: dict[str, Counter[str]] = defaultdict(Counter)
    touch: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    pain: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    spellings: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    unattributed: Counter[str] = Counter()
    how_counts: Counter[str] = Counter()

    def place(source: str, row: dict[str, Any]) -> str | None:
        stage, touchpoint, how = attribute(_key(source, row), stages, rules)
        n = int(row["n"])
        how_counts[how] += n
        if stage is None:
            unattributed[source] += n
            return None
        volume[stage][source] += n
        if touchpoint:
            touch[stage][(touchpoint, source)] += n
        return stage

    for row in await scope.query(
            f"SELECT {_FEEDBACK_KEY}, COUNT(*) AS n, "
            "SUM(CASE WHEN lower(f.metric) = 'csat' THEN 1 ELSE 0 END) AS csat_n, "
            "SUM(CASE WHEN lower(f.metric) = 'csat' AND (f.score - f.scale_min) * 4 >= "
            "(f.scale_max - f.scale_min) * 3 THEN 1 ELSE 0 END) AS csat_pos, "
            "SUM(CASE WHEN lower(f.metric) = 'nps' THEN 1 ELSE 0 END) AS nps_n, "
            "SUM(CASE WHEN lower(f.metric) = 'nps' AND f.score >= 9 THEN 1 ELSE 0 END) AS nps_pro, "
            "SUM(CASE WHEN lower(f.metric) = 'nps' AND f.score <= 6 THEN 1 ELSE 0 END) AS nps_det "
            f"{_FEEDBACK_FROM} GROUP BY 1, 2, 3, 4, 5, 6"):
        stage = place("feedback", row)
        if stage:
            sums[stage].update({k: int(row[k] or 0) for k in _SUMS})
    for row in await scope.query(
            f"SELECT {_FEEDBACK_KEY}, f.comment AS text, COUNT(*) AS n "
            f"{_FEEDBACK_FROM} AND f.comment IS NOT NULL AND trim(f.comment) <> '' AND {_LOW} "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7"):
        stage = attribute(_key("feedback", row), stages, rules)[0]
        if stage:
            _theme(pain[stage], spellings, stage, "feedback", row)
    for row in await scope.query(
            "SELECT lower(t.channel) AS channel, lower(c.lifecycle_stage) AS lifecycle, "
            "t.subject AS text, COUNT(*) AS n "
            f"FROM record_ticket t {_CUSTOMER.format(a='t')} WHERE {scoped('t')} "
            f"AND {in_period('t.created_at')} "
            "GROUP BY 1, 2, 3"):
        stage = place("ticket", row)
        if stage:
            _theme(pain[stage], spellings, stage, "ticket", row)
    for row in await scope.query(
            "SELECT i.journey_stage AS stage, lower(i.channel) AS channel, lower(i.type) AS type, "
            "lower(c.lifecycle_stage) AS lifecycle, COUNT(*) AS n "
            f"FROM record_interaction i {_CUSTOMER.format(a='i')} WHERE {scoped('i')} "
            f"AND {in_period('i.occurred_at')} GROUP BY 1, 2, 3, 4"):
        place("interaction", row)

    return JourneyEvidence(
        period_start=scope.period_start, period_end=scope.period_end,
        stages=[_stage(s, volume[s], touch[s], sums[s], pain[s], spellings) for s in stages],
        unattributed=dict(sorted(unattributed.items())), attributed_by=dict(sorted(how_counts.items())))


def _theme(pain: Counter[tuple[str, str]], spellings: dict[tuple[str, str, str], Counter[str]], stage: str,
           source: str, row: dict[str, Any]) -> None:
    """Count a grouped comment or subject under its theme (case and spacing folded in Python, so
    both databases agree) and remember how it was written, to quote the commonest spelling."""
    text = row.get("text") or ""
    theme = " ".join(text.casefold().split())
    if theme:
        pain[(source, theme)] += int(row["n"])
        spellings[(stage, source, theme)][" ".join(text.split())] += int(row["n"])


def _key(source: str, row: dict[str, Any]) -> RecordKey:
    """The attribution fields of one grouped row."""
    return RecordKey(source=source, journey_stage=row.get("stage"), channel=row.get("channel"),  # type: ignore[arg-type]
                     type=row.get("type"), touchpoint=row.get("touchpoint"), lifecycle=row.get("lifecycle"),
                     linked_ticket=bool(row.get("linked")))


def _stage(stage: str, volume: Counter[str], touch: Counter[tuple[str, str]], sums: Counter[str],
           pain: Counter[tuple[str, str]], spellings: dict[tuple[str, str, str], Counter[str]],
           ) -> StageEvidence:
    """One stage's figures; touchpoints and pain points by count, then by name (deterministic)."""
    touchpoints = [Touchpoint(name=name, source=source, n=n) for (name, source), n in
                   sorted(touch.items(), key=lambda item: (-item[1], item[0]))[:TOUCHPOINTS_PER_STAGE]]
    ranked = sorted(pain.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
    points, seen = [], set()
    for (source, theme), n in ranked:
        if n < MIN_RECORDS:
            break
        written = spellings[(stage, source, theme)]
        quote = anonymise(min(written, key=lambda text: (-written[text], text)))
        if quote.casefold() in seen:  # two spellings of one theme after anonymising: keep the larger
            continue
        seen.add(quote.casefold())
        points.append(PainPoint(theme=theme, quote=quote, source=source, n=n))
        if len(points) == PAIN_POINTS_PER_STAGE:
            break
    csat = round(100 * sums["csat_pos"] / sums["csat_n"], 1) if sums["csat_n"] else None
    nps = round(100 * (sums["nps_pro"] - sums["nps_det"]) / sums["nps_n"], 1) if sums["nps_n"] else None
    return StageEvidence(stage=stage, volume=dict(sorted(volume.items())), touchpoints=touchpoints, csat=csat,
                         csat_n=sums["csat_n"], nps=nps, nps_n=sums["nps_n"], pain_points=points)


async def for_run_row(engine: Any, tenant_id: UUID, run: dict[str, Any], stages: Sequence[str],
                      ) -> JourneyEvidence:
    """The evidence over a run's period and journey stages, with the project's current mapping
    (inside the caller's tenant transaction)."""
    scope = Scope(engine, tenant_id, run["workspace_id"], run["period_start"], run["period_end"],
                  tuple(stages))
    rules = (await journey_mapping.stored(tenant_id, run["project_id"])).rules
    return await collect(scope, rules)


async def run_evidence(db: Database, principal: Principal, run_id: UUID) -> JourneyEvidence:
    """``GET /score-runs/{id}/journey-evidence`` for a run the caller may read."""
    from cxsuite.scoring.journey import by_id
    from cxsuite.scoring.service import readable_run

    row = await readable_run(db, principal, run_id)
    async with db.transaction(principal.tenant_id, write=False):
        journey = await by_id(principal.tenant_id, row["journey_version_id"])
        return await for_run_row(db.engine, principal.tenant_id, row, [s.key for s in journey.stages])
