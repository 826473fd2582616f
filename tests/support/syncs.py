"""HubSpot sync jobs against the vendor sandbox, and what they should store: for tests and
benchmarks that run syncs in real worker processes and count records after a fault."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import anyio

from cxsuite.connections.credentials import store_credentials
from cxsuite.connectors.contract import TokenSet
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.jobs import service
from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.ids import hubspot_id
from tests.support.records import make_connection_owner

T = TypeVar("T")
RECORD_TABLES = ("record_customer", "record_company", "record_deal", "record_ticket", "record_interaction",
                 "record_feedback")


async def hubspot_connection(db: Database, settings: Any, sandbox: Any) -> tuple[UUID, UUID, UUID]:
    """A new tenant with a connected HubSpot connection to ``sandbox`` and a queued sync job:
    ``(tenant id, connection id, job id)``."""
    tenant_id, workspace_id, connection_id = await make_connection_owner(db, connector="hubspot")
    access, refresh = sandbox.sandbox.issue_token("hubspot")
    tokens = TokenSet(access_token=access, refresh_token=refresh,
                      expires_at=datetime.now(UTC) + timedelta(minutes=30))
    async with db.transaction(tenant_id):
        await execute(db.engine, "UPDATE connection SET auth_kind = 'oauth2', config = {} "
                                 "WHERE tenant_id = {} AND id = {}",
                      json.dumps({"base_url": f"{sandbox.base_url}/hubspot"}), tenant_id, connection_id)
        await store_credentials(settings, tenant_id, connection_id, tokens, status="connected")
    job, _ = await service.create(db, tenant_id, kind="sync", subject_type="connection", subject_id=connection_id,
                                  workspace_id=workspace_id, created_by=None)
    return tenant_id, connection_id, job["id"]


async def job_row(db: Database, tenant_id: UUID, job_id: UUID) -> dict[str, Any]:
    """The job row as stored now."""
    async with db.transaction(tenant_id, write=False):
        return await service.read(tenant_id, job_id)


async def stored(db: Database, tenant_id: UUID, connection_id: UUID) -> dict[str, list[str]]:
    """External ids stored per record table, sorted, duplicates kept (so a test can see them)."""
    out = {}
    async with db.transaction(tenant_id, write=False):
        for table in RECORD_TABLES:
            rows = await execute(db.engine, f"SELECT external_id FROM {table} WHERE tenant_id = {{}} "
                                            "AND connection_id = {}", tenant_id, connection_id)
            out[table] = sorted(r["external_id"] for r in rows)
    return out


def expected(sandbox: Any) -> dict[str, list[str]]:
    """External ids a complete HubSpot sync of ``sandbox`` stores, per record table, sorted."""
    world = sandbox.sandbox.world

    def ids(*types: str) -> list[str]:
        return sorted(hubspot_id(t, r.seq) for t in types for r in objects.records(world, t))

    return {"record_customer": ids("contacts"), "record_company": ids("companies"), "record_deal": ids("deals"),
            "record_ticket": ids("tickets"), "record_interaction": ids("calls", "emails", "meetings"),
            "record_feedback": ids("feedback_submissions")}


async def wait_until(predicate: Callable[[], Awaitable[T]], seconds: float, what: str) -> T:
    """Poll ``predicate`` until it returns something truthy, or fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await anyio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def written(row: dict[str, Any]) -> int:
    """Records a sync job has written so far (its counts are JSON text on SQLite)."""
    counts = row["counts"]
    return int((json.loads(counts) if isinstance(counts, str) else counts).get("written", 0))
