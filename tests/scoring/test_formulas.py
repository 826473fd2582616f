"""The standard formulas against hand-computed fixtures, edge cases included."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxsuite.scoring import formulas as f
from cxsuite.scoring.errors import MixedScalesError, ScaleError, ScoringError

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def ratings(scale, *scores):
    return [f.Rating(score=s, scale=scale) for s in scores]


def test_nps_counts_value_and_margin_of_error_by_hand():
    # 10 answers: promoters 9,10,10,9 (4); passives 7,8 (2); detractors 0,5,6,6 (4)
    result = f.nps(ratings("0-10", 9, 10, 10, 9, 7, 8, 0, 5, 6, 6))
    assert (result.n, result.promoters, result.passives, result.detractors) == (10, 4, 2, 4)
    # NPS = 100 × (4 − 4) / 10 = 0
    assert result.value == 0
    # p = d = 0.4: MoE = 196 × √((0.4 + 0.4 − 0²) / 10) = 196 × √0.08 = 196 × 0.28284… = 55.437…
    assert result.margin_of_error == pytest.approx(55.4372, abs=1e-4)


def test_nps_research_example_margin_of_error():
    # research §2.1: p = .5, d = .2, N = 100 → 196 × √((0.7 − 0.09)/100) = 196 × 0.0781 = 15.31
    answers = ratings("0-10", *([10] * 50 + [8] * 30 + [3] * 20))
    result = f.nps(answers)
    assert result.value == 30.0  # 100 × (50 − 20) / 100
    assert result.margin_of_error == pytest.approx(196 * math.sqrt(0.61 / 100))
    assert round(result.margin_of_error, 1) == 15.3


def test_nps_all_passives_is_zero_with_zero_margin():
    result = f.nps(ratings("0-10", 7, 8, 7, 8))
    assert (result.value, result.margin_of_error, result.passives) == (0, 0, 4)


def test_no_answers_gives_n_zero_and_no_value():
    assert f.nps([]) == f.NpsResult(0, 0, 0, 0, None, None)
    assert f.csat([]).value is None and f.csat([]).n == 0
    assert f.ces_v2([]).mean is None and f.ces_v1([]).mean is None
    assert f.median([]) is None and f.percentile([], 90) is None
    assert f.win_rate(0, 0).value is None


def test_nps_refuses_other_scales_and_out_of_range_answers():
    with pytest.raises(ScaleError, match="1-5"):
        f.nps(ratings("1-5", 5))
    with pytest.raises(ScaleError, match="11"):
        f.nps(ratings("0-10", 11))


def test_csat_top_two_box_on_five_and_seven_point_scales():
    # 1–5: 4 and 5 count → 3 of 5 = 60 %
    assert f.csat(ratings("1-5", 5, 4, 4, 3, 1)).value == pytest.approx(60.0)
    # 1–7: only 6 and 7 count (5 does not) → 2 of 4 = 50 %
    result = f.csat(ratings("1-7", 7, 6, 5, 2))
    assert (result.hits, result.scale, result.value) == (2, "1-7", 50.0)


def test_mixed_scales_are_rejected_naming_both():
    with pytest.raises(MixedScalesError, match=r"CSAT needs answers on one scale, got 1-5, 1-7") as err:
        f.csat(ratings("1-5", 4) + ratings("1-7", 6))
    assert isinstance(err.value, ValueError)
    assert err.value.scales == ["1-5", "1-7"]


def test_ces_v2_mean_and_agree_share():
    # 7,6,5,4,1: mean = 23/5 = 4.6; agree (5–7) = 3 of 5 = 60 %
    result = f.ces_v2(ratings("1-7", 7, 6, 5, 4, 1))
    assert (result.mean, result.agree_rate, result.version) == (4.6, 60.0, "v2")


def test_ces_v1_mean_lower_is_better_and_no_agree_share():
    # 1,2,2,5: mean = 10/4 = 2.5
    result = f.ces_v1(ratings("1-5", 1, 2, 2, 5))
    assert (result.mean, result.agree_rate) == (2.5, None)
    with pytest.raises(ScaleError):
        f.ces_v1(ratings("1-7", 3))


def test_median_and_nearest_rank_p90():
    values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    # sorted 1..10: median = (5 + 6) / 2 = 5.5; P90 rank = ceil(0.9 × 10) = 9 → 9
    assert f.median(values) == 5.5
    assert f.percentile(values, 90) == 9
    # 11 values 1..11: rank = ceil(9.9) = 10 → 10; median = 6
    assert f.percentile(range(1, 12), 90) == 10
    assert f.median(range(1, 12)) == 6
    assert f.percentile([42], 90) == 42
    with pytest.raises(ScoringError):
        f.percentile(values, 0)


def test_first_response_excludes_unanswered_tickets_per_channel():
    tickets = [
        f.Ticket(channel="email", created=T0, first_response=T0 + timedelta(hours=1)),
        f.Ticket(channel="email", created=T0, first_response=T0 + timedelta(hours=3)),
        f.Ticket(channel="email", created=T0, first_response=None),
        f.Ticket(channel="chat", created=T0, first_response=T0 + timedelta(minutes=30)),
        f.Ticket(channel="chat", created=T0, first_response=T0 - timedelta(minutes=1)),
    ]
    result = f.first_response_times(tickets)
    assert list(result) == ["chat", "email"]
    # email: 1 h and 3 h answered → median 2 h, P90 rank ceil(1.8) = 2 → 3 h; one missing
    assert result["email"] == f.DurationSummary(n=2, missing=1, invalid=0, median=2.0, p90=3.0)
    # chat: 0.5 h valid, one reply before creation is invalid
    assert result["chat"] == f.DurationSummary(n=1, missing=0, invalid=1, median=0.5, p90=0.5)


def test_resolution_times_one_channel():
    tickets = [f.Ticket(channel="email", created=T0, resolved=T0 + timedelta(hours=h)) for h in (2, 4, 30)]
    assert f.resolution_times(tickets) == {"email": f.DurationSummary(3, 0, 0, 4.0, 30.0)}


def test_rates():
    assert f.win_rate(won=3, lost=9).value == 25.0  # 3 / 12
    assert f.churn_rate(lost=5, at_start=200).value == 2.5  # 5 / 200
    # buyers with ≥ 1 order: 4 (the 0 is not a buyer); with ≥ 2: 2 → 50 %
    assert f.repeat_purchase_rate([1, 2, 0, 5, 1]).value == 50.0
    assert f.engagement_rate(engaged_sessions=620, sessions=1000).value == 62.0
    with pytest.raises(ScoringError):
        f.rate(5, 4)


def test_sales_cycle_uses_won_deals_only():
    deals = [
        f.Deal(created=T0, closed=T0 + timedelta(days=10), won=True),
        f.Deal(created=T0, closed=T0 + timedelta(days=30), won=True),
        f.Deal(created=T0, closed=T0 + timedelta(days=2), won=False),
    ]
    assert f.sales_cycle_median_days(deals).median == 20.0  # (10 + 30) / 2


def test_channel_spread_needs_two_channels_with_enough_answers():
    big = f.ShareResult(n=40, scale="1-5", hits=36, value=90.0)
    other = f.ShareResult(n=50, scale="1-5", hits=35, value=70.0)
    small = f.ShareResult(n=10, scale="1-5", hits=1, value=10.0)
    assert f.channel_spread({"email": big, "chat": other, "phone": small}) == 20.0  # 90 − 70
    assert f.channel_spread({"email": big, "phone": small}) is None  # one channel with n ≥ 30


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=300))
def test_nps_always_within_bounds(scores):
    result = f.nps(ratings("0-10", *scores))
    if scores:
        assert -100 <= result.value <= 100
        assert result.margin_of_error >= 0
    else:
        assert result.value is None


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=200))
def test_percentiles_are_observed_and_ordered(values):
    p90 = f.percentile(values, 90)
    assert p90 in values
    assert min(values) <= f.median(values) <= max(values)
