"""THE order of priorities of a score run, with the consultant's current value inputs.

:func:`prioritise` is the one function every consumer calls — the priorities API, the report
(value/effort chart, five priorities, roadmap) and the ``cxsuite priorities`` command — so rank 3
is the same action everywhere. It re-values the run's stored result with the project's value
inputs as they are now, so an edited judgement or effort shows without re-scoring, and a
re-score keeps them (they are keyed by stage and recommendation id, not by run).

Priority = value × (6 − effort) / 5 × (1 − evidence gap / 2), evidence gap = 1 − confidence;
ties: higher value, lower effort, higher confidence, then journey order, dimension and
recommendation id (:func:`cxsuite.scoring.opportunities.priority_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import NotFound, ValidationFailed
from cxsuite.scoring import value_inputs
from cxsuite.scoring.journey import by_id
from cxsuite.scoring.model import shipped_model
from cxsuite.scoring.opportunities import Opportunity, find_opportunities, ranked
from cxsuite.scoring.results import ScoreResult
from cxsuite.scoring.schema import ScoringModel
from cxsuite.scoring.tables import ScoreRunRow
from cxsuite.settings import Settings

FORMULA = "priority = value × (6 − effort) / 5 × (1 − evidence gap / 2); evidence gap = 1 − confidence"
TIE_BREAK = ("higher value, then lower effort, then higher confidence, then journey order of the "
             "stage, dimension and recommendation id")


class PriorityOut(msgspec.Struct, kw_only=True):
    """One ranked action at its highest-priority gap, with the basis of each input."""

    rank: int
    recommendation_id: str
    title: str
    stage: str
    dimension: str
    customer_value: float
    business_value: float
    value_basis: str
    value: float
    effort: int
    effort_basis: str
    confidence: float
    confidence_basis: str
    evidence_gap: float
    priority: float
    quadrant: str
    horizon: str


class PrioritiesOut(msgspec.Struct, kw_only=True):
    """A run's priorities in THE order, with the formula and the tie-break that made it."""

    run_id: UUID
    formula: str
    tie_break: str
    priorities: list[PriorityOut]


def prioritise(model: ScoringModel, result: ScoreResult, inputs: value_inputs.ValueInputs,
               limit: int | None = None, stored: Sequence[Opportunity] = ()) -> tuple[Opportunity, ...]:
    """Each action once at its best gap, best first, valued with ``inputs`` (pure).

    The model's actions are valued again with the inputs as they are now. A plugin's actions
    (in ``stored``, the run's opportunities, but not in the model's library) keep the value
    they had when the run was scored: the plugin that described them need not be installed
    any more, so they cannot be matched again."""
    stages = result.stages
    library = {r.id for r in model.recommendations}
    found = find_opportunities(model, result, value_inputs.business(inputs, stages),
                               value_inputs.overrides(inputs, stages))
    return ranked((*found, *(o for o in stored if o.recommendation_id not in library)), limit)


def to_out(run_id: UUID, found: Sequence[Opportunity]) -> PrioritiesOut:
    """The API view of a ranked list."""
    return PrioritiesOut(run_id=run_id, formula=FORMULA, tie_break=TIE_BREAK, priorities=[PriorityOut(
        rank=i, recommendation_id=o.recommendation_id, title=o.title, stage=o.stage, dimension=o.dimension,
        customer_value=o.customer_value, business_value=o.business_value, value_basis=o.value_basis,
        value=o.value, effort=o.effort, effort_basis=o.effort_basis, confidence=o.confidence,
        confidence_basis=o.confidence_basis, evidence_gap=o.evidence_gap, priority=o.priority,
        quadrant=o.quadrant, horizon=o.horizon) for i, o in enumerate(found, start=1)])


async def for_run_row(tenant_id: UUID, run: dict[str, Any], limit: int | None = None,
                      ) -> tuple[Opportunity, ...]:
    """The ranked priorities of a stored succeeded run (inside the caller's tenant transaction)."""
    if run["status"] != "succeeded" or not run["result"]:
        raise NotFound("succeeded score run not found")
    journey = await by_id(tenant_id, run["journey_version_id"])
    inputs = await value_inputs.stored(tenant_id, run["project_id"])
    return prioritise(journey.model, msgspec.json.decode(run["result"], type=ScoreResult), inputs, limit,
                      stored_opportunities(run))


def stored_opportunities(run: dict[str, Any]) -> tuple[Opportunity, ...]:
    """The opportunities a run stored when it was scored."""
    return msgspec.json.decode(run["opportunities"] or "[]", type=tuple[Opportunity, ...])


async def run_priorities(db: Database, principal: Principal, run_id: UUID) -> PrioritiesOut:
    """``GET /score-runs/{id}/priorities``: the run a caller may read, ranked with current inputs."""
    from cxsuite.scoring.service import readable_run  # service imports this module's users

    row = await readable_run(db, principal, run_id)
    async with db.transaction(principal.tenant_id, write=False):
        found = await for_run_row(principal.tenant_id, row)
    return to_out(run_id, found)


async def tenant_priorities(db: Database, tenant_id: UUID, run_id: UUID, limit: int | None = None,
                            ) -> tuple[Opportunity, ...]:
    """The same list for an operator's command line (no user: the tenant's own transaction)."""
    async with db.transaction(tenant_id, write=False):
        row = await ScoreRunRow.select().where(
            (ScoreRunRow.tenant_id == tenant_id) & (ScoreRunRow.id == run_id)).first().run()
        if row is None:
            raise NotFound("score run not found")
        return await for_run_row(tenant_id, row, limit)


async def command_lines(settings: Settings, tenant: str, run: str, limit: int | None = None) -> list[str]:
    """``cxsuite priorities RUN_ID --tenant ID``: the ranked lines, read with the app's settings."""
    from cxsuite.jobs.foreground import local_resources

    try:
        tenant_id, run_id = UUID(tenant), UUID(run)
    except ValueError:
        raise ValidationFailed("--tenant and RUN_ID must be UUIDs") from None
    async with local_resources(settings) as resources:
        found = await tenant_priorities(resources.db, tenant_id, run_id, limit)
    return lines(found, {d.key: d.name for d in shipped_model().dimensions})


def lines(found: Sequence[Opportunity], dimensions: dict[str, str]) -> list[str]:
    """One plain line per priority, as the command line prints them (rank first)."""
    return [f"{i}. {o.title} ({dimensions.get(o.dimension, o.dimension)}, priority {o.priority:.2f}, "
            f"value {o.value:.2f}, effort {o.effort}, confidence {o.confidence:.2f})"
            for i, o in enumerate(found, start=1)]
