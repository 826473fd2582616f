"""Zoho CRM error codes read as decisions (refresh, retry, fail, or left to the reader) and as
messages a client admin can act on."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from cxsuite_zoho.connector import ZohoConnector

URL = "https://www.zohoapis.eu/crm/v8/Deals?fields=Stage&page=1"


def _response(status: int, body: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers, request=httpx.Request("GET", URL))


def _error(code: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": f"{code.lower()} message", "status": "error"}


@pytest.mark.parametrize("response", [
    _response(401, _error("INVALID_TOKEN")), _response(401, _error("AUTHENTICATION_FAILURE")),
    _response(400, _error("INVALID_TOKEN")), _response(401)])
def test_refused_tokens_are_refreshed(response: httpx.Response) -> None:
    assert ZohoConnector.retry_hint(response).action == "refresh"


def test_throttling_waits_as_long_as_zoho_says() -> None:
    with_header = ZohoConnector.retry_hint(_response(429, _error("TOO_MANY_REQUESTS"), **{"Retry-After": "7"}))
    in_details = ZohoConnector.retry_hint(_response(429, _error("TOO_MANY_REQUESTS", retry_after=12)))
    unknown = ZohoConnector.retry_hint(_response(429))
    assert (with_header.action, with_header.after) == ("rate_limited", 7.0)
    assert (in_details.action, in_details.after) == ("rate_limited", 12.0)
    assert (unknown.action, unknown.after) == ("rate_limited", None)
    assert ZohoConnector.retry_hint(_response(500, _error("INTERNAL_ERROR"))).action == "retry"


@pytest.mark.parametrize(("code", "action", "advice"), [
    ("OAUTH_SCOPE_MISMATCH", "reconnect", "reconnect the account and grant"),
    ("NO_PERMISSION", "misconfigured", "profile"), ("INVALID_MODULE", "misconfigured", "no such module"),
    ("FEATURE_NOT_SUPPORTED", "misconfigured", "edition"), ("SOMETHING_NEW", "fail", "something_new message")])
def test_other_codes_say_whose_move_it_is_with_the_code_the_path_and_what_to_do(code: str, action: str,
                                                                                advice: str) -> None:
    hint = ZohoConnector.retry_hint(_response(403 if code == "NO_PERMISSION" else 400, _error(code)))
    assert hint.action == action
    assert code in hint.message and "/crm/v8/Deals" in hint.message and advice in hint.message
    assert "fields=" not in hint.message  # query strings never reach messages


@pytest.mark.parametrize("code", ["DISCRETE_PAGINATION_LIMIT_EXCEEDED", "PAGINATION_LIMIT_EXCEEDED",
                                  "EXPIRED_VALUE"])
def test_paging_codes_are_left_to_the_reader(code: str) -> None:
    assert ZohoConnector.retry_hint(_response(400, _error(code))) is None


@pytest.mark.parametrize("status", [200, 204, 304])
def test_answers_without_errors_are_left_to_the_reader(status: int) -> None:
    assert ZohoConnector.retry_hint(httpx.Response(status, request=httpx.Request("GET", URL))) is None
