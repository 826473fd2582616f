"""HubSpot lists (segments): ``POST /crm/v3/lists/search`` and the batch read of the lists
records belong to, ``POST /crm/v3/lists/records/memberships/batch/read``.

The search pages by a numeric ``offset`` with ``hasMore``, as HubSpot's lists search does; the
memberships batch read takes at most 100 records, answering more with HubSpot's 400
``VALIDATION_ERROR``. Only contact lists exist in this portal (``objectTypeId`` ``0-1``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, post

from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.common import reply, sandbox_of
from cxsuite.sandbox.hubspot import _enter, _error
from cxsuite.sandbox.ids import hubspot_seq
from cxsuite.sandbox.world import SEGMENTS, Contact

MAX_INPUTS = 100
CONTACTS = objects.OBJECT_TYPE_IDS["contacts"]
# A behavioural list is rebuilt by HubSpot from filters (DYNAMIC); a campaign list is kept by hand.
_MANUAL = frozenset({"Webinar attendees", "Win-back campaign"})


def _list(segment: str, created: str | None) -> dict[str, Any]:
    return {"listId": objects.list_id(segment), "listVersion": 3, "name": segment, "objectTypeId": CONTACTS,
            "processingType": "MANUAL" if segment in _MANUAL else "DYNAMIC", "processingStatus": "COMPLETE",
            "createdAt": created, "updatedAt": created}


@post("/crm/v3/lists/search", status_code=200)
async def search_lists(request: Request) -> Response:
    """Lists of the portal, ``count`` at a time from ``offset``."""
    entered = _enter(request)
    if isinstance(entered, Response):
        return entered
    body = await request.json()
    body = body if isinstance(body, dict) else {}
    offset, count = int(body.get("offset") or 0), min(max(int(body.get("count") or 20), 1), 500)
    world = sandbox_of(request).world
    created = objects.iso(world.now.replace(year=world.now.year - 2))
    lists = [_list(s, created) for s in SEGMENTS]
    page = lists[offset:offset + count]
    return reply({"offset": offset + len(page), "hasMore": offset + len(page) < len(lists), "lists": page,
                  "total": len(lists)}, headers=entered)


@post("/crm/v3/lists/records/memberships/batch/read", status_code=200)
async def memberships(request: Request) -> Response:
    """For each record, the lists it is a member of."""
    entered = _enter(request)
    if isinstance(entered, Response):
        return entered
    body = await request.json()
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list):
        return _error(400, "Invalid input JSON on line 1, column 1: inputs is required", "VALIDATION_ERROR")
    if len(inputs) > MAX_INPUTS:
        return _error(400, f"The maximum number of inputs supported in a batch request is {MAX_INPUTS}. "
                      "Please reduce the number of items and try again", "VALIDATION_ERROR")
    world = sandbox_of(request).world
    results = []
    for item in inputs:
        record_id = str(item.get("recordId")) if isinstance(item, dict) else ""
        contact = (world.by_seq("contacts", hubspot_seq("contacts", record_id))
                   if item.get("objectTypeId") == CONTACTS else None)
        if isinstance(contact, Contact) and contact.deleted_at is None:
            added = objects.iso(contact.created_at)
            results.append({"objectTypeId": CONTACTS, "recordId": record_id, "recordListMemberships": [
                {"listId": objects.list_id(s), "listVersion": 3, "firstAddedTimestamp": added,
                 "lastAddedTimestamp": added} for s in contact.segments]})
    return reply({"status": "COMPLETE", "results": results}, headers=entered)


router = Router(path="/hubspot", route_handlers=[search_lists, memberships])
