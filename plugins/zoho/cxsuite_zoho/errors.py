"""Zoho CRM's error bodies (``{"code", "details", "message", "status": "error"}``) read as
decisions for the HTTP client, and as messages a client admin can act on.

The status code alone misleads: Zoho answers an expired token and a token of another data
centre both with 401 ``INVALID_TOKEN`` (refresh, then reconnect), a grant without the module's
scope with 401 ``OAUTH_SCOPE_MISMATCH`` (only a new consent helps), a spent allowance with 429
``TOO_MANY_REQUESTS`` and most configuration problems with 400 or 403 and a code. Zoho counts
API credits over a rolling 24 hours and says when they come back in ``X-RATELIMIT-RESET``
(epoch milliseconds); a wait that long pauses the job, a short one (concurrency) is waited
out. Paging codes are not decided here: the reader recovers from them (see
:mod:`cxsuite_zoho.connector`). The token endpoint's errors, which Zoho answers with HTTP 200,
are read by :mod:`cxsuite.connections.token_exchange`.
"""

from __future__ import annotations

from typing import Any

from cxsuite.connectors import RetryHint
from cxsuite.connectors.http import retry_after_seconds

REFRESH_CODES = frozenset({"INVALID_TOKEN", "AUTHENTICATION_FAILURE"})
RECONNECT_CODES = frozenset({"OAUTH_SCOPE_MISMATCH"})
THROTTLE_CODES = frozenset({"TOO_MANY_REQUESTS"})
# The connection's settings or the org's edition and profiles are wrong: an admin fixes them.
MISCONFIGURED_CODES = frozenset({"NO_PERMISSION", "INVALID_MODULE", "FEATURE_NOT_SUPPORTED",
                                 "FEATURE_NOT_ENABLED"})
# Handled by the reader: it learns the page limit or restarts the window from its cursor.
PAGING_CODES = frozenset({"DISCRETE_PAGINATION_LIMIT_EXCEEDED", "PAGINATION_LIMIT_EXCEEDED",
                          "EXPIRED_VALUE"})
ADVICE = {
    "OAUTH_SCOPE_MISMATCH": "the connection was authorised without read access to this module; "
                            "reconnect the account and grant every permission cxsuite asks for",
    "NO_PERMISSION": "the connected Zoho user's profile may not read this module; give the profile "
                     "read access to it or connect another user",
    "INVALID_MODULE": "this Zoho CRM org has no such module (edition or a renamed module)",
    "FEATURE_NOT_SUPPORTED": "the org's Zoho CRM edition does not offer this API",
    "FEATURE_NOT_ENABLED": "the API is disabled for this Zoho CRM org; ask its administrator",
    "LIMIT_EXCEEDED": "Zoho refused the request's size (more than 50 fields); report this to cxsuite",
    "TOKEN_BOUND_DATA_MISMATCH": "a page_token was used with other parameters; report this to cxsuite",
    "REQUIRED_PARAM_MISSING": "a required parameter is missing; report this to cxsuite",
    "INVALID_DATA": "Zoho refused a parameter; report this to cxsuite",
}


def error_of(response: Any) -> dict[str, Any]:
    """Zoho's error body, or ``{}`` when the body is empty or not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) and "code" in body else {}


def describe(response: Any) -> str:
    """``CODE: what to do`` for a refused request, with the path (never the query string)."""
    error = error_of(response)
    code = str(error.get("code") or response.status_code)
    advice = ADVICE.get(code) or str(error.get("message") or "no message")[:200]
    return f"{code} on {response.request.url.path}: {advice}"


def hint(response: Any) -> RetryHint | None:
    """What the client does with a Zoho answer: refresh, retry, wait, fail, or (``None``) hand it
    to the reader (successes, 204/304 and the paging codes)."""
    status = response.status_code
    if status < 400:
        return None
    error = error_of(response)
    code = str(error.get("code") or "")
    if code in RECONNECT_CODES:
        return RetryHint("reconnect", message=f"{describe(response)}")
    if code in REFRESH_CODES or status == 401:
        return RetryHint("refresh")
    if code in THROTTLE_CODES or status == 429:
        after = retry_after_seconds(response.headers)
        if after is None and isinstance((error.get("details") or {}).get("retry_after"), int | float):
            after = float(error["details"]["retry_after"])
        return RetryHint("rate_limited", after, f"answered {status} {code or 'TOO_MANY_REQUESTS'}")
    if status >= 500:
        return RetryHint("retry", retry_after_seconds(response.headers), f"answered {status} {code}".strip())
    if code in PAGING_CODES:
        return None
    if code in MISCONFIGURED_CODES:
        return RetryHint("misconfigured", message=f"refused the request ({describe(response)})")
    return RetryHint("fail", message=f"refused the request ({describe(response)})")
