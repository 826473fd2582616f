"""Salesforce REST API: what to read, how to page, how to resume.

Each stream is one SOQL query on ``queryAll`` (live rows and deleted ones, ``IsDeleted``),
ordered by ``(SystemModstamp, Id)`` and continued strictly after the cursor (see
:mod:`cxsuite_salesforce.cursor`). Batches come back 2,000 rows at a time (1,000 for Task and
Event) and are followed through ``nextRecordsUrl`` until a response says ``done: true`` — never
ended by a short or empty page. Every page is one :class:`Batch` whose checkpoint is the cursor
of its last row, so a sync stopped anywhere resumes with the next row; a query locator that
expired (``INVALID_QUERY_LOCATOR``) is replaced by the same query from the cursor.

Opportunities carry their OpportunityHistory stage changes and cases their CaseHistory owner
changes, read per page; contacts and leads carry the campaigns they are members of
(CampaignMember, per page, with campaign names read once); survey answers (Feedback
Management's SurveyQuestionResponse) are read for the questions that measure NPS, CSAT or CES,
and an org without Feedback Management (or campaigns) simply has none.

Deletions: ``queryAll`` returns deleted rows only while they sit in the recycle bin. After the
query pass, every replicable stream therefore asks ``getDeleted``
(``/sobjects/{sObject}/deleted/?start=&end=``) for what was deleted since the last sync
(``deleted_from`` in the checkpoint, kept in Salesforce's own time: the newest change the first
sync read, then each ``latestDateCovered``) and marks those records archived. The log reaches
15 days back; a start beyond it (``INVALID_REPLICATION_DATE``) is asked again from there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from cxsuite.connectors import BaseConnector, Batch, OAuth2Spec, RetryHint, StreamSpec, TokenSet
from cxsuite.connectors.mapping import map_rows
from cxsuite.errors import ConnectorAuthError, VendorError
from cxsuite_salesforce import mapping
from cxsuite_salesforce.config import LOGIN_URL, SALESFORCE_DOMAINS, SalesforceConfig, salesforce_origin
from cxsuite_salesforce.cursor import Cursor, in_list, incremental_query, parse_stamp, soql_datetime
from cxsuite_salesforce.errors import describe_errors, salesforce_hint, vendor_errors

log = logging.getLogger("cxsuite.connectors.salesforce")

SYSTEM_FIELDS = ("Id", "IsDeleted", "SystemModstamp", "CreatedDate")
HISTORY_CHUNK = 200  # ids per OpportunityHistory query, keeping the GET URL short
LOCATOR_RESTARTS = 3
DELETED_REACH = timedelta(days=15)  # getDeleted answers for no more than 15 days back
_NEXT = re.compile(r"^/services/data/v\d+\.\d+/(?:query|queryAll)/[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class Stream:
    """How one sObject is read and mapped."""

    sobject: str
    kind: str
    to_record: mapping.Mapper
    fields: tuple[str, ...]
    interaction_type: str = ""
    replicable: bool = True  # getDeleted serves it

    def tombstone(self) -> Any:
        """The mapper of this stream's getDeleted entries."""
        return mapping.deleted(self.kind, self.interaction_type or "task")


STREAMS: dict[str, Stream] = {
    "contacts": Stream("Contact", "customer", mapping.contact,
                       ("Name", "Email", "Phone", "AccountId", "OwnerId")),
    "leads": Stream("Lead", "customer", mapping.lead,
                    ("Name", "Email", "Phone", "Company", "Status", "LeadSource", "IsConverted",
                     "ConvertedContactId", "ConvertedDate", "OwnerId")),
    "accounts": Stream("Account", "company", mapping.account, ("Name", "Website", "Industry")),
    "opportunities": Stream("Opportunity", "deal", mapping.opportunity,
                            ("Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon",
                             "AccountId", "ContactId", "OwnerId")),
    "cases": Stream("Case", "ticket", mapping.case,
                    ("Subject", "Origin", "Status", "Priority", "IsClosed", "ClosedDate", "ContactId",
                     "OwnerId")),
    "tasks": Stream("Task", "interaction", mapping.task,
                    ("Subject", "TaskSubtype", "CallType", "ActivityDate", "CompletedDateTime", "WhoId",
                     "WhatId", "OwnerId"), "task"),
    "events": Stream("Event", "interaction", mapping.event,
                     ("Subject", "Type", "StartDateTime", "ActivityDateTime", "WhoId", "OwnerId"), "event"),
    "survey_responses": Stream("SurveyQuestionResponse", "feedback", mapping.survey_response,
                               ("QuestionId", "NumberValue"), replicable=False),
}
# Per-page related rows: sObject → (related sObject, its link field, extra condition, fields).
RELATED = {
    "Opportunity": ("OpportunityHistory", "OpportunityId", "", "StageName, CreatedDate"),
    "Case": ("CaseHistory", "CaseId", "Field IN (" + ", ".join(f"'{f}'" for f in mapping.OWNER_FIELDS) + ")",
             "Field, CreatedDate"),
}
MEMBER_LINK = {"Contact": "ContactId", "Lead": "LeadId"}


class SalesforceConnector(BaseConnector):
    """Salesforce CRM and Service Cloud: contacts, accounts, opportunities with stage history,
    cases, tasks, events and survey answers."""

    key: ClassVar[str] = "salesforce"
    display_name: ClassVar[str] = "Salesforce"
    auth_kind = "oauth2"
    oauth = OAuth2Spec(authorize_url=f"{LOGIN_URL}/services/oauth2/authorize",
                       token_url=f"{LOGIN_URL}/services/oauth2/token", scopes=("api", "refresh_token"))
    streams = tuple(StreamSpec(name, s.kind, f"{s.sobject} via queryAll") for name, s in STREAMS.items())
    config_type = SalesforceConfig
    allowed_hosts = tuple(f"*.{domain}" for domain in SALESFORCE_DOMAINS)

    @classmethod
    def _login(cls, config: SalesforceConfig | None) -> str:
        if config is None:
            return LOGIN_URL
        return config.base_url or config.login_url

    @classmethod
    def authorize_endpoint(cls, config: SalesforceConfig | None) -> str:
        """The login host's consent page (My Domain, test.salesforce.com or the stand-in)."""
        return f"{cls._login(config)}/services/oauth2/authorize"

    @classmethod
    def token_endpoint(cls, config: SalesforceConfig | None, callback_params: Mapping[str, str]) -> str:
        """The configured login host; never a host from the callback."""
        return f"{cls._login(config)}/services/oauth2/token"

    @classmethod
    def accept_token(cls, body: Mapping[str, Any], config: SalesforceConfig, now: datetime,
                     previous: TokenSet | None = None) -> TokenSet:
        """Tokens plus the org's ``instance_url``, refused unless it is a Salesforce origin (or
        the configured stand-in). There is no ``expires_in``: the session is refreshed when a call
        answers ``INVALID_SESSION_ID``, and a rotated refresh token replaces the old one."""
        tokens = super().accept_token(body, config, now, previous)
        instance = body.get("instance_url") or (previous.extra.get("instance_url") if previous else "")
        if not instance:
            raise ConnectorAuthError("Salesforce returned no instance_url; reconnect the account")
        tokens.extra["instance_url"] = instance_origin(str(instance), config)
        return tokens

    @classmethod
    def base_url(cls, config: SalesforceConfig, credentials_extra: Mapping[str, str]) -> str:
        """The org's instance, checked again before every sync."""
        instance = credentials_extra.get("instance_url")
        if not instance:
            raise ConnectorAuthError("Salesforce is not authorised yet; connect the account")
        return instance_origin(instance, config)

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """Salesforce's error codes (see :func:`salesforce_hint`)."""
        return salesforce_hint(response)

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Pages of ``stream`` after the checkpoint's cursor, each with the cursor of its last row;
        then the records deleted since the last sync (getDeleted)."""
        spec = STREAMS[stream]
        cursor = Cursor.load(checkpoint)
        deleted_from = (checkpoint or {}).get("deleted_from")
        context, condition = await self._prepare(spec)
        if condition is None:
            yield Batch([], cursor.settled(self.context.now).as_checkpoint())
            return
        page = await self._query("queryAll", self._soql(spec, cursor, condition))
        while True:
            rows = page.get("records") or []
            page_context = await self._page_context(spec, context, rows)
            records, errors = map_rows(rows, lambda row, c=page_context: spec.to_record(row, c),
                                       mapping.error_id)
            cursor = cursor.after(rows)
            done = page.get("done") is True
            position = cursor.settled(self.context.now) if done else cursor
            kept = {"deleted_from": deleted_from} if deleted_from else {}
            yield Batch(records, {**position.as_checkpoint(), **kept}, errors, total=page.get("totalSize"))
            if done:
                break
            try:
                page = await self._next(page)
            except LocatorExpired:
                log.info("query locator expired; querying %s again from the cursor", spec.sobject)
                page = await self._query("queryAll", self._soql(spec, cursor, condition))
        if spec.replicable:
            yield await self._deletions(spec, position, deleted_from)

    async def _deletions(self, spec: Stream, position: Cursor, deleted_from: str | None) -> Batch:
        """getDeleted from ``deleted_from`` to now: the records deleted meanwhile, archived; the
        checkpoint moves to the ``latestDateCovered`` Salesforce returned. A first sync (queryAll
        has just read whatever the recycle bin holds) only notes where the next one starts: the
        newest change it read, in Salesforce's own time."""
        if deleted_from is None:
            start = {"deleted_from": position.stamp} if position.stamp else {}
            return Batch([], {**position.as_checkpoint(), **start})
        now = self.context.now.astimezone(UTC)
        try:
            body = await self._get_deleted(spec, parse_stamp(deleted_from), now)
        except VendorError as exc:
            if "INVALID_REPLICATION_DATE" not in str(exc):
                raise
            # The log reaches back 15 days at most: deletions before that are beyond any API's
            # reach (queryAll read those still in the recycle bin).
            log.info("getDeleted refused %s from %s; asking from 15 days back", spec.sobject, deleted_from)
            body = await self._get_deleted(spec, now - DELETED_REACH + timedelta(minutes=1), now)
        records, errors = map_rows(body.get("deletedRecords") or [], spec.tombstone(),
                                   lambda entry: str(entry.get("id") or ""))
        reached = mapping.when(body, "latestDateCovered")
        following = soql_datetime(reached) if reached else deleted_from
        return Batch(records, {**position.as_checkpoint(), "deleted_from": following}, errors)

    async def _get_deleted(self, spec: Stream, start: datetime, end: datetime) -> dict[str, Any]:
        path = f"/services/data/{self.config.api_version}/sobjects/{spec.sobject}/deleted/"
        return await self._call(path, {"start": _replication_time(start), "end": _replication_time(end)})

    async def _page_context(self, spec: Stream, context: mapping.Context, rows: list[dict[str, Any]],
                            ) -> mapping.Context:
        """The context of one page: its records' history rows and campaign memberships."""
        ids = [str(found) for r in rows if not r.get("IsDeleted") and (found := mapping.record_id(r))]
        if spec.sobject in RELATED:
            context = replace(context, history=await self._related(spec.sobject, ids))
        if spec.sobject in MEMBER_LINK and context.campaigns:
            context = replace(context, segments=await self._memberships(spec.sobject, ids, context.campaigns))
        return context

    def _soql(self, spec: Stream, cursor: Cursor, condition: str) -> str:
        """The stream's query after ``cursor``; the configured custom fields join Case's and
        Contact's."""
        configured = {"Case": self.config.case_fields, "Contact": self.config.contact_fields}
        custom = configured.get(spec.sobject, ())
        return incremental_query(spec.sobject, (*SYSTEM_FIELDS, *spec.fields, *custom), cursor, condition)

    @property
    def config(self) -> SalesforceConfig:
        """The connection's typed settings."""
        return self.context.config

    async def _prepare(self, spec: Stream) -> tuple[mapping.Context, str | None]:
        """The mapping context and extra condition of a stream; ``None`` condition: nothing to read."""
        config = self.config
        if spec.sobject == "Case":
            return mapping.Context(case_first_response=config.case_first_response_field,
                                   case_reopened=config.case_reopened_field,
                                   case_csat=config.case_csat_field), ""
        if spec.sobject in MEMBER_LINK:
            return mapping.Context(contact_lifecycle=config.contact_lifecycle_field,
                                   contact_churn=config.contact_churn_field,
                                   campaigns=await self._campaigns()), ""
        if spec.sobject != "SurveyQuestionResponse":
            return mapping.Context(), ""
        try:
            rows = await self._collect("SELECT Id, DeveloperName, QuestionType, Name FROM SurveyQuestion")
        except VendorError as exc:
            if "INVALID_TYPE" not in str(exc):
                raise
            log.info("no survey objects in this org (Feedback Management is not enabled)")
            return mapping.Context(), None
        questions = {str(q["Id"]): (metric, q.get("Name")) for q in rows
                     if q.get("Id") and (metric := mapping.question_metric(q))}
        if not questions:
            return mapping.Context(), None
        return mapping.Context(questions=questions), f"QuestionId IN {in_list(sorted(questions))}"

    async def _related(self, sobject: str, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """History rows (OpportunityHistory stage changes, CaseHistory owner changes) of the
        page's records, by record, oldest first."""
        related, link, condition, fields = RELATED[sobject]
        extra = f" AND {condition}" if condition else ""
        history: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(ids), HISTORY_CHUNK):
            chunk = in_list(ids[start:start + HISTORY_CHUNK])
            for change in await self._collect(
                    f"SELECT Id, {link}, {fields} FROM {related} "
                    f"WHERE {link} IN {chunk}{extra} ORDER BY {link}, CreatedDate, Id"):
                history.setdefault(str(change.get(link)), []).append(change)
        return history

    async def _campaigns(self) -> dict[str, str]:
        """Campaign names by id; an org without campaigns (or without access) has none."""
        try:
            rows = await self._collect("SELECT Id, Name FROM Campaign")
        except VendorError as exc:
            if "INVALID_TYPE" not in str(exc):
                raise
            log.info("no campaigns in this org (or no access to them)")
            return {}
        return {str(r["Id"]): str(r.get("Name") or r["Id"]) for r in rows if r.get("Id")}

    async def _memberships(self, sobject: str, ids: list[str], campaigns: dict[str, str],
                           ) -> dict[str, list[str]]:
        """The campaigns (segments) each contact or lead of a page is a member of."""
        link = MEMBER_LINK[sobject]
        members: dict[str, list[str]] = {}
        for start in range(0, len(ids), HISTORY_CHUNK):
            chunk = in_list(ids[start:start + HISTORY_CHUNK])
            for row in await self._collect(f"SELECT Id, {link}, CampaignId FROM CampaignMember "
                                           f"WHERE {link} IN {chunk} ORDER BY {link}, Id"):
                name = campaigns.get(str(row.get("CampaignId")))
                if name:
                    members.setdefault(str(row.get(link)), []).append(name)
        return members

    async def _collect(self, soql: str) -> list[dict[str, Any]]:
        """Every row of a (small) query. It has no cursor to resume from, so an expired locator
        starts it over, a few times at most."""
        restarts = 0
        while True:
            try:
                return await self._every_page(soql)
            except LocatorExpired:
                restarts += 1
                if restarts >= LOCATOR_RESTARTS:
                    raise

    async def _every_page(self, soql: str) -> list[dict[str, Any]]:
        page = await self._query("query", soql)
        rows = list(page.get("records") or [])
        while page.get("done") is not True:
            page = await self._next(page)
            rows += page.get("records") or []
        return rows

    async def _query(self, endpoint: str, soql: str) -> dict[str, Any]:
        return await self._call(f"/services/data/{self.config.api_version}/{endpoint}", {"q": soql})

    async def _next(self, page: dict[str, Any]) -> dict[str, Any]:
        """The batch after ``page``; :class:`LocatorExpired` when Salesforce forgot the query."""
        path = str(page.get("nextRecordsUrl") or "")
        if not _NEXT.match(path):
            raise VendorError("Salesforce said the query is not done but gave no usable nextRecordsUrl "
                              f"({path[:80]!r})")
        return await self._call(path)

    async def _call(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        size = self.config.batch_size
        headers = {"Sforce-Query-Options": f"batchSize={size}"} if size else {}
        response: httpx.Response = await self.context.http.get(path, params=params, headers=headers)
        if response.status_code >= 400:
            if any(code == "INVALID_QUERY_LOCATOR" for code, _ in vendor_errors(response)):
                raise LocatorExpired(describe_errors(response))
            raise VendorError(f"Salesforce answered {response.status_code} on {path.split('?')[0]}: "
                              f"{describe_errors(response)}")
        return response.json()


def _replication_time(moment: datetime) -> str:
    """getDeleted's ``start``/``end``: UTC, whole seconds (Salesforce uses whole minutes)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class LocatorExpired(VendorError):
    """``INVALID_QUERY_LOCATOR``: the server forgot the query's cursor (they expire after ~15 min)."""


def instance_origin(url: str, config: SalesforceConfig) -> str:
    """The instance URL to call: the configured stand-in (which the URL must name exactly), or
    a vetted Salesforce origin."""
    if config.base_url:
        if url.rstrip("/") != config.base_url:
            raise ConnectorAuthError(f"Salesforce returned an instance_url other than the configured "
                                     f"base_url ({url[:80]!r}); the connection was not stored")
        return config.base_url
    return salesforce_origin(url)
