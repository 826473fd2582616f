"""HubSpot stand-in: OAuth v1, CRM v3 objects list/read/search, pipelines.

Reproduces what connectors trip over: list pages carry ``paging.next.after`` and may be short
or empty while still carrying it; search pages by a numeric offset, sorts ``hs_object_id``
lexicographically and answers 400 past its 10,000-result window; archived objects appear
only with ``archived=true`` and never in search; 401 ``EXPIRED_AUTHENTICATION`` after 30
minutes; 429 with ``policyName`` and, sometimes, no ``Retry-After``; 414 for over-long URLs.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, Router, get, post, route
from litestar.enums import HttpMethod
from litestar.params import FromPath

from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.common import (
    base_url,
    bearer,
    consent,
    gate,
    malformed_now,
    page_window,
    params,
    reply,
    sandbox_of,
    unknown_client,
)
from cxsuite.sandbox.hubspot_search import SearchError, search_records
from cxsuite.sandbox.ids import hubspot_id
from cxsuite.sandbox.oauth import ACCESS_TTL, AccessToken, CodeProblem, Grant, TokenState
from cxsuite.sandbox.quotas import UNLIMITED, Limit
from cxsuite.sandbox.state import Sandbox
from cxsuite.sandbox.world import Record

HUB_ID = 24681357
_TOKEN_ERRORS = {
    CodeProblem.UNKNOWN: ("BAD_AUTH_CODE", "missing or unknown auth code"),
    CodeProblem.USED: ("BAD_AUTH_CODE", "missing or unknown auth code"),
    CodeProblem.EXPIRED: ("EXPIRED_AUTH_CODE", "auth code is expired"),
    CodeProblem.REDIRECT_MISMATCH: ("BAD_REDIRECT_URI", "redirect_uri does not match initial auth request"),
}


def _error(status: int, message: str, category: str, **extra: Any) -> Response:
    return reply(
        {
            "status": "error",
            "message": message,
            "correlationId": str(uuid.uuid4()),
            "category": category,
            **extra,
        },
        status,
    )


class HubSpotErrors:
    """HubSpot's error bodies (observed shapes: airbyte#74726, ToolJet#17192, HubSpot 429 docs)."""

    def unauthorized(self, state: TokenState, token: AccessToken | None) -> Response:
        """401 EXPIRED_AUTHENTICATION with the expiry, or INVALID_AUTHENTICATION."""
        if state is TokenState.EXPIRED and token is not None:
            return _error(
                401,
                "The OAuth token used to make this call expired 0 second(s) ago.",
                "EXPIRED_AUTHENTICATION",
                context={"expire time": [objects.iso(token.expires_at)]},
            )
        return _error(
            401,
            "Authentication credentials not found. This API supports OAuth 2.0 authentication "
            "and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
            "INVALID_AUTHENTICATION",
        )

    def rate_limited(self, retry_after: int | None, policy: str = "TEN_SECONDLY_ROLLING") -> Response:
        """429 RATE_LIMIT with policyName; Retry-After only when there is one."""
        body = {
            "status": "error",
            "message": f"You have reached your {_POLICY_WORDS[policy]} limit.",
            "errorType": "RATE_LIMIT",
            "correlationId": str(uuid.uuid4()),
            "policyName": policy,
            "requestId": str(uuid.uuid4()),
        }
        return reply(body, 429, {"Retry-After": str(retry_after)} if retry_after is not None else None)

    def server_error(self, status: int) -> Response:
        """A 5xx in HubSpot's general error shape."""
        return _error(status, "internal error", "INTERNAL_ERROR")


_POLICY_WORDS = {"TEN_SECONDLY_ROLLING": "ten_secondly_rolling", "SECONDLY": "secondly", "DAILY": "daily"}
ERRORS = HubSpotErrors()


def _throttle(sandbox: Sandbox, search: bool) -> tuple[Response | None, dict[str, str]]:
    """Count the request against the published limits; HubSpot's 429 for the first one it
    breaks (when enforced, or a queued ``daily_limit`` fault); the rate headers either way."""
    limits, now = sandbox.limits, sandbox.clock.now()
    enforce = limits.enforce_rate_limits
    day = Limit("hubspot:daily", limits.hubspot_daily if enforce else UNLIMITED, day=now.date())
    burst = Limit("hubspot:burst", limits.hubspot_per_10s if enforce else UNLIMITED,
                  seconds=limits.hubspot_window_s)
    checks = [day, burst]
    if search:
        checks.append(Limit("hubspot:search", limits.hubspot_search_per_second if enforce else UNLIMITED,
                            seconds=1.0))
    meters = sandbox.usage.meters
    refused = None if sandbox.take_fault("hubspot", "daily_limit") is None else (day, None)
    refused = refused or meters.admit(now, checks)
    sandbox.usage.count("hubspot", refused is None, sandbox.lock)
    headers = {
        "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(limits.hubspot_window_s * 1000)),
        "X-HubSpot-RateLimit-Max": str(limits.hubspot_per_10s),
        "X-HubSpot-RateLimit-Remaining": str(max(0, limits.hubspot_per_10s - meters.used_in_window(
            burst.meter, now, limits.hubspot_window_s))),
        "X-HubSpot-RateLimit-Daily": str(limits.hubspot_daily),
        "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, limits.hubspot_daily - meters.used_on(
            day.meter, now.date()))),
    }
    if refused is None:
        return None, headers
    broken = refused[0]
    if broken is day:
        return ERRORS.rate_limited(None, "DAILY"), headers
    if broken is burst:
        return ERRORS.rate_limited(None), headers
    return ERRORS.rate_limited(1, "SECONDLY"), headers


def _enter(
    request: Request, object_type: str | None = None, search: bool = False
) -> Response | dict[str, str]:
    """URL length, rate limits, auth and faults: an error response, or the headers to send."""
    sandbox = sandbox_of(request)
    if (
        len(request.scope["raw_path"]) + len(request.scope["query_string"])
        > sandbox.limits.hubspot_max_url_length
    ):
        return Response(
            content="<html><body><h1>414 Request-URI Too Large</h1></body></html>",
            status_code=414,
            media_type="text/html",
        )
    limited, headers = _throttle(sandbox, search)
    denied = limited or gate(request, "hubspot", ERRORS, bearer(request))
    if denied is None and object_type is not None and object_type not in objects.OBJECT_TYPES:
        denied = _error(400, f"Unable to infer object type from: {object_type}", "VALIDATION_ERROR")
    if denied is not None:
        denied.headers.update(headers)
        return denied
    return headers


def render(
    sandbox: Sandbox,
    object_type: str,
    record: Record,
    wanted: list[str],
    history: list[str],
    assoc: list[str],
) -> dict[str, Any]:
    """One v3 object with the requested properties (requested-but-empty ones are null)."""
    props = objects.properties(sandbox.world, object_type, record)
    always = ("hs_object_id", "createdate", "hs_createdate", objects.modified_property(object_type))
    names = wanted or list(objects.DEFAULT_PROPERTIES[object_type])
    out: dict[str, Any] = {
        "id": hubspot_id(object_type, record.seq),
        "properties": {n: props.get(n) for n in (*names, *always) if n in props or n in names},
        "createdAt": objects.iso(record.created_at),
        "updatedAt": objects.iso(record.updated_at),
        "archived": record.deleted_at is not None,
    }
    if record.deleted_at is not None:
        out["archivedAt"] = objects.iso(record.deleted_at)
    histories = {"dealstage": objects.stage_history, "hubspot_owner_id": objects.owner_history}
    wanted_history = {name: show(record) for name, show in histories.items() if name in history}
    if wanted_history:
        out["propertiesWithHistory"] = wanted_history
    if assoc:
        out["associations"] = objects.associations(sandbox.world, object_type, record, assoc)
    return out


def _csv(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part]


def _corrupt(result: dict[str, Any], object_type: str) -> None:
    """A record a connector must reject: an unparseable date where a date must be."""
    result["properties"][objects.modified_property(object_type)] = "31/02/2024 25:61"
    result["updatedAt"] = "not-a-date"


@get("/crm/v3/objects/{object_type:str}")
async def list_objects(request: Request, object_type: FromPath[str]) -> Response:
    """GET a page of objects; ``after`` is the id to continue from."""
    entered = _enter(request, object_type)
    if isinstance(entered, Response):
        return entered
    sandbox, q = sandbox_of(request), request.query_params
    archived = q.get("archived", "false").lower() == "true"
    limit = min(max(int(q.get("limit", "10")), 1), 100)
    after = q.get("after")
    if after is not None and not after.isdigit():
        return _error(
            400,
            f"Invalid input JSON on line 1, column 1: after must be a number: {after}",
            "VALIDATION_ERROR",
        )
    rows = objects.listing(sandbox.world, object_type, archived, fresh=not after)
    start = bisect_left(rows, int(after), key=lambda r: int(hubspot_id(object_type, r.seq))) if after else 0
    end, nxt = page_window(sandbox, "hubspot", len(rows), start, limit)
    results = [
        render(
            sandbox,
            object_type,
            r,
            _csv(q.get("properties")),
            _csv(q.get("propertiesWithHistory")),
            _csv(q.get("associations")),
        )
        for r in rows[start:end]
    ]
    if malformed_now(sandbox, "hubspot", results):
        _corrupt(results[0], object_type)
    body: dict[str, Any] = {"results": results}
    if nxt is not None:
        cursor = hubspot_id(object_type, rows[nxt].seq)
        link = f"{base_url(request)}{request.url.path}?{urlencode({**dict(q), 'after': cursor})}"
        body["paging"] = {"next": {"after": cursor, "link": link}}
    return reply(body, headers=entered)


@get("/crm/v3/objects/{object_type:str}/{object_id:str}")
async def read_object(request: Request, object_type: FromPath[str], object_id: FromPath[str]) -> Response:
    """GET one object by id (archived ones only with ``archived=true``)."""
    entered = _enter(request, object_type)
    if isinstance(entered, Response):
        return entered
    sandbox, q = sandbox_of(request), request.query_params
    archived = q.get("archived", "false").lower() == "true"
    for record in objects.records(sandbox.world, object_type):
        if hubspot_id(object_type, record.seq) == object_id and (record.deleted_at is not None) == archived:
            return reply(
                render(
                    sandbox,
                    object_type,
                    record,
                    _csv(q.get("properties")),
                    _csv(q.get("propertiesWithHistory")),
                    _csv(q.get("associations")),
                ),
                headers=entered,
            )
    return _error(404, "resource not found", "OBJECT_NOT_FOUND")


@post("/crm/v3/objects/{object_type:str}/search", status_code=200)
async def search(request: Request, object_type: FromPath[str]) -> Response:
    """POST search: filterGroups, sorts, offset ``after``, ``total``; 400 past the window."""
    entered = _enter(request, object_type, search=True)
    if isinstance(entered, Response):
        return entered
    sandbox = sandbox_of(request)
    try:
        body = await request.json()
        total, _start, page, nxt = search_records(
            sandbox, object_type, body if isinstance(body, dict) else {}
        )
    except (SearchError, ValueError) as exc:
        response = _error(400, str(exc), "VALIDATION_ERROR")
        response.headers.update(entered)
        return response
    results = [render(sandbox, object_type, r, body.get("properties") or [], [], []) for r in page]
    if malformed_now(sandbox, "hubspot", results):
        _corrupt(results[0], object_type)
    out: dict[str, Any] = {"total": total, "results": results}
    if nxt is not None:
        out["paging"] = {"next": {"after": str(nxt)}}
    return reply(out, headers=entered)


@get("/crm/v3/pipelines/{object_type:str}")
async def list_pipelines(request: Request, object_type: FromPath[str]) -> Response:
    """GET the deal or ticket pipelines with their stages."""
    entered = _enter(request)
    if isinstance(entered, Response):
        return entered
    if object_type not in ("deals", "tickets"):
        return _error(400, f"Unable to infer object type from: {object_type}", "VALIDATION_ERROR")
    created = sandbox_of(request).world.now.replace(year=sandbox_of(request).world.now.year - 3)
    return reply({"results": objects.pipelines(object_type, created)}, headers=entered)


@route("/oauth/authorize", http_method=[HttpMethod.GET, HttpMethod.POST], status_code=200)
async def authorize(request: Request) -> Response:
    """The install/consent screen; redirects with ``code`` (and ``state``)."""
    refused = unknown_client(request, "hubspot", "Authorization failed because this application is "
                             "misconfigured (unknown client_id or missing redirect_uri).")
    if refused is not None:
        return refused
    q, sandbox = request.query_params, sandbox_of(request)
    code = sandbox.oauth.issue_code("hubspot", q["redirect_uri"], q.get("scope", ""))
    approved = {"code": code, **({"state": q["state"]} if "state" in q else {})}
    return await consent(request, "hubspot", "cxsuite", q["redirect_uri"], approved)


def _token_error(status: str, message: str) -> Response:
    return reply({"status": status, "message": message, "correlationId": str(uuid.uuid4())}, 400)


def _token_body(access: AccessToken, refresh_token: str, scope: str) -> dict[str, Any]:
    return {
        "token_type": "bearer",
        "access_token": access.token,
        "refresh_token": refresh_token,
        "expires_in": ACCESS_TTL["hubspot"],
        "hub_id": HUB_ID,
        "user_id": 5120811,
        "scopes": scope.split(),
        "token_use": "access",
    }


@post("/oauth/v1/token", status_code=200)
async def token(request: Request) -> Response:
    """Exchange a code or a refresh token (form-encoded); HubSpot keeps the same refresh token."""
    form, sandbox = await params(request), sandbox_of(request)
    if not sandbox.oauth.check_client("hubspot", form.get("client_id"), form.get("client_secret")):
        return _token_error("BAD_CLIENT_ID", "missing or invalid client id")
    if form.get("grant_type") == "refresh_token":
        issued = sandbox.oauth.refresh("hubspot", form.get("refresh_token", ""), rotate=False)
        if issued is None:
            return _token_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token")
        return reply(_token_body(issued[0], form["refresh_token"], issued[0].scope))
    if form.get("grant_type") != "authorization_code":
        return _token_error("BAD_GRANT_TYPE", "missing or invalid grant type")
    grant = sandbox.oauth.redeem_code("hubspot", form.get("code", ""), form.get("redirect_uri"))
    if not isinstance(grant, Grant):
        return _token_error(*_TOKEN_ERRORS[grant])
    access, refresh = sandbox.oauth.issue("hubspot", grant.scope)
    assert refresh is not None
    return reply(_token_body(access, refresh.token, grant.scope))


@get("/oauth/v1/access-tokens/{access_token:str}")
async def token_info(request: Request, access_token: FromPath[str]) -> Response:
    """Token metadata: which portal (``hub_id``) and scopes a token belongs to."""
    sandbox = sandbox_of(request)
    state, access = sandbox.oauth.check("hubspot", access_token)
    if state is not TokenState.VALID or access is None:
        return _token_error("BAD_ACCESS_TOKEN", "missing or invalid access token")
    remaining = int((access.expires_at - sandbox.clock.now()).total_seconds())
    return reply(
        {
            "token": access_token,
            "user": "owner@northwind-outfitters.example",
            "hub_domain": "northwind-outfitters.example",
            "scopes": access.scope.split(),
            "hub_id": HUB_ID,
            "app_id": 1357911,
            "expires_in": remaining,
            "user_id": 5120811,
            "token_type": "access",
        }
    )


router = Router(
    path="/hubspot",
    route_handlers=[list_objects, read_object, search, list_pipelines, authorize, token, token_info],
)
