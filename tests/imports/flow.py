"""The file-import flow over HTTP, as a consultant's client (or the console) drives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from tests.support.jobs import finished_job

FIXTURES = Path(__file__).parent / "fixtures"
FILES = {"customers": "customers.csv", "deals": "orders.xlsx", "tickets": "tickets.csv",
         "interactions": "interactions.csv", "feedback": "feedback.csv"}
SETTINGS = {
    "customers": {"timezone": "America/New_York", "date_format": "MM/DD/YYYY"},
    "deals": {"timezone": "Europe/Vilnius"},
    "tickets": {"timezone": "Europe/Riga", "date_format": "DD.MM.YYYY"},
    "interactions": {"timezone": "UTC"},
    "feedback": {"decimal_separator": ","},
}
TABLES = {"customers": "record_customer", "deals": "record_deal", "tickets": "record_ticket",
          "interactions": "record_interaction", "feedback": "record_feedback"}


async def new_connection(client: httpx.AsyncClient, headers: dict[str, str], workspace_id: Any,
                         name: str = "Client exports") -> str:
    """A file-import connection in the workspace."""
    created = await client.post(f"/api/v1/workspaces/{workspace_id}/connections", headers=headers,
                                json={"connector": "file_import", "name": name})
    assert created.status_code == 201, created.text
    return created.json()["connection"]["id"]


async def upload(client: httpx.AsyncClient, headers: dict[str, str], connection_id: str, kind: str,
                 content: bytes | None = None, name: str | None = None) -> httpx.Response:
    """PUT one kind's file (a fixture unless ``content`` is given)."""
    name = name or FILES[kind]
    body = content if content is not None else (FIXTURES / FILES[kind]).read_bytes()
    return await client.put(f"/api/v1/connections/{connection_id}/files/{kind}", headers=headers,
                            files={"file": (name, body, "application/octet-stream")})


async def preview(client: httpx.AsyncClient, headers: dict[str, str], connection_id: str, kind: str,
                  **body: Any) -> httpx.Response:
    return await client.post(f"/api/v1/connections/{connection_id}/files/{kind}/preview", headers=headers,
                             json=body)


async def confirm(client: httpx.AsyncClient, headers: dict[str, str], connection_id: str, kind: str,
                  columns: dict[str, str], settings: dict[str, Any] | None = None) -> httpx.Response:
    return await client.put(f"/api/v1/connections/{connection_id}/files/{kind}/mapping", headers=headers,
                            json={"columns": columns, "file_settings": settings if settings is not None else {}})


async def import_all(client: httpx.AsyncClient, headers: dict[str, str], connection_id: str) -> dict[str, Any]:
    """Start the import and follow its job to the end."""
    started = await client.post(f"/api/v1/connections/{connection_id}/import", headers=headers)
    assert started.status_code == 202, started.text
    return await finished_job(client, headers, started.json()["id"])


async def upload_and_confirm_all(client: httpx.AsyncClient, headers: dict[str, str], connection_id: str) -> None:
    """Every fixture uploaded, previewed and confirmed with its detected mapping."""
    for kind in FILES:
        uploaded = await upload(client, headers, connection_id, kind)
        assert uploaded.status_code == 200, uploaded.text
        seen = await preview(client, headers, connection_id, kind, file_settings=SETTINGS[kind])
        assert seen.status_code == 200, seen.text
        body = seen.json()
        assert body["problems"] == [], (kind, body["problems"][:3])
        columns = {c["field"]: c["header"] for c in body["mapping"]}
        confirmed = await confirm(client, headers, connection_id, kind, columns, body["file_settings"])
        assert confirmed.status_code == 200, confirmed.text


async def snapshot(db: Database, tenant_id: UUID, connection_id: str) -> dict[str, list[tuple[str, str]]]:
    """(external id, content hash) of every record the connection holds, per table."""
    found = {}
    async with db.transaction(tenant_id, write=False):
        for table in TABLES.values():
            rows = await execute(db.engine, f"SELECT external_id, content_hash FROM {table} WHERE tenant_id = {{}} "
                                 "AND connection_id = {} ORDER BY external_id", tenant_id, UUID(connection_id))
            found[table] = [(r["external_id"], r["content_hash"]) for r in rows]
    return found
