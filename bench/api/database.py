"""The benchmark's own PostgreSQL database: created and migrated under a unique name, seeded
with one tenant (an owner, a session token, N workspaces), dropped at the end (only it).

The app connects as the application role (no BYPASSRLS), exactly as in production, so every
measured request pays for row-level security.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import tempfile
from dataclasses import dataclass

import asyncpg

from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.identity.notices import Notifier
from cxsuite.identity.service import signup
from cxsuite.identity.throttle import MemoryThrottle, policies
from cxsuite.identity.tokens import TokenLifetimes
from cxsuite.mail.transport import build_mailer
from cxsuite.settings import Settings, load_settings

PG_HOST = os.environ.get("CXSUITE_BENCH_PG_HOST", "127.0.0.1:5432")
OWNER = os.environ.get("CXSUITE_BENCH_PG_OWNER", "cxsuite_owner:cxsuite")
APP = os.environ.get("CXSUITE_BENCH_PG_APP", "cxsuite_app:cxsuite")


def unique_name(bench: str) -> str:
    """``cxsuite_bench_<bench>_<pid>_<random>``: never the name of someone else's database."""
    return f"cxsuite_bench_{bench}_{os.getpid()}_{secrets.token_hex(3)}"


def environment(name: str) -> dict[str, str]:
    """The ``CXSUITE_*`` variables of the served app (and of the seeding, in this process)."""
    return {
        "CXSUITE_DATABASE_URL": f"postgresql://{APP}@{PG_HOST}/{name}",
        "CXSUITE_DATABASE_OWNER_URL": f"postgresql://{OWNER}@{PG_HOST}/{name}",
        "CXSUITE_DATA_DIR": tempfile.mkdtemp(prefix="cxsuite-bench-api-"),
        "CXSUITE_SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "CXSUITE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "CXSUITE_LOG_LEVEL": "WARNING",
    }


async def _admin(sql: str) -> None:
    admin = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
    try:
        await admin.execute(sql)
    finally:
        await admin.close()


async def create(name: str, settings: Settings) -> None:
    """Create the database and apply every migration (as the owner role)."""
    await _admin(f"CREATE DATABASE {name}")
    await run_migrations(settings)


async def drop(name: str) -> None:
    """Drop this benchmark's database (and nothing else). The owner role may not terminate the
    app role's sessions, so a server still closing its pool is waited for, briefly."""
    assert name.startswith("cxsuite_bench_api_")
    for attempt in range(20):
        try:
            await _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except asyncpg.InsufficientPrivilegeError:
            if attempt == 19:
                raise
            await asyncio.sleep(0.5)


@dataclass(frozen=True)
class Seeded:
    """What the load needs: the owner's bearer token, and the workspace 50 before the end of
    the list (what a client paging by key would send as ``after`` for the last page)."""

    database: str
    token: str
    workspaces: int
    last_page_after: str


async def seed(name: str, settings: Settings, workspaces: int) -> Seeded:
    """One tenant through the real sign-up, then ``workspaces`` workspaces in one INSERT."""
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        mailer = build_mailer(settings)  # the outbox folder: the verification mail goes nowhere
        result = await signup(db, MemoryThrottle(policies(settings)[1]), Notifier(mailer, settings),
                              "Bench Consultancy", "owner@bench.test", "bench-password-1",
                              "127.0.0.1", TokenLifetimes.from_settings(settings))
        await mailer.close()
    finally:
        await db.close()
    conn = await asyncpg.connect(settings.owner_url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(result.tenant_id))
            await conn.execute(
                "INSERT INTO workspace (tenant_id, id, name, description, created_at, updated_at) "
                "SELECT $1, gen_random_uuid(), 'Client ' || g, 'Seeded by bench.api', "
                "now() - g * interval '1 minute', now() FROM generate_series(1, $2) g",
                result.tenant_id, workspaces)
            after = await conn.fetchval("SELECT id FROM workspace ORDER BY created_at, id OFFSET $1 LIMIT 1",
                                        max(workspaces - 51, 0))
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return Seeded(name, result.token.token, workspaces, str(after))


async def backend_pids(name: str) -> list[int]:
    """PostgreSQL server processes serving this benchmark's database right now."""
    admin = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
    try:
        return [r["pid"] for r in await admin.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1", name)]
    finally:
        await admin.close()


def settings_for(env: dict[str, str]) -> Settings:
    """Settings from the benchmark's environment."""
    return load_settings(env)
