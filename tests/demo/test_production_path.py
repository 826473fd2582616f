"""The production path: `cxsuite migrate`, then `cxsuite serve` and `cxsuite worker` as separate
processes on PostgreSQL and Redis (production mode), driven over HTTP by the same audit the
demo runs embedded — with the same scores on the same sandbox data."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import asyncpg
import httpx
import pytest
from rich.console import Console

from cxsuite.demo.audit import Api, _audit, run_demo
from cxsuite.demo.services import free_port
from cxsuite.sandbox import CLIENTS, running
from tests.support.db import APP, OWNER, PG_HOST

pytestmark = [pytest.mark.anyio, pytest.mark.postgres_only, pytest.mark.slow]
CXSUITE = str(Path(sys.executable).with_name("cxsuite"))


@pytest.fixture(scope="module")
def stand_in():
    with running(size="small", auto_approve=True) as sandbox:
        yield sandbox


@pytest.fixture
async def production_env(tmp_path, stand_in):
    name = f"cxsuite_prod_{uuid.uuid4().hex[:8]}"
    owner = await asyncpg.connect(f"postgresql://{OWNER}@{PG_HOST}/postgres")
    await owner.execute(f"CREATE DATABASE {name}")
    port = free_port()
    clients = {k: {"client_id": c.client_id, "client_secret": c.client_secret} for k, c in CLIENTS.items()}
    env = {**os.environ, "CXSUITE_MODE": "production", "CXSUITE_DATA_DIR": str(tmp_path / "data"),
           "CXSUITE_DATABASE_URL": f"postgresql://{APP}@{PG_HOST}/{name}",
           "CXSUITE_DATABASE_OWNER_URL": f"postgresql://{OWNER}@{PG_HOST}/{name}",
           "CXSUITE_REDIS_URL": "redis://127.0.0.1:6379/0", "CXSUITE_JOB_QUEUE": f"cxsuite:prod:{name}",
           "CXSUITE_SECRET_KEY": "production-secret-" + "p" * 40,
           "CXSUITE_ENCRYPTION_KEYS": "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA=",
           "CXSUITE_CONNECTOR_ALLOWED_HOSTS": urlsplit(stand_in.base_url).netloc,
           "CXSUITE_OAUTH_CLIENTS": json.dumps(clients), "CXSUITE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    yield env, port
    await owner.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    await owner.close()


def start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
    """A `cxsuite` process of its own (the web or the worker of a deployment)."""
    return subprocess.Popen([CXSUITE, *arguments], env=env)  # noqa: S603 - our own command


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(300):
            try:
                response = await http.get("/health/ready")
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await anyio.sleep(0.1)
    raise AssertionError("the web process never became ready (database, redis and a worker)")


async def test_web_and_worker_processes_give_the_embedded_scores(production_env, stand_in, tmp_path):
    env, port = production_env
    console = Console(file=io.StringIO())
    embedded = await run_demo(tmp_path / "embedded", "small", "en", console)

    migrated = await anyio.run_process([CXSUITE, "migrate"], env=env, check=False)
    assert migrated.returncode == 0, migrated.stdout.decode() + migrated.stderr.decode()
    web = start(["serve", "--host", "127.0.0.1", "--port", str(port)], env)
    worker = start(["worker"], env)
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base)
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            produced = await _audit(Api(http), stand_in, tmp_path / "production", "en", console)
    finally:
        for process in (web, worker):
            process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            process.wait(30)
    assert produced.records == embedded.records
    assert produced.failures == {}
    assert produced.overall == embedded.overall
    assert produced.top == embedded.top
