"""The ``/_sandbox/`` control API: the Sandbox methods over HTTP, for out-of-process tests.

A connector test kit running the sandbox in another process (``cxsuite sandbox``) steers it
here: queue faults (HTTP errors, outages, resets, slow responses, a spent daily quota, a
revoked grant), expire tokens, move the clock, mutate the world, read the request log.
These calls are not logged, so "nothing was sent to HubSpot" stays easy to assert.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from litestar import Request, Response, Router, delete, get, post

from cxsuite.sandbox.common import base_url, reply, sandbox_of
from cxsuite.sandbox.state import Fault, GA4Quirks


@get("/info")
async def info(request: Request) -> Response:
    """Vendor URLs, OAuth clients, record counts and the sandbox time."""
    return reply(sandbox_of(request).info(base_url(request)))


@post("/faults", status_code=200)
async def add_fault(request: Request) -> Response:
    """Queue a fault: ``{"vendor", "kind", "count"?, "seconds"?, "retry_after"?, "status"?,
    "delay"?, "mode"?}`` (``Sandbox.inject``; ``vendor`` ``"*"`` is every vendor)."""
    body: dict[str, Any] = await request.json()
    try:
        fault = sandbox_of(request).inject(
            body["vendor"],
            body["kind"],
            int(body["count"]) if body.get("count") is not None else None,
            retry_after=body.get("retry_after"),
            status=int(body.get("status", 500)),
            seconds=float(body["seconds"]) if body.get("seconds") is not None else None,
            delay=float(body.get("delay", 0)),
            mode=str(body.get("mode", "refuse")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        return reply({"error": str(exc)}, 400)
    return reply(_fault_json(fault))


@get("/faults")
async def list_faults(request: Request) -> Response:
    """Faults still pending (not consumed, or with an open window)."""
    return reply([_fault_json(f) for f in sandbox_of(request).pending_faults()])


def _fault_json(fault: Fault) -> dict[str, Any]:
    return {**asdict(fault), "until": fault.until.isoformat() if fault.until else None}


@delete("/faults", status_code=200)
async def clear_faults(request: Request) -> Response:
    """Drop pending faults."""
    sandbox_of(request).clear_faults()
    return reply({"cleared": True})


@post("/tokens/expire", status_code=200)
async def expire_tokens(request: Request) -> Response:
    """Expire every access token now."""
    return reply({"expired": sandbox_of(request).expire_tokens()})


@post("/clock/advance", status_code=200)
async def advance(request: Request) -> Response:
    """Move the clock: ``{"seconds": n}``."""
    body: dict[str, Any] = await request.json()
    return reply({"now": sandbox_of(request).advance(float(body.get("seconds", 0))).isoformat()})


@post("/mutations", status_code=200)
async def mutate(request: Request) -> Response:
    """``{"action": "modify"|"archive"|"add", "kind": "contacts", "count": k}``; returns the seqs."""
    body: dict[str, Any] = await request.json()
    sandbox = sandbox_of(request)
    actions = {"modify": sandbox.modify, "archive": sandbox.archive, "add": sandbox.add}
    if body.get("action") not in actions:
        return reply({"error": f"action must be one of {sorted(actions)}"}, 400)
    try:
        changed = actions[body["action"]](body.get("kind", ""), int(body.get("count", 1)))
    except ValueError as exc:
        return reply({"error": str(exc)}, 400)
    return reply({"seqs": [r.seq for r in changed]})


@get("/requests")
async def requests(request: Request) -> Response:
    """The request log, optionally ``?vendor=hubspot``."""
    logged = sandbox_of(request).requests(request.query_params.get("vendor"))
    return reply([{**asdict(r), "at": r.at.isoformat()} for r in logged])


@post("/ga4/quirks", status_code=200)
async def set_ga4_quirks(request: Request) -> Response:
    """Make GA4 answer as it sometimes does: ``{"header_order": "reversed", "omit_metrics":
    [...], "thresholded": true, "sampled": true, "landing_page_limit": n}`` (``GA4Quirks``;
    an empty body restores plain answers)."""
    body: dict[str, Any] = await request.json() or {}
    try:
        quirks = GA4Quirks(**{**body, "omit_metrics": tuple(body.get("omit_metrics", ()))})
    except TypeError as exc:
        return reply({"error": str(exc)}, 400)
    if quirks.header_order not in ("request", "reversed"):
        return reply({"error": "header_order must be 'request' or 'reversed'"}, 400)
    sandbox_of(request).ga4_quirks = quirks
    return reply(asdict(quirks))


@delete("/requests", status_code=200)
async def clear_requests(request: Request) -> Response:
    """Forget the request log."""
    sandbox_of(request).clear_requests()
    return reply({"cleared": True})


router = Router(
    path="/_sandbox",
    route_handlers=[info, add_fault, list_faults, clear_faults, expire_tokens, advance, mutate, requests,
                    clear_requests, set_ga4_quirks],
)
