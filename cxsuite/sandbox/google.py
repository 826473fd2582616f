"""Google stand-in: OAuth (accounts.google.com, oauth2.googleapis.com) including the
service-account JWT-bearer grant, and GA4 Data API runReport.

``runReport`` aggregates the world's daily web rows to the requested dimensions; every value
is a string, ``date`` is ``YYYYMMDD``, ``rowCount`` counts all rows whatever ``limit`` and
``offset`` say, metric types come in ``metricHeaders``, ``propertyQuota`` is returned when
``returnPropertyQuota`` is set. Errors use Google's ``{"error": {code, message, status}}``.
The sandbox's :class:`~cxsuite.sandbox.state.GA4Quirks` make it answer as GA4 sometimes does:
headers in another order, a metric left out, sampled or thresholded data, an ``(other)`` row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, Router, post, route
from litestar.enums import HttpMethod
from litestar.params import FromPath

from cxsuite.sandbox.common import (
    base_url,
    bearer,
    consent,
    gate,
    malformed_now,
    params,
    reply,
    sandbox_of,
    unknown_client,
)
from cxsuite.sandbox.oauth import ACCESS_TTL, AccessToken, Grant, TokenState
from cxsuite.sandbox.quotas import UNLIMITED, Limit
from cxsuite.sandbox.service_accounts import Refusal
from cxsuite.sandbox.state import GA4Quirks, Sandbox
from cxsuite.sandbox.web import WebMetricRow

DIMENSIONS = {
    "date": lambda r: r.day.strftime("%Y%m%d"),
    "sessionDefaultChannelGroup": lambda r: r.channel_group,
    "deviceCategory": lambda r: r.device,
    "landingPage": lambda r: r.landing_page,
    "newVsReturning": lambda r: r.visitor,
}
METRICS = {
    "sessions": ("TYPE_INTEGER", lambda r: r.sessions),
    "engagedSessions": ("TYPE_INTEGER", lambda r: r.engaged_sessions),
    "keyEvents": ("TYPE_INTEGER", lambda r: r.key_events),
    "conversions": ("TYPE_INTEGER", lambda r: r.key_events),
    "totalRevenue": ("TYPE_CURRENCY", lambda r: r.revenue),
}
OTHER = "(other)"
PACIFIC = ZoneInfo("America/Los_Angeles")  # Google's daily quotas end at midnight Pacific time
TOKEN_PATH = "/google/token"  # noqa: S105 - a path, not a secret
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_SEE_SCHEMA = (
    "For a list of valid dimensions and metrics, see "
    "https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema "
)


def _error(code: int, status: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return reply({"error": {"code": code, "message": message, "status": status}}, code, headers)


class GoogleErrors:
    """Google API error envelopes."""

    def unauthorized(self, state: TokenState, token: AccessToken | None) -> Response:
        """401 UNAUTHENTICATED, for expired and unknown tokens alike."""
        return _error(
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 "
            "access token, login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        )

    def rate_limited(self, retry_after: int | None, bucket: str = "for a project per hour") -> Response:
        """429 RESOURCE_EXHAUSTED naming the spent bucket, in the words Google uses ("Exhausted
        property tokens per day. These quota tokens will return in under 24 hours.")."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        back = "under 24 hours" if bucket == "per day" else "under an hour"
        return _error(
            429,
            "RESOURCE_EXHAUSTED",
            f"Exhausted property tokens {bucket}. These quota tokens will return in {back}.",
            headers,
        )

    def server_error(self, status: int) -> Response:
        """503 UNAVAILABLE / 500 INTERNAL."""
        if status == 503:
            return _error(503, "UNAVAILABLE", "The service is currently unavailable.")
        return _error(status, "INTERNAL", "Internal error encountered.")


ERRORS = GoogleErrors()


def _day(text: str, today: date) -> date:
    """GA4 date text: ``YYYY-MM-DD``, ``NdaysAgo``, ``yesterday``, ``today``."""
    if text == "today":
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    if text.endswith("daysAgo"):
        return today - timedelta(days=int(text[: -len("daysAgo")]))
    return date.fromisoformat(text)


def _validate(body: dict[str, Any]) -> str | None:
    """The INVALID_ARGUMENT message for a body GA4 would reject, or None."""
    if not body.get("dateRanges"):
        return "Must specify at least one date range."
    for dim in body.get("dimensions", []):
        if dim.get("name") not in DIMENSIONS:
            return f"Field {dim.get('name')} is not a valid dimension. {_SEE_SCHEMA}"
    for met in body.get("metrics", []):
        if met.get("name") not in METRICS:
            return f"Field {met.get('name')} is not a valid metric. {_SEE_SCHEMA}"
    if not body.get("metrics") and not body.get("dimensions"):
        return "Must specify at least one dimension or metric."
    return None


def aggregate(
    rows: list[WebMetricRow], body: dict[str, Any], today: date, landing_page_limit: int | None = None
) -> list[tuple[tuple[str, ...], list[float]]]:
    """Sum metrics per requested dimension tuple over all date ranges, sorted by dimensions;
    beyond ``landing_page_limit`` landing pages (by sessions) a row's landing page reads
    ``(other)``, as GA4 rolls up the values of a dimension beyond a property's cardinality limit."""
    dims = [d["name"] for d in body.get("dimensions", [])]
    mets = [m["name"] for m in body.get("metrics", [])]
    ranges = [(_day(r["startDate"], today), _day(r["endDate"], today)) for r in body["dateRanges"]]
    chosen = [row for row in rows if any(start <= row.day <= end for start, end in ranges)]
    kept = _top_landing_pages(chosen, landing_page_limit)
    sums: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0] * len(mets))
    for row in chosen:
        rolled = kept is not None and row.landing_page not in kept
        key = tuple(OTHER if rolled and d == "landingPage" else DIMENSIONS[d](row) for d in dims)
        totals = sums[key]
        for i, name in enumerate(mets):
            totals[i] += METRICS[name][1](row)
    return sorted(sums.items())


def _top_landing_pages(rows: list[WebMetricRow], limit: int | None) -> set[str] | None:
    """The ``limit`` landing pages with the most sessions (``None``: no limit)."""
    if limit is None:
        return None
    sessions: dict[str, int] = defaultdict(int)
    for row in rows:
        sessions[row.landing_page] += row.sessions
    return set(sorted(sessions, key=lambda page: (-sessions[page], page))[:limit])


def _ordered(items: list[tuple[tuple[str, ...], list[float]]], body: dict[str, Any]) -> None:
    dims = [d["name"] for d in body.get("dimensions", [])]
    mets = [m["name"] for m in body.get("metrics", [])]
    for order in reversed(body.get("orderBys", [])):
        if "metric" in order:
            index = mets.index(order["metric"]["metricName"])
            items.sort(key=lambda kv, i=index: kv[1][i], reverse=bool(order.get("desc")))
        elif "dimension" in order:
            index = dims.index(order["dimension"]["dimensionName"])
            items.sort(key=lambda kv, i=index: kv[0][i], reverse=bool(order.get("desc")))


def _text(value: float, kind: str) -> str:
    return str(int(value)) if kind == "TYPE_INTEGER" else f"{value:.2f}".rstrip("0").rstrip(".")


def _token_limits(sandbox: Sandbox) -> tuple[Limit, Limit]:
    """The property's hourly (rolling) and daily (to midnight Pacific) token allowances."""
    limits, now = sandbox.limits, sandbox.clock.now()
    enforce, cost = limits.enforce_rate_limits, limits.ga4_tokens_per_request
    hour = Limit("ga4:hour", limits.ga4_tokens_per_hour if enforce else UNLIMITED,
                 seconds=limits.ga4_hour_s, cost=cost)
    day = Limit("ga4:day", limits.ga4_tokens_per_day if enforce else UNLIMITED,
                day=now.astimezone(PACIFIC).date(), cost=cost)
    return hour, day


def _spend_tokens(sandbox: Sandbox) -> Response | None:
    """Charge the request's tokens; Google's 429 naming the bucket that is spent."""
    hour, day = _token_limits(sandbox)
    if sandbox.take_fault("ga4", "daily_limit") is not None:
        sandbox.usage.count("ga4", False, sandbox.lock)
        return ERRORS.rate_limited(None, "per day")
    refused = sandbox.usage.meters.admit(sandbox.clock.now(), [day, hour])
    sandbox.usage.count("ga4", refused is None, sandbox.lock)
    if refused is not None:
        return ERRORS.rate_limited(None, "per day" if refused[0] is day else "per hour")
    return None


def _quota(sandbox: Sandbox) -> dict[str, Any]:
    limits, now, meters = sandbox.limits, sandbox.clock.now(), sandbox.usage.meters
    cost = limits.ga4_tokens_per_request
    hourly = meters.used_in_window("ga4:hour", now, limits.ga4_hour_s)
    daily = meters.used_on("ga4:day", now.astimezone(PACIFIC).date())
    return {
        "tokensPerDay": {"consumed": cost, "remaining": max(0, limits.ga4_tokens_per_day - daily)},
        "tokensPerHour": {"consumed": cost, "remaining": max(0, limits.ga4_tokens_per_hour - hourly)},
        "concurrentRequests": {"consumed": 0, "remaining": 10},
        "serverErrorsPerProjectPerHour": {"consumed": 0, "remaining": 10},
        "potentiallyThresholdedRequestsPerHour": {"consumed": 0, "remaining": 120},
        "tokensPerProjectPerHour": {
            "consumed": cost,
            "remaining": max(0, int(limits.ga4_tokens_per_hour * 0.35) - hourly),
        },
    }


@post("/ga4/v1beta/properties/{target:str}", status_code=200)
async def run_report(request: Request, target: FromPath[str]) -> Response:
    """``POST /v1beta/properties/{id}:runReport``."""
    sandbox = sandbox_of(request)
    denied = gate(request, "ga4", ERRORS, bearer(request))
    if denied is not None:
        return denied
    property_id, _, method = target.partition(":")
    if method != "runReport":
        return _error(404, "NOT_FOUND", f"Method not found: {method}")
    if property_id != sandbox.ga4_property_id:
        return _error(
            403,
            "PERMISSION_DENIED",
            "User does not have sufficient permissions for this property. To "
            "learn more about Property ID, see https://developers.google.com/analytics/devguides/"
            "reporting/data/v1/property-id.",
        )
    spent = _spend_tokens(sandbox)
    if spent is not None:
        return spent
    body = await request.json()
    problem = _validate(body) if isinstance(body, dict) else "Invalid JSON payload received."
    if problem:
        return _error(400, "INVALID_ARGUMENT", problem)
    return reply(_report(sandbox, body))


def _report(sandbox: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    quirks = sandbox.ga4_quirks
    items = aggregate(sandbox.world.web, body, sandbox.clock.now().date(), quirks.landing_page_limit)
    _ordered(items, body)
    offset, limit = int(body.get("offset", 0)), int(body.get("limit", 10_000))
    dim_names = [d["name"] for d in body.get("dimensions", [])]
    met_names = [m["name"] for m in body.get("metrics", [])]
    # The answer's own order of headers (and so of every row's values): GA4 documents only that
    # headers and values correspond, so a client must read them by name.
    dim_at = _answer_order(len(dim_names), quirks.header_order)
    met_at = [i for i in _answer_order(len(met_names), quirks.header_order)
              if met_names[i] not in quirks.omit_metrics]
    kinds = [METRICS[name][0] for name in met_names]
    rows = [
        {
            "dimensionValues": [{"value": dims[i]} for i in dim_at],
            "metricValues": [{"value": _text(vals[i], kinds[i])} for i in met_at],
        }
        for dims, vals in items[offset : offset + min(limit, 250_000)]
    ]
    if malformed_now(sandbox, "ga4", rows) and rows[0]["metricValues"]:
        rows[0]["metricValues"][0]["value"] = "n/a"
    out: dict[str, Any] = {
        "dimensionHeaders": [{"name": dim_names[i]} for i in dim_at],
        "metricHeaders": [{"name": met_names[i], "type": kinds[i]} for i in met_at],
        "metadata": _metadata(quirks, any(OTHER in dims for dims, _ in items), body),
        "kind": "analyticsData#runReport",
    }
    if items:
        out.update(rows=rows, rowCount=len(items))
    if body.get("returnPropertyQuota"):
        out["propertyQuota"] = _quota(sandbox)
    return out


def _answer_order(count: int, header_order: str) -> list[int]:
    """Positions of the requested dimensions or metrics in the answer."""
    order = list(range(count))
    return order[::-1] if header_order == "reversed" else order


def _metadata(quirks: GA4Quirks, other_row: bool, body: dict[str, Any]) -> dict[str, Any]:
    """``ResponseMetaData``: currency and time zone, and the data-quality flags GA4 sets."""
    metadata: dict[str, Any] = {"currencyCode": "EUR", "timeZone": "Europe/Vilnius"}
    if other_row:
        metadata["dataLossFromOtherRow"] = True
    if quirks.thresholded:
        metadata["subjectToThresholding"] = True
    if quirks.sampled:
        metadata["samplingMetadatas"] = [{"samplesReadCount": "512000", "samplingSpaceSize": "2048000"}
                                         for _ in body.get("dateRanges", [])]
    return metadata


@route(
    ["/google/o/oauth2/auth", "/google/o/oauth2/v2/auth"],
    http_method=[HttpMethod.GET, HttpMethod.POST],
    status_code=200,
)
async def authorize(request: Request) -> Response:
    """Google's consent screen; ``access_type=offline`` decides whether a refresh token follows."""
    refused = unknown_client(
        request, "ga4", "Error 401: invalid_client. The OAuth client was not found.", status=401
    )
    if refused is not None:
        return refused
    q, sandbox = request.query_params, sandbox_of(request)
    scope = q.get("scope", "") + (" offline" if q.get("access_type") == "offline" else "")
    code = sandbox.oauth.issue_code("ga4", q["redirect_uri"], scope.strip())
    approved = {**({"state": q["state"]} if "state" in q else {}), "code": code, "scope": q.get("scope", "")}
    return await consent(request, "Google Analytics", "cxsuite", q["redirect_uri"], approved)


@post(TOKEN_PATH, status_code=200)
async def token(request: Request) -> Response:
    """Code, refresh or service-account (JWT-bearer) exchange; only a code exchange with
    offline access yields a refresh token."""
    form, sandbox = await params(request), sandbox_of(request)
    if form.get("grant_type") == JWT_BEARER:
        return _service_account_token(sandbox, form.get("assertion", ""), base_url(request) + TOKEN_PATH)
    if not sandbox.oauth.check_client("ga4", form.get("client_id"), form.get("client_secret")):
        return reply({"error": "invalid_client", "error_description": "Unauthorized"}, 401)
    if form.get("grant_type") == "refresh_token":
        issued = sandbox.oauth.refresh("ga4", form.get("refresh_token", ""), rotate=False)
        if issued is None:
            return reply(
                {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, 400
            )
        return reply(_token_body(issued[0], None))
    grant = sandbox.oauth.redeem_code("ga4", form.get("code", ""), form.get("redirect_uri"))
    if not isinstance(grant, Grant):
        return reply({"error": "invalid_grant", "error_description": "Bad Request"}, 400)
    offline = grant.scope.endswith("offline")
    access, refresh = sandbox.oauth.issue(
        "ga4", grant.scope.removesuffix("offline").strip(), with_refresh=offline
    )
    return reply(_token_body(access, refresh.token if refresh else None))


def _service_account_token(sandbox: Sandbox, assertion: str, audience: str) -> Response:
    """Google's answer to a JWT-bearer grant: an access token, or 400 with ``invalid_grant``."""
    outcome = sandbox.service_accounts.check(assertion, audience)
    if isinstance(outcome, Refusal):
        return reply({"error": outcome.error, "error_description": outcome.description}, 400)
    access, _ = sandbox.oauth.issue("ga4", outcome.scope, with_refresh=False)
    return reply(_token_body(access, None))


def _token_body(access: AccessToken, refresh: str | None) -> dict[str, Any]:
    body = {
        "access_token": access.token,
        "expires_in": ACCESS_TTL["ga4"],
        "scope": access.scope,
        "token_type": "Bearer",
    }
    return {**body, "refresh_token": refresh} if refresh else body


router = Router(path="/", route_handlers=[run_report, authorize, token])
