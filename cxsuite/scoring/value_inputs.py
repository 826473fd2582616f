"""The consultant's value inputs: business figures or a judgement per stage, effort and
confidence per recommendation. Validated here, stored by :mod:`cxsuite.scoring.project_inputs`,
turned into :class:`~cxsuite.scoring.opportunities.StageBusiness` and
:class:`~cxsuite.scoring.opportunities.OpportunityOverride` for :func:`find_opportunities`.

Inputs belong to the project, not to a run, and name stages and recommendations by key, so they
survive re-scoring; a stage later removed from the journey is ignored, not an error.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import msgspec

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.scoring import project_inputs
from cxsuite.scoring.journey import current, project_for
from cxsuite.scoring.opportunities import OpportunityOverride, StageBusiness, StageJudgement
from cxsuite.scoring.schema import ScoringModel

REASON_LIMIT = 500
MAX_OVERRIDES = 500
FIGURES = ("customers", "revenue", "average_order_value", "lost_deal_value", "churned_revenue",
           "abandoned_sessions")
SHARES = ("margin", "contact_share")
# What a reader is told when the consultant gave nothing for a stage.
ESTIMATE_BASIS = ("estimate: no business figures or judgement for this stage, so its business "
                  "value is the neutral midpoint 3 of 5")


class StageValue(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Business figures for one stage over the report period (any subset), or a 1–5 judgement.

    ``margin`` and ``contact_share`` are shares 0–1; money is in the project's ``currency``.
    A judgement needs its ``reason`` (the value-inputs API shows it as the stage's basis).
    """

    stage: str
    customers: float | None = None
    revenue: float | None = None
    average_order_value: float | None = None
    margin: float | None = None
    lost_deal_value: float | None = None
    churned_revenue: float | None = None
    abandoned_sessions: float | None = None
    contact_share: float | None = None
    judgement: int | None = None
    reason: str = ""


class OpportunityValue(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Effort 1–5 and/or confidence 0–1 for a recommendation (at one ``stage`` or all)."""

    recommendation_id: str
    stage: str | None = None
    effort: int | None = None
    confidence: float | None = None
    reason: str = ""


class ValueInputs(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The whole value document of a project (PUT replaces it)."""

    currency: str = ""
    stages: list[StageValue] = []
    opportunities: list[OpportunityValue] = []


class StageBasis(msgspec.Struct, kw_only=True):
    """How a stage's business value is set: ``judgement``, ``figures`` or ``estimate``."""

    stage: str
    basis: str
    note: str


class ValueInputsOut(msgspec.Struct, kw_only=True):
    """The stored inputs, the basis of every stage's business value, and who set them when."""

    inputs: ValueInputs
    stages: list[StageBasis]
    updated_by: UUID | None = None
    updated_at: datetime | None = None


def check(model: ScoringModel, stage_keys: Iterable[str], data: ValueInputs) -> None:
    """Known stages and recommendations, no repeats, numbers in range, reasons where needed;
    otherwise 422 naming every field (with the bound crossed)."""
    stages, recs = set(stage_keys), {r.id for r in model.recommendations}
    problems: list[FieldProblem] = []
    if data.currency and (len(data.currency) != 3 or not data.currency.isalpha()):
        problems.append(FieldProblem("body.currency", "an ISO 4217 code such as EUR", 3))
    seen: set[str] = set()
    for i, item in enumerate(data.stages):
        where = f"body.stages[{i}]"
        if item.stage not in stages:
            problems.append(FieldProblem(f"{where}.stage", f"no stage {item.stage!r} in the journey"))
        if item.stage in seen:
            problems.append(FieldProblem(f"{where}.stage", f"stage {item.stage!r} appears twice"))
        seen.add(item.stage)
        for name in FIGURES:
            number = getattr(item, name)
            if number is not None and not (math.isfinite(number) and number >= 0):
                problems.append(FieldProblem(f"{where}.{name}", "must be a number of 0 or more", 0))
        for name in SHARES:
            number = getattr(item, name)
            if number is not None and not 0 <= number <= 1:
                problems.append(FieldProblem(f"{where}.{name}", "must be a share between 0 and 1", 1))
        if item.judgement is not None and item.judgement not in range(1, 6):
            problems.append(FieldProblem(f"{where}.judgement", "must be 1 to 5", 5))
        if item.judgement is not None and not item.reason.strip():
            problems.append(FieldProblem(f"{where}.reason", "a judgement needs its reason"))
        problems += _reason(f"{where}.reason", item.reason)
    if len(data.opportunities) > MAX_OVERRIDES:
        problems.append(FieldProblem("body.opportunities", "too many entries", MAX_OVERRIDES))
    pairs: set[tuple[str, str | None]] = set()
    for i, item in enumerate(data.opportunities[:MAX_OVERRIDES]):
        where = f"body.opportunities[{i}]"
        if item.recommendation_id not in recs:
            problems.append(FieldProblem(f"{where}.recommendation_id",
                                         f"no recommendation {item.recommendation_id!r} in the model"))
        if item.stage is not None and item.stage not in stages:
            problems.append(FieldProblem(f"{where}.stage", f"no stage {item.stage!r} in the journey"))
        if (item.recommendation_id, item.stage) in pairs:
            problems.append(FieldProblem(where, "this recommendation and stage appear twice"))
        pairs.add((item.recommendation_id, item.stage))
        if item.effort is None and item.confidence is None:
            problems.append(FieldProblem(where, "give an effort, a confidence or both"))
        if item.effort is not None and item.effort not in range(1, 6):
            problems.append(FieldProblem(f"{where}.effort", "must be 1 to 5", 5))
        if item.confidence is not None and not 0 <= item.confidence <= 1:
            problems.append(FieldProblem(f"{where}.confidence", "must be between 0 and 1", 1))
        problems += _reason(f"{where}.reason", item.reason)
    if problems:
        raise ValidationFailed("the value inputs are not valid; see errors", problems=problems)


def _reason(field: str, text: str) -> list[FieldProblem]:
    return [FieldProblem(field, "too long", REASON_LIMIT)] if len(text) > REASON_LIMIT else []


def business(inputs: ValueInputs, stages: Iterable[str]) -> tuple[StageBusiness, ...]:
    """The stage figures for scoring, leaving out stages no longer in ``stages``."""
    keep = set(stages)
    return tuple(StageBusiness(
        stage=s.stage, lost_deal_value=s.lost_deal_value, churned_revenue=s.churned_revenue,
        abandoned_sessions=s.abandoned_sessions, average_order_value=s.average_order_value,
        contact_share=s.contact_share, customers=s.customers, revenue=s.revenue, margin=s.margin,
        judgement=None if s.judgement is None else StageJudgement(value=s.judgement, reason=s.reason),
    ) for s in inputs.stages if s.stage in keep)


def overrides(inputs: ValueInputs, stages: Iterable[str]) -> tuple[OpportunityOverride, ...]:
    """The effort and confidence overrides for scoring (stage-bound ones only for known stages)."""
    keep = set(stages)
    return tuple(OpportunityOverride(recommendation_id=o.recommendation_id, stage=o.stage, effort=o.effort,
                                     confidence=o.confidence, reason=o.reason)
                 for o in inputs.opportunities if o.stage is None or o.stage in keep)


def bases(inputs: ValueInputs, stages: Iterable[str]) -> list[StageBasis]:
    """Per journey stage: where its business value comes from, in words a consultant checks."""
    given = {s.stage: s for s in inputs.stages}
    found = []
    for stage in stages:
        item = given.get(stage)
        if item is not None and item.judgement is not None:
            found.append(StageBasis(stage=stage, basis="judgement",
                                    note=f"consultant's judgement {item.judgement} of 5: {item.reason}"))
        elif item is not None and StageBusiness(**{k: getattr(item, k) for k in (
                *FIGURES, "margin", "contact_share")}, stage=stage).money_at_stake() is not None:
            found.append(StageBasis(stage=stage, basis="figures",
                                    note="rank of this stage's money at stake among the stages with figures"))
        else:
            found.append(StageBasis(stage=stage, basis="estimate", note=ESTIMATE_BASIS))
    return found


async def stored(tenant_id: UUID, project_id: UUID) -> ValueInputs:
    """The project's value inputs (empty when never set), inside the caller's transaction."""
    return (await project_inputs.read(tenant_id, project_id, "value", ValueInputs, ValueInputs()))[0]


async def get_inputs(db: Database, principal: Principal, project_id: UUID) -> ValueInputsOut:
    """The value inputs with each stage's basis (readers of scores may read them)."""
    journey = await current(db, principal, project_id, Action.SCORE_READ)
    async with db.transaction(principal.tenant_id, write=False):
        inputs, meta = await project_inputs.read(principal.tenant_id, project_id, "value", ValueInputs,
                                                 ValueInputs())
    keys = [s.key for s in journey.stages]
    return ValueInputsOut(inputs=inputs, stages=bases(inputs, keys), updated_by=meta.updated_by,
                          updated_at=meta.updated_at)


async def put_inputs(db: Database, principal: Principal, project_id: UUID, data: ValueInputs,
                     ) -> ValueInputsOut:
    """Replace the value inputs after :func:`check` against the current journey and its model."""
    journey = await current(db, principal, project_id, Action.JOURNEY_EDIT)
    keys = [s.key for s in journey.stages]
    check(journey.model, keys, data)
    data = msgspec.structs.replace(data, currency=data.currency.upper())
    async with db.transaction(principal.tenant_id, principal.user_id):
        await project_for(principal, project_id, Action.JOURNEY_EDIT)
        meta = await project_inputs.write(principal.tenant_id, project_id, "value", data, principal.user_id)
    return ValueInputsOut(inputs=data, stages=bases(data, keys), updated_by=meta.updated_by,
                          updated_at=meta.updated_at)
