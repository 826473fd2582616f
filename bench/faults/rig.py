"""Everything one fault scenario runs on: its own PostgreSQL and Redis, the vendor sandbox,
real ``cxsuite worker`` processes, one connection per vendor, and the measurements.

What a scenario measures comes from the database, never from the workers' word: the job
rows (status, error, attempts) and the stored records, compared with what an undisturbed
sync of the same sandbox world stores (the baseline, synced in-process before any fault).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from bench.databases import bench_database
from bench.faults.services import OwnPostgres, OwnRedis, free_port
from bench.sync.vendors import clients_json, connect
from cxsuite.connections.runtime import open_connection
from cxsuite.connectors.engine import SyncEngine
from cxsuite.connectors.records import RECORD_TYPES, table_for
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.queue import build_queue
from cxsuite.plugin_manager import build_plugins
from cxsuite.sandbox import RunningSandbox, running
from cxsuite.settings import Settings, load_settings

CXSUITE = str(Path(sys.executable).with_name("cxsuite"))
VENDORS = ("hubspot", "salesforce", "zoho", "ga4")
NAMES = {"hubspot": "HubSpot", "salesforce": "Salesforce", "zoho": "Zoho", "ga4": "GA4"}
TERMINAL = ("succeeded", "failed", "cancelled")
STALE_S = 3


@dataclass
class Sync:
    """One vendor's connection in a scenario and the job syncing it."""

    vendor: str
    tenant_id: UUID
    connection_id: UUID
    job_id: UUID
    expected: set[tuple[str, str]] = field(default_factory=set)


class Rig:
    """Own services, a migrated database, and a sandbox that answers each job's requests
    ``pace_s`` late (a ``slow`` fault per vendor, so the syncs overlap and a fault lands mid-sync)."""

    def __init__(self, size: int, pace_s: float, logs: Path | None = None) -> None:
        self.pace_s = pace_s
        self._stack = ExitStack()
        self.folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="cxsuite-faults-")))
        self.logs = logs or self.folder
        self.logs.mkdir(parents=True, exist_ok=True)
        self._started = 0
        self.postgres = OwnPostgres()
        self._stack.callback(self.postgres.destroy)
        self.redis = OwnRedis()
        self._stack.callback(self.redis.stop)
        self.sandbox: RunningSandbox = self._stack.enter_context(running(size=size, auto_approve=True))
        owner_url = self._stack.enter_context(bench_database("faults", self.postgres.admin_url))
        name = owner_url.rsplit("/", 1)[1]
        self.superuser_url = f"{self.postgres.superuser_url}/{name}"
        self.env = {
            **os.environ,
            "CXSUITE_DATABASE_URL": f"postgresql://cxsuite_app:cxsuite@127.0.0.1:{self.postgres.port}/{name}",
            "CXSUITE_DATABASE_OWNER_URL": owner_url,
            "CXSUITE_DATA_DIR": str(self.folder),
            "CXSUITE_SECRET_KEY": "faults-" + "s" * 40,
            "CXSUITE_ENCRYPTION_KEYS": "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA=",
            "CXSUITE_REDIS_URL": self.redis.url,
            "CXSUITE_JOB_STALE_SECONDS": str(STALE_S),
            "CXSUITE_CONNECTOR_ALLOWED_HOSTS": self.sandbox.base_url.split("//", 1)[1],
            "CXSUITE_OAUTH_CLIENTS": clients_json(),
            "CXSUITE_PUBLIC_BASE_URL": f"http://127.0.0.1:{free_port()}",
            "CXSUITE_LOG_LEVEL": "INFO",
        }
        self.workers: list[subprocess.Popen] = []
        self._baselines: dict[str, set[tuple[str, str]]] = {}
        asyncio.run(run_migrations(self.settings()))

    def settings(self, **extra: str) -> Settings:
        """The settings the workers run with (``extra`` as environment overrides)."""
        env = {k: v for k, v in {**self.env, **extra}.items() if k.startswith("CXSUITE_")}
        return load_settings(env)

    def close(self) -> None:
        """Stop workers, sandbox, Redis and PostgreSQL; drop the database."""
        self.stop_workers()
        self._stack.close()

    # --- workers ------------------------------------------------------------------------

    def start_worker(self, queue: str) -> subprocess.Popen:
        """A ``cxsuite worker`` process on ``queue``; its output goes to ``worker-<n>.log`` in ``logs``."""
        self._started += 1
        log = open(self.logs / f"worker-{self._started}.log", "wb")  # noqa: SIM115 - owned by the process
        worker = subprocess.Popen([CXSUITE, "worker"], env={**self.env, "CXSUITE_JOB_QUEUE": queue},  # noqa: S603
                                  stdout=log, stderr=subprocess.STDOUT)
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        """SIGTERM every worker still alive, SIGKILL what does not stop within 40 s; end the pacing."""
        self.sandbox.sandbox.clear_faults()
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(40)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.workers = []

    # --- connections, jobs ----------------------------------------------------------------

    async def prepare(self, vendors: tuple[str, ...], queue: str) -> list[Sync]:
        """A connection per vendor (real OAuth flow), its baseline, and a queued, enqueued sync job."""
        settings = self.settings(CXSUITE_JOB_QUEUE=queue)
        db = Database.from_url(settings.database_url)
        await db.start()
        syncs = []
        try:
            for vendor in vendors:
                expected = await self._baseline(db, settings, vendor)
                tenant_id, connection_id = await connect(db, settings, vendor, self.sandbox)
                job = await self.new_job(db, tenant_id, connection_id)
                syncs.append(Sync(vendor, tenant_id, connection_id, job, expected))
        finally:
            await db.close()
        for vendor in vendors:
            self.sandbox.sandbox.inject(vendor, "slow", seconds=3600, delay=self.pace_s)
        self.sandbox.sandbox.clear_requests()  # from here on the log counts the jobs' requests only
        await self.enqueue(settings, syncs)
        return syncs

    async def _baseline(self, db: Database, settings: Settings, vendor: str) -> set[tuple[str, str]]:
        """What an undisturbed sync of this world stores: synced in-process into its own connection
        (once per vendor: the world does not change between scenarios)."""
        if vendor in self._baselines:
            return self._baselines[vendor]
        tenant_id, connection_id = await connect(db, settings, vendor, self.sandbox)
        connectors = build_plugins().connectors()
        connectors[vendor].rate_limit = None  # the budget paces real vendors; this is a reference run
        async with open_connection(db, settings, connectors, tenant_id, connection_id) as opened:
            await SyncEngine(db, opened.scope, opened.connector).run()
        self._baselines[vendor] = (await self.stored(tenant_id, connection_id))[0]
        return self._baselines[vendor]

    async def new_job(self, db: Database, tenant_id: UUID, connection_id: UUID) -> UUID:
        """A queued sync job for the connection, made as the API makes it."""
        async with db.transaction(tenant_id, write=False):
            workspace_id = await workspace_of(tenant_id, connection_id)
        job, _ = await service.create(db, tenant_id, kind="sync", subject_type="connection",
                                      subject_id=connection_id, workspace_id=workspace_id, created_by=None)
        return job["id"]

    async def enqueue(self, settings: Settings, syncs: list[Sync]) -> None:
        """Send each job's id to the workers through Redis."""
        queue = await build_queue(settings)
        try:
            for sync in syncs:
                await queue.enqueue(sync.tenant_id, sync.job_id)
        finally:
            await queue.close()

    # --- measurements (as the superuser of the bench's own cluster: below RLS) -----------

    async def _query(self, sql: str, *args: Any) -> list[asyncpg.Record] | None:
        """``None`` while the database is unreachable (the PostgreSQL scenario restarts it)."""
        try:
            conn = await asyncpg.connect(self.superuser_url, timeout=5)
        except (TimeoutError, OSError, asyncpg.PostgresError):
            return None
        try:
            return await conn.fetch(sql, *args)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return None
        finally:
            await conn.close()

    async def jobs(self, syncs: list[Sync]) -> dict[UUID, dict[str, Any]]:
        """Job rows by id (empty while the database is down)."""
        rows = await self._query("SELECT id, status, error, attempts, counts FROM job WHERE id = ANY($1::uuid[])",
                                 [s.job_id for s in syncs])
        return {r["id"]: dict(r) for r in rows or []}

    async def stored(self, tenant_id: UUID, connection_id: UUID) -> tuple[set[tuple[str, str]], int]:
        """(the distinct (table, external id) pairs, how many rows repeat one) of a connection."""
        found: set[tuple[str, str]] = set()
        duplicates = 0
        for kind in RECORD_TYPES:
            table = table_for(kind)
            rows = await self._query(f"SELECT external_id, count(*) AS n FROM {table} "
                                     "WHERE tenant_id = $1 AND connection_id = $2 GROUP BY external_id",
                                     tenant_id, connection_id)
            for row in rows or []:
                found.add((table, row["external_id"]))
                duplicates += row["n"] - 1
        return found, duplicates


async def workspace_of(tenant_id: UUID, connection_id: UUID) -> UUID:
    """The connection's workspace id (inside the caller's tenant transaction)."""
    from cxsuite.connections.tables import Connection

    row = await Connection.select(Connection.workspace_id).where(
        (Connection.tenant_id == tenant_id) & (Connection.id == connection_id)).first().run()
    return row["workspace_id"]


def queue_name() -> str:
    """A Redis queue name of its own for each scenario."""
    return f"cxsuite:faults:{uuid.uuid4().hex[:8]}"


async def wait_until(check: Any, seconds: float, poll_s: float = 0.25) -> Any:
    """``await check()`` until truthy; ``None`` when ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(poll_s)
    return None
