"""HTTP plumbing every vendor stand-in shares: auth and fault gate, paging windows, consent.

Vendors differ in their bodies, so each passes a ``VendorErrors`` that words the failure;
the decisions (is the token expired, is a fault queued, where does this page end, approve
or show the consent page) are made here once.
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response import Redirect

from cxsuite.sandbox.oauth import AccessToken, TokenState
from cxsuite.sandbox.state import Sandbox


class VendorErrors(Protocol):
    """How one vendor words the failures the gate can produce."""

    def unauthorized(self, state: TokenState, token: AccessToken | None) -> Response:
        """Missing, unknown or expired access token."""
        ...

    def rate_limited(self, retry_after: int | None) -> Response:
        """Throttled (injected or enforced)."""
        ...

    def server_error(self, status: int) -> Response:
        """A transient server failure."""
        ...


def sandbox_of(request: Request) -> Sandbox:
    """The Sandbox this app serves."""
    return request.app.state.sandbox


def base_url(request: Request) -> str:
    """Scheme, host and port the client used, without a trailing slash."""
    return str(request.base_url).rstrip("/")


def reply(content: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response with the vendor's headers."""
    return Response(
        content=content, status_code=status, headers=dict(headers or {}), media_type=MediaType.JSON
    )


def bearer(request: Request, scheme: str = "Bearer") -> str | None:
    """The token after ``scheme`` in the Authorization header (scheme compared case-insensitively)."""
    value = request.headers.get("authorization", "")
    prefix, _, token = value.partition(" ")
    return token.strip() if prefix.lower() == scheme.lower() and token else None


def gate(
    request: Request, vendor: str, errors: VendorErrors, token: str | None, location: str | None = None
) -> Response | None:
    """Authenticate, then apply injected 5xx / 429 faults; ``None`` means serve the request."""
    sandbox = sandbox_of(request)
    if sandbox.limits.latency_s:
        time.sleep(sandbox.limits.latency_s)  # the stand-in is slow on purpose; blocking is the point
    state, access = sandbox.oauth.check(vendor, token, location)
    if state is not TokenState.VALID:
        return errors.unauthorized(state, access)
    fault = sandbox.take_fault(vendor, "rate_limit", "server_error")
    if fault is None:
        return None
    if fault.kind == "rate_limit":
        return errors.rate_limited(fault.retry_after)
    return errors.server_error(fault.status)


def page_window(sandbox: Sandbox, vendor: str, total: int, start: int, size: int) -> tuple[int, int | None]:
    """(end, next start or None) for a page, honouring short/empty-page faults, which keep
    the cursor so a client that stops on a short page loses records."""
    if start >= total:
        return total, None
    fault = sandbox.take_fault(vendor, "short_page", "empty_page")
    if fault is not None and fault.kind == "empty_page":
        return start, start
    step = max(1, size // 4) if fault is not None else size
    end = min(total, start + step)
    return end, end if end < total else None


def malformed_now(sandbox: Sandbox, vendor: str, page: list[Any]) -> bool:
    """Whether to corrupt this (non-empty) page's first record for an injected fault."""
    return bool(page) and sandbox.take_fault(vendor, "malformed_record") is not None


def parse_time(value: str) -> datetime:
    """ISO 8601 (``Z`` or offset, optional fraction) or epoch milliseconds, as aware UTC."""
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def params(request: Request) -> dict[str, str]:
    """Query and form parameters merged (vendors accept token parameters in either)."""
    merged = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        merged.update({k: str(v) for k, v in form.items()})
    return merged


def unknown_client(request: Request, vendor: str, page: str, status: int = 400) -> Response | None:
    """The vendor's plain-text error page for an authorize request naming a client the sandbox
    does not know or no ``redirect_uri``; ``None`` when the request may go on to consent."""
    query = request.query_params
    if sandbox_of(request).oauth.check_client(vendor, query.get("client_id")) and query.get("redirect_uri"):
        return None
    return Response(content=page, status_code=status, media_type=MediaType.TEXT)


async def consent(
    request: Request, vendor: str, app_name: str, redirect_uri: str, approved: Mapping[str, str]
) -> Response:
    """Approve at once (``auto_approve``), or show a consent page whose buttons post back here."""
    sandbox = sandbox_of(request)
    decision = (await params(request)).get("decision") if request.method == "POST" else None
    if sandbox.auto_approve or decision == "approve":
        return Redirect(path=_with_query(redirect_uri, approved), status_code=302)
    if decision == "deny":
        state = request.query_params.get("state")
        denied = {"error": "access_denied", **({"state": state} if state else {})}
        return Redirect(path=_with_query(redirect_uri, denied), status_code=302)
    return Response(
        content=_consent_page(vendor, app_name, str(request.url)), status_code=200, media_type=MediaType.HTML
    )


def _with_query(url: str, extra: Mapping[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(extra)}"


def _consent_page(vendor: str, app_name: str, action: str) -> str:
    safe_action = html.escape(action, quote=True)
    return (
        f"<!doctype html><html><head><title>{html.escape(app_name)} — sandbox consent</title></head>"
        f"<body><h1>{html.escape(app_name)} wants access to your {html.escape(vendor)} data</h1>"
        f"<form method='post' action='{safe_action}'>"
        "<button name='decision' value='approve'>Approve</button> "
        "<button name='decision' value='deny'>Deny</button></form></body></html>"
    )
