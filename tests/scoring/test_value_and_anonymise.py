"""Business value from the consultant's inputs, effort and confidence overrides, the evidence gap
in the priority, and the anonymiser's promises — computed by hand, no database."""

from __future__ import annotations

import pytest

from cxsuite.reports.narrative import paragraphs
from cxsuite.scoring import find_opportunities
from cxsuite.scoring.anonymise import MASK, anonymise
from cxsuite.scoring.journey_mapping import MappingRule, RecordKey, attribute
from cxsuite.scoring.opportunities import (
    OpportunityOverride,
    StageBusiness,
    StageJudgement,
    priority,
    ranked,
)
from tests.scoring.test_opportunities import d1_gap_result

STAGES = ("awareness", "consideration", "purchase", "onboarding", "usage_service", "retention", "advocacy")


def test_priority_with_the_evidence_gap_by_hand():
    assert priority(4.5, 3, 0.8) == 2.43  # 4.5 × 3/5 × (1 − 0.2/2)
    assert priority(3.5, 1, 1.0) == 3.5
    assert priority(3.0, 3, 0.0) == 0.9  # no evidence at all: half of 1.8


def test_revenue_margin_and_judgement_set_business_value():
    assert StageBusiness(stage="x", revenue=1000.0, margin=0.3).money_at_stake() == 300.0
    assert StageBusiness(stage="x", customers=10.0, average_order_value=5.0).money_at_stake() == 50.0
    # losses win over revenue when both are given; margin applies to them too
    assert StageBusiness(stage="x", churned_revenue=200.0, revenue=1e6, margin=0.5).money_at_stake() == 100.0
    assert StageBusiness(stage="x", margin=0.5).money_at_stake() is None


def test_judgement_wins_and_basis_is_recorded(model, journey):
    result = d1_gap_result(model, journey)
    business = [StageBusiness(stage="retention", judgement=StageJudgement(value=5, reason="renewals")),
                StageBusiness(stage="purchase", revenue=500.0), StageBusiness(stage="awareness", revenue=100.0)]
    found = {(o.stage, o.recommendation_id): o for o in find_opportunities(model, result, business)}
    assert (found[("retention", "d1_dedupe")].business_value, found[("retention", "d1_dedupe")].value_basis) == (
        5.0, "judgement")
    assert (found[("purchase", "d1_dedupe")].business_value, found[("purchase", "d1_dedupe")].value_basis) == (
        5.0, "figures")  # rank 2 of 2 → ceil(10/2)
    assert found[("awareness", "d1_dedupe")].business_value == 3.0  # rank 1 of 2 → ceil(5/2)
    assert all(o.value_basis == "estimate" for o in find_opportunities(model, result))


def test_overrides_replace_effort_and_confidence_and_reorder(model, journey):
    result = d1_gap_result(model, journey)
    before = ranked(find_opportunities(model, result))
    last = before[-1]
    after = ranked(find_opportunities(model, result, overrides=[
        OpportunityOverride(recommendation_id=last.recommendation_id, effort=1, confidence=1.0)]))
    moved = next(o for o in after if o.recommendation_id == last.recommendation_id)
    assert (moved.effort, moved.effort_basis, moved.confidence_basis) == (1, "consultant", "consultant")
    library = next(r for r in model.recommendations if r.id == moved.recommendation_id)
    assert moved.priority == priority(moved.value, 1, 1.0) and moved.horizon == library.horizon
    assert after.index(moved) < len(after) - 1
    # a stage-bound override wins over one for every stage
    both = find_opportunities(model, result, overrides=[
        OpportunityOverride(recommendation_id="d1_dedupe", effort=5),
        OpportunityOverride(recommendation_id="d1_dedupe", stage="retention", effort=2)])
    efforts = {o.stage: o.effort for o in both if o.recommendation_id == "d1_dedupe"}
    assert efforts["retention"] == 2 and {e for s, e in efforts.items() if s != "retention"} == {5}


def test_ties_follow_the_stated_rule(model, journey):
    found = find_opportunities(model, d1_gap_result(model, journey))
    keys = [(-o.priority, -o.value, o.effort, -o.confidence) for o in found]
    assert keys == sorted(keys)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mail me at jane.doe@example.com", f"Mail me at {MASK}"),
    ("Call +44 20 7946 0958 today", f"Call {MASK} today"),
    ("Order 123456789 never came", f"Order {MASK} never came"),
    ("My name is Anna Petrova, fix it", f"My name is {MASK}, fix it"),
    ("Spoke to Mr Smith twice", f"Spoke to {MASK} twice"),
    ("Slow again - Maria", f"Slow again {MASK}"),
    ("see https://shop.example/x?id=1 now", f"see {MASK} now"),
    ("Took far too long to get an answer.", "Took far too long to get an answer."),
])
def test_anonymiser(text, expected):
    assert anonymise(text) == expected


def test_anonymiser_known_names_and_length():
    assert anonymise("Jonas was rude", ["Jonas"]) == f"{MASK} was rude"
    long = anonymise("word " * 100)
    assert len(long) <= 161 and long.endswith("…")


def test_attribution_precedence():
    rules = [MappingRule(source="ticket", channel="chat", stage="onboarding", touchpoint_name="support")]
    ticket = RecordKey(source="ticket", channel="chat")
    assert attribute(ticket, STAGES, rules) == ("onboarding", "support", "rule")
    assert attribute(RecordKey(source="ticket", channel="email"), STAGES, rules)[::2] == ("usage_service", "default")
    own = RecordKey(source="ticket", channel="chat", journey_stage="purchase")
    assert attribute(own, STAGES, rules)[::2] == ("purchase", "record")
    assert attribute(RecordKey(source="interaction", type="task"), STAGES, [])[::2] == (None, "none")
    # a default naming a stage the journey lacks is skipped
    assert attribute(RecordKey(source="ticket"), ("discover", "buy"), [])[::2] == (None, "none")


def test_paragraphs_keep_blank_line_breaks_only():
    assert paragraphs("  One\nline.\n\n\n Two  <b>x</b> \n") == ("One line.", "Two <b>x</b>")
    assert paragraphs("") == ()
