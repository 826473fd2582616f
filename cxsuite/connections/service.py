"""Connections of a workspace: create, list, read, rename, delete, and their sync issues.

Client admins and consultants manage connections; client viewers cannot see them. Every
query is tenant-scoped and every object check goes through the permissions matrix, so another
tenant's or another workspace's connection answers 404.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from cxsuite.access.permissions import Action, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.access.wording import for_reader
from cxsuite.audit.service import Actor, record
from cxsuite.connections import service_account
from cxsuite.connections.credentials import store_credentials
from cxsuite.connections.schemas import ConnectionIn, ConnectionOut, ConnectionPatch, SyncIssueOut
from cxsuite.connections.tables import Connection
from cxsuite.connections.uploads import delete_upload, save_upload
from cxsuite.connectors.contract import BaseConnector
from cxsuite.connectors.http import egress_policy
from cxsuite.connectors.tables import SyncIssue
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, FieldProblem, NotFound, SsrfBlocked, ValidationFailed
from cxsuite.imports.connector import CONNECTOR_KEY as FILE_IMPORT
from cxsuite.settings import Settings
from cxsuite.workspaces.tables import Workspace

PUBLIC_COLUMNS = (Connection.id, Connection.workspace_id, Connection.connector, Connection.name,
                  Connection.auth_kind, Connection.status, Connection.status_detail,
                  Connection.schedule, Connection.config, Connection.created_at,
                  Connection.last_sync_at)


def to_out(row: dict[str, Any], reader: Principal | None = None) -> ConnectionOut:
    """The response shape (config is stored as JSON text); with a ``reader``, the status detail
    in words that reader can act on (:mod:`cxsuite.access.wording`)."""
    config = row["config"]
    detail = for_reader(row["status_detail"], reader) if reader is not None else row["status_detail"]
    return ConnectionOut(**{**row, "status_detail": detail,
                            "config": json.loads(config) if isinstance(config, str) else config})


def _in_tenant(tenant_id: UUID, connection_id: UUID) -> Any:
    return (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)


async def load(principal: Principal, connection_id: UUID, action: Action) -> dict[str, Any]:
    """A connection the caller may act on (inside an open transaction), or 404/403."""
    row = await Connection.select(*PUBLIC_COLUMNS).where(
        _in_tenant(principal.tenant_id, connection_id)).first().run()
    if row is None:
        raise NotFound("connection not found")
    require_in_workspace(principal, row["workspace_id"], action)
    return row


async def _require_workspace(principal: Principal, workspace_id: UUID, action: Action) -> None:
    require_in_workspace(principal, workspace_id, action)
    exists = await Workspace.exists().where(
        (Workspace.tenant_id == principal.tenant_id) & (Workspace.id == workspace_id)).run()
    if not exists:
        raise NotFound("workspace not found")


def parse_config(connector: type[BaseConnector], config: dict[str, Any]) -> Any:
    """The connector's typed configuration; invalid input names the field and the reason."""
    if connector.config_type is None:
        if config:
            raise ValidationFailed("this connector takes no configuration",
                                   problems=[FieldProblem("body.config", "must be empty")])
        return None
    try:
        return msgspec.convert(config, connector.config_type, strict=False)
    except msgspec.ValidationError as exc:
        path = str(exc).rsplit("at `$.", 1)[-1].rstrip("`") if "at `$." in str(exc) else ""
        raise ValidationFailed("invalid connector configuration", problems=[FieldProblem(
            f"body.config.{path}" if path else "body.config", str(exc).split(" - at ")[0])]) from None


async def check_base_url(settings: Settings, connector: type[BaseConnector], config: Any) -> None:
    """A configured ``base_url`` must pass the egress policy now, not at the first sync."""
    base_url = getattr(config, "base_url", None)
    if not base_url:
        return
    try:
        await egress_policy(settings, connector).resolve(base_url)
    except SsrfBlocked as exc:
        raise ValidationFailed("this base URL may not be called",
                               problems=[FieldProblem("body.config.base_url", exc.detail)]) from None


async def given_credentials(settings: Settings, connector: type[BaseConnector], config: Any,
                            data: ConnectionIn) -> dict[str, Any] | None:
    """The credentials the request carries for this connector's auth kind, checked; ``None``
    for connectors that are authorised later (OAuth) or by a file upload."""
    if data.service_account_key is not None and connector.auth_kind != "service_account":
        raise ValidationFailed("this connector does not take a service-account key", problems=[
            FieldProblem("body.service_account_key", f"not accepted by {connector.key}")])
    if connector.auth_kind == "api_key" and not data.api_key:
        raise ValidationFailed("this connector needs an API key",
                               problems=[FieldProblem("body.api_key", "required")])
    if connector.auth_kind == "service_account":
        if data.service_account_key is None:
            raise ValidationFailed("this connector needs a service-account key file", problems=[
                FieldProblem("body.service_account_key", "required: the service account's JSON key file")])
        key = service_account.parse_key(data.service_account_key)
        await service_account.check_token_uri(settings, connector, config, key)
        return service_account.stored(key)
    return {"api_key": data.api_key} if data.api_key else None


async def create(db: Database, settings: Settings, principal: Principal, actor: Actor,
                 workspace_id: UUID, connector: type[BaseConnector], data: ConnectionIn,
                 ) -> dict[str, Any]:
    """Insert the connection; API-key and service-account connections are connected at once."""
    config = parse_config(connector, data.config)
    await check_base_url(settings, connector, config)
    credentials = await given_credentials(settings, connector, config, data)
    connection_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await _require_workspace(principal, workspace_id, Action.CONNECTION_MANAGE)
        await Connection.insert(Connection(
            id=connection_id, tenant_id=principal.tenant_id, workspace_id=workspace_id,
            connector=connector.key, name=data.name or connector.display_name,
            auth_kind=connector.auth_kind, config=msgspec.json.encode(config or {}).decode(),
            schedule=data.schedule, created_by=principal.user_id, created_at=now,
            updated_at=now)).run()
        if credentials:
            await store_credentials(settings, principal.tenant_id, connection_id, credentials,
                                    status="connected")
        await record(principal.tenant_id, actor, "connection.created", object_type="connection",
                     object_id=connection_id, details={"connector": connector.key})
        return await load(principal, connection_id, Action.CONNECTION_READ)


LIST = ListSpec(sorts=("created_at", "name", "connector", "status"), default="created_at",
                search=("name", "connector", "status"))
ISSUE_LIST = ListSpec(sorts=("occurred_at", "stream", "reason"), default="-occurred_at",
                      search=("stream", "external_id", "reason"))


async def list_for_workspace(db: Database, principal: Principal, workspace_id: UUID, limit: int,
                             offset: int, listing: Listing | None = None) -> tuple[list[dict[str, Any]], int]:
    """A page of the workspace's connections."""
    where = (Connection.tenant_id == principal.tenant_id) & (Connection.workspace_id == workspace_id)
    async with db.transaction(principal.tenant_id, write=False):
        await _require_workspace(principal, workspace_id, Action.CONNECTION_READ)
        return await page_listed(Connection, where, PUBLIC_COLUMNS, LIST, listing, limit=limit,
                                 offset=offset)


async def get(db: Database, principal: Principal, connection_id: UUID) -> dict[str, Any]:
    """One connection."""
    async with db.transaction(principal.tenant_id, write=False):
        return await load(principal, connection_id, Action.CONNECTION_READ)


async def update(db: Database, settings: Settings, principal: Principal, actor: Actor,
                 connectors: Mapping[str, type[BaseConnector]], connection_id: UUID,
                 data: ConnectionPatch) -> dict[str, Any]:
    """Rename, reschedule or reconfigure (checked by the connector's schema, as at creation);
    the audit event names what changed, configuration keys included."""
    changes: dict[Any, Any] = {Connection.updated_at: datetime.now(UTC)}
    if data.name is not None:
        changes[Connection.name] = data.name
    if data.schedule is not None:
        changes[Connection.schedule] = data.schedule
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await load(principal, connection_id, Action.CONNECTION_MANAGE)
        named = ("name", "schedule")
        details: dict[str, Any] = {"fields": sorted(k for k in named if getattr(data, k) is not None)}
        if data.config is not None:
            connector = connectors.get(row["connector"])
            if connector is None:
                raise Conflict(f"the connector {row['connector']!r} of this connection is not installed")
            config = await _reconfigured(settings, connector, principal.tenant_id, row, data.config)
            changes[Connection.config] = msgspec.json.encode(config or {}).decode()
            details["config_keys"] = sorted(data.config)
        await Connection.update(changes).where(_in_tenant(principal.tenant_id, connection_id)).run()
        await record(principal.tenant_id, actor, "connection.updated", object_type="connection",
                     object_id=connection_id, details=details)
        return await load(principal, connection_id, Action.CONNECTION_READ)


async def _reconfigured(settings: Settings, connector: type[BaseConnector], tenant_id: UUID,
                        row: dict[str, Any], patch: dict[str, Any]) -> Any:
    """The stored configuration with ``patch`` merged in (``null`` drops a key: its default),
    checked whole. Where credentials are sent cannot move once there are credentials: tokens
    granted for one host must never reach another (delete the connection and create it anew)."""
    stored = _stored_config(row)
    merged = {k: v for k, v in {**stored, **patch}.items() if v is not None}
    config = parse_config(connector, merged)
    moved = getattr(config, "base_url", None) != stored.get("base_url")
    if moved and await has_credentials(tenant_id, row["id"]):
        raise ValidationFailed("invalid connector configuration", problems=[FieldProblem(
            "body.config.base_url", "the address this connection's credentials are sent to cannot change "
            "once it is connected; delete the connection and create it again with the new address")])
    await check_base_url(settings, connector, config)
    return config


def _stored_config(row: dict[str, Any]) -> dict[str, Any]:
    config = row["config"]
    return dict(json.loads(config) if isinstance(config, str) else config or {})


async def has_credentials(tenant_id: UUID, connection_id: UUID) -> bool:
    """Whether the connection holds credentials (inside the caller's transaction)."""
    stored = await Connection.select(Connection.credentials).where(
        _in_tenant(tenant_id, connection_id)).first().run()
    return bool(stored and stored["credentials"])


async def delete(db: Database, settings: Settings, principal: Principal, actor: Actor,
                 connection_id: UUID) -> None:
    """Delete the connection with its credentials, checkpoints and imported records."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await load(principal, connection_id, Action.CONNECTION_MANAGE)
        await Connection.delete().where(_in_tenant(principal.tenant_id, connection_id)).run()
        delete_upload(settings, principal.tenant_id, connection_id)
        await record(principal.tenant_id, actor, "connection.deleted", object_type="connection",
                     object_id=connection_id, details={"connector": row["connector"]})


async def list_issues(db: Database, principal: Principal, connection_id: UUID, limit: int,
                      offset: int, listing: Listing | None = None) -> tuple[list[SyncIssueOut], int]:
    """Records the connection's syncs could not import, newest first."""
    where = (SyncIssue.tenant_id == principal.tenant_id) & (SyncIssue.connection_id == connection_id)
    async with db.transaction(principal.tenant_id, write=False):
        await load(principal, connection_id, Action.CONNECTION_READ)
        columns = (SyncIssue.id, SyncIssue.stream, SyncIssue.external_id, SyncIssue.reason,
                   SyncIssue.excerpt, SyncIssue.occurred_at, SyncIssue.job_id)
        rows, total = await page_listed(SyncIssue, where, columns, ISSUE_LIST, listing, limit=limit,
                                        offset=offset)
    return [SyncIssueOut(**r) for r in rows], total


async def upload(db: Database, settings: Settings, principal: Principal, actor: Actor,
                 connection_id: UUID, name: str, content: bytes) -> dict[str, Any]:
    """Replace the file of a file-upload connection."""
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await load(principal, connection_id, Action.CONNECTION_MANAGE)
        if row["auth_kind"] != "file_upload":
            raise ValidationFailed("this connection does not take files",
                                   problems=[FieldProblem("body.file", "not a file-upload connection")])
        if row["connector"] == FILE_IMPORT:
            raise ValidationFailed("a file import takes one file per kind", problems=[FieldProblem(
                "body.file", "upload each export to PUT /api/v1/connections/{id}/files/{kind}")])
        meta = await save_upload(settings, principal.tenant_id, connection_id, name, content)
        await record(principal.tenant_id, actor, "connection.file_uploaded", object_type="connection",
                     object_id=connection_id, details={"size": meta["size"], "sha256": meta["sha256"]})
        return await load(principal, connection_id, Action.CONNECTION_READ)
