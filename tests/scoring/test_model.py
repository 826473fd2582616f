"""The shipped model's content, validation errors that name their place, and derived models."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest
import yaml

from cxsuite.scoring import (
    ModelInvalid,
    ModelOverrides,
    ThresholdOverride,
    content_hash,
    derive_model,
    load_model,
    model_to_dict,
    parse_model,
)
from cxsuite.scoring.schema import Band

PRIMARY = {  # SCORING.md "Defaults"
    "awareness": {"D1", "D2", "D5"},
    "consideration": {"D2", "D3", "D4"},
    "purchase": {"D3", "D4", "D5"},
    "onboarding": {"D3", "D6", "D7"},
    "usage_service": {"D4", "D5", "D3"},
    "retention": {"D1", "D2", "D6"},
    "advocacy": {"D6", "D7"},
}


def test_shipped_model_follows_scoring_md(model):
    assert model.version == "1.0.0"
    assert [d.key for d in model.dimensions] == [f"D{i}" for i in range(1, 8)]
    assert [lvl.name for lvl in model.levels] == ["Reactive", "Emerging", "Defined", "Managed", "Optimised"]
    assert [lvl.xm_institute for lvl in model.levels] == ["Investigate", "Initiate", "Mobilize", "Scale", "Embed"]
    assert [b.min_score for b in model.level_bands] == [1.0, 1.8, 2.6, 3.4, 4.2]
    assert (model.class_weights.questionnaire, model.class_weights.o_data, model.class_weights.x_data) == (0.4, 0.4, 0.2)
    assert (model.questionnaire_only_cap, model.contested_gap, model.default_target_level) == (3.0, 2, 3)
    assert (model.confidence.x_min_n, model.confidence.o_min_days, model.confidence.insufficient_below) == (30, 90, 0.5)
    for stage in model.stages:
        assert {d for d, w in stage.weights.items() if w == 2} == PRIMARY[stage.key]
        assert {w for d, w in stage.weights.items() if d not in PRIMARY[stage.key]} == {1}


def test_library_and_questionnaire_sizes(model):
    assert 25 <= len(model.recommendations) <= 40
    per_dimension = Counter(item.dimension for item in model.questionnaire)
    assert all(2 <= per_dimension[d.key] <= 4 for d in model.dimensions)


def test_every_threshold_says_where_it_came_from(model):
    for table in model.thresholds:
        assert table.source or table.default, table.metric


def write(tmp_path, data):
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture
def raw(model):
    return model_to_dict(model)


def test_wrong_type_names_the_file_and_the_path(tmp_path, raw):
    raw["thresholds"][0]["bands"][0]["level"] = "five"
    path = write(tmp_path, raw)
    with pytest.raises(ModelInvalid, match=re.escape(str(path))) as err:
        load_model(path)
    assert "$.thresholds[0].bands[0].level" in str(err.value)


def test_unknown_field_is_refused(raw):
    raw["stages"][0]["wieghts"] = {}
    with pytest.raises(ModelInvalid, match=r"unknown field `wieghts`"):
        parse_model(raw, "test.yaml")


def test_bands_out_of_order_are_named(raw):
    raw["thresholds"][0]["bands"] = [{"level": 5, "bound": 50}, {"level": 4, "bound": 90}]
    with pytest.raises(ModelInvalid, match=r"thresholds\[0\] \(customer_link_rate\)\.bands: bounds must be strictly decreasing"):
        parse_model(raw, "test.yaml")


def test_unsourced_movement_must_read_as_an_assumption(raw):
    raw["recommendations"][0]["expected_kpi"]["movement"] = "Link rate rises to 95 %."
    with pytest.raises(ModelInvalid, match=r"recommendations\[0\] \(d1_link_records\)\.expected_kpi"):
        parse_model(raw, "test.yaml")


def test_several_problems_are_reported_together(raw):
    raw["stages"][0]["weights"]["D1"] = 3
    raw["questionnaire"][0]["dimension"] = "D9"
    with pytest.raises(ModelInvalid) as err:
        parse_model(raw, "test.yaml")
    assert [p.field for p in err.value.problems] == ["stages[0] (awareness).weights", "questionnaire[0] (d1_customer_id).dimension"]


def test_content_hash_ignores_key_order_and_labels(model, raw):
    reordered = dict(reversed(list(copy.deepcopy(raw).items())))
    reordered["version"] = "9.9.9"
    assert content_hash(parse_model(reordered, "x")) == content_hash(model)


def test_derived_model_gets_a_content_version(model):
    overrides = ModelOverrides(
        thresholds={"customer_link_rate": ThresholdOverride(bands=(Band(level=5, bound=99), Band(level=3, bound=80)))},
        stage_weights={"advocacy": {"D1": 0}},
        targets={"purchase": {"D4": 4}},
        remove_recommendations=("d1_dedupe",),
    )
    derived = derive_model(model, overrides)
    assert re.fullmatch(r"1\.0\.0\+tenant\.[0-9a-f]{8}", derived.version)
    assert derived.version.endswith(content_hash(derived)[:8])
    assert derived.derived_from == "1.0.0"
    table = next(t for t in derived.thresholds if t.metric == "customer_link_rate")
    assert (table.default, table.source) == (False, "Tenant override (no source given)")
    assert next(s for s in derived.stages if s.key == "advocacy").weights["D1"] == 0
    assert "d1_dedupe" not in {r.id for r in derived.recommendations}
    assert derive_model(model, overrides).version == derived.version  # same overrides, same version
    assert derive_model(model, ModelOverrides(default_target_level=4)).version != derived.version
    assert model.version == "1.0.0"  # the base is untouched
    again = derive_model(derived, ModelOverrides(default_target_level=4))
    assert again.version.startswith("1.0.0+tenant.") and again.derived_from == derived.version


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (ModelOverrides(remove_recommendations=("nope",)), "overrides.remove_recommendations: unknown recommendation 'nope'"),
        (ModelOverrides(stage_weights={"nowhere": {"D1": 1}}), "overrides.stage_weights: unknown stage"),
        (ModelOverrides(targets={"purchase": {"D4": 7}}), r"stages\[2\] \(purchase\)\.targets"),
        (ModelOverrides(thresholds={"customer_link_rate": ThresholdOverride(bands=(Band(level=1, bound=5),))}), "bands"),
    ],
)
def test_invalid_overrides_are_refused(model, overrides, message):
    with pytest.raises(ModelInvalid, match=message):
        derive_model(model, overrides)
