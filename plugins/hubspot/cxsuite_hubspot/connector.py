"""HubSpot CRM v3: what to read, how to page, how to resume.

Each stream runs in phases, and the checkpoint after every page says where it is:

``list``      first sync: ``GET /crm/v3/objects/{type}`` following ``paging.next.after``
              until a page has no ``paging`` — never stopping on a short or empty page.
``search``    later syncs: ``POST …/search`` for objects modified at or after the cursor,
              oldest first. Search answers 400 past 10,000 results, so a long window restarts
              from the last modified date it reached (``>=``, so ties are re-read and the
              idempotent upsert absorbs them; ids are never used to window, because search
              sorts them as text).
``archived``  every sync: archived objects, which keep their modified date and which search
              never returns, come from the list endpoint with ``archived=true``.
``idle``      done; ``cursor`` is where the next sync's search starts: the newest modified
              date seen, capped at the sync's start (a record changed during the sync is
              read again next time) and moved back by a lag for search indexing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from cxsuite.connectors import BaseConnector, Batch, OAuth2Spec, RecordError, RetryHint, StreamSpec
from cxsuite.connectors.contract import stand_in_url
from cxsuite.connectors.mapping import map_rows
from cxsuite.connectors.records import Record
from cxsuite.errors import VendorError
from cxsuite_hubspot import errors, mapping

API = "https://api.hubapi.com"
SEARCH_WINDOW = 10_000
LIST_LIMIT = 100
SEARCH_LIMIT = 200
SEARCH_LAG = timedelta(minutes=5)
# Batch reads take at most 100 ids (associations too, since January 2024), and at most 50 when
# property history is asked for; HubSpot refuses more with 400 VALIDATION_ERROR.
BATCH_INPUTS = 100
BATCH_HISTORY_INPUTS = 50
# List pages that ask for property history hold at most 50 objects.
LIST_HISTORY_LIMIT = 50
CONTACT_TYPE_ID = "0-1"
LISTS_PAGE = 500


class HubSpotConfig(msgspec.Struct, forbid_unknown_fields=True):
    """Connection settings. ``base_url`` points at a HubSpot-compatible stand-in (cxsuite's
    sandbox); it must be one of the deployment's allowed connector hosts.
    ``account_time_zone`` is the HubSpot account's time zone (Settings → Account defaults), an
    IANA name: HubSpot's daily API limit resets at midnight there, so a sync that spent it
    pauses until then."""

    base_url: str | None = None
    account_time_zone: str = "UTC"

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.account_time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"account_time_zone {self.account_time_zone[:60]!r} is not a time zone name "
                             "such as Europe/Vilnius or America/New_York") from None


@dataclass(frozen=True)
class ObjectStream:
    """How one HubSpot object type is read and mapped."""

    object_type: str
    kind: str
    to_record: Callable[[dict[str, Any]], Record]
    properties: tuple[str, ...]
    associations: tuple[str, ...] = ()
    history: tuple[str, ...] = ()

    @property
    def modified(self) -> str:
        """The change-cursor property (contacts differ from every other object)."""
        return "lastmodifieddate" if self.object_type == "contacts" else "hs_lastmodifieddate"


_ENGAGEMENT_PROPS = ("hs_timestamp", "hs_call_direction", "hs_email_direction", "hubspot_owner_id",
                     "hs_engagement_source", "hs_lastmodifieddate")
STREAMS: dict[str, ObjectStream] = {s.object_type: s for s in (
    ObjectStream("contacts", "customer", mapping.contact,
                 ("firstname", "lastname", "email", "phone", "lifecyclestage", "associatedcompanyid",
                  "hubspot_owner_id", "hs_date_exited_customer", "createdate", "lastmodifieddate")),
    ObjectStream("companies", "company", mapping.company,
                 ("name", "domain", "industry", "createdate", "hs_lastmodifieddate")),
    ObjectStream("deals", "deal", mapping.deal,
                 ("dealname", "amount", "pipeline", "dealstage", "closedate", "createdate",
                  "hubspot_owner_id", "hs_lastmodifieddate"), ("contacts", "companies"), ("dealstage",)),
    ObjectStream("tickets", "ticket", mapping.ticket,
                 ("subject", "source_type", "hs_pipeline_stage", "hs_ticket_priority", "createdate",
                  "first_agent_reply_date", "hs_time_to_first_agent_reply", "closed_date", "reopened_count",
                  "csat_score", "hubspot_owner_id", "hubspot_owner_assigneddate", "hs_lastmodifieddate"),
                 ("contacts",), ("hubspot_owner_id",)),
    ObjectStream("calls", "interaction", mapping.engagement("calls"), _ENGAGEMENT_PROPS, ("contacts",)),
    ObjectStream("emails", "interaction", mapping.engagement("emails"), _ENGAGEMENT_PROPS, ("contacts",)),
    ObjectStream("meetings", "interaction", mapping.engagement("meetings"), _ENGAGEMENT_PROPS, ("contacts",)),
    ObjectStream("feedback_submissions", "feedback", mapping.feedback,
                 ("hs_survey_type", "hs_value", "hs_survey_name", "hs_content", "hs_survey_channel",
                  "hs_submission_timestamp", "hs_lastmodifieddate"), ("contacts", "tickets")),
)}


@dataclass
class Position:
    """A stream's checkpoint, typed."""

    phase: str = "list"
    after: str | None = None
    since: str | None = None
    started: str | None = None
    high: str | None = None
    cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON the engine stores."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, {})}


class HubSpotConnector(BaseConnector):
    """HubSpot CRM: contacts, companies, deals with stages, tickets, engagements, feedback."""

    key: ClassVar[str] = "hubspot"
    display_name: ClassVar[str] = "HubSpot"
    auth_kind = "oauth2"
    oauth = OAuth2Spec(
        authorize_url="https://app.hubspot.com/oauth/authorize",
        token_url=f"{API}/oauth/v1/token",
        scopes=("crm.objects.contacts.read", "crm.objects.companies.read", "crm.objects.deals.read",
                "tickets", "crm.objects.feedback_submissions.read", "crm.lists.read"),
        pkce=True)
    streams = tuple(StreamSpec(s.object_type, s.kind) for s in STREAMS.values())
    config_type = HubSpotConfig
    allowed_hosts = ("api.hubapi.com", "app.hubspot.com")
    default_base_url = API
    rate_limit = (100, 10.0)  # HubSpot allows 110 requests per 10 s per portal to OAuth apps

    @classmethod
    def authorize_endpoint(cls, config: HubSpotConfig | None) -> str:
        """app.hubspot.com, or the stand-in's equivalent."""
        return stand_in_url(config, "/oauth/authorize") or super().authorize_endpoint(config)

    @classmethod
    def token_endpoint(cls, config: HubSpotConfig | None, callback_params: Any) -> str:
        """api.hubapi.com's token endpoint, or the stand-in's; never from the callback."""
        return stand_in_url(config, "/oauth/v1/token") or super().token_endpoint(config, callback_params)

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """HubSpot's rate-limit policies and scope errors (see :mod:`cxsuite_hubspot.errors`)."""
        return errors.hint(response)

    @classmethod
    def connection_retry_hint(cls, response: Any, config: HubSpotConfig | None) -> RetryHint | None:
        """As :meth:`retry_hint`, with the daily limit's midnight in the account's time zone."""
        return errors.hint(response, config.account_time_zone if config else "UTC")

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Resume ``stream`` from ``checkpoint`` through its phases (see the module docstring)."""
        spec = STREAMS[stream]
        position = _resume(checkpoint, self.context.now)
        phases = {"list": self._list, "search": self._search, "archived": self._list}
        while position.phase != "idle":
            async for batch in phases[position.phase](spec, position):
                yield batch
        yield Batch([], position.as_dict())

    async def _list(self, spec: ObjectStream, position: Position) -> AsyncIterator[Batch]:
        archived = position.phase == "archived"
        params: dict[str, Any] = {"limit": LIST_HISTORY_LIMIT if spec.history else LIST_LIMIT,
                                  "archived": str(archived).lower(),
                                  "properties": ",".join(spec.properties)}
        if spec.associations:
            params["associations"] = ",".join(spec.associations)
        if spec.history:
            params["propertiesWithHistory"] = ",".join(spec.history)
        while True:
            cursor = {"after": position.after} if position.after else {}
            page = await self._call("GET", f"/crm/v3/objects/{spec.object_type}", params={**params, **cursor})
            results = page.get("results", [])
            if not archived:
                await self._attach_lists(spec, results)
            records, errors = self._map(spec, results, position)
            position.after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if position.after is None:
                _advance(position, "idle" if archived else "archived")
            yield Batch(records, position.as_dict(), errors)
            if position.after is None:
                return

    async def _search(self, spec: ObjectStream, position: Position) -> AsyncIterator[Batch]:
        offset = int(position.after or 0)
        while True:
            body = {"filterGroups": [{"filters": [
                        {"propertyName": spec.modified, "operator": "GTE", "value": position.since}]}],
                    "sorts": [{"propertyName": spec.modified, "direction": "ASCENDING"}],
                    "properties": list(spec.properties), "limit": SEARCH_LIMIT, "after": offset}
            page = await self._call("POST", f"/crm/v3/objects/{spec.object_type}/search", json_body=body)
            results = await self._with_associations(spec, page.get("results", []))
            await self._attach_lists(spec, results)
            records, errors = self._map(spec, results, position)
            next_after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if next_after is None:
                _advance(position, "archived")
            elif int(next_after) + SEARCH_LIMIT > SEARCH_WINDOW:
                _restart_window(position, results, spec)
            else:
                position.after = offset = next_after
            yield Batch(records, position.as_dict(), errors, total=page.get("total"))
            if position.phase != "search":
                return
            offset = int(position.after or 0)

    async def _with_associations(self, spec: ObjectStream, results: list[dict[str, Any]],
                                 ) -> list[dict[str, Any]]:
        """Search returns no associations or history: read them back with batch calls, as many
        ids per call as HubSpot takes (a search page holds 200)."""
        if not results or not (spec.associations or spec.history):
            return results
        size = BATCH_HISTORY_INPUTS if spec.history else BATCH_INPUTS
        full: dict[str, dict[str, Any]] = {}
        for chunk in _chunks([str(r["id"]) for r in results], size):
            body: dict[str, Any] = {"inputs": [{"id": i} for i in chunk], "properties": list(spec.properties)}
            if spec.history:
                body["propertiesWithHistory"] = list(spec.history)
            page = await self._call("POST", f"/crm/v3/objects/{spec.object_type}/batch/read", json_body=body)
            full.update({str(r["id"]): r for r in page.get("results", [])})
        if spec.associations:
            await self._attach_associations(spec, full)
        return [full.get(str(r["id"]), r) for r in results]

    async def _attach_associations(self, spec: ObjectStream, objects: dict[str, dict[str, Any]]) -> None:
        for target in spec.associations:
            path = f"/crm/v4/associations/{spec.object_type}/{target}/batch/read"
            for chunk in _chunks(list(objects), BATCH_INPUTS):
                page = await self._call("POST", path, json_body={"inputs": [{"id": i} for i in chunk]})
                for item in page.get("results", []):
                    links = [{"id": str(t["toObjectId"])} for t in item.get("to", [])]
                    obj = objects.get(str(item.get("from", {}).get("id")))
                    if obj is not None:
                        obj.setdefault("associations", {})[target] = {"results": links}

    async def _attach_lists(self, spec: ObjectStream, results: list[dict[str, Any]]) -> None:
        """Contacts get ``listMemberships`` (list id and name) from the lists API: one batch call
        per 100 contacts, after the portal's list names were read once per sync."""
        if spec.object_type != "contacts" or not results:
            return
        names = await self._list_names()
        for chunk in _chunks([str(r["id"]) for r in results if r.get("id")], BATCH_INPUTS):
            page = await self._call("POST", "/crm/v3/lists/records/memberships/batch/read", json_body={
                "inputs": [{"objectTypeId": CONTACT_TYPE_ID, "recordId": i} for i in chunk]})
            found = {str(item.get("recordId")): item.get("recordListMemberships") or []
                     for item in page.get("results", [])}
            for obj in results:
                if str(obj.get("id")) in found:
                    obj["listMemberships"] = [{"listId": str(m.get("listId")),
                                               "name": names.get(str(m.get("listId")))}
                                              for m in found[str(obj["id"])]]

    async def _list_names(self) -> dict[str, str]:
        """Every list's name by id (``POST /crm/v3/lists/search``, paged by offset)."""
        if self._lists is None:
            names: dict[str, str] = {}
            offset = 0
            while True:
                page = await self._call("POST", "/crm/v3/lists/search",
                                        json_body={"offset": offset, "count": LISTS_PAGE})
                names.update({str(item["listId"]): str(item.get("name") or item["listId"])
                              for item in page.get("lists", []) if item.get("listId") is not None})
                if not page.get("hasMore") or int(page.get("offset") or 0) <= offset:
                    break
                offset = int(page["offset"])
            self._lists = names
        return self._lists

    _lists: dict[str, str] | None = None

    def _map(self, spec: ObjectStream, results: list[dict[str, Any]], position: Position,
             ) -> tuple[list[Record], list[RecordError]]:
        records, errors = map_rows(results, spec.to_record, lambda obj: str(obj.get("id", "")))
        for record in records:
            if record.updated_at and not record.archived:
                position.high = max(position.high or "", record.updated_at.isoformat())
        return records, errors

    async def _call(self, method: str, path: str, params: dict[str, Any] | None = None,
                    json_body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.context.http.request(method, path, params=params, json=json_body)
        if response.status_code >= 400:
            raise VendorError(f"HubSpot answered {response.status_code} on {path}: {_message(response)}")
        return response.json()


def _resume(checkpoint: dict[str, Any] | None, now: datetime) -> Position:
    """The position to start from: the stored one, or a new run after a finished one."""
    position = Position(**checkpoint) if checkpoint else Position(started=now.isoformat())
    if position.phase == "idle":
        position = Position(phase="search", since=position.cursor, started=now.isoformat())
    return position


def _advance(position: Position, phase: str) -> None:
    """Move to the next phase; finishing computes the next sync's cursor."""
    position.phase, position.after = phase, None
    if phase == "idle":
        started = datetime.fromisoformat(position.started) if position.started else None
        candidates = [datetime.fromisoformat(v) for v in (position.high,) if v]
        newest = min([*candidates, started]) if candidates and started else (started or None)
        base = newest or (datetime.fromisoformat(position.since) if position.since else None)
        position.cursor = (base - SEARCH_LAG).isoformat() if base else None
        position.high = position.since = position.started = None


def _restart_window(position: Position, results: list[dict[str, Any]], spec: ObjectStream) -> None:
    """Past the search window: search again from the newest modified date reached."""
    last = results[-1]["properties"].get(spec.modified) if results else None
    reached = mapping.parse_time(last, spec.modified).isoformat() if last else None
    if reached is None or reached == position.since:
        # Over 10,000 objects share one modified instant: only a full list pass reads them all.
        position.phase, position.after = "list", None
        return
    position.since, position.after = reached, None


def _chunks(ids: list[str], size: int) -> list[list[str]]:
    """``ids`` in consecutive groups of at most ``size``."""
    return [ids[start:start + size] for start in range(0, len(ids), size)]


def _message(response: Any) -> str:
    try:
        return str(response.json().get("message", ""))[:300]
    except ValueError:
        return response.text[:300]
