"""Salesforce's REST error lists (``[{"message", "errorCode"}]``, errorcodes.htm) read as
failure classes for the HTTP client, and as text a job can show.

- 401 ``INVALID_SESSION_ID``: the session expired; refresh, then reconnect.
- 403 ``REQUEST_LIMIT_EXCEEDED`` is throttling. "TotalRequests Limit exceeded." is the org's
  daily API allowance, counted over a rolling 24 hours, so no moment is known when it comes
  back: the job pauses for an hour and looks again (``Sforce-Limit-Info`` says how much was
  used). Any other limit (``ConcurrentPerOrgLongTxn``: too many long requests at once) is
  short, waited out with backoff.
- 400 ``QUERY_TIMEOUT``: the query ran too long on Salesforce's side this time; transient.
- 403 ``API_DISABLED_FOR_ORG``, ``API_CURRENTLY_DISABLED``, ``INSUFFICIENT_ACCESS``, or any
  other 403: the org or the connected user's profile does not allow it; an admin fixes it.
- 5xx: transient (the status code decides).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from cxsuite.connectors import RetryHint
from cxsuite.connectors.windows import clock_time

DAILY_LIMIT_WAIT = timedelta(hours=1)
TRANSIENT_CODES = frozenset({"QUERY_TIMEOUT", "SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW"})
_LIMIT_INFO = re.compile(r"api-usage=(\d+)/(\d+)")


def vendor_errors(response: Any) -> list[tuple[str, str]]:
    """``(errorCode, message)`` pairs of a Salesforce error list (or a lone error object)."""
    try:
        body = response.json()
    except ValueError:
        return []
    items = body if isinstance(body, list) else [body]
    return [(str(i.get("errorCode") or i.get("error") or ""), str(i.get("message") or ""))
            for i in items if isinstance(i, dict)]


def describe_errors(response: Any) -> str:
    """The errors as ``CODE: message`` text, short enough for a job's status."""
    pairs = vendor_errors(response)
    text = "; ".join(f"{code}: {message.strip()}" for code, message in pairs) if pairs else response.text
    return text[:300]


def salesforce_hint(response: Any, now: datetime | None = None) -> RetryHint | None:
    """What the client does with a Salesforce answer (``None``: the status code decides)."""
    status = response.status_code
    if status < 400 or status >= 500:
        return None
    errors = dict(vendor_errors(response))
    if "REQUEST_LIMIT_EXCEEDED" in errors:
        return _limit_hint(errors["REQUEST_LIMIT_EXCEEDED"], response, now or datetime.now(UTC))
    if TRANSIENT_CODES & errors.keys():
        return RetryHint("retry", message=f"answered {status} ({describe_errors(response)})")
    if status == 401:
        return RetryHint("refresh")
    if status == 403:
        return RetryHint("misconfigured", message=f"refused access ({describe_errors(response)}); "
                         "give the connected user's profile API access and read access to the object")
    return None


def _limit_hint(message: str, response: Any, now: datetime) -> RetryHint:
    if "TotalRequests" not in message:
        return RetryHint("rate_limited", message=f"REQUEST_LIMIT_EXCEEDED: {message.strip()[:120]}")
    usage = _LIMIT_INFO.search(response.headers.get("sforce-limit-info", ""))
    used = f" ({usage.group(1)} of {usage.group(2)} requests in the last 24 h)" if usage else ""
    resume_at = now + DAILY_LIMIT_WAIT
    return RetryHint("rate_limited", message=f"Salesforce daily API request limit reached{used}; "
                     f"resumes at {clock_time(resume_at, now)}", resume_at=resume_at)
