"""Migrations apply forwards and backwards on the database of this run, and the schema obeys
the tenancy rules: forced row-level security, append-only audit log (tenant-first keys, the
rule Citus needs too, are checked in ``test_citus_ready``)."""

from __future__ import annotations

import dataclasses

import asyncpg
import pytest

from cxsuite.db.engine import build_engine
from cxsuite.db.migrate import run_migrations
from cxsuite.db.sql import execute
from tests.support.db import OWNER, PG_HOST, app_connection, make_settings, owner_connection

pytestmark = pytest.mark.anyio

TENANT_TABLES = {"tenant_membership", "workspace", "workspace_membership", "project", "api_token",
                 "audit_event", "job"}


async def table_names(url: str) -> set[str]:
    engine = build_engine(url)
    if engine.engine_type == "postgres":
        rows = await execute(engine, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    else:
        rows = await execute(engine, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r["name"] for r in rows} - {"migration", "sqlite_sequence"}


@pytest.fixture
async def scratch_settings(backend, tmp_path):
    """Settings pointing at a database of its own, so rolling back touches nothing shared."""
    if backend != "postgres":
        yield make_settings("sqlite", tmp_path)
        return
    name = f"cxsuite_migrations_{tmp_path.name[-12:].replace('-', '_')}".lower()
    admin = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
    await admin.execute(f"DROP DATABASE IF EXISTS {name}")
    await admin.execute(f"CREATE DATABASE {name}")
    settings = make_settings("postgres", tmp_path)
    yield dataclasses.replace(
        settings, database_url=settings.database_url.rsplit("/", 1)[0] + "/" + name,
        database_owner_url=settings.owner_url.rsplit("/", 1)[0] + "/" + name)
    await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    await admin.close()


async def test_forwards_backwards_forwards(scratch_settings):
    applied = await run_migrations(scratch_settings)
    assert applied.applied
    assert TENANT_TABLES | {"tenant", "app_user"} <= await table_names(scratch_settings.owner_url)
    rolled_back = await run_migrations(scratch_settings, backwards=True)
    assert rolled_back.applied == applied.applied
    assert await table_names(scratch_settings.owner_url) == set()
    again = await run_migrations(scratch_settings)
    assert again.applied == applied.applied
    assert (await run_migrations(scratch_settings)).applied == []  # idempotent


@pytest.mark.postgres_only
async def test_every_tenant_table_forces_row_level_security(settings):
    conn = await owner_connection(settings)
    try:
        rows = await conn.fetch(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' "
            "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace")
    finally:
        await conn.close()
    assert {r["relname"] for r in rows} >= TENANT_TABLES
    unprotected = [r["relname"] for r in rows if not (r["relrowsecurity"] and r["relforcerowsecurity"])]
    assert unprotected == []


@pytest.mark.postgres_only
async def test_app_role_cannot_bypass_rls_nor_rewrite_the_audit_log(settings):
    conn = await app_connection(settings)
    try:
        role = await conn.fetchrow("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert not role["rolsuper"] and not role["rolbypassrls"]
        owned = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE tableowner = current_user "
                                    "AND schemaname = 'public'")  # its COPY staging tables are temporary
        assert owned == 0
        for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()
