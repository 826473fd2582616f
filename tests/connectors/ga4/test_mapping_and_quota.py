"""GA4's response shapes without a server: rows zipped with headers by name and cast by their
types, ids that stay stable, and the wait each quota error asks for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from cxsuite_ga4 import mapping
from cxsuite_ga4.connector import GA4Config, Position, report_body, resume
from cxsuite_ga4.quota import quota_hint

BODY = {
    "dimensionHeaders": [{"name": "landingPage"}, {"name": "date"}, {"name": "deviceCategory"},
                         {"name": "sessionDefaultChannelGroup"}],
    "metricHeaders": [{"name": "totalRevenue", "type": "TYPE_CURRENCY"}, {"name": "sessions", "type": "TYPE_INTEGER"},
                      {"name": "keyEvents", "type": "TYPE_FLOAT"},
                      {"name": "engagedSessions", "type": "TYPE_INTEGER"}],
    "metadata": {"currencyCode": "USD", "timeZone": "America/New_York"},
}


def _row(dims: list[str], mets: list[str]) -> dict:
    return {"dimensionValues": [{"value": v} for v in dims], "metricValues": [{"value": v} for v in mets]}


def test_rows_are_zipped_with_headers_by_name_and_cast_by_type():
    shape = mapping.ReportShape.of("412345678", BODY)
    record = mapping.web_metric(shape, _row(["/pricing", "20260114", "mobile", "Paid Search"],
                                            ["123.45", "17", "2.5", "11"]))
    assert record.external_id == "20260114|Paid Search|mobile|/pricing"
    assert record.date == date(2026, 1, 14)
    assert (record.channel_group, record.device, record.landing_page) == ("Paid Search", "mobile", "/pricing")
    assert (record.sessions, record.engaged_sessions, record.conversions, record.revenue) == (17, 11, 2.5, 123.45)
    assert record.raw["sessions"] == "17" and record.raw["landingPage"] == "/pricing"
    assert record.raw["currencyCode"] == "USD" and record.raw["timeZone"] == "America/New_York"


def test_not_set_values_are_none_but_keep_their_place_in_the_id():
    shape = mapping.ReportShape.of("1", BODY)
    record = mapping.web_metric(shape, _row(["(not set)", "20260114", "desktop", "Unassigned"],
                                            ["0", "3", "0", "1"]))
    assert record.landing_page is None and record.channel_group == "Unassigned"
    assert record.external_id == "20260114|Unassigned|desktop|(not set)"


def test_a_landing_page_too_long_for_the_id_column_is_digested_stably():
    page = "/search?q=" + "x" * 400
    first = mapping.external_id({"date": "20260114", "sessionDefaultChannelGroup": "Direct",
                                 "deviceCategory": "mobile", "landingPage": page})
    again = mapping.external_id({"date": "20260114", "sessionDefaultChannelGroup": "Direct",
                                 "deviceCategory": "mobile", "landingPage": page})
    assert first == again and len(first) <= 255 and first.startswith("20260114|Direct|mobile|sha256:")


@pytest.mark.parametrize(("dims", "mets", "reason"), [
    (["/", "20260114", "mobile", "Direct"], ["1", "n/a", "0", "0"], "metric sessions (TYPE_INTEGER)"),
    (["/", "2026-01-14", "mobile", "Direct"], ["1", "2", "0", "0"], "dimension date is not YYYYMMDD"),
    (["/", "20260114", "mobile", "Direct"], ["1", "2.5", "0", "0"], "metric sessions (TYPE_INTEGER)"),
])
def test_a_value_that_does_not_cast_is_a_mapping_error(dims, mets, reason):
    with pytest.raises(mapping.MappingError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        mapping.web_metric(mapping.ReportShape.of("1", BODY), _row(dims, mets))


def _quota_error(message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(429, headers=headers, json={"error": {
        "code": 429, "message": message, "status": "RESOURCE_EXHAUSTED"}})


@pytest.mark.parametrize(("message", "bucket", "wait"), [
    ("Exhausted concurrent requests quota.", "concurrentRequests", None),
    ("Exhausted property tokens for a project per hour. These quota tokens will return in under an hour.",
     "tokensPerProjectPerHour", timedelta(hours=1)),
    ("Exhausted property tokens per hour. These quota tokens will return in under an hour.", "tokensPerHour",
     timedelta(hours=1)),
    ("Exhausted potentially thresholded requests quota.", "potentiallyThresholdedRequestsPerHour",
     timedelta(hours=1)),
    ("Exhausted server errors quota.", "serverErrorsPerProjectPerHour", timedelta(hours=1)),
    ("Exhausted property tokens per day. These quota tokens will return in under 24 hours.", "tokensPerDay",
     timedelta(hours=23)),  # 09:00 UTC is 01:00 Pacific: the next midnight Pacific is 08:00 UTC tomorrow
])
def test_each_quota_bucket_is_named_and_waits_as_long_as_it_needs(message, bucket, wait):
    now = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    hint = quota_hint(_quota_error(message), now)
    assert hint is not None and hint.action == "rate_limited" and bucket in hint.message
    if wait is None:  # concurrency frees in seconds: waited out inside the client
        assert (hint.after, hint.resume_at) == (30, None)
    else:
        assert hint.resume_at == now + wait


def test_a_retry_after_from_google_wins_over_the_table():
    hint = quota_hint(_quota_error("Exhausted property tokens for a project per hour.", {"Retry-After": "5"}))
    assert hint is not None and hint.after == 5 and hint.resume_at is None


@pytest.mark.parametrize("status", [400, 403, 500, 503])
def test_other_errors_are_left_to_the_status_code(status):
    """(A 403 ``PERMISSION_DENIED`` is read: tests/connectors/test_vendor_failures.py.)"""
    assert quota_hint(httpx.Response(status, json={"error": {"code": status, "status": "X"}})) is None


def test_windows_chain_to_today_and_the_next_sync_rereads_the_look_back():
    config = GA4Config(property_id="1", start_date=date(2026, 1, 1), window_days=10, lookback_days=3)
    position = resume(None, config, date(2026, 1, 15))
    assert (position.start, position.end) == ("2026-01-01", "2026-01-10")
    position.advance(100, 250, config)
    assert position.offset == 100 and position.start == "2026-01-01"
    position.advance(60, 250, config)  # a short page is not the end: rowCount is
    assert position.offset == 160
    position.advance(90, 250, config)
    assert (position.start, position.end, position.offset) == ("2026-01-11", "2026-01-15", 0)
    position.advance(0, 0, config)
    assert position.as_dict() == {"offset": 0, "synced_through": "2026-01-15"}
    again = resume(position.as_dict(), config, date(2026, 1, 17))
    assert (again.start, again.end) == ("2026-01-12", "2026-01-17")


def test_a_first_sync_without_start_date_reads_two_years():
    position = resume(None, GA4Config(property_id="1"), date(2026, 11, 22))
    assert position.start == "2024-11-22"
    assert Position(**position.as_dict()) == position


def test_an_absent_metric_is_absent_not_zero():
    """A response without ``totalRevenue`` and ``keyEvents`` (a property without e-commerce, or
    a metric the API left out) stores ``None`` for them, never 0."""
    body = {**BODY, "metricHeaders": [{"name": "engagedSessions", "type": "TYPE_INTEGER"},
                                      {"name": "sessions", "type": "TYPE_INTEGER"}]}
    record = mapping.web_metric(mapping.ReportShape.of("1", body),
                                _row(["/pricing", "20260114", "mobile", "Paid Search"], ["4", "9"]))
    assert (record.sessions, record.engaged_sessions) == (9, 4)
    assert record.conversions is None and record.revenue is None


def test_a_row_whose_values_do_not_match_the_headers_is_rejected_not_shifted():
    with pytest.raises(mapping.MappingError, match="metric values"):
        mapping.web_metric(mapping.ReportShape.of("1", BODY),
                           _row(["/pricing", "20260114", "mobile", "Paid Search"], ["1", "2", "3"]))


def test_the_request_asks_for_new_vs_returning_and_the_record_keeps_it():
    body = report_body(Position(start="2026-01-01", end="2026-01-10"), GA4Config(property_id="1"))
    assert {"name": "newVsReturning"} in body["dimensions"]
    response = {**BODY, "dimensionHeaders": [{"name": "newVsReturning"}, *BODY["dimensionHeaders"]]}
    shape = mapping.ReportShape.of("1", response)
    returning = mapping.web_metric(shape, _row(["returning", "/", "20260114", "mobile", "Direct"],
                                               ["1", "2", "0", "1"]))
    new = mapping.web_metric(shape, _row(["new", "/", "20260114", "mobile", "Direct"], ["1", "2", "0", "1"]))
    unknown = mapping.web_metric(shape, _row(["(not set)", "/", "20260114", "mobile", "Direct"],
                                             ["1", "2", "0", "1"]))
    assert (returning.new_vs_returning, new.new_vs_returning, unknown.new_vs_returning) == (
        "returning", "new", None)
    assert len({returning.external_id, new.external_id, unknown.external_id}) == 3  # no row overwrites another
    assert returning.external_id == "20260114|Direct|mobile|/|returning"


@pytest.mark.parametrize(("metadata", "flags"), [
    ({}, []),
    ({"subjectToThresholding": True}, ["thresholded"]),
    ({"dataLossFromOtherRow": True}, ["other_row"]),
    ({"samplingMetadatas": [{"samplesReadCount": "1000", "samplingSpaceSize": "100000"}]}, ["sampled"]),
    ({"subjectToThresholding": True, "dataLossFromOtherRow": True,
      "samplingMetadatas": [{"samplesReadCount": "1", "samplingSpaceSize": "2"}]},
     ["other_row", "sampled", "thresholded"]),
])
def test_sampling_thresholding_and_other_rows_become_quality_flags(metadata, flags):
    body = {**BODY, "metadata": {**BODY["metadata"], **metadata}}
    record = mapping.web_metric(mapping.ReportShape.of("1", body),
                                _row(["/", "20260114", "mobile", "Direct"], ["1", "2", "0", "1"]))
    assert record.quality_flags == flags


def test_the_other_row_itself_is_flagged():
    record = mapping.web_metric(mapping.ReportShape.of("1", BODY),
                                _row(["(other)", "20260114", "(other)", "(other)"], ["1", "2", "0", "1"]))
    assert record.quality_flags == ["other_row"]


@pytest.mark.parametrize(("message", "bucket"), [
    ("Exhausted property tokens per project per hour. These quota tokens will return in under an hour.",
     "tokensPerProjectPerHour"),
    ("Exhausted property tokens per project per property per hour.", "tokensPerProjectPerHour"),
    ("Exhausted server errors per project per hour quota.", "serverErrorsPerProjectPerHour"),
    ("Exhausted potentially thresholded requests per hour quota.", "potentiallyThresholdedRequestsPerHour"),
    ("Exhausted concurrent requests per property quota.", "concurrentRequests"),
    ("Quota tokensPerHour exhausted.", "tokensPerHour"),
])
def test_google_s_other_wordings_still_name_the_right_bucket(message, bucket):
    hint = quota_hint(_quota_error(message), datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    assert hint is not None and bucket in hint.message and "unnamed" not in hint.message


def test_a_low_bucket_warning_names_that_bucket(caplog):
    from cxsuite_ga4.connector import _note_quota
    with caplog.at_level("WARNING", logger="cxsuite.connectors.ga4"):
        _note_quota("1", {"tokensPerDay": {"consumed": 10, "remaining": 199_000},
                          "tokensPerProjectPerHour": {"consumed": 10, "remaining": 40},
                          "concurrentRequests": {"consumed": 0, "remaining": 10}})
    assert [r.getMessage() for r in caplog.records] == ["GA4 property 1: tokensPerProjectPerHour has 40 left"]
