"""Test databases: settings per backend, one migrated database per session, fast cleaning."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import asyncpg

from cxsuite.db.migrate import run_migrations
from cxsuite.settings import Settings, load_settings

T = TypeVar("T")

# Roles made by `./dev test` (CREATEDB owner, NOBYPASSRLS app); the password matters only where
# PostgreSQL does not trust local connections.
PG_HOST = "127.0.0.1:5432"
OWNER, APP = "cxsuite_owner:cxsuite", "cxsuite_app:cxsuite"
TEST_DB = f"cxsuite_test_{os.getpid()}"
ENCRYPTION_KEY = "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA="


def run_in_thread(fn: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on a private loop, whatever loop the caller is in."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(fn()))  # type: ignore[arg-type]
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def make_settings(backend: str, data_dir: Path, **extra: str) -> Settings:
    """Settings for ``backend`` with the data folder ``data_dir``."""
    env = {"CXSUITE_DATA_DIR": str(data_dir), "CXSUITE_ENCRYPTION_KEYS": ENCRYPTION_KEY,
           "CXSUITE_SECRET_KEY": "test-secret-key-" + "x" * 32, **extra}
    if backend == "postgres":
        env["CXSUITE_DATABASE_URL"] = f"postgresql://{APP}@{PG_HOST}/{TEST_DB}"
        env["CXSUITE_DATABASE_OWNER_URL"] = f"postgresql://{OWNER}@{PG_HOST}/{TEST_DB}"
    return load_settings(env)


def prepare_database(settings: Settings) -> None:
    """A fresh database (PostgreSQL: with its two roles) with every migration applied."""
    if settings.is_postgres:
        run_in_thread(_create_postgres_database)
    run_in_thread(lambda: run_migrations(settings))


async def _create_postgres_database() -> None:
    owner = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
    try:
        await owner.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        await owner.execute(f"CREATE DATABASE {TEST_DB}")
    finally:
        await owner.close()


def drop_postgres_database() -> None:
    """Remove this session's database (called at the end of the session)."""
    async def drop() -> None:
        owner = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
        try:
            await owner.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        finally:
            await owner.close()

    run_in_thread(drop)


def clean_database(settings: Settings) -> None:
    """Empty every application table (not the migration history)."""
    if settings.is_postgres:
        run_in_thread(lambda: _truncate_postgres(settings.owner_url))
    else:
        _delete_sqlite(settings.database_url.removeprefix("sqlite:///"))


async def _truncate_postgres(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                  "AND tablename <> 'migration'")
        if tables:
            await conn.execute("TRUNCATE " + ", ".join(t["tablename"] for t in tables) + " CASCADE")
    finally:
        await conn.close()


def _delete_sqlite(path: str) -> None:
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
            "('migration', 'sqlite_sequence')")]
        for table in tables:
            conn.execute(f"DELETE FROM {table}")
        conn.commit()
    finally:
        conn.close()


async def owner_connection(settings: Settings) -> asyncpg.Connection:
    """A raw connection as the table owner (PostgreSQL), for checks below the app."""
    return await asyncpg.connect(settings.owner_url)


async def app_connection(settings: Settings) -> asyncpg.Connection:
    """A raw connection as the app's role (PostgreSQL), for row-level-security checks."""
    return await asyncpg.connect(settings.database_url)
