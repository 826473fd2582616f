"""The engine against hand-computed cells: SCORING.md steps 1–5, boundaries, determinism."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from cxsuite.scoring import InputInvalid, Journey, StageSpec, score
from cxsuite.scoring.engine import level_of
from cxsuite.scoring.evidence import band
from tests.scoring.builders import WHEN, answer, o_metric, x_metric


def table_and_definition(model, key):
    table = next(t for t in model.thresholds if t.metric == key)
    definition = next(m for m in model.metrics if m.key == key)
    return table, definition


@pytest.mark.parametrize(
    ("key", "value", "level"),
    [
        ("ticket_first_response_median_hours_email", 1.0, 5),  # exactly 1 h → "≤ 1 h" → 5
        ("ticket_first_response_median_hours_email", 1.01, 4),
        ("ticket_first_response_median_hours_email", 12.0, 3),
        ("ticket_first_response_median_hours_email", 24.0, 2),
        ("ticket_first_response_median_hours_email", 24.5, 1),
        ("first_contact_resolution_rate", 80.0, 5),
        ("first_contact_resolution_rate", 79.9, 4),
        ("first_contact_resolution_rate", 70.0, 3),
        ("first_contact_resolution_rate", 60.0, 2),
        ("first_contact_resolution_rate", 59.9, 1),
        ("speed_to_lead_minutes_median", 5.0, 5),
        ("speed_to_lead_minutes_median", 60.0, 4),
        ("speed_to_lead_minutes_median", 2880.0, 2),
        ("speed_to_lead_minutes_median", 2881.0, 1),
        ("customer_link_rate", 95.0, 5),
        ("customer_link_rate", 94.9, 4),
        ("customer_link_rate", 49.9, 1),
    ],
)
def test_threshold_boundaries(model, key, value, level):
    table, definition = table_and_definition(model, key)
    assert band(table, definition, value)[0] == level


@pytest.mark.parametrize(
    ("score_value", "level"),
    [(1.0, 1), (1.79, 1), (1.8, 2), (2.59, 2), (2.6, 3), (3.39, 3), (3.4, 4), (4.19, 4), (4.2, 5), (5.0, 5)],
)
def test_level_bands(model, score_value, level):
    assert level_of(model, score_value) == level


def test_full_cell_with_all_three_classes(model, journey):
    result = score(
        model, journey,
        [o_metric("ticket_first_response_median_hours_email", 3.0, "hours"),  # ≤ 4 h → 4
         x_metric("csat", 88.0, "percent", stage="usage_service")],  # ≥ 86 → 4
        [answer("d4_sla", "usage_service", 5)],
    )
    cell = result.cell("usage_service", "D4")
    # (0.4 × 5 + 0.4 × 4 + 0.2 × 4) / (0.4 + 0.4 + 0.2) = (2 + 1.6 + 0.8) / 1 = 4.4 → level 5
    assert (cell.status, cell.score, cell.level) == ("scored", 4.4, 5)
    # all expected classes present, every sample adequate → 1.0
    assert cell.confidence == 1.0
    assert [(e.kind, e.weight) for e in cell.evidence] == [("questionnaire", 0.4), ("o_data", 0.4), ("x_data", 0.2)]
    assert cell.evidence[1].threshold == "<= 4 hours -> 4"
    assert cell.evidence[1].benchmark.id == "email_first_response_superoffice"
    assert "SuperOffice" in cell.evidence[1].source and not cell.evidence[1].default


def test_weights_renormalise_over_classes_present(model, journey):
    result = score(model, journey, [x_metric("csat", 80.0, "percent")], [answer("d4_sla", "usage_service", 4)])
    cell = result.cell("usage_service", "D4")
    # csat 80 ≥ 73 → 2. (0.4 × 4 + 0.2 × 2) / 0.6 = 2.0 / 0.6 = 3.333… → 3.33 → level 3
    assert (cell.score, cell.level) == (3.33, 3)
    # coverage = 0.6 present / 1.0 expected (Q, O, X); adequacy 1 → 0.6
    assert cell.confidence == 0.6


def test_questionnaire_only_cell_is_capped_at_three(model, journey):
    answers = [answer(item, "awareness", 5) for item in ("d7_research", "d7_owner_kpi", "d7_cadence")]
    cell = score(model, journey, [], answers).cell("awareness", "D7")
    # mean 5.0 capped to 3.0; D7 expects Q and O: coverage 0.4 / 0.8 = 0.5 → still scored
    assert (cell.score, cell.level, cell.capped, cell.confidence) == (3.0, 3, True, 0.5)
    assert cell.questionnaire_level == 5


def test_low_confidence_cell_is_insufficient_not_level_one(model, journey):
    result = score(model, journey, [o_metric("customer_link_rate", 40.0, "percent", days=30)], [])
    cell = result.cell("awareness", "D1")
    # coverage 0.4 / 0.8 (Q and O expected) = 0.5; adequacy 30 / 90 = 0.333 → 0.17 < 0.5
    assert (cell.status, cell.score, cell.level, cell.confidence) == ("insufficient_evidence", None, None, 0.17)
    assert cell.evidence[0].level == 1  # the evidence is still shown
    d1 = next(d for d in result.dimensions if d.key == "D1")
    assert (d1.score, d1.level, d1.scored_cells, d1.insufficient_cells) == (None, None, 0, 7)
    assert result.overall.score is None


def test_dont_know_lowers_confidence_but_not_the_score(model, journey):
    result = score(
        model, journey,
        [o_metric("kpi_stage_coverage_rate", 80.0, "percent")],  # ≥ 75 → 4, point-in-time: adequacy 1
        [answer("d7_research", "awareness", 4), answer("d7_owner_kpi", "awareness", None)],
    )
    cell = result.cell("awareness", "D7")
    # score (0.4 × 4 + 0.4 × 4) / 0.8 = 4.0; adequacy (0.2 × 1 + 0.2 × 0 + 0.4 × 1) / 0.8 = 0.75
    assert (cell.score, cell.level, cell.confidence) == (4.0, 4, 0.75)
    dont_know = next(e for e in cell.evidence if e.ref == "d7_owner_kpi")
    assert (dont_know.level, dont_know.weight) == (None, 0.0)


@pytest.mark.parametrize(("answered", "contested"), [(5, True), (4, True), (3, False)])
def test_contested_at_a_gap_of_two_levels(model, journey, answered, contested):
    result = score(
        model, journey,
        [o_metric("first_contact_resolution_rate", 65.0, "percent")],  # 60–69 → 2
        [answer("d5_context", "usage_service", answered)],
    )
    cell = result.cell("usage_service", "D5")
    assert (cell.questionnaire_level, cell.data_level, cell.contested) == (answered, 2, contested)


def test_stage_value_wins_over_journey_wide_value(model, journey):
    metrics = [x_metric("csat", 90.0, "percent", stage="usage_service"), x_metric("csat", 70.0, "percent")]
    result = score(model, journey, metrics, [])
    assert [e.value for e in result.cell("usage_service", "D4").evidence] == [90.0]
    assert [e.value for e in result.cell("purchase", "D4").evidence] == [70.0]


def test_dimension_is_applicability_weighted_and_overall_names_the_weakest(model, journey):
    answers = [answer(i, "awareness", 2) for i in ("d7_research", "d7_owner_kpi", "d7_cadence")]
    answers += [answer("d7_research", "onboarding", 3)]
    answers += [answer("d2_ladder", "awareness", 1), answer("d2_segments", "awareness", 2)]
    result = score(model, journey, [], answers)
    d7 = next(d for d in result.dimensions if d.key == "D7")
    # awareness D7 weight 1, score 2.0; onboarding D7 weight 2, score 3.0 → (2 + 6) / 3 = 2.667 → 2.67
    assert (d7.score, d7.level) == (2.67, 3)
    # D2 = 1.5 (one cell); overall = (1.5 + 2.67) / 2 = 2.085 → 2.09 half up
    assert (result.overall.score, result.overall.level) == (2.09, 2)
    assert (result.overall.weakest_dimension, result.overall.weakest_score) == ("D2", 1.5)


def test_applicability_zero_is_not_applicable(model):
    journey = Journey(stages=(StageSpec(key="awareness", applicability={"D2": 0}, targets={"D2": 4}),))
    result = score(model, journey, [], [answer("d2_ladder", "awareness", 3)])
    cell = result.cell("awareness", "D2")
    assert (cell.status, cell.score, cell.target, cell.applicability) == ("not_applicable", None, 4, 0)


def test_custom_stage_gets_weight_one_and_default_target(model):
    journey = Journey(stages=(StageSpec(key="renewal_call"),))
    result = score(model, journey, [], [answer("d1_customer_id", "renewal_call", 2)])
    cell = result.cell("renewal_call", "D1")
    assert (cell.applicability, cell.target, cell.score) == (1, 3, 2.0)


def test_latest_answer_wins(model, journey):
    answers = [
        answer("d7_research", "awareness", 1, at=WHEN),
        answer("d7_research", "awareness", 3, at=WHEN + timedelta(days=1)),
    ]
    for ordered in (answers, answers[::-1]):
        assert score(model, journey, [], ordered).cell("awareness", "D7").score == 3.0


def test_outcomes_are_banded_and_placed_on_their_stage(model, journey):
    metrics = [x_metric("nps", 36.0, "points"), o_metric("ecommerce_conversion_rate", 1.0, "percent")]
    outcomes = {o.metric: o for o in score(model, journey, metrics, []).outcomes}
    assert (outcomes["nps"].stage, outcomes["nps"].level) == (None, 4)  # ≥ 36 → 4
    # journey-wide conversion belongs to the table's only stage; 0.7 ≤ 1.0 < 1.4 → 2
    assert (outcomes["ecommerce_conversion_rate"].stage, outcomes["ecommerce_conversion_rate"].level) == ("purchase", 2)
    assert outcomes["nps"].benchmark.value == 36


def test_unknown_metrics_are_listed_not_lost(model, journey):
    result = score(model, journey, [o_metric("plugin_metric", 3.0, "count")], [])
    assert result.unscored_metrics == ("plugin_metric",)


@pytest.mark.parametrize(
    ("metrics", "answers", "message"),
    [
        ([o_metric("ticket_first_response_median_hours_email", 60.0, "minutes")], [], "in hours"),
        ([o_metric("customer_link_rate", 60.0, "percent", stage="nowhere")], [], "not in the journey"),
        ([o_metric("customer_link_rate", 1.0, "percent")] * 2, [], "twice"),
        ([], [answer("no_such_item", "awareness", 3)], "unknown questionnaire item"),
        ([], [answer("d4_lead_response", "retention", 3)], "not asked for stage"),
        ([], [answer("d4_sla", "usage_service", 6)], "1..5"),
    ],
)
def test_bad_inputs_are_refused(model, journey, metrics, answers, message):
    with pytest.raises(InputInvalid, match=message):
        score(model, journey, metrics, answers)


def rich_inputs():
    metrics = [
        o_metric("customer_link_rate", 72.5, "percent"),
        o_metric("ticket_first_response_median_hours_email", 5.5, "hours", days=120),
        o_metric("first_contact_resolution_rate", 71.0, "percent", days=60),
        x_metric("csat", 84.0, "percent", n=25, stage="usage_service"),
        x_metric("csat", 91.0, "percent", n=45, stage="purchase", channel="email"),
        x_metric("csat", 77.0, "percent", n=45, stage="purchase", channel="chat"),
        x_metric("nps", 12.0, "points", n=80),
        o_metric("kpi_stage_coverage_rate", 33.3, "percent"),
    ]
    answers = [answer(item.id, stage, (i * 7 + j) % 6 or None)
               for i, item in enumerate(model_items()) for j, stage in enumerate(("awareness", "usage_service"))
               if item.stages == "all" or stage in item.stages]
    return metrics, answers


def model_items():
    from cxsuite.scoring import shipped_model

    return shipped_model().questionnaire


def test_same_input_gives_identical_bytes_in_any_order(model, journey):
    metrics, answers = rich_inputs()
    first = score(model, journey, metrics, answers).encode()
    assert score(model, journey, metrics, answers).encode() == first
    rng = random.Random(7)
    for _ in range(5):
        shuffled_metrics, shuffled_answers = metrics[:], answers[:]
        rng.shuffle(shuffled_metrics)
        rng.shuffle(shuffled_answers)
        assert score(model, journey, shuffled_metrics, shuffled_answers).encode() == first


def test_result_serialises_with_model_version(model, journey):
    result = score(model, journey, *rich_inputs())
    data = result.to_dict()
    assert data["model_version"] == "1.0.0" and len(data["model_hash"]) == 64
    assert len(data["cells"]) == 7 * 7


def test_a_cell_with_only_insufficient_or_flagged_metrics_is_unscored_not_level_one(model, journey):
    """Issue 15: a metric without its inputs (or doubted by a data-quality check) is no evidence."""
    from cxsuite.scoring import MetricValue

    metrics = [
        MetricValue(key="customer_link_rate", value=None, unit="percent", n=40, status="insufficient",
                    reason="no customer or company records to link to"),
        MetricValue(key="duplicate_customer_rate", value=100.0, unit="percent", n=900, status="flagged",
                    reason="placeholder email", notes=("placeholder email",)),
        MetricValue(key="key_field_completeness_rate", value=0.0, unit="percent", n=900, status="flagged"),
    ]
    result = score(model, journey, metrics, [])
    cell = result.cell("awareness", "D1")
    assert (cell.status, cell.score, cell.level, cell.evidence) == ("insufficient_evidence", None, None, ())
    states = {s.key: s for s in result.metric_states}
    assert (states["customer_link_rate"].status, states["customer_link_rate"].reason) == (
        "insufficient", "no customer or company records to link to")
    assert (states["duplicate_customer_rate"].status, states["duplicate_customer_rate"].value) == ("flagged", 100.0)


def test_a_flagged_outcome_keeps_its_figure_and_status(model, journey):
    from cxsuite.scoring import MetricValue

    flagged = MetricValue(key="win_rate", value=100.0, unit="percent", n=500, coverage_days=200.0,
                          status="flagged", notes=("exactly 100 %",))
    outcome = next(o for o in score(model, journey, [flagged], []).outcomes if o.metric == "win_rate")
    assert (outcome.value, outcome.status, outcome.notes) == (100.0, "flagged", ("exactly 100 %",))
