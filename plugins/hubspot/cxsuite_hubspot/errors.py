"""HubSpot's error answers read as failure classes for the HTTP client.

- 429 ``RATE_LIMIT`` names its window in ``policyName``: ``TEN_SECONDLY_ROLLING`` and
  ``SECONDLY`` are waited out (``Retry-After`` when sent, which HubSpot often omits, else
  backoff); ``DAILY`` is spent until midnight in the account's time zone ("The daily limits
  reset at midnight based on the time zone setting of the HubSpot account",
  developers.hubspot.com/apisbytier), so the job pauses until then instead of retrying.
  HubSpot offers no call to read that time zone once the limit is spent, so it is a
  connection setting (``account_time_zone``, default UTC).
- 401 (``EXPIRED_AUTHENTICATION``, ``INVALID_AUTHENTICATION``): refresh, then reconnect.
- 403 ``MISSING_SCOPES``: the grant lacks a scope the call needs; only a new consent adds it.
- Everything else is left to the status code (5xx transient) or to the reader (400s).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cxsuite.connectors import RetryHint
from cxsuite.connectors.http import retry_after_seconds
from cxsuite.connectors.windows import clock_time, next_midnight


def body_of(response: Any) -> dict[str, Any]:
    """HubSpot's JSON error object, or ``{}``."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def hint(response: Any, time_zone: str = "UTC", now: datetime | None = None) -> RetryHint | None:
    """What the client does with a HubSpot answer (``None``: the status code decides)."""
    status, body = response.status_code, body_of(response)
    if status == 429:
        policy = str(body.get("policyName") or "")
        if policy == "DAILY":
            resume_at = next_midnight(now or datetime.now(UTC), time_zone)
            return RetryHint("rate_limited", message="HubSpot daily API limit reached; resumes at "
                             f"{clock_time(resume_at, now)}", resume_at=resume_at)
        after = retry_after_seconds(response.headers)
        return RetryHint("rate_limited", after, f"answered 429 {policy or 'RATE_LIMIT'}".strip())
    if status == 403 and body.get("category") == "MISSING_SCOPES":
        return RetryHint("reconnect", message=f"the connection lacks a permission this call needs "
                         f"({', '.join(_required_scopes(body)) or 'a scope'}); reconnect the account "
                         "and grant every permission cxsuite asks for")
    return None


def _required_scopes(body: dict[str, Any]) -> list[str]:
    scopes: list[str] = []
    for error in body.get("errors") or []:
        context = error.get("context") or {} if isinstance(error, dict) else {}
        named = context.get("requiredGranularScopes") or context.get("requiredScopes") or []
        scopes += [str(scope) for scope in named]
    return scopes[:5]
