"""The pieces a sandbox sync does not reach at every edge: the cursor's SOQL and its settling
window, how Salesforce's error answers are classified, and mapping edge cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cxsuite_salesforce import mapping
from cxsuite_salesforce.connector import SalesforceConnector
from cxsuite_salesforce.cursor import SETTLE, Cursor, in_list, incremental_query, parse_stamp, soql_datetime

ROW = {"attributes": {"type": "Task", "url": "/services/data/v62.0/sobjects/Task/00TDn0000000RFBMA2"},
       "Id": "00TDn0000000RFBMA2", "IsDeleted": False, "SystemModstamp": "2025-01-24T09:10:04.120+0000",
       "CreatedDate": "2025-01-24T09:10:04.000+0000", "TaskSubtype": "Call", "CallType": "Inbound",
       "CompletedDateTime": "2025-01-24T09:10:04.000+0000", "ActivityDate": "2025-01-24",
       "WhoId": "003Dn0000005zHOIAY", "WhatId": "500Dn0000000TIuIAM"}


def test_the_cursor_continues_strictly_after_the_last_row():
    cursor = Cursor().after([ROW])
    assert cursor.as_checkpoint() == {"stamp": "2025-01-24T09:10:04.120Z", "last_id": ROW["Id"]}
    assert incremental_query("Task", ("Id",), Cursor()) == "SELECT Id FROM Task ORDER BY SystemModstamp, Id"
    assert incremental_query("Task", ("Id",), cursor) == (
        "SELECT Id FROM Task WHERE (SystemModstamp > 2025-01-24T09:10:04.120Z OR "
        f"(SystemModstamp = 2025-01-24T09:10:04.120Z AND Id > '{ROW['Id']}')) ORDER BY SystemModstamp, Id")
    assert Cursor.load(cursor.as_checkpoint()) == cursor


def test_a_row_whose_id_is_only_in_attributes_url_is_accepted():
    """Salesforce leaves ``Id`` out of a row when the query did not select it (and some
    integrations strip it); ``attributes.url`` still names the record, so the row is kept."""
    broken = {k: v for k, v in ROW.items() if k != "Id"}
    assert Cursor().after([broken]).last_id == ROW["Id"]
    assert mapping.error_id(broken) == ROW["Id"]
    record = mapping.task(broken, mapping.Context())
    assert record.external_id == ROW["Id"]


def test_a_row_with_no_id_anywhere_is_rejected():
    nameless = {**{k: v for k, v in ROW.items() if k != "Id"}, "attributes": {"type": "Task"}}
    with pytest.raises(mapping.MappingError, match="no Id"):
        mapping.task(nameless, mapping.Context())


def test_a_recent_cursor_settles_back_to_reread_late_commits():
    now = parse_stamp(ROW["SystemModstamp"]) + timedelta(minutes=3)
    settled = Cursor().after([ROW]).settled(now)
    assert (settled.stamp, settled.last_id) == (soql_datetime(now - SETTLE), None)
    assert "SystemModstamp >= " in incremental_query("Task", ("Id",), settled)
    old = Cursor().after([ROW])
    assert old.settled(now + SETTLE) == old


def test_ids_are_validated_before_they_reach_soql():
    assert in_list(["003Dn0000005zHOIAY", "x') OR Name != ('", "003Dn0000005zHO"]) == (
        "('003Dn0000005zHOIAY', '003Dn0000005zHO')")
    assert Cursor.load({"stamp": "2025-01-01T00:00:00.000Z", "last_id": "' OR Id != '"}).last_id is None


def _answer(status: int, code: str, usage: str = "api-usage=10/15000", message: str = "m") -> httpx.Response:
    return httpx.Response(status, json=[{"errorCode": code, "message": message}],
                          headers={"Sforce-Limit-Info": usage})


def test_error_answers_are_classified():
    throttled = SalesforceConnector.retry_hint(_answer(403, "REQUEST_LIMIT_EXCEEDED",
                                                       message="ConcurrentPerOrgLongTxn Limit exceeded."))
    assert throttled is not None and (throttled.action, throttled.after, throttled.resume_at) == (
        "rate_limited", None, None)
    spent = SalesforceConnector.retry_hint(_answer(403, "REQUEST_LIMIT_EXCEEDED", "api-usage=15001/15000",
                                                   "TotalRequests Limit exceeded."))
    assert spent is not None and spent.action == "rate_limited" and spent.resume_at is not None
    assert "15001 of 15000 requests in the last 24 h" in spent.message
    timeout = SalesforceConnector.retry_hint(_answer(400, "QUERY_TIMEOUT"))
    assert timeout is not None and timeout.action == "retry"
    session = SalesforceConnector.retry_hint(_answer(401, "INVALID_SESSION_ID"))
    assert session is not None and session.action == "refresh"
    disabled = SalesforceConnector.retry_hint(_answer(403, "API_DISABLED_FOR_ORG"))
    assert disabled is not None and disabled.action == "misconfigured"
    assert "API_DISABLED_FOR_ORG" in disabled.message
    assert SalesforceConnector.retry_hint(_answer(400, "INVALID_FIELD")) is None


def test_task_mapping_channel_direction_and_journey_stage():
    record = mapping.task(ROW, mapping.Context())
    assert (record.type, record.channel, record.direction, record.journey_stage) == (
        "call", "phone", "inbound", "usage_service")
    assert record.customer_external_id == ROW["WhoId"]
    assert record.occurred_at == datetime(2025, 1, 24, 9, 10, 4, tzinfo=UTC)
    lead = mapping.task({**ROW, "WhoId": "00QDn0000005zHOIAY", "WhatId": "006Dn0000005zHOIAY",
                         "TaskSubtype": "Task"}, mapping.Context())
    assert (lead.type, lead.channel, lead.customer_external_id, lead.journey_stage) == (
        "task", None, None, "purchase")


def test_survey_metrics_and_scales():
    assert mapping.question_metric({"QuestionType": "Nps", "DeveloperName": "q1"}) == "nps"
    assert mapping.question_metric({"QuestionType": "Rating", "DeveloperName": "Support_CES"}) == "ces"
    assert mapping.question_metric({"QuestionType": "Rating", "DeveloperName": "success_rating"}) is None
    context = mapping.Context(questions={"0Tv1": ("csat", "How satisfied were you?")})
    answer = {**ROW, "Id": "0TwDn0000000RFBKA2", "QuestionId": "0Tv1", "NumberValue": 4}
    feedback = mapping.survey_response(answer, context)
    assert (feedback.metric, feedback.score, feedback.scale_max, feedback.question) == (
        "csat", 4.0, 5, "How satisfied were you?")
    with pytest.raises(mapping.MappingError, match="outside 1-5"):
        mapping.survey_response({**answer, "NumberValue": 9}, context)


def test_account_domain_and_deal_history():
    account = mapping.account({**ROW, "Id": "001Dn0000000RFBIA2", "Website": "HTTPS://www.Acme.example/about"},
                              mapping.Context())
    assert account.domain == "acme.example"
    opp = {**ROW, "Id": "006Dn0000000RFBIA2", "StageName": "Closed Won", "IsClosed": True, "IsWon": True,
           "CloseDate": "2025-05-21", "Amount": 10.5}
    history = [{"StageName": "Qualification", "CreatedDate": "2025-04-01T00:00:00.000+0000"},
               {"StageName": "Qualification", "CreatedDate": "2025-04-02T00:00:00.000+0000"},
               {"StageName": "Closed Won", "CreatedDate": "2025-05-21T00:00:00.000+0000"}]
    deal = mapping.opportunity(opp, mapping.Context(history={opp["Id"]: history}))
    assert [h["stage"] for h in deal.stage_history] == ["Qualification", "Closed Won"]
    assert deal.won is True and deal.closed_at == datetime(2025, 5, 21, tzinfo=UTC)
    with pytest.raises(mapping.MappingError, match="Amount"):
        mapping.opportunity({**opp, "Amount": "lots"}, mapping.Context())
