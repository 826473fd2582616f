"""Fixtures in layers: settings → database (migrated once, cleaned per test) → served app →
HTTP clients per tenant and role.

The same suite runs on SQLite (default) and PostgreSQL: set ``CXSUITE_TEST_DATABASE=postgres``.
On PostgreSQL the app connects as ``cxsuite_app`` (no BYPASSRLS, owns nothing) and migrations
run as ``cxsuite_owner``, exactly the production arrangement, so row-level security is live.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from cxsuite.db.session import Database
from cxsuite.mail.transport import outbox_dir
from cxsuite.settings import Settings
from tests.support.db import clean_database, drop_postgres_database, make_settings, prepare_database
from tests.support.parties import Parties
from tests.support.server import LiveServer, sandbox_settings, start_server


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """asyncpg, Piccolo and arq are asyncio-only."""
    return "asyncio"


@pytest.fixture(scope="session")
def backend() -> str:
    """Which database this run uses: ``sqlite`` or ``postgres``."""
    return os.environ.get("CXSUITE_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def settings(backend: str, tmp_path_factory: pytest.TempPathFactory, cxsuite_sandbox) -> Iterator[Settings]:
    """Settings of the process under test, with a migrated, empty database; connectors may
    reach the session's vendor sandbox, whose OAuth apps are configured."""
    data_dir: Path = tmp_path_factory.mktemp("cxsuite-data")
    settings = make_settings(backend, data_dir, **sandbox_settings(cxsuite_sandbox))
    prepare_database(settings)
    yield settings
    if settings.is_postgres:
        drop_postgres_database()


@pytest.fixture(scope="session")
def cxsuite_kit_database(settings: Settings) -> tuple[str, str] | None:
    """The connector test kit runs on this run's database too (PostgreSQL with RLS when chosen).

    Piccolo binds its tables to one engine per process, so a second database in the same
    process (the kit's default temporary SQLite file) would pull the served app's tables away
    from the app's database."""
    return settings.database_url, settings.owner_url


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """The run's database, opened by the test itself (for writing records straight into it
    or reading what the app stored)."""
    database = Database.from_url(settings.database_url)
    await database.start()
    yield database
    await database.close()


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[LiveServer]:
    """The real app served by uvicorn on a free loopback port, for the whole session."""
    with start_server(settings, int(settings.public_base_url.rsplit(":", 1)[1])) as live:
        yield live


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> None:
    """Every test that touches the database starts from empty tables."""
    if "settings" in request.fixturenames:
        clean_database(request.getfixturevalue("settings"))
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset_state()


@pytest.fixture
async def client(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    """An unauthenticated HTTP client for the served app."""
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        yield http


@pytest.fixture
async def parties(client: httpx.AsyncClient, settings: Settings) -> Parties:
    """Factory for tenants, workspaces and users in every role, made through the API (invitees
    accept with the token mailed to the served app's outbox)."""
    return Parties(client, outbox_dir(settings))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``postgres_only`` tests are skipped on a SQLite run, ``embedded_only`` ones (which bring
    their own SQLite database) on a PostgreSQL run, each with the reason."""
    on_postgres = os.environ.get("CXSUITE_TEST_DATABASE", "sqlite") == "postgres"
    marker, reason = (("embedded_only", "runs on the embedded default; covered by the SQLite run") if on_postgres
                      else ("postgres_only", "needs PostgreSQL (run with CXSUITE_TEST_DATABASE=postgres)"))
    for item in items:
        if marker in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))
