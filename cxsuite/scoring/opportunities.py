"""Opportunities: which gaps to close first, with which action, and what it should move.

For every scored cell below its target, each library recommendation that fits the cell
(same dimension, the stage and the current level among those it is written for) becomes an
opportunity, valued and prioritised as SCORING.md says:

- **customer value** (1–5) = 6 − the stage's experience-outcome level (mean of its banded
  outcomes; 3 when the stage has none), +1 when the stage holds more than 30 % of customer
  contacts, capped at 5 (research §1.3);
- **business value** (1–5) = the consultant's judgement for the stage when given (1–5 with a
  reason); else the quintile rank of the money at stake in the stage among the stages with a
  figure: ``ceil(5 × rank / count)``, rank 1 = least money, tied stages share the lower rank; a
  stage with nothing at stake is 1 and a stage with no figure is 3 (an estimate: unknown, neutral).
  Money at stake = lost-deal value + churned revenue + abandoned sessions × average order value,
  over the parts given; without any of those, the stage's revenue (or customers × average order
  value); times the margin when one is given (a rank, not the amount, so currencies and scale do
  not matter). ``value_basis`` says which of judgement / figures / estimate it was;
- **effort** = the library's effort, +1 (max 5) when the action needs integrated data and D1
  scores below 3.0 or is unknown (integration not demonstrated);
- **confidence** (0–1) = the gap cell's confidence (evidence present × sample adequacy) unless
  the consultant set one; the **evidence gap** is 1 − confidence;
- value = ½ customer + ½ business; priority = value × (6 − effort) / 5 × (1 − evidence gap / 2)
  (both rounded to 2): a gap the data barely shows counts at most half less;
- the consultant's effort and confidence per recommendation (:class:`OpportunityOverride`)
  replace the library's effort and the cell's confidence (``effort_basis``/``confidence_basis``);
- quadrant (NN/g): value ≥ 3 and effort ≤ 2 quick win; value ≥ 3 and effort ≥ 3 big bet;
  value < 3 and effort ≤ 2 fill-in; else money pit (cut-offs in the model's ``opportunity_rules``);
- horizon: the later of the library's horizon and the one the effort implies (≤ 2 → 0–3 months,
  3 → 3–6, ≥ 4 → 6–12), so an integration penalty can push an action later, never earlier.

Cells with insufficient evidence get no opportunity: an unknown level is not a gap. Actions
plugins register (``register_recommendations``, checked in
:mod:`cxsuite.scoring.plugin_recommendations`) are matched and valued exactly like the
library's own; each opportunity carries its action's description, so a report can show a
plugin's action without the plugin installed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import msgspec

from cxsuite.scoring._numbers import mean, round_half_up
from cxsuite.scoring.errors import InputInvalid
from cxsuite.scoring.model import content_hash
from cxsuite.scoring.results import Cell, ScoreResult
from cxsuite.scoring.schema import ExpectedKpi, Horizon, Recommendation, ScoringModel, applies_to

Quadrant = Literal["quick_win", "big_bet", "fill_in", "money_pit"]
_HORIZONS: tuple[Horizon, ...] = ("0-3", "3-6", "6-12")


class StageBusiness(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Optional business figures for one stage: money at stake and its share of customer contacts."""

    stage: str
    lost_deal_value: float | None = None
    churned_revenue: float | None = None
    abandoned_sessions: float | None = None
    average_order_value: float | None = None
    contact_share: float | None = None
    customers: float | None = None
    revenue: float | None = None
    margin: float | None = None
    judgement: StageJudgement | None = None

    def money_at_stake(self) -> float | None:
        """Sum of the losses given, else the stage's revenue, times the margin; ``None`` when
        nothing is given (unknown is not zero)."""
        parts = [self.lost_deal_value, self.churned_revenue]
        if self.abandoned_sessions is not None and self.average_order_value is not None:
            parts.append(self.abandoned_sessions * self.average_order_value)
        known = [part for part in parts if part is not None]
        if not known and self.revenue is not None:
            known = [self.revenue]
        elif not known and self.customers is not None and self.average_order_value is not None:
            known = [self.customers * self.average_order_value]
        if any(part < 0 for part in known):
            raise InputInvalid(f"stage {self.stage!r}: money at stake cannot be negative")
        if not known:
            return None
        return math.fsum(known) * (1.0 if self.margin is None else self.margin)


class StageJudgement(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The consultant's 1–5 business value for a stage, with the reason (kept with the inputs)."""

    value: int
    reason: str


class OpportunityOverride(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The consultant's effort (1–5) and/or confidence (0–1) for a recommendation, at every gap
    it fits or only at ``stage``; keyed by recommendation id so it survives re-scoring."""

    recommendation_id: str
    stage: str | None = None
    effort: int | None = None
    confidence: float | None = None
    reason: str = ""


ValueBasis = Literal["judgement", "figures", "estimate"]


class Opportunity(msgspec.Struct, frozen=True, kw_only=True):
    """A gap cell paired with one library action, valued, prioritised and placed on the roadmap."""

    stage: str
    dimension: str
    level: int
    target: int
    recommendation_id: str
    title: str
    description: str = ""
    owner_role: str
    needs_integrated_data: bool
    customer_value: float
    business_value: float
    value: float
    effort: int
    effort_raised: bool
    priority: float
    quadrant: Quadrant
    horizon: Horizon
    expected_kpi: ExpectedKpi
    # Added for issue 16; defaults keep runs stored before them readable.
    confidence: float = 1.0
    value_basis: ValueBasis = "estimate"
    effort_basis: Literal["library", "consultant"] = "library"
    confidence_basis: Literal["evidence", "consultant"] = "evidence"

    @property
    def evidence_gap(self) -> float:
        """1 − confidence: how much of the evidence this gap should rest on is missing or thin."""
        return round_half_up(1.0 - self.confidence)


def find_opportunities(
    model: ScoringModel, result: ScoreResult, business: Sequence[StageBusiness] = (),
    overrides: Sequence[OpportunityOverride] = (), extra: Sequence[Recommendation] = (),
) -> tuple[Opportunity, ...]:
    """Opportunities for every scored cell below target, in :func:`priority_key` order; ``extra``
    actions (plugins') join the model's library."""
    if (result.model_version, result.model_hash) != (model.version, content_hash(model)):
        raise InputInvalid(f"score run used model {result.model_version}, not {model.version}")
    by_stage = _business_by_stage(result, business)
    business_values = _business_values(by_stage)
    d1 = next((dim.score for dim in result.dimensions if dim.key == "D1"), None)
    found = [
        _consultant(_opportunity(model, cell, rec, _customer_value(model, result, by_stage, cell.stage),
                                 business_values.get(cell.stage, (3.0, "estimate")), d1), model, overrides)
        for cell in result.cells
        if cell.status == "scored" and cell.level is not None and cell.level < cell.target
        for rec in (*model.recommendations, *extra)
        if _fits(rec, cell)
    ]
    order = {stage: i for i, stage in enumerate(result.stages)}
    found.sort(key=lambda o: (*priority_key(o), order[o.stage], o.dimension, o.recommendation_id))
    return tuple(found)


def priority_key(o: Opportunity) -> tuple[float, float, int, float]:
    """The stated order: priority, then value (both highest first), then effort (lowest first),
    then confidence (highest first); what still ties keeps journey order, dimension and
    recommendation id (:func:`find_opportunities` sorts by those last)."""
    return (-o.priority, -o.value, o.effort, -o.confidence)


def ranked(found: Sequence[Opportunity], limit: int | None = None) -> tuple[Opportunity, ...]:
    """Each library action once, at its highest-priority gap, best first: THE order of priorities.

    The report's value/effort chart, its five priorities, its roadmap, the priorities API and
    the CLI all list this order, so rank 3 is the same action everywhere. The stable sort by
    :func:`priority_key` keeps :func:`find_opportunities`' journey-order tie-break (and the
    stored order of runs scored before it was written down).
    """
    best: dict[str, Opportunity] = {}
    for opportunity in sorted(found, key=priority_key):
        best.setdefault(opportunity.recommendation_id, opportunity)
    return tuple(best.values())[:limit]


def _consultant(o: Opportunity, model: ScoringModel, overrides: Sequence[OpportunityOverride]) -> Opportunity:
    """``o`` with the consultant's effort and confidence for its recommendation (a stage-specific
    override wins over one for every stage), priority, quadrant and horizon recomputed."""
    mine = [x for x in overrides if x.recommendation_id == o.recommendation_id and x.stage in (None, o.stage)]
    mine.sort(key=lambda x: x.stage is not None)
    effort, confidence, changes = o.effort, o.confidence, {}
    for override in mine:
        if override.effort is not None:
            effort, changes["effort_basis"] = override.effort, "consultant"
        if override.confidence is not None:
            confidence, changes["confidence_basis"] = override.confidence, "consultant"
    if not changes:
        return o
    return msgspec.structs.replace(
        o, **changes, effort=effort, confidence=confidence,
        effort_raised=o.effort_raised and effort == o.effort,
        priority=priority(o.value, effort, confidence), quadrant=quadrant(model, o.value, effort),
        horizon=_later(next((r.horizon for r in model.recommendations if r.id == o.recommendation_id),
                            o.horizon),
                       _HORIZONS[min(2, max(0, effort - 2))]))


def _fits(rec: Recommendation, cell: Cell) -> bool:
    """The action is written for this dimension, stage and current level."""
    return rec.dimension == cell.dimension and applies_to(rec.stages, cell.stage) and cell.level in rec.levels


def _business_by_stage(result: ScoreResult, business: Sequence[StageBusiness]) -> dict[str, StageBusiness]:
    """Index business figures by stage, refusing unknown or repeated stages."""
    stages = [item.stage for item in business]
    if len(set(stages)) != len(stages) or not set(stages) <= set(result.stages):
        raise InputInvalid(f"business figures need distinct journey stages, got {sorted(stages)}")
    return {item.stage: item for item in business}


def _business_values(by_stage: dict[str, StageBusiness]) -> dict[str, tuple[float, ValueBasis]]:
    """The judgement, else the quintile rank of money at stake among the stages that have a
    figure (see module docstring), with its basis."""
    at_stake = {stage: item.money_at_stake() for stage, item in sorted(by_stage.items())}
    money = {stage: amount for stage, amount in at_stake.items() if amount is not None}
    values: dict[str, tuple[float, ValueBasis]] = {}
    for stage, amount in money.items():
        rank = 1 + sum(1 for other in money.values() if other < amount)
        values[stage] = (1.0 if amount == 0 else float(math.ceil(5 * rank / len(money))), "figures")
    for stage, item in by_stage.items():
        if item.judgement is not None:
            values[stage] = (float(item.judgement.value), "judgement")
    return values


def _customer_value(
    model: ScoringModel, result: ScoreResult, by_stage: dict[str, StageBusiness], stage: str
) -> float:
    """6 − the stage's outcome level (3 if unknown), +1 for a stage with a large share of contacts."""
    levels = [float(o.level) for o in result.outcomes if o.stage == stage and o.level is not None]
    outcome_level = mean(levels)
    value = 3.0 if outcome_level is None else 6 - outcome_level
    share = by_stage[stage].contact_share if stage in by_stage else None
    if share is not None and share > model.opportunity_rules.contact_share_boost:
        value += 1
    return round_half_up(min(5.0, value))


def _opportunity(
    model: ScoringModel, cell: Cell, rec: Recommendation, customer: float,
    business_value: tuple[float, ValueBasis], d1: float | None,
) -> Opportunity:
    """Value, effort, priority, quadrant and horizon of one action on one gap cell."""
    business, basis = business_value
    raised = rec.needs_integrated_data and (d1 is None or d1 < 3.0)
    effort = min(5, rec.effort + 1) if raised else rec.effort
    value = round_half_up(0.5 * customer + 0.5 * business)
    confidence = round_half_up(cell.confidence)
    assert cell.level is not None  # only scored cells reach here
    return Opportunity(
        stage=cell.stage, dimension=cell.dimension, level=cell.level, target=cell.target,
        recommendation_id=rec.id, title=rec.title, description=rec.description, owner_role=rec.owner_role,
        needs_integrated_data=rec.needs_integrated_data, customer_value=customer,
        business_value=business, value=value, effort=effort, effort_raised=raised,
        priority=priority(value, effort, confidence), quadrant=quadrant(model, value, effort),
        horizon=_later(rec.horizon, _HORIZONS[min(2, max(0, effort - 2))]), expected_kpi=rec.expected_kpi,
        confidence=confidence, value_basis=basis,
    )


def priority(value: float, effort: int, confidence: float = 1.0) -> float:
    """Priority = value × (6 − effort) / 5 × (1 − evidence gap / 2), rounded to 2: high value,
    low effort and solid evidence come first; the evidence gap is 1 − confidence."""
    return round_half_up(value * (6 - effort) / 5 * (1 - (1 - confidence) / 2))


def quadrant(model: ScoringModel, value: float, effort: int) -> Quadrant:
    """The NN/g prioritisation quadrant for a value and an effort."""
    rules = model.opportunity_rules
    high_value, low_effort = value >= rules.value_cut, effort <= rules.effort_cut
    if high_value:
        return "quick_win" if low_effort else "big_bet"
    return "fill_in" if low_effort else "money_pit"


def _later(first: Horizon, second: Horizon) -> Horizon:
    """The later of two horizons."""
    return max(first, second, key=_HORIZONS.index)
