"""Salesforce stand-in: OAuth web-server flow, REST ``query``/``queryAll`` with locators.

``instance_url`` in the token response is ``{base}/salesforce``. The data routes are also
served at the root (``{base}/services/data/...``) because ``nextRecordsUrl`` and
``attributes.url`` are host-relative: clients that append them to ``instance_url`` and
clients that join them to the host both land on a served path. Errors are JSON *lists*
(``[{"message", "errorCode"}]``); the token response has no ``expires_in``; refresh may
rotate the refresh token; batches are 2,000 rows, or 1,000 for Task/Event and wide
queries, or ``Sforce-Query-Options: batchSize=N``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, Response, Router, get, post, route
from litestar.enums import HttpMethod
from litestar.params import FromPath

from cxsuite.sandbox import salesforce_objects as sobjects
from cxsuite.sandbox.common import (
    base_url,
    bearer,
    consent,
    gate,
    malformed_now,
    page_window,
    params,
    parse_time,
    reply,
    sandbox_of,
    unknown_client,
)
from cxsuite.sandbox.ids import salesforce_id
from cxsuite.sandbox.oauth import AccessToken, CodeProblem, Grant, TokenState
from cxsuite.sandbox.quotas import UNLIMITED, Limit
from cxsuite.sandbox.soql import Comparison, Junction, Query, SoqlError, fields_in, matches, parse

ORG_ID = salesforce_id("Organization", 1)
USER_ID = salesforce_id("User", 1)
_VERSION = re.compile(r"^v\d{2}\.0$")
_WIDE_QUERY = 25
REPLICATION_DAYS = 15  # getDeleted reaches no further back


def _errors(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return reply([{"message": message, "errorCode": code}], status, headers)


class SalesforceErrors:
    """Salesforce REST error lists (INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED per errorcodes.htm)."""

    def unauthorized(self, state: TokenState, token: AccessToken | None) -> Response:
        """401 ``Session expired or invalid``, the signal to refresh."""
        return _errors(401, "INVALID_SESSION_ID", "Session expired or invalid")

    def rate_limited(self, retry_after: int | None) -> Response:
        """403 REQUEST_LIMIT_EXCEEDED for a short-lived limit (too many long requests at once):
        Salesforce throttles with 403 and no Retry-After."""
        return _errors(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")

    def daily_limit(self) -> Response:
        """403 REQUEST_LIMIT_EXCEEDED for the org's spent daily API allowance (rolling 24 h)."""
        return _errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")

    def server_error(self, status: int) -> Response:
        """An unexpected server error with an ErrorId, as Salesforce reports them."""
        return _errors(
            status,
            "UNKNOWN_EXCEPTION",
            "An unexpected error occurred. Please include this ErrorId "
            "if you contact support: 1876543210-98765 (-1234567890)",
        )


ERRORS = SalesforceErrors()


def _enter(request: Request, version: str) -> Response | dict[str, str]:
    """Version check, auth and faults, the org's daily API requests; or the ``Sforce-Limit-Info``
    header (``api-usage=used/max`` over the last 24 hours)."""
    sandbox = sandbox_of(request)
    if not _VERSION.match(version):
        return _errors(404, "NOT_FOUND", "The requested resource does not exist")
    limits, now = sandbox.limits, sandbox.clock.now()
    denied = gate(request, "salesforce", ERRORS, bearer(request))
    if denied is None:
        allowance = Limit("salesforce:requests", limits.salesforce_daily if limits.enforce_rate_limits
                          else UNLIMITED, seconds=limits.salesforce_window_s)
        spent = sandbox.take_fault("salesforce", "daily_limit") is not None
        served = not spent and sandbox.usage.meters.admit(now, [allowance]) is None
        sandbox.usage.count("salesforce", served, sandbox.lock)
        denied = None if served else ERRORS.daily_limit()
    used = sandbox.usage.meters.used_in_window("salesforce:requests", now, limits.salesforce_window_s)
    headers = {"Sforce-Limit-Info": f"api-usage={used}/{limits.salesforce_daily}"}
    if denied is not None:
        denied.headers.update(headers)
        return denied
    return headers


def _resolve(query: Query, text: str, available: list[str]) -> list[str]:
    """Canonical casing of every field the query names; INVALID_FIELD for unknown ones."""
    lookup = {name.lower(): name for name in available}
    for name in (*query.fields, *fields_in(query.where), *(f for f, _ in query.order)):
        if name.lower() not in lookup:
            column = text.lower().find(name.lower()) + 1
            raise SoqlError(
                "INVALID_FIELD",
                f"\n{text}\n{' ' * (column - 1)}^\nERROR at Row:1:Column:{column}\n"
                f"No such column '{name}' on entity '{query.sobject}'. If you are attempting to use a "
                "custom field, be sure to append the '__c' after the custom field name. Please reference "
                "your WSDL or the describe call for the appropriate names.",
            )
    return [lookup[name.lower()] for name in query.fields]


def _run(request: Request, text: str, include_deleted: bool) -> tuple[str, list[dict[str, Any]]]:
    """Execute SOQL: (sObject, matching rows in order, only the selected fields)."""
    world = sandbox_of(request).world
    query = parse(text)
    sobject = next(
        (s for s in (*sobjects.SOBJECTS, *sobjects.DERIVED) if s.lower() == query.sobject.lower()), None
    )
    if sobject is None:
        column = text.find(query.sobject) + 1
        raise SoqlError(
            "INVALID_TYPE",
            f"\n{text}\n{' ' * (column - 1)}^\nERROR at Row:1:Column:{column}\n"
            f"sObject type '{query.sobject}' is not supported. If you are attempting to use a custom "
            "object, be sure to append the '__c' after the entity name. Please reference your WSDL or "
            "the describe call for the appropriate names.",
        )
    selected = _resolve(query, text, sobjects.fields_of(world, sobject))
    canon = {f.lower(): f for f in sobjects.fields_of(world, sobject)}
    where = _canonical(query.where, canon)
    found = [
        row
        for row in sobjects.rows(world, sobject, _lookup(sobject, where))
        if (include_deleted or not row["IsDeleted"]) and matches(where, row)
    ]
    for name, descending in reversed(query.order):
        key = canon[name.lower()]
        found.sort(key=lambda row, k=key: (row.get(k) is not None, row.get(k) or 0), reverse=descending)
    found = found[: query.limit] if query.limit is not None else found
    return sobject, [{name: row.get(name) for name in selected} for row in found]


def _lookup(sobject: str, where: Any) -> tuple[str, list[str]] | None:
    """The parent field and ids of ``<parent field> IN (...)`` on a child sObject
    (OpportunityHistory by OpportunityId, CaseHistory by CaseId, CampaignMember by ContactId or
    LeadId), which the stand-in answers from an index like Salesforce does; ``None`` for any
    other query (a full scan). The whole WHERE clause is still applied to the rows found."""
    links = sobjects.LINKS.get(sobject, {})
    parts = where.parts if isinstance(where, Junction) and where.op == "AND" else [where]
    return next((
        (part.field, [str(v) for v in part.value]) for part in parts
        if isinstance(part, Comparison) and part.op == "IN" and part.field in links
        and isinstance(part.value, list)), None)


def _canonical(cond: Any, canon: dict[str, str]) -> Any:
    """The WHERE tree with field names in their canonical casing."""
    if cond is None:
        return None
    if hasattr(cond, "parts"):
        cond.parts = [_canonical(part, canon) for part in cond.parts]
    else:
        cond.field = canon[cond.field.lower()]
    return cond


def _batch_size(request: Request, sobject: str, width: int) -> int:
    limits = sandbox_of(request).limits
    size = (
        limits.salesforce_narrow_batch_size
        if sobject in ("Task", "Event") or width > _WIDE_QUERY
        else limits.salesforce_batch_size
    )
    option = re.search(r"batchSize=(\d+)", request.headers.get("sforce-query-options", ""))
    return min(size, max(200, int(option.group(1)))) if option else size


def _page(request: Request, version: str, cursor: dict[str, Any], headers: dict[str, str]) -> Response:
    """One batch of a cursor, with ``nextRecordsUrl`` while ``done`` is false."""
    sandbox = sandbox_of(request)
    rows, start = cursor["rows"], cursor["position"]
    end, nxt = page_window(sandbox, "salesforce", len(rows), start, cursor["batch"])
    records = [
        {
            "attributes": {
                "type": cursor["sobject"],
                "url": f"/services/data/{version}/sobjects/{cursor['sobject']}/{row.get('Id')}",
            },
            **row,
        }
        for row in rows[start:end]
    ]
    # Only the record streams' pages (queryAll) carry a broken row; lookups stay intact.
    if cursor["endpoint"] == "queryAll" and malformed_now(sandbox, "salesforce", records):
        records[0]["SystemModstamp"] = "31/02/2024 25:61"  # a row no connector can map
    body: dict[str, Any] = {"totalSize": len(rows), "done": nxt is None, "records": records}
    if nxt is not None:
        locator = f"{cursor['id']}-{nxt}"
        request.app.state.salesforce_cursors[locator] = {**cursor, "position": nxt}
        body["nextRecordsUrl"] = f"/services/data/{version}/{cursor['endpoint']}/{locator}"
    return reply(body, headers=headers)


async def _query(request: Request, version: str, endpoint: str) -> Response:
    entered = _enter(request, version)
    if isinstance(entered, Response):
        return entered
    text = request.query_params.get("q", "")
    try:
        sobject, rows = _run(request, text, include_deleted=endpoint == "queryAll")
    except SoqlError as exc:
        return _errors(400, exc.code, str(exc), entered)
    cursor = {
        "id": "01g" + secrets.token_hex(6).upper(),
        "rows": rows,
        "position": 0,
        "sobject": sobject,
        "endpoint": endpoint,
        "batch": _batch_size(request, sobject, len(rows[0]) if rows else 1),
    }
    return _page(request, version, cursor, entered)


async def _more(request: Request, version: str, locator: str) -> Response:
    entered = _enter(request, version)
    if isinstance(entered, Response):
        return entered
    cursor = request.app.state.salesforce_cursors.pop(locator, None)
    if cursor is None:
        return _errors(400, "INVALID_QUERY_LOCATOR", "invalid query locator", entered)
    return _page(request, version, cursor, entered)


def data_handlers() -> list[Any]:
    """Fresh handler objects for the REST data API (mounted under two prefixes)."""

    @get("/services/data/{version:str}/query")
    async def query(request: Request, version: FromPath[str]) -> Response:
        """Run SOQL; deleted rows excluded."""
        return await _query(request, version, "query")

    @get("/services/data/{version:str}/queryAll")
    async def query_all(request: Request, version: FromPath[str]) -> Response:
        """Run SOQL including deleted (IsDeleted) rows."""
        return await _query(request, version, "queryAll")

    @get(
        [
            "/services/data/{version:str}/query/{locator:str}",
            "/services/data/{version:str}/queryAll/{locator:str}",
        ]
    )
    async def query_more(request: Request, version: FromPath[str], locator: FromPath[str]) -> Response:
        """The next batch for a ``nextRecordsUrl`` locator."""
        return await _more(request, version, locator)

    @get("/services/data")
    async def versions(request: Request) -> Response:
        """Available API versions."""
        return reply(
            [
                {
                    "label": "Winter '25",
                    "url": f"/services/data/v{sobjects.API_VERSION}",
                    "version": sobjects.API_VERSION,
                }
            ]
        )

    @get("/services/data/{version:str}/sobjects/{sobject:str}/deleted")
    async def get_deleted(request: Request, version: FromPath[str], sobject: FromPath[str]) -> Response:
        """sObject Get Deleted: ids deleted between ``start`` and ``end``."""
        return _deleted(request, version, sobject)

    return [query, query_all, query_more, versions, get_deleted]


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _deleted(request: Request, version: str, sobject: str) -> Response:
    """getDeleted as Salesforce answers it: both dates required, whole minutes, at most
    ``REPLICATION_DAYS`` back, ``end`` not before ``start``; ``latestDateCovered`` says where
    the next call starts."""
    entered = _enter(request, version)
    if isinstance(entered, Response):
        return entered
    sandbox, q = sandbox_of(request), request.query_params
    canonical = next((name for name in sobjects.SOBJECTS if name.lower() == sobject.lower()), None)
    if canonical is None:
        return _errors(404, "NOT_FOUND", "The requested resource does not exist", entered)
    if not q.get("start") or not q.get("end"):
        return _errors(400, "MISSING_ARGUMENT", "start and end are required", entered)
    try:
        start, end = _minute(parse_time(q["start"])), _minute(parse_time(q["end"]))
    except ValueError:
        return _errors(400, "INVALID_REPLICATION_DATE", "start and end must be ISO 8601 datetimes", entered)
    now = sandbox.clock.now()
    earliest = _minute(now - timedelta(days=REPLICATION_DAYS))
    if start < earliest:
        return _errors(400, "INVALID_REPLICATION_DATE", "startDate before org replication enabled date",
                       entered)
    if end < start:
        return _errors(400, "INVALID_REPLICATION_DATE", "EndDate before StartDate", entered)
    covered = min(end, _minute(now))
    return reply({"deletedRecords": sobjects.deleted(sandbox.world, canonical, start, covered),
                  "earliestDateAvailable": sobjects.stamp(earliest),
                  "latestDateCovered": sobjects.stamp(covered)}, headers=entered)


@route("/services/oauth2/authorize", http_method=[HttpMethod.GET, HttpMethod.POST], status_code=200)
async def authorize(request: Request) -> Response:
    """The login + allow-access screen; redirects with a ``code`` that ends in ``==``."""
    refused = unknown_client(
        request, "salesforce", "error=invalid_client_id&error_description=client%20identifier%20invalid"
    )
    if refused is not None:
        return refused
    q, sandbox = request.query_params, sandbox_of(request)
    code = sandbox.oauth.issue_code("salesforce", q["redirect_uri"], q.get("scope", "api refresh_token"))
    approved = {"code": code, **({"state": q["state"]} if "state" in q else {})}
    return await consent(request, "salesforce", "cxsuite", q["redirect_uri"], approved)


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return reply({"error": error, "error_description": description}, status)


def _token_body(request: Request, access: AccessToken, refresh: str | None) -> dict[str, Any]:
    issued = str(int(sandbox_of(request).clock.now().timestamp() * 1000))
    instance = f"{base_url(request)}/salesforce"
    digest = hashlib.sha256(f"{instance}{issued}{access.token}".encode()).digest()
    body = {
        "access_token": access.token,
        "signature": base64.b64encode(digest).decode(),
        "scope": access.scope,
        "instance_url": instance,
        "id": f"{instance}/id/{ORG_ID}/{USER_ID}",
        "token_type": "Bearer",
        "issued_at": issued,
    }
    return {**body, "refresh_token": refresh} if refresh else body


@post("/services/oauth2/token", status_code=200)
async def token(request: Request) -> Response:
    """Code or refresh-token exchange; errors in the OAuth ``error``/``error_description`` form."""
    form, sandbox = await params(request), sandbox_of(request)
    if not sandbox.oauth.check_client("salesforce", form.get("client_id")):
        return _oauth_error("invalid_client_id", "client identifier invalid")
    if not sandbox.oauth.check_client("salesforce", form.get("client_id"), form.get("client_secret")):
        return _oauth_error("invalid_client", "invalid client credentials")
    if form.get("grant_type") == "refresh_token":
        issued = sandbox.oauth.refresh(
            "salesforce", form.get("refresh_token", ""), sandbox.salesforce_rotates_refresh
        )
        if issued is None:
            return _oauth_error("invalid_grant", "expired access/refresh token")
        return reply(_token_body(request, issued[0], issued[1].token if issued[1] else None))
    if form.get("grant_type") != "authorization_code":
        return _oauth_error("unsupported_grant_type", "grant type not supported")
    grant = sandbox.oauth.redeem_code("salesforce", form.get("code", ""), form.get("redirect_uri"))
    if isinstance(grant, Grant):
        access, refresh = sandbox.oauth.issue("salesforce", grant.scope)
        return reply(_token_body(request, access, refresh.token if refresh else None))
    if grant is CodeProblem.REDIRECT_MISMATCH:
        return _oauth_error("redirect_uri_mismatch", "redirect_uri must match configuration")
    return _oauth_error(
        "invalid_grant",
        "expired authorization code" if grant is CodeProblem.EXPIRED else "invalid authorization code",
    )


router = Router(path="/salesforce", route_handlers=[authorize, token, *data_handlers()])
root_router = Router(path="/", route_handlers=data_handlers())
