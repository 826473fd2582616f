"""Opportunities: which gaps to close first, with which action, and what it should move.

For every scored cell below its target, each library recommendation that fits the cell
(same dimension, the stage and the current level among those it is written for) becomes an
opportunity, valued and prioritised as SCORING.md says:

- **customer value** (1–5) = 6 − the stage's experience-outcome level (mean of its banded
  outcomes; 3 when the stage has none), +1 when the stage holds more than 30 % of customer
  contacts, capped at 5 (research §1.3);
- **business value** (1–5) = quintile rank of the money at stake in the stage among the stages
  with a figure: ``ceil(5 × rank / count)``, rank 1 = least money, tied stages share the lower
  rank; a stage with nothing at stake is 1 and a stage with no figure is 3 (unknown, neutral).
  Money at stake = lost-deal value + churned revenue + abandoned sessions × average order value,
  over the parts given (a rank, not the amount, so currencies and scale do not matter);
- **effort** = the library's effort, +1 (max 5) when the action needs integrated data and D1
  scores below 3.0 or is unknown (integration not demonstrated);
- value = ½ customer + ½ business; priority = value × (6 − effort) / 5 (both rounded to 2);
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

    def money_at_stake(self) -> float | None:
        """Sum of the parts given; ``None`` when no part is (unknown is not zero)."""
        parts = [self.lost_deal_value, self.churned_revenue]
        if self.abandoned_sessions is not None and self.average_order_value is not None:
            parts.append(self.abandoned_sessions * self.average_order_value)
        known = [part for part in parts if part is not None]
        if any(part < 0 for part in known):
            raise InputInvalid(f"stage {self.stage!r}: money at stake cannot be negative")
        return math.fsum(known) if known else None


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


def find_opportunities(
    model: ScoringModel, result: ScoreResult, business: Sequence[StageBusiness] = (),
    extra: Sequence[Recommendation] = (),
) -> tuple[Opportunity, ...]:
    """Opportunities for every scored cell below target, highest priority first; ``extra``
    actions (plugins') join the model's library."""
    if (result.model_version, result.model_hash) != (model.version, content_hash(model)):
        raise InputInvalid(f"score run used model {result.model_version}, not {model.version}")
    by_stage = _business_by_stage(result, business)
    business_values = _business_values(by_stage)
    d1 = next((dim.score for dim in result.dimensions if dim.key == "D1"), None)
    found = [
        _opportunity(model, cell, rec, _customer_value(model, result, by_stage, cell.stage),
                     business_values.get(cell.stage, 3.0), d1)
        for cell in result.cells
        if cell.status == "scored" and cell.level is not None and cell.level < cell.target
        for rec in (*model.recommendations, *extra)
        if _fits(rec, cell)
    ]
    order = {stage: i for i, stage in enumerate(result.stages)}
    found.sort(key=lambda o: (-o.priority, -o.value, order[o.stage], o.dimension, o.recommendation_id))
    return tuple(found)


def ranked(found: Sequence[Opportunity], limit: int | None = None) -> tuple[Opportunity, ...]:
    """Each library action once, at its highest-priority gap, best first: THE order of priorities.

    The report's value/effort chart, its five priorities, its roadmap and the CLI all list this
    order, so rank 3 is the same action everywhere. :func:`find_opportunities` sorts by priority,
    then value, then journey order, dimension and recommendation id (the stated tie-break); the
    stable re-sort keeps that order for runs stored before it was written down.
    """
    best: dict[str, Opportunity] = {}
    for opportunity in sorted(found, key=lambda o: (-o.priority, -o.value)):
        best.setdefault(opportunity.recommendation_id, opportunity)
    return tuple(best.values())[:limit]


def _fits(rec: Recommendation, cell: Cell) -> bool:
    """The action is written for this dimension, stage and current level."""
    return rec.dimension == cell.dimension and applies_to(rec.stages, cell.stage) and cell.level in rec.levels


def _business_by_stage(result: ScoreResult, business: Sequence[StageBusiness]) -> dict[str, StageBusiness]:
    """Index business figures by stage, refusing unknown or repeated stages."""
    stages = [item.stage for item in business]
    if len(set(stages)) != len(stages) or not set(stages) <= set(result.stages):
        raise InputInvalid(f"business figures need distinct journey stages, got {sorted(stages)}")
    return {item.stage: item for item in business}


def _business_values(by_stage: dict[str, StageBusiness]) -> dict[str, float]:
    """Quintile rank of money at stake among the stages that have a figure (see module docstring)."""
    at_stake = {stage: item.money_at_stake() for stage, item in sorted(by_stage.items())}
    money = {stage: amount for stage, amount in at_stake.items() if amount is not None}
    values = {}
    for stage, amount in money.items():
        rank = 1 + sum(1 for other in money.values() if other < amount)
        values[stage] = 1.0 if amount == 0 else float(math.ceil(5 * rank / len(money)))
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
    model: ScoringModel, cell: Cell, rec: Recommendation, customer: float, business: float, d1: float | None
) -> Opportunity:
    """Value, effort, priority, quadrant and horizon of one action on one gap cell."""
    raised = rec.needs_integrated_data and (d1 is None or d1 < 3.0)
    effort = min(5, rec.effort + 1) if raised else rec.effort
    value = round_half_up(0.5 * customer + 0.5 * business)
    assert cell.level is not None  # only scored cells reach here
    return Opportunity(
        stage=cell.stage, dimension=cell.dimension, level=cell.level, target=cell.target,
        recommendation_id=rec.id, title=rec.title, description=rec.description, owner_role=rec.owner_role,
        needs_integrated_data=rec.needs_integrated_data, customer_value=customer,
        business_value=business, value=value, effort=effort, effort_raised=raised,
        priority=priority(value, effort), quadrant=quadrant(model, value, effort),
        horizon=_later(rec.horizon, _HORIZONS[min(2, max(0, effort - 2))]), expected_kpi=rec.expected_kpi,
    )


def priority(value: float, effort: int) -> float:
    """Priority = value × (6 − effort) / 5, rounded to 2: high value and low effort come first."""
    return round_half_up(value * (6 - effort) / 5)


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
