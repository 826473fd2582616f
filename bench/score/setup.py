"""Creating the benchmark database and workspace, and the one timed score run."""

from __future__ import annotations

import base64
import os
import resource
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from bench.score.generate import BASE, rows, workload
from cxsuite.access.principal import Principal, Role
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.settings import Settings, load_settings

SQLITE_BATCH = 50_000


def settings_for(url: str) -> Settings:
    """Settings pointing both the app and the migrations at ``url``."""
    return load_settings(
        {
            "CXSUITE_DATA_DIR": tempfile.mkdtemp(prefix="cxsuite-bench-data-"),
            "CXSUITE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "CXSUITE_SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
            "CXSUITE_DATABASE_URL": url,
            "CXSUITE_DATABASE_OWNER_URL": url,
        }
    )


async def prepare(url: str, scale: float) -> tuple[dict[str, int], list[str]]:
    """Migrate the empty database at ``url`` (``bench.databases`` made it) and fill it with one
    tenant's workspace at ``scale``."""
    await run_migrations(settings_for(url))
    tenant, workspace, project, connection, user = (uuid4() for _ in range(5))
    foundation = _foundation(tenant, workspace, project, connection, user)
    scope = (tenant, workspace, connection)
    if url.startswith("postgresql://"):
        counts = await _copy_postgres(url, tenant, foundation, scope, scale)
    else:
        counts = _insert_sqlite(url.removeprefix("sqlite:///"), foundation, scope, scale)
    return counts, [url, str(tenant), str(project), str(user)]


def _foundation(
    tenant: UUID, workspace: UUID, project: UUID, connection: UUID, user: UUID
) -> list[tuple[str, dict[str, Any]]]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        ("tenant", {"id": tenant, "name": "Bench", "created_at": now}),
        ("app_user", {"id": user, "email": f"{user}@bench.test", "created_at": now}),
        (
            "tenant_membership",
            {"tenant_id": tenant, "id": uuid4(), "user_id": user, "role": "owner", "created_at": now},
        ),
        (
            "workspace",
            {"tenant_id": tenant, "id": workspace, "name": "Client", "created_at": now, "updated_at": now},
        ),
        (
            "project",
            {
                "tenant_id": tenant,
                "id": project,
                "workspace_id": workspace,
                "name": "Audit",
                "created_at": now,
                "updated_at": now,
            },
        ),
        (
            "connection",
            {
                "tenant_id": tenant,
                "id": connection,
                "workspace_id": workspace,
                "connector": "bench",
                "name": "bench",
                "auth_kind": "api_key",
                "status": "connected",
                "created_at": now,
                "updated_at": now,
                "last_sync_at": now,
            },
        ),
    ]


async def _copy_postgres(
    url: str,
    tenant: UUID,
    foundation: list[tuple[str, dict[str, Any]]],
    scope: tuple[UUID, UUID, UUID],
    scale: float,
) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant))
        for table, values in foundation:
            marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
            await conn.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})", *values.values()
            )
        counts = {}
        for kind, source in workload(scale).items():
            columns, values = rows(kind, source, scope, sqlite=False)
            batch = list(values)
            # COPY cannot write through row-level security: stage in a temporary table (no RLS),
            # then one INSERT … SELECT, as the sync engine's upsert does.
            await conn.execute(f"CREATE TEMP TABLE staging (LIKE record_{kind} INCLUDING DEFAULTS)")
            await conn.copy_records_to_table("staging", records=batch, columns=columns)
            names = ", ".join(columns)
            await conn.execute(f"INSERT INTO record_{kind} ({names}) SELECT {names} FROM staging")
            await conn.execute("DROP TABLE staging")
            counts[kind] = len(batch)
        await conn.execute("ANALYZE")
        return counts
    finally:
        await conn.close()


def _insert_sqlite(
    path: str, foundation: list[tuple[str, dict[str, Any]]], scope: tuple[UUID, UUID, UUID], scale: float
) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:

        def plain(value: Any) -> Any:
            return str(value) if isinstance(value, UUID | datetime | date) else value

        for table, values in foundation:
            marks = ", ".join("?" for _ in values)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})",
                [plain(v) for v in values.values()],
            )
        counts = {kind: _sqlite_kind(conn, kind, source, scope) for kind, source in workload(scale).items()}
        conn.commit()
        conn.execute("ANALYZE")
        return counts
    finally:
        conn.close()


def _sqlite_kind(conn: sqlite3.Connection, kind: str, source: Any, scope: tuple[UUID, UUID, UUID]) -> int:
    columns, values = rows(kind, source, scope, sqlite=True)
    sql = f"INSERT INTO record_{kind} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    total, batch = 0, []
    for row in values:
        batch.append(row)
        if len(batch) == SQLITE_BATCH:
            conn.executemany(sql, batch)
            conn.commit()
            total, batch = total + len(batch), []
    conn.executemany(sql, batch)
    return total + len(batch)


async def counts_and_ids(url: str) -> tuple[dict[str, int], list[str]]:
    """The row counts and ``--score-only`` arguments of a database :func:`prepare` filled
    (``--reuse``): its one tenant, project and owner."""
    db = Database.from_url(url)
    await db.start()
    try:
        # app_user has no row-level security; its one user then sees its tenant (a member's view).
        user = UUID(str((await execute(db.engine, "SELECT id FROM app_user"))[0]["id"]))
        async with db.transaction(None, user, write=False):
            tenant = UUID(str((await execute(db.engine, "SELECT id FROM tenant"))[0]["id"]))
        async with db.transaction(tenant, write=False):
            project = (await execute(db.engine, "SELECT id FROM project"))[0]["id"]
            counts = {kind: (await execute(db.engine, f"SELECT count(*) AS n FROM record_{kind}"))[0]["n"]
                      for kind in (*BASE, "web_metric")}
    finally:
        await db.close()
    return counts, [url, str(tenant), str(project), str(user)]


async def migrate(url: str) -> None:
    """Apply the migrations a kept database (``--reuse``) does not have yet."""
    await run_migrations(settings_for(url))


async def key_customers(url: str, tenant: str, forget: bool = False) -> dict[str, Any]:
    """What an import runs once it has committed customer records
    (:func:`cxsuite.customers.service.resolve_after_import`: their keys stored, the customer
    view resolved): the generator writes records straight into their tables, so the benchmark
    runs it as its own phase, timed apart from the score run. ``forget`` empties the key store
    instead (a cold score run follows)."""
    from cxsuite.customers.service import resolve_after_import
    from cxsuite.db.steps import recording

    db = Database.from_url(url)
    await db.start()
    try:
        async with db.transaction(UUID(tenant)):
            workspace = (await execute(db.engine, "SELECT id FROM workspace"))[0]["id"]
            if forget:
                for table in ("customer_match_key", "customer_keyed"):
                    await execute(db.engine, f"DELETE FROM {table} WHERE tenant_id = {{}}", UUID(tenant))
                return {}
        with recording() as log:
            started, cpu = time.perf_counter(), time.process_time()
            view = await resolve_after_import(db, UUID(tenant), UUID(str(workspace)))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        keys = next(s for s in log.steps if s.name == "resolution: refresh keys")
        return {"seconds": seconds, "cpu": cpu, "keys_seconds": keys.wall, "keys_cpu": keys.cpu,
                "records": view.summary.records, "steps": log.table(),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    finally:
        await db.close()


async def score_once(url: str, tenant: str, project: str, user: str, steps: bool = False) -> dict[str, Any]:
    """Start and run one score run; seconds, peak RSS and a few facts for the report, and with
    ``steps`` the wall and CPU of each step (:mod:`cxsuite.db.steps`) as a printable table."""
    from cxsuite.db.steps import recording
    from cxsuite.scoring.service import run_score, start_run

    start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db = Database.from_url(url)
    await db.start()
    try:
        principal = Principal(
            user_id=UUID(user),
            tenant_id=UUID(tenant),
            token_id=uuid4(),
            email="bench@bench.test",
            tenant_role=Role.OWNER,
        )
        settings = settings_for(url)
        with recording() as log:
            started, cpu = time.perf_counter(), time.process_time()
            run = await start_run(db, principal, UUID(project))
            done = await run_score(db, settings, UUID(tenant), UUID(project), run.id)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await db.close()
    assert done.result is not None
    rest = seconds - sum(s.wall for s in log.steps if s.depth == 0)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "steps": f"{log.table()}\n{'rest of the run (unmarked)':<34} {rest:8.2f}" if steps else "",
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "start_mb": start_mb,
        "cells": len(done.result.cells),
        "overall": done.result.overall.score,
    }
