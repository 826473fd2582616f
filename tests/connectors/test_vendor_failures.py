"""Each vendor's known error answers, sent by a real loopback server to the real HTTP client with
the vendor's connector, end as the right failure class with a message a person can act on.

Bodies are the vendors' own (HubSpot's 429 docs example and ``MISSING_SCOPES``; Salesforce's
errorcodes.htm; Zoho's ``{code, details, message, status}``; Google's error envelope with
``ErrorInfo``)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from cxsuite_ga4.connector import GA4Connector
from cxsuite_hubspot.connector import HubSpotConnector
from cxsuite_salesforce.connector import SalesforceConnector
from cxsuite_zoho.connector import ZohoConnector
from litestar import Litestar, Response, route
from litestar.enums import HttpMethod
from litestar.params import FromPath

from cxsuite.connectors import BaseConnector
from cxsuite.connectors.egress import EgressPolicy, PinnedTransport
from cxsuite.connectors.http import RetryPolicy, VendorClient
from cxsuite.errors import FailureClass
from cxsuite.failures import Failure, classify
from tests.support.server import free_port

pytestmark = pytest.mark.anyio
T, R, N, M = (FailureClass.TRANSIENT, FailureClass.RATE_LIMITED, FailureClass.NEEDS_RECONNECT,
              FailureClass.MISCONFIGURED)


@dataclass
class Answers:
    """What the vendor answers, every time."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    hits: int = 0


@contextmanager
def vendor(answers: Answers) -> Iterator[int]:
    @route("/{path:path}", http_method=[HttpMethod.GET, HttpMethod.POST])
    async def anything(path: FromPath[str]) -> Response:
        answers.hits += 1
        return Response(answers.body, status_code=answers.status, headers=answers.headers,
                        media_type="application/json")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(Litestar([anything], openapi_config=None), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        pass
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(5)


async def outcome(connector: type[BaseConnector], answers: Answers) -> Failure | None:
    """How the client's call ends: the classified failure, or ``None`` when the answer was
    handed back to the connector as an ordinary response."""
    sleeps: deque[float] = deque()

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    with vendor(answers) as port:
        policy = EgressPolicy.for_hosts((), (f"127.0.0.1:{port}",))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", transport=PinnedTransport(policy),
                                     follow_redirects=False) as http:
            client = VendorClient(connector, http, None, policy=RetryPolicy(max_attempts=3), sleep=sleep)
            try:
                await client.get("/services/data/v62.0/query")
            except Exception as exc:  # the point is what it is classified as
                return classify(exc)
    return None


def hubspot_429(policy: str, message: str) -> dict[str, Any]:
    return {"status": "error", "message": message, "errorType": "RATE_LIMIT",
            "correlationId": "a1b2", "policyName": policy, "requestId": "r1"}


def salesforce(code: str, message: str) -> list[dict[str, str]]:
    return [{"message": message, "errorCode": code}]


def zoho(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "error"}


def google(code: int, status: str, message: str, reason: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                             "domain": "googleapis.com",
                             "metadata": {"service": "analyticsdata.googleapis.com"}}]
    return {"error": error}


CASES = [
    # HubSpot
    ("hubspot ten-secondly 429", HubSpotConnector, Answers(429, hubspot_429(
        "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.")), R, "rate limit"),
    ("hubspot 401 expired twice", HubSpotConnector, Answers(401, {
        "status": "error", "message": "The OAuth token used to make this call expired 1 second(s) ago.",
        "category": "EXPIRED_AUTHENTICATION", "correlationId": "c"}), N, "reconnect"),
    ("hubspot missing scopes", HubSpotConnector, Answers(403, {
        "status": "error", "message": "This app hasn't been granted all required scopes to make this call.",
        "correlationId": "c", "category": "MISSING_SCOPES",
        "errors": [{"message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": ["crm.objects.feedback_submissions.read"]}}]}),
     N, "crm.objects.feedback_submissions.read"),
    ("hubspot 502", HubSpotConnector, Answers(502, {"status": "error", "message": "Bad gateway"}), T,
     "answered 502"),
    # Salesforce
    ("salesforce QUERY_TIMEOUT", SalesforceConnector, Answers(400, salesforce(
        "QUERY_TIMEOUT", "Your query request was running for too long.")), T, "QUERY_TIMEOUT"),
    ("salesforce daily limit", SalesforceConnector, Answers(403, salesforce(
        "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
        {"Sforce-Limit-Info": "api-usage=15001/15000"}), R, "Salesforce daily API request limit reached"),
    ("salesforce concurrent limit", SalesforceConnector, Answers(403, salesforce(
        "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")), R, "ConcurrentPerOrgLongTxn"),
    ("salesforce API disabled", SalesforceConnector, Answers(403, salesforce(
        "API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner")), M, "API_DISABLED"),
    ("salesforce insufficient access", SalesforceConnector, Answers(403, salesforce(
        "INSUFFICIENT_ACCESS", "insufficient access rights on cross-reference id")), M, "INSUFFICIENT_ACCESS"),
    ("salesforce server unavailable", SalesforceConnector, Answers(503, salesforce(
        "SERVER_UNAVAILABLE", "Server temporarily unavailable")), T, "503"),
    # Zoho CRM
    ("zoho credits spent", ZohoConnector, Answers(429, zoho(
        "TOO_MANY_REQUESTS", "The API credit limit of the organisation is exceeded."),
        {"X-RATELIMIT-LIMIT": "50000", "X-RATELIMIT-REMAINING": "0",
         "X-RATELIMIT-RESET": str(int((datetime.now(UTC) + timedelta(hours=5)).timestamp() * 1000))}),
     R, "Zoho CRM"),
    ("zoho scope mismatch", ZohoConnector, Answers(401, zoho(
        "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")), N, "reconnect"),
    ("zoho no permission", ZohoConnector, Answers(403, zoho(
        "NO_PERMISSION", "permission denied", permissions=["Crm_Implied_View_Cases"])), M, "profile"),
    ("zoho invalid module", ZohoConnector, Answers(400, zoho(
        "INVALID_MODULE", "the module name given seems to be invalid", resource_path_index=0)), M,
     "no such module"),
    ("zoho internal error", ZohoConnector, Answers(500, zoho(
        "INTERNAL_ERROR", "Internal Server Error occurred while processing this request.")), T, "500"),
    # Google Analytics 4
    ("ga4 tokens per day", GA4Connector, Answers(429, google(
        429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per day. These quota tokens will return in "
        "under 24 hours.")), R, "tokensPerDay"),
    ("ga4 tokens per hour", GA4Connector, Answers(429, google(
        429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per hour. These quota tokens will return in "
        "under an hour.")), R, "tokensPerHour"),
    ("ga4 concurrent requests", GA4Connector, Answers(429, google(
        429, "RESOURCE_EXHAUSTED", "Exhausted concurrent requests quota.")), R, "concurrentRequests"),
    ("ga4 permission denied", GA4Connector, Answers(403, google(
        403, "PERMISSION_DENIED", "User does not have sufficient permissions for this property.")), M,
     "Viewer access"),
    ("ga4 insufficient scope", GA4Connector, Answers(403, google(
        403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.",
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT")), N, "analytics.readonly"),
    ("ga4 unavailable", GA4Connector, Answers(503, google(
        503, "UNAVAILABLE", "The service is currently unavailable.")), T, "503"),
]


@pytest.mark.parametrize(("connector", "answers", "expected", "says"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
async def test_vendor_errors_map_to_the_taxonomy(connector, answers, expected, says):
    failure = await outcome(connector, answers)
    assert failure is not None, "the error answer was handed to the connector as a success"
    assert failure.failure_class is expected, failure.message
    assert says in failure.message


async def test_hubspot_daily_limit_pauses_until_midnight_with_its_message():
    failure = await outcome(HubSpotConnector, answers := Answers(429, hubspot_429(
        "DAILY", "You have reached your daily limit.")))
    assert failure is not None and failure.failure_class is R
    assert failure.message == "HubSpot daily API limit reached; resumes at 00:00 UTC"
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert failure.resume_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC)
    assert answers.hits == 1  # no retry against a spent daily limit


async def test_ga4_daily_tokens_resume_at_midnight_pacific():
    failure = await outcome(GA4Connector, Answers(429, google(
        429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per day.")))
    assert failure is not None and failure.resume_at is not None
    pacific = failure.resume_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (pacific.hour, pacific.minute) == (0, 0)
    assert failure.resume_at - datetime.now(UTC) <= timedelta(hours=24)
