"""HubSpot batch reads: ``POST /crm/v3/objects/{type}/batch/read`` and the v4 associations
batch read. Search returns neither associations nor property history, so an incremental sync
reads them back here, one call per page instead of one per object, as against the real API.

Both take at most 100 ids (associations since HubSpot's January 2024 change), and a batch read
with ``propertiesWithHistory`` at most 50. More is refused with HubSpot's 400
``VALIDATION_ERROR``; the property-history wording is observed (activepieces#9359,
pipedream#8462), the plain one follows it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, post
from litestar.params import FromPath

from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.common import reply, sandbox_of
from cxsuite.sandbox.hubspot import _enter, _error, render
from cxsuite.sandbox.ids import hubspot_id

MAX_INPUTS = 100
MAX_HISTORY_INPUTS = 50


def _by_id(request: Request, object_type: str) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    return {hubspot_id(object_type, r.seq): r for r in objects.records(sandbox.world, object_type)
            if r.deleted_at is None}


async def _inputs(request: Request) -> list[str] | Response:
    body = await request.json()
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list):
        return _error(400, "Invalid input JSON on line 1, column 1: inputs is required", "VALIDATION_ERROR")
    history = bool(body.get("propertiesWithHistory"))
    most = MAX_HISTORY_INPUTS if history else MAX_INPUTS
    if len(inputs) > most:
        what = "a batch request for property histories" if history else "a batch request"
        return _error(400, f"The maximum number of inputs supported in {what} is {most}. Please reduce "
                      "the number of items and try again", "VALIDATION_ERROR")
    return [str(i.get("id")) for i in inputs if isinstance(i, dict)]


async def _batch(request: Request, object_type: str) -> tuple[dict[str, str], list[str]] | Response:
    """What every batch read does first: authenticate and throttle (``_enter``), then take the
    ids; the response headers and the ids, or HubSpot's refusal."""
    entered = _enter(request, object_type)
    if isinstance(entered, Response):
        return entered
    ids = await _inputs(request)
    if isinstance(ids, Response):
        return ids
    return entered, ids


@post("/crm/v3/objects/{object_type:str}/batch/read", status_code=200)
async def batch_read(request: Request, object_type: FromPath[str]) -> Response:
    """Objects by id with the requested properties and property history."""
    accepted = await _batch(request, object_type)
    if isinstance(accepted, Response):
        return accepted
    entered, ids = accepted
    body = await request.json()
    found, sandbox = _by_id(request, object_type), sandbox_of(request)
    results = [render(sandbox, object_type, found[i], body.get("properties") or [],
                      body.get("propertiesWithHistory") or [], []) for i in ids if i in found]
    return reply({"status": "COMPLETE", "results": results}, headers=entered)


@post("/crm/v4/associations/{from_type:str}/{to_type:str}/batch/read", status_code=200)
async def association_batch_read(request: Request, from_type: FromPath[str],
                                 to_type: FromPath[str]) -> Response:
    """For each input id, the ids of the associated objects of ``to_type``."""
    accepted = await _batch(request, from_type)
    if isinstance(accepted, Response):
        return accepted
    entered, ids = accepted
    found, sandbox = _by_id(request, from_type), sandbox_of(request)
    results = []
    for object_id in (i for i in ids if i in found):
        links = objects.associations(sandbox.world, from_type, found[object_id], [to_type])
        targets = links.get(to_type, {}).get("results", [])
        if targets:
            results.append({"from": {"id": object_id}, "to": [
                {"toObjectId": int(t["id"]), "associationTypes": [
                    {"category": "HUBSPOT_DEFINED", "typeId": 1, "label": None}]} for t in targets]})
    return reply({"status": "COMPLETE", "results": results}, headers=entered)


router = Router(path="/hubspot", route_handlers=[batch_read, association_batch_read])
