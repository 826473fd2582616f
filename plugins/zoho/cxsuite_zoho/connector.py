"""Zoho CRM API v8: authorisation across data centres, and what each stream reads.

OAuth: consent starts at Zoho's US accounts server, which sends the user on to their own data
centre; the callback names it in ``location``. The code is exchanged, and tokens refreshed, at
that data centre's accounts server from :mod:`cxsuite_zoho.datacentres` (never the callback's
``accounts-server``). The token response's ``api_domain`` is checked against the same table
and stored with the data centre; every API call goes there with ``Zoho-oauthtoken``.

Streams: one per module, read in a live pass and a deleted pass as
:mod:`cxsuite_zoho.position` describes, one :class:`Batch` per page with the position after it.
Each deal of a live page also gets its ``Stage_History`` related list (one call per deal: Zoho
offers no bulk read of it), so an incremental sync pays only for the deals that changed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar

import msgspec

from cxsuite.connectors import BaseConnector, Batch, OAuth2Spec, RetryHint, StreamSpec, TokenSet
from cxsuite.connectors.mapping import map_rows
from cxsuite.errors import ConnectorAuthError, VendorError
from cxsuite_zoho import errors, mapping
from cxsuite_zoho.datacentres import DATA_CENTRES, DEFAULT_LOCATION, HOSTS, accounts_url, api_origin
from cxsuite_zoho.position import Position

API_VERSION = "v8"
MAX_PER_PAGE = 200
_SYSTEM = ("Created_Time", "Modified_Time", "Owner")
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
CUSTOM_SETTINGS = ("contact_lifecycle_field", "contact_churn_field", "case_first_response_field",
                   "case_resolved_field", "case_csat_field")
STAGE_HISTORY_FIELDS = "Stage,Last_Modified_Time"


class ZohoConfig(msgspec.Struct, forbid_unknown_fields=True):
    """Connection settings.

    The ``contact_*_field`` and ``case_*_field`` settings name the org's custom fields for what
    Zoho CRM has no standard field for (a contact's lifecycle stage and churn date; a case's
    first response, resolution and CSAT 1–5); unset, those stay empty.

    ``base_url`` points at a Zoho-compatible stand-in (cxsuite's sandbox) serving the accounts
    servers under ``{base_url}/accounts/<dc>`` and the API under ``{base_url}/api/<dc>``; it
    must be an allowed connector host. ``per_page`` is the page size (Zoho allows 1–200).
    """

    base_url: str | None = None
    per_page: Annotated[int, msgspec.Meta(ge=1, le=MAX_PER_PAGE)] = MAX_PER_PAGE
    contact_lifecycle_field: str | None = None
    contact_churn_field: str | None = None
    case_first_response_field: str | None = None
    case_resolved_field: str | None = None
    case_csat_field: str | None = None

    def __post_init__(self) -> None:
        if self.base_url is not None:
            self.base_url = self.base_url.rstrip("/")
        for name in CUSTOM_SETTINGS:
            value = getattr(self, name)
            if value is not None and not _FIELD.match(value):
                raise ValueError(f"{name} {value[:40]!r} is not a Zoho field API name")

    @property
    def custom(self) -> mapping.Custom:
        """The custom fields, as the mapping reads them."""
        return mapping.Custom(self.contact_lifecycle_field, self.contact_churn_field,
                              self.case_first_response_field, self.case_resolved_field, self.case_csat_field)

    def custom_fields(self, module: str) -> tuple[str, ...]:
        """The configured custom fields a module's ``fields`` parameter must name."""
        names = {"Contacts": (self.contact_lifecycle_field, self.contact_churn_field),
                 "Cases": (self.case_first_response_field, self.case_resolved_field, self.case_csat_field)}
        return tuple(f for f in names.get(module, ()) if f)


@dataclass(frozen=True)
class Module:
    """How one Zoho CRM module is read and mapped."""

    name: str
    kind: str
    to_record: mapping.Mapper
    fields: tuple[str, ...]
    interaction_type: str = ""

    def field_list(self, custom: tuple[str, ...] = ()) -> str:
        """The ``fields`` parameter (mandatory, at most 50 API names)."""
        return ",".join(dict.fromkeys((*self.fields, *_SYSTEM, *custom)))


_ACTIVITY = ("Who_Id", "What_Id")
MODULES: dict[str, Module] = {
    "contacts": Module("Contacts", "customer", mapping.contact,
                       ("First_Name", "Last_Name", "Full_Name", "Email", "Phone", "Mobile", "Account_Name",
                        "Tag")),
    "leads": Module("Leads", "customer", mapping.lead,
                    ("First_Name", "Last_Name", "Full_Name", "Email", "Phone", "Mobile", "Company",
                     "Lead_Status", "Lead_Source", "Tag")),
    "accounts": Module("Accounts", "company", mapping.account, ("Account_Name", "Website", "Industry")),
    "deals": Module("Deals", "deal", mapping.deal,
                    ("Deal_Name", "Stage", "Pipeline", "Amount", "Currency", "Closing_Date", "Account_Name",
                     "Contact_Name")),
    "cases": Module("Cases", "ticket", mapping.case,
                    ("Subject", "Status", "Case_Origin", "Priority", "Related_To")),
    "tasks": Module("Tasks", "interaction", mapping.task,
                    ("Subject", "Status", "Due_Date", "Closed_Time", *_ACTIVITY), "task"),
    "events": Module("Events", "interaction", mapping.event,
                     ("Event_Title", "Start_DateTime", "End_DateTime", *_ACTIVITY), "meeting"),
    "calls": Module("Calls", "interaction", mapping.call,
                    ("Subject", "Call_Type", "Call_Start_Time", "Call_Duration_in_seconds", *_ACTIVITY),
                    "call"),
}
SCOPES = tuple(f"ZohoCRM.modules.{m.name.lower()}.READ" for m in MODULES.values())


class ZohoConnector(BaseConnector):
    """Zoho CRM: contacts, accounts, deals, cases and activities (tasks, events, calls)."""

    key: ClassVar[str] = "zoho"
    display_name: ClassVar[str] = "Zoho CRM"
    auth_kind = "oauth2"
    oauth = OAuth2Spec(
        authorize_url=f"https://{DATA_CENTRES[DEFAULT_LOCATION].accounts_host}/oauth/v2/auth",
        token_url=f"https://{DATA_CENTRES[DEFAULT_LOCATION].accounts_host}/oauth/v2/token",
        scopes=SCOPES, scope_separator=",",
        # offline access gives a refresh token; consent makes Zoho give it on a reconnect too
        extra_authorize_params={"access_type": "offline", "prompt": "consent"})
    streams = tuple(StreamSpec(name, m.kind, f"{m.name} (live and deleted)") for name, m in MODULES.items())
    config_type = ZohoConfig
    allowed_hosts = HOSTS
    # Zoho limits concurrency (5–25 by edition) and daily credits; stay well inside them.
    rate_limit = (10, 1.0)

    @classmethod
    def authorize_endpoint(cls, config: ZohoConfig | None) -> str:
        """Zoho's US accounts server (it forwards users of other data centres), or the stand-in's."""
        base = config.base_url if config else None
        return f"{accounts_url(DEFAULT_LOCATION, base)}/oauth/v2/auth"

    @classmethod
    def token_endpoint(cls, config: ZohoConfig | None, callback_params: Mapping[str, str]) -> str:
        """The accounts server of the callback's ``location`` (from the fixed table; an unknown
        location is refused, ``accounts-server`` is ignored)."""
        location = callback_params.get("location") or DEFAULT_LOCATION
        return f"{accounts_url(location, config.base_url if config else None)}/oauth/v2/token"

    @classmethod
    def refresh_endpoint(cls, config: ZohoConfig | None, tokens: TokenSet) -> str:
        """The accounts server of the data centre stored with the tokens."""
        location = tokens.extra.get("data_centre")
        if not location:
            raise ConnectorAuthError("the Zoho data centre of this connection is unknown; "
                                     "reconnect the account")
        return f"{accounts_url(location, config.base_url if config else None)}/oauth/v2/token"

    @classmethod
    def accept_token(cls, body: Mapping[str, Any], config: ZohoConfig, now: datetime,
                     previous: TokenSet | None = None) -> TokenSet:
        """Tokens plus the vetted ``api_domain`` and its data centre. Zoho never returns a new
        refresh token (the old one stays), and a refresh must stay in the same data centre."""
        tokens = super().accept_token(body, config, now, previous)
        domain = body.get("api_domain") or (previous.extra.get("api_domain") if previous else "")
        if not domain:
            raise ConnectorAuthError("Zoho returned no api_domain; reconnect the account")
        origin, centre = api_origin(str(domain), config.base_url)
        if previous and previous.extra.get("data_centre") not in (None, centre):
            raise ConnectorAuthError(f"Zoho moved this connection from data centre "
                                     f"{previous.extra['data_centre']} to {centre}; reconnect the account")
        tokens.extra.update(api_domain=origin, data_centre=centre)
        return tokens

    @classmethod
    def base_url(cls, config: ZohoConfig, credentials_extra: Mapping[str, str]) -> str:
        """The connection's ``api_domain``, checked again before every sync."""
        domain = credentials_extra.get("api_domain")
        if not domain:
            raise ConnectorAuthError("Zoho CRM is not authorised yet; connect the account")
        origin, _ = api_origin(domain, config.base_url)
        return f"{origin}/crm/{API_VERSION}"

    @classmethod
    def auth_header(cls, access_token: str) -> tuple[str, str]:
        """Zoho's own scheme."""
        return "Authorization", f"Zoho-oauthtoken {access_token}"

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """Zoho's error codes (see :mod:`cxsuite_zoho.errors`)."""
        return errors.hint(response)

    @property
    def config(self) -> ZohoConfig:
        """The connection's typed settings."""
        return self.context.config

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """The live pass, then the deleted pass, from the checkpoint on; a batch per page."""
        module = MODULES[stream]
        position = Position.load(checkpoint)
        if position.phase == "idle":
            position.begin(self.context.now)
        while position.phase == "live":
            body = await self._page(module, position)
            if body is None:
                continue
            if module.name == "Deals":
                await self._attach_stage_history(body.get("data") or [])
            yield self._batch(module.to_record, body, position)
        tombstone = mapping.deleted(module.kind, module.interaction_type)
        while position.phase == "deleted":
            body = await self._deleted_page(module, position)
            yield self._batch(tombstone, body, position)

    def _batch(self, to_record: mapping.Mapper, body: dict[str, Any], position: Position) -> Batch:
        """Map a page, note its change times and move the position past it."""
        custom = self.config.custom
        records, errors_ = map_rows(body.get("data") or [], lambda row: to_record(row, custom),
                                    mapping.record_id)
        position.saw([r.updated_at for r in records if r.updated_at is not None])
        info = body.get("info") or {}
        position.next_page(info.get("more_records") is True, info.get("next_page_token"))
        return Batch(records, position.as_dict(), errors_)

    async def _page(self, module: Module, position: Position) -> dict[str, Any] | None:
        """One page of the live pass: the body, an empty one when the pass is over (304/204),
        or ``None`` when the position changed and the page must be asked for again."""
        headers = {"If-Modified-Since": position.since} if position.since else {}
        fields = module.field_list(self.config.custom_fields(module.name))
        params = {"fields": fields, "per_page": self.config.per_page, "sort_by": "Modified_Time",
                  "sort_order": "asc", **position.request_page(self.config.per_page)}
        response = await self.context.http.get(module.name, params=params, headers=headers)
        if response.status_code in (204, 304):
            return {}
        if response.status_code == 200:
            return response.json()
        self._recover(position, response)
        return None

    def _recover(self, position: Position, response: Any) -> None:
        """Move past a paging refusal, or raise saying why the stream cannot go on."""
        error = errors.error_of(response)
        code = error.get("code")
        reached = (position.page - 1) * self.config.per_page
        discrete = code == "DISCRETE_PAGINATION_LIMIT_EXCEEDED"
        if discrete and position.page_token and reached < position.page_limit:
            position.page_limit = reached  # Zoho serves no more by page number here: go on by token
            return
        if code in ("PAGINATION_LIMIT_EXCEEDED", "EXPIRED_VALUE") and position.restart_window():
            return
        raise VendorError(f"{self.display_name} refused a page ({errors.describe(response)})")

    async def _attach_stage_history(self, rows: list[dict[str, Any]]) -> None:
        """Each deal's ``Stage_History`` related list, under that key of the row."""
        for row in rows:
            deal_id = mapping.record_id(row)
            if deal_id is None:
                continue  # the mapping reports the row
            entries: list[dict[str, Any]] = []
            page = 1
            while True:
                response = await self.context.http.get(
                    f"Deals/{deal_id}/Stage_History",
                    params={"fields": STAGE_HISTORY_FIELDS, "per_page": MAX_PER_PAGE, "page": page})
                if response.status_code == 204:
                    break
                if response.status_code != 200:
                    raise VendorError(f"{self.display_name} refused the stage history of deal {deal_id} "
                                      f"({errors.describe(response)})")
                body = response.json()
                entries += body.get("data") or []
                if (body.get("info") or {}).get("more_records") is not True:
                    break
                page += 1
            row["Stage_History"] = entries

    async def _deleted_page(self, module: Module, position: Position) -> dict[str, Any]:
        """One page of the module's recycle bin and permanently deleted records."""
        headers = {"If-Modified-Since": position.deleted_since} if position.deleted_since else {}
        params = {"type": "all", "page": position.page, "per_page": MAX_PER_PAGE}
        response = await self.context.http.get(f"{module.name}/deleted", params=params, headers=headers)
        if response.status_code in (204, 304):
            return {}
        if response.status_code != 200:
            raise VendorError(f"{self.display_name} refused the deleted records "
                              f"({errors.describe(response)})")
        return response.json()


