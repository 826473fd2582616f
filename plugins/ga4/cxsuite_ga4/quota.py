"""GA4 errors read as failure classes: quota buckets, permission and scope.

Every GA4 property has token buckets (per day, per hour, per project per hour, concurrent
requests, server errors, potentially thresholded requests). When one is spent, *every*
request to the property fails with HTTP 429 ``RESOURCE_EXHAUSTED`` until it refills, so
retrying at once only burns the remaining buckets. The message names the bucket
("Exhausted property tokens per day. These quota tokens will return in under 24 hours.");
each bucket maps to its ``propertyQuota`` name and a wait:

- ``tokensPerDay`` comes back at midnight Pacific time (Google's daily quotas reset then), so
  the job pauses until that moment;
- the hourly buckets come back "in under an hour": the job pauses an hour;
- ``concurrentRequests`` frees as soon as other requests finish: waited out within the
  client (Airbyte's GA4 source waits 30 s, ``api_quota.py``).

403 ``PERMISSION_DENIED`` means two different things: the Google account has no access to
the property (the admin grants Viewer access or fixes the property id: misconfigured), or the
token lacks the ``analytics.readonly`` scope (``ACCESS_TOKEN_SCOPE_INSUFFICIENT``: only a new
consent adds a scope, so reconnect).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cxsuite.connectors import RetryHint
from cxsuite.connectors.windows import clock_time, next_midnight

GOOGLE_DAY_ZONE = "America/Los_Angeles"
SCOPE_INSUFFICIENT = "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
FIND_PROPERTY_ID = ("find it in Google Analytics under Admin → Property settings → Property ID "
                    "(a number such as 412345678, not a G-… measurement ID)")


@dataclass(frozen=True)
class Bucket:
    """A quota bucket: the words that identify it in Google's message, its ``propertyQuota``
    name, the wait.

    Google words the same bucket in several ways ("tokens for a project per hour", "tokens per
    project per hour", "per project per property per hour"), so a bucket is recognised by all of
    its ``words`` appearing, or by its ``propertyQuota`` name itself, checked most specific first:
    "server errors per project per hour" must not read as the project's token bucket, nor
    "tokens per project per hour" as the property's hourly one.
    """

    words: tuple[str, ...]
    name: str
    wait: timedelta | None  # None: until midnight Pacific time

    def named_in(self, lowered: str) -> bool:
        """Whether a (lower-cased) quota message names this bucket."""
        return self.name.lower() in lowered or all(word in lowered for word in self.words)


BUCKETS: tuple[Bucket, ...] = (
    Bucket(("server error",), "serverErrorsPerProjectPerHour", timedelta(hours=1)),
    Bucket(("thresholded",), "potentiallyThresholdedRequestsPerHour", timedelta(hours=1)),
    Bucket(("concurrent",), "concurrentRequests", timedelta(seconds=30)),
    Bucket(("tokens", "project", "hour"), "tokensPerProjectPerHour", timedelta(hours=1)),
    Bucket(("tokens", "per day"), "tokensPerDay", None),
    Bucket(("tokens", "per hour"), "tokensPerHour", timedelta(hours=1)),
)
# A quota message we do not know: assume an hourly bucket rather than hammer the property.
UNKNOWN = Bucket((), "an unnamed quota", timedelta(hours=1))
SHORT = timedelta(minutes=1)


def google_error(response: Any) -> dict[str, Any]:
    """Google's ``{"error": {code, message, status}}`` envelope, or ``{}``."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def bucket_of(message: str) -> Bucket:
    """The bucket a quota message names."""
    lowered = message.lower()
    return next((b for b in BUCKETS if b.named_in(lowered)), UNKNOWN)


def quota_hint(response: Any, now: datetime | None = None, property_id: str = "") -> RetryHint | None:
    """How the client treats a GA4 answer (``None``: the status code decides)."""
    error = google_error(response)
    if response.status_code == 403 and error.get("status") == "PERMISSION_DENIED":
        return _permission_hint(error, property_id)
    if response.status_code != 429 and error.get("status") != "RESOURCE_EXHAUSTED":
        return None
    bucket = bucket_of(str(error.get("message", "")))
    now = now or datetime.now(UTC)
    retry_after = _retry_after(response)
    if retry_after is None and bucket.wait is not None and bucket.wait <= SHORT:
        retry_after = bucket.wait.total_seconds()
    if retry_after is not None:
        return RetryHint("rate_limited", retry_after, f"answered 429 RESOURCE_EXHAUSTED: the property's "
                         f"{bucket.name} quota is spent")
    resume_at = now + bucket.wait if bucket.wait is not None else next_midnight(now, GOOGLE_DAY_ZONE)
    return RetryHint("rate_limited", message=f"Google Analytics {bucket.name} quota of the property is "
                     f"spent; resumes at {clock_time(resume_at, now)}", resume_at=resume_at)


def _permission_hint(error: dict[str, Any], property_id: str) -> RetryHint:
    reasons = {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict)}
    said = str(error.get("message", ""))[:200]
    if SCOPE_INSUFFICIENT in reasons or "insufficient authentication scopes" in said.lower():
        return RetryHint("reconnect", message=f"the authorisation lacks the analytics.readonly scope "
                         f"({said}); reconnect the account and allow read access to Analytics")
    prop = f"property {property_id}" if property_id else "the property"
    return RetryHint("misconfigured", message=f"refused {prop} (403 PERMISSION_DENIED: {said}). Give the "
                     f"connected Google account at least Viewer access to {prop}, or correct the "
                     f"property ID: {FIND_PROPERTY_ID}.")


def _retry_after(response: Any) -> float | None:
    """A ``Retry-After`` in seconds, when Google sends one: it knows better than our table."""
    value = (response.headers.get("retry-after") or "").strip()
    return float(value) if value.isdigit() else None
