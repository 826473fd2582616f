"""GA4 quota errors: how long to stay away from a property once a quota bucket is spent.

Every GA4 property has token buckets (per day, per hour, per project per hour, concurrent
requests, server errors, potentially thresholded requests). When one is spent, *every*
request to the property fails with HTTP 429 ``RESOURCE_EXHAUSTED`` until it refills, so
retrying at once only burns the remaining buckets. The error says which bucket in its message;
the waits below are the ones Airbyte's GA4 source settled on for each message
(``api_quota.py``). A wait longer than the HTTP client sleeps becomes a transient error with
``retry_after``, and the job runner defers the whole sync by that much.
"""

from __future__ import annotations

from typing import Any

from cxsuite.connectors import RetryHint

QUOTA_WAITS: tuple[tuple[str, float], ...] = (
    ("Exhausted concurrent requests quota.", 30.0),
    ("Exhausted property tokens for a project per hour.", 1800.0),
    ("Exhausted potentially thresholded requests quota.", 1800.0),
    ("Exhausted server errors quota.", 3600.0),
)
# A quota message we do not know (the daily and hourly property buckets have no public
# wording): assume an hourly bucket and come back in half an hour rather than hammer.
UNKNOWN_QUOTA_WAIT = 1800.0


def google_error(response: Any) -> dict[str, Any]:
    """Google's ``{"error": {code, message, status}}`` envelope, or ``{}``."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def quota_wait(message: str) -> float:
    """Seconds to leave the property alone after a quota error with this message."""
    return next((wait for pattern, wait in QUOTA_WAITS if pattern in message), UNKNOWN_QUOTA_WAIT)


def _retry_after(response: Any) -> float | None:
    """A ``Retry-After`` in seconds, when Google sends one: it knows better than our table."""
    value = (response.headers.get("retry-after") or "").strip()
    return float(value) if value.isdigit() else None


def quota_hint(response: Any) -> RetryHint | None:
    """A retry after the bucket's wait for a quota error; ``None`` for anything else."""
    error = google_error(response)
    if response.status_code != 429 and error.get("status") != "RESOURCE_EXHAUSTED":
        return None
    message = str(error.get("message", ""))[:200]
    after = _retry_after(response)
    if after is None:
        after = quota_wait(message)
    return RetryHint("retry", after, f"answered 429 RESOURCE_EXHAUSTED ({message or 'quota spent'}); "
                                     f"the property's quota is spent, waiting {after:g} s")
