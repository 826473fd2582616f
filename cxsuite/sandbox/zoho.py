"""Zoho CRM stand-in: multi-DC accounts OAuth and the v8 records API.

``/zoho/accounts/<dc>`` is an accounts server (``accounts.zoho.com`` = ``us``, ``.eu`` =
``eu``, ...), ``/zoho/api/<dc>`` an API domain (``www.zohoapis.<tld>``). The user lives in
``Sandbox.zoho_location`` (default ``eu``): authorizing at ``us`` redirects with
``location=eu&accounts-server=...``; the code only works at that DC's token endpoint and the
token only at that DC's API domain (``INVALID_TOKEN`` elsewhere). Token errors are HTTP 200
``{"error": "invalid_code"}``. Records need ``fields`` (≤ 50); ``page`` reaches 2,000 records,
then ``page_token``; ``If-Modified-Since`` filters and answers 304 when nothing changed.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from litestar import Request, Response, Router, get, post, route
from litestar.enums import HttpMethod
from litestar.params import FromPath

from cxsuite.sandbox import zoho_objects as modules
from cxsuite.sandbox.common import (
    base_url,
    bearer,
    consent,
    gate,
    malformed_now,
    params,
    parse_time,
    reply,
    sandbox_of,
    unknown_client,
)
from cxsuite.sandbox.ids import zoho_seq
from cxsuite.sandbox.oauth import ACCESS_TTL, AccessToken, Grant, TokenState
from cxsuite.sandbox.quotas import UNLIMITED, Limit
from cxsuite.sandbox.state import Sandbox
from cxsuite.sandbox.world import Deal, Record

MAX_FIELDS = 50
MAX_PER_PAGE = 200
SORT_FIELDS = {"id": "seq", "Created_Time": "created_at", "Modified_Time": "updated_at"}


def _error(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return reply(
        {"code": code, "details": details or {}, "message": message, "status": "error"}, status, headers
    )


class ZohoErrors:
    """Zoho's ``{code, details, message, status}`` bodies (crm-oas v8 examples)."""

    def unauthorized(self, state: TokenState, token: AccessToken | None) -> Response:
        """401 INVALID_TOKEN: expired, unknown, or issued by another data centre."""
        return _error(401, "INVALID_TOKEN", "invalid oauth token")

    def rate_limited(self, retry_after: int | None) -> Response:
        """429 TOO_MANY_REQUESTS."""
        details = {"retry_after": retry_after} if retry_after is not None else {}
        return _error(
            429,
            "TOO_MANY_REQUESTS",
            "Rate limit exceeded. Please retry after the specified time.",
            details,
            {"Retry-After": str(retry_after)} if retry_after is not None else None,
        )

    def credits_spent(self, reset_in: float) -> Response:
        """429 TOO_MANY_REQUESTS once the org's API credits for the last 24 hours are spent, with
        the ``X-RATELIMIT-*`` headers saying when they come back (epoch milliseconds). Zoho
        publishes no example body for this case; the code is the documented one."""
        reset = int((time.time() + reset_in) * 1000)
        return _error(
            429,
            "TOO_MANY_REQUESTS",
            "The API credit limit of the organisation for the last 24 hours is exceeded.",
            {},
            {"X-RATELIMIT-REMAINING": "0", "X-RATELIMIT-RESET": str(reset)},
        )

    def server_error(self, status: int) -> Response:
        """INTERNAL_ERROR."""
        return _error(
            status, "INTERNAL_ERROR", "Internal Server Error occurred while processing this request."
        )


ERRORS = ZohoErrors()


def _enter(request: Request, dc: str, module: str) -> Response | None:
    token = bearer(request, "Zoho-oauthtoken")
    if token is None:
        return _error(401, "AUTHENTICATION_FAILURE", "Authentication failed")
    denied = gate(request, "zoho", ERRORS, token, location=dc)
    if denied is None and module not in modules.MODULES:
        denied = _error(
            400, "INVALID_MODULE", "the module name given seems to be invalid", {"resource_path_index": 0}
        )
    return denied or _spend_credit(sandbox_of(request))


def _spend_credit(sandbox: Sandbox) -> Response | None:
    """One API credit per call, out of ``zoho_credits`` per rolling ``zoho_window_s``."""
    limits, now = sandbox.limits, sandbox.clock.now()
    if sandbox.take_fault("zoho", "daily_limit") is not None:
        sandbox.usage.count("zoho", False, sandbox.lock)
        return ERRORS.credits_spent(limits.zoho_window_s)
    allowance = Limit("zoho:credits", limits.zoho_credits if limits.enforce_rate_limits else UNLIMITED,
                      seconds=limits.zoho_window_s)
    refused = sandbox.usage.meters.admit(now, [allowance])
    sandbox.usage.count("zoho", refused is None, sandbox.lock)
    if refused is not None:
        return ERRORS.credits_spent(max(0.0, refused[1].frees_at - now.timestamp()))
    return None


def _listing(sandbox: Sandbox, module: str, order: tuple[str, str], since: str | None) -> list[Record]:
    """The live records of a module modified after ``If-Modified-Since`` (when sent), sorted:
    what a listing pages through (kept between its pages by ``World.view``)."""
    moment = parse_time(since) if since else None
    rows = [r for r in modules.records(sandbox.world, module)
            if r.deleted_at is None and (moment is None or r.updated_at > moment)]
    rows.sort(key=lambda r: getattr(r, SORT_FIELDS[order[0]]), reverse=order[1] == "desc")
    return rows


def _start(request: Request, per_page: int, bound: tuple[Any, ...]) -> int | Response:
    """The offset of this page from ``page`` or ``page_token``, or the Zoho error."""
    q, sandbox = request.query_params, sandbox_of(request)
    token = q.get("page_token")
    if token is None:
        offset = (int(q.get("page", "1")) - 1) * per_page
        if offset >= sandbox.limits.zoho_discrete_limit:
            return _error(
                400,
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                f"You can only get the first {sandbox.limits.zoho_discrete_limit} records without using "
                "page_token param",
                {"limit": sandbox.limits.zoho_discrete_limit},
            )
        return offset
    saved = request.app.state.zoho_page_tokens.get(token)
    if saved is None or saved["expires"] <= sandbox.clock.now():
        return _error(
            400,
            "EXPIRED_VALUE",
            "the given page_token is expired or invalid",
            {"api_name": "page_token", "json_path": "$.page_token"},
        )
    if saved["bound"] != bound:
        return _error(
            400,
            "TOKEN_BOUND_DATA_MISMATCH",
            "the page_token is bound to other parameters",
            {"param_name": "page_token"},
        )
    if saved["offset"] >= sandbox.limits.zoho_page_token_limit:
        return _error(
            400, "PAGINATION_LIMIT_EXCEEDED", "pagination limit exceeded", {"param_name": "page_token"}
        )
    return saved["offset"]


def _validate(request: Request) -> tuple[list[str], int] | Response:
    q = request.query_params
    fields = [f for f in q.get("fields", "").split(",") if f]
    if not fields:
        return _error(400, "REQUIRED_PARAM_MISSING", "required param is missing", {"param_name": "fields"})
    if len(fields) > MAX_FIELDS:
        return _error(400, "LIMIT_EXCEEDED", "limit exceeded", {"limit": MAX_FIELDS, "param_name": "fields"})
    per_page = int(q.get("per_page", str(MAX_PER_PAGE)))
    if (
        not 1 <= per_page <= MAX_PER_PAGE
        or q.get("sort_by", "id") not in SORT_FIELDS
        or q.get("sort_order", "desc") not in ("asc", "desc")
    ):
        return _error(400, "INVALID_DATA", "invalid data", {"param_name": "per_page/sort_by/sort_order"})
    return fields, per_page


def _info(
    request: Request, offset: int, per_page: int, count: int, more: bool, bound: tuple[Any, ...]
) -> dict[str, Any]:
    sandbox, q = sandbox_of(request), request.query_params
    expiry = sandbox.clock.now() + timedelta(hours=24)
    next_token = None
    if more:
        next_token = secrets.token_hex(16)
        request.app.state.zoho_page_tokens[next_token] = {
            "offset": offset + per_page,
            "bound": bound,
            "expires": expiry,
        }
    return {
        "call": False,
        "per_page": per_page,
        "next_page_token": next_token,
        "count": count,
        "sort_by": q.get("sort_by", "id"),
        "page": offset // per_page + 1,
        "page_token_expiry": modules.stamp(expiry) if more else None,
        "sort_order": q.get("sort_order", "desc"),
        "email": False,
        "more_records": more,
        "previous_page_token": q.get("page_token"),
    }


@get("/api/{dc:str}/crm/v8/{module:str}")
async def list_records(request: Request, dc: FromPath[str], module: FromPath[str]) -> Response:
    """GET records of a module; see the module docstring for the paging rules."""
    denied = _enter(request, dc, module)
    if denied is not None:
        return denied
    checked = _validate(request)
    if isinstance(checked, Response):
        return checked
    fields, per_page = checked
    q, sandbox = request.query_params, sandbox_of(request)
    since = request.headers.get("if-modified-since")
    order = (q.get("sort_by", "id"), q.get("sort_order", "desc"))
    rows = sandbox.world.view(
        ("zoho", module, order, since),
        modules.MODULES[module][0],
        lambda: _listing(sandbox, module, order, since),
        fresh=q.get("page_token") is None and q.get("page", "1") == "1",
    )
    if not rows:
        return Response(content=b"", status_code=304 if since else 204)
    bound = (
        q.get("fields"),
        per_page,
        q.get("sort_by"),
        q.get("sort_order"),
        request.headers.get("if-modified-since"),
    )
    start = _start(request, per_page, bound)
    if isinstance(start, Response):
        return start
    page = [modules.render(sandbox.world, module, r) for r in rows[start : start + per_page]]
    data = [{"id": full["id"], **{f: full.get(f) for f in fields if f in full}} for full in page]
    if malformed_now(sandbox, "zoho", data):
        data[0]["Modified_Time"] = "2024-13-45T99:99:99+00:00"
    return reply(
        {
            "data": data,
            "info": _info(request, start, per_page, len(data), start + per_page < len(rows), bound),
        }
    )


@get("/api/{dc:str}/crm/v8/{module:str}/deleted")
async def deleted_records(request: Request, dc: FromPath[str], module: FromPath[str]) -> Response:
    """GET deleted records (``type=all|recycle|permanent``); archived world records are ``recycle``."""
    denied = _enter(request, dc, module)
    if denied is not None:
        return denied
    q, sandbox = request.query_params, sandbox_of(request)
    kind = q.get("type", "all")
    gone = (
        [r for r in modules.records(sandbox.world, module) if r.deleted_at is not None]
        if kind != "permanent"
        else []
    )
    per_page, page = min(int(q.get("per_page", "200")), MAX_PER_PAGE), int(q.get("page", "1"))
    chunk = gone[(page - 1) * per_page : page * per_page]
    if not chunk:
        return Response(content=b"", status_code=204)
    return reply(
        {
            "data": [modules.deleted_entry(module, r) for r in chunk],
            "info": {
                "per_page": per_page,
                "count": len(chunk),
                "page": page,
                "more_records": page * per_page < len(gone),
            },
        }
    )


@route("/accounts/{dc:str}/oauth/v2/auth", http_method=[HttpMethod.GET, HttpMethod.POST], status_code=200)
async def authorize(request: Request, dc: FromPath[str]) -> Response:
    """Consent at any DC; the redirect names the user's DC in ``location`` and ``accounts-server``."""
    refused = unknown_client(request, "zoho", "Invalid Client")
    if refused is not None:
        return refused
    q, sandbox = request.query_params, sandbox_of(request)
    location = sandbox.zoho_location
    code = sandbox.oauth.issue_code("zoho", q["redirect_uri"], q.get("scope", ""), location)
    approved = {
        **({"state": q["state"]} if "state" in q else {}),
        "code": code,
        "location": location,
        "accounts-server": f"{base_url(request)}/zoho/accounts/{location}",
    }
    return await consent(request, "zoho", "cxsuite", q["redirect_uri"], approved)


@post("/accounts/{dc:str}/oauth/v2/token", status_code=200)
async def token(request: Request, dc: FromPath[str]) -> Response:
    """Code or refresh exchange at one DC; failures are HTTP 200 ``{"error": ...}``."""
    form, sandbox = await params(request), sandbox_of(request)
    if not sandbox.oauth.check_client("zoho", form.get("client_id"), form.get("client_secret")):
        return reply({"error": "invalid_client"})
    api_domain = f"{base_url(request)}/zoho/api/{dc}"
    if form.get("grant_type") == "refresh_token":
        issued = sandbox.oauth.refresh("zoho", form.get("refresh_token", ""), rotate=False, location=dc)
        if issued is None:
            return reply({"error": "invalid_code"})
        return reply(
            {
                "access_token": issued[0].token,
                "scope": issued[0].scope,
                "api_domain": api_domain,
                "token_type": "Bearer",
                "expires_in": ACCESS_TTL["zoho"],
            }
        )
    grant = sandbox.oauth.redeem_code("zoho", form.get("code", ""), form.get("redirect_uri"), location=dc)
    if not isinstance(grant, Grant):
        return reply({"error": "invalid_code"})
    access, refresh = sandbox.oauth.issue("zoho", grant.scope, dc)
    return reply(
        {
            "access_token": access.token,
            "refresh_token": refresh.token if refresh else None,
            "scope": grant.scope,
            "api_domain": api_domain,
            "token_type": "Bearer",
            "expires_in": ACCESS_TTL["zoho"],
        }
    )


@get("/api/{dc:str}/crm/v8/{module:str}/{record_id:str}/{related:str}")
async def related_records(request: Request, dc: FromPath[str], module: FromPath[str],
                          record_id: FromPath[str], related: FromPath[str]) -> Response:
    """GET a related list of one record; only the Deals ``Stage_History`` list exists here."""
    denied = _enter(request, dc, module)
    if denied is not None:
        return denied
    if module != "Deals" or related != "Stage_History":
        return _error(400, "INVALID_DATA", "the related list name given seems to be invalid",
                      {"api_name": related})
    fields = [f for f in request.query_params.get("fields", "").split(",") if f]
    if not fields:
        return _error(400, "REQUIRED_PARAM_MISSING", "required param is missing", {"param_name": "fields"})
    deal = sandbox_of(request).world.by_seq("deals", zoho_seq("Deals", record_id))
    if not isinstance(deal, Deal) or deal.deleted_at is not None:
        return _error(400, "INVALID_DATA", "the related id given seems to be invalid", {"api_name": "id"})
    q = request.query_params
    per_page, page = min(int(q.get("per_page", "200")), MAX_PER_PAGE), int(q.get("page", "1"))
    entries = modules.stage_history(deal)
    chunk = entries[(page - 1) * per_page : page * per_page]
    if not chunk:
        return Response(content=b"", status_code=204)
    data = [{"id": e["id"], **{f: e.get(f) for f in fields if f in e}} for e in chunk]
    return reply({"data": data, "info": {"per_page": per_page, "count": len(data), "page": page,
                                         "more_records": page * per_page < len(entries)}})


router = Router(path="/zoho",
                route_handlers=[list_records, deleted_records, related_records, authorize, token])
