"""Opportunity values, effort penalty, priority, quadrants and horizons, computed by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxsuite.scoring import (
    InputInvalid,
    ModelOverrides,
    StageBusiness,
    derive_model,
    find_opportunities,
    score,
)
from cxsuite.scoring.opportunities import priority, quadrant
from tests.scoring.builders import answer, o_metric, x_metric


def test_priority_by_hand():
    assert priority(4.0, 1) == 4.0  # 4 × (6 − 1) / 5
    assert priority(3.0, 3) == 1.8  # 3 × 3 / 5
    assert priority(2.5, 5) == 0.5  # 2.5 × 1 / 5


@pytest.mark.parametrize(
    ("value", "effort", "expected"),
    [(3.0, 2, "quick_win"), (3.0, 3, "big_bet"), (2.99, 2, "fill_in"), (2.99, 3, "money_pit"), (5.0, 1, "quick_win")],
)
def test_quadrant_cut_offs(model, value, effort, expected):
    assert quadrant(model, value, effort) == expected


@given(st.floats(min_value=1, max_value=5), st.floats(min_value=1, max_value=5), st.integers(min_value=1, max_value=5))
def test_priority_is_monotone_in_value_and_falls_with_effort(a, b, effort):
    low, high = sorted((a, b))
    assert priority(low, effort) <= priority(high, effort)
    if effort < 5:
        assert priority(high, effort + 1) <= priority(high, effort)


def d1_gap_result(model, journey, **extra):
    # D1 at awareness and retention: answer 2 and link rate 40 % (level 1) → (0.4×2 + 0.4×1)/0.8 = 1.5 → level 1
    answers = [answer("d1_customer_id", stage, 2) for stage in ("awareness", "retention", "purchase")]
    return score(model, journey, [o_metric("customer_link_rate", 40.0, "percent"), *extra.get("metrics", [])], answers)


def test_values_effort_penalty_and_horizon(model, journey):
    result = d1_gap_result(model, journey)
    business = [
        StageBusiness(stage="retention", churned_revenue=1000.0, contact_share=0.4),
        StageBusiness(stage="purchase", lost_deal_value=300.0, abandoned_sessions=100.0, average_order_value=2.0),
        StageBusiness(stage="awareness", lost_deal_value=0.0),
    ]
    found = find_opportunities(model, result, business)
    by_key = {(o.stage, o.recommendation_id): o for o in found}
    retention = by_key[("retention", "d1_consent_hub")]
    # money: awareness 0 → 1; purchase 300 + 100 × 2 = 500, rank 2 of 3 → ceil(10/3) = 4;
    # retention 1000, rank 3 of 3 → ceil(15/3) = 5
    assert (by_key[("awareness", "d1_dedupe")].business_value, by_key[("purchase", "d1_dedupe")].business_value) == (1.0, 4.0)
    # customer value: no outcomes → 3, +1 for 40 % > 30 % of contacts → 4; value = ½ 4 + ½ 5 = 4.5
    assert (retention.customer_value, retention.business_value, retention.value) == (4.0, 5.0, 4.5)
    # d1_consent_hub: effort 3, needs integrated data and D1 = 1.5 < 3 → 4; priority 4.5 × 2 / 5 = 1.8
    assert (retention.effort, retention.effort_raised, retention.priority) == (4, True, 1.8)
    # library says 3–6 months, effort 4 implies 6–12 → the later one
    assert (retention.quadrant, retention.horizon) == ("big_bet", "6-12")
    assert retention.expected_kpi.source == "default"
    assert [o.priority for o in found] == sorted((o.priority for o in found), reverse=True)


def test_unknown_business_is_neutral_and_outcomes_set_customer_value(model, journey):
    # NPS 12 with stage retention → ≥ 0 … below 21 → level 1 → customer value 6 − 1 = 5
    result = d1_gap_result(model, journey, metrics=[x_metric("nps", 12.0, "points", stage="retention")])
    found = find_opportunities(model, result)
    rec = next(o for o in found if o.stage == "retention" and o.recommendation_id == "d1_required_fields")
    # value = ½ 5 + ½ 3 = 4.0; effort 1 (no integration needed); priority 4 × 5 / 5 = 4.0
    assert (rec.customer_value, rec.business_value, rec.value, rec.effort, rec.priority) == (5.0, 3.0, 4.0, 1, 4.0)
    assert (rec.quadrant, rec.horizon) == ("quick_win", "0-3")
    assert found[0] == rec


def test_only_scored_cells_below_target_fit_recommendations(model, journey):
    result = d1_gap_result(model, journey)
    found = find_opportunities(model, result)
    assert {o.dimension for o in found} == {"D1"}  # every other cell is insufficient evidence
    assert all(o.level == 1 and o.target == 3 for o in found)
    # stages without answers still score D1 from the link rate alone: coverage 0.4 / 0.8 = 0.5,
    # adequacy 1 → confidence 0.5 → scored at 1.0; so all seven stages are gaps, and
    # d1_single_customer_id (levels 1–3, all stages) appears once per stage
    assert len([o for o in found if o.recommendation_id == "d1_single_customer_id"]) == 7


def test_refuses_a_result_from_another_model(model, journey):
    result = d1_gap_result(model, journey)
    other = derive_model(model, ModelOverrides(default_target_level=4))
    with pytest.raises(InputInvalid, match="score run used model"):
        find_opportunities(other, result)


def test_refuses_business_for_unknown_stage(model, journey):
    with pytest.raises(InputInvalid, match="distinct journey stages"):
        find_opportunities(model, d1_gap_result(model, journey), [StageBusiness(stage="moon")])
