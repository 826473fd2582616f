"""Request and response types of the connection endpoints. Credentials never appear in a
response type: there is no field that could carry them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from cxsuite.api.types import Name

ConnectorKey = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$",
                                           description="A key from GET /api/v1/connectors")]
Schedule = Literal["", "hourly", "daily"]


class ConnectionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new connection. ``api_key`` only for API-key connectors, ``service_account_key`` (the
    JSON key file, as an object) only for service-account connectors; OAuth connectors answer
    with an ``authorize_url`` the client admin opens to grant access."""

    connector: ConnectorKey
    name: Name | None = None
    config: dict[str, Any] = msgspec.field(default_factory=dict)
    api_key: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    service_account_key: Annotated[dict[str, Any], msgspec.Meta(
        description="The service account's JSON key file from Google Cloud (type, client_email, "
                    "private_key, token_uri …); stored encrypted, never returned")] | None = None
    schedule: Schedule = ""


class ConnectionPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename a connection, change its sync schedule, or change its configuration.

    ``config`` is merged into the stored configuration key by key (a key set to ``null`` goes
    back to the connector's default) and the result is checked by the connector's own schema,
    as at creation. ``base_url`` can change only while the connection holds no credentials."""

    name: Name | None = None
    schedule: Schedule | None = None
    config: Annotated[dict[str, Any], msgspec.Meta(
        description="Settings to change, by name (see the connector's configuration); null resets one",
        examples=[{"property_id": "412345678", "lookback_days": 5}])] | None = None


class ConnectionOut(msgspec.Struct):
    """A connection as its workspace sees it."""

    id: UUID
    workspace_id: UUID
    connector: str
    name: str
    auth_kind: str
    status: str
    status_detail: str
    schedule: str
    config: dict[str, Any]
    created_at: datetime
    last_sync_at: datetime | None


class ConnectionCreated(msgspec.Struct):
    """The new connection and, for OAuth connectors, where to send the user."""

    connection: ConnectionOut
    authorize_url: str | None = None


class AuthorizeOut(msgspec.Struct):
    """A fresh authorisation link (to connect again after a revocation)."""

    authorize_url: str


class SyncIssueOut(msgspec.Struct):
    """A vendor record a sync could not import, and why."""

    id: UUID
    stream: str
    external_id: str
    reason: str
    excerpt: str
    occurred_at: datetime
    job_id: UUID | None
