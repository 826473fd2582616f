"""``python -m bench.sync --size 5000 --db postgres|sqlite|both``: end-to-end sync throughput.

For each vendor with a connector installed, a full sync runs from the loopback sandbox over
real HTTP through the real runtime (egress policy, auth, retries) and the sync engine into the
canonical tables. The ceiling measured in the same run is the fastest way the same rows can
reach the same database without any of that: COPY into a staging copy of each table on
PostgreSQL, plain ``executemany`` INSERTs into the table itself on SQLite. The ratio says how
much of the database's capacity the whole pipeline uses.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.databases import bench_database
from bench.sync.vendors import VENDORS, connect
from cxsuite.connections.runtime import open_connection
from cxsuite.connectors import BaseConnector, Batch, ConnectorContext
from cxsuite.connectors.engine import SyncEngine
from cxsuite.connectors.records import RECORD_TYPES, table_for
from cxsuite.connectors.upsert import column_names
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.plugin_manager import build_plugins
from cxsuite.sandbox import running
from cxsuite.settings import Settings, load_settings


def bench_settings(url: str, data_dir: Path, sandbox_netloc: str, clients: str) -> Settings:
    return load_settings({"CXSUITE_DATABASE_URL": url, "CXSUITE_DATA_DIR": str(data_dir),
                          "CXSUITE_SECRET_KEY": "bench-" + "s" * 40,
                          "CXSUITE_ENCRYPTION_KEYS": "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA=",
                          "CXSUITE_CONNECTOR_ALLOWED_HOSTS": sandbox_netloc, "CXSUITE_OAUTH_CLIENTS": clients})


class Recorder(BaseConnector):
    """Wraps a connector and keeps every batch it yields, to replay them without HTTP."""

    def __init__(self, inner: BaseConnector, kept: dict[str, list[Batch]]) -> None:
        super().__init__(inner.context)
        self.inner, self.kept, self.streams = inner, kept, inner.streams

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        async for batch in self.inner.read(stream, checkpoint):
            self.kept.setdefault(stream, []).append(batch)
            yield batch


class Replay(BaseConnector):
    """Yields recorded batches: the sync engine alone, with no vendor behind it."""

    def __init__(self, kept: dict[str, list[Batch]], streams: tuple) -> None:
        super().__init__(ConnectorContext(config=None, http=None))
        self.kept, self.streams = kept, streams

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        for batch in self.kept.get(stream, []):
            yield batch


async def sync_once(db: Database, settings: Settings, vendor: str, sandbox,
                    kept: dict[str, list[Batch]]) -> tuple[object, int, float, tuple]:
    """One full sync; returns the scope, the records written, the seconds, the streams."""
    tenant_id, connection_id = await connect(db, settings, vendor, sandbox)
    connectors = build_plugins().connectors()
    # The request budget paces real vendors; here it would measure the budget, not the pipeline.
    connectors[vendor].rate_limit = None
    started = time.perf_counter()
    async with open_connection(db, settings, connectors, tenant_id, connection_id) as opened:
        recorder = Recorder(opened.connector, kept)
        result = await SyncEngine(db, opened.scope, recorder).run()
    return opened.scope, result.totals.written, time.perf_counter() - started, opened.connector.streams


async def engine_only(db: Database, settings: Settings, vendor: str, sandbox, kept, streams) -> tuple[int, float]:
    """The same batches through the engine into a fresh connection: upsert throughput alone."""
    tenant_id, connection_id = await connect(db, settings, vendor, sandbox)
    async with open_connection(db, settings, build_plugins().connectors(), tenant_id, connection_id) as opened:
        scope = opened.scope
    started = time.perf_counter()
    result = await SyncEngine(db, scope, Replay(kept, streams)).run()
    return result.totals.written, time.perf_counter() - started


async def fetch_only(db: Database, settings: Settings, vendor: str, sandbox, streams) -> tuple[int, float]:
    """The same pages read again by the connector into a fresh connection, every record
    dropped: transport plus the connector's own code, no engine, no database writes. Where
    end to end comes close to this, the sandbox serving the pages is what limits it."""
    tenant_id, connection_id = await connect(db, settings, vendor, sandbox)
    connectors = build_plugins().connectors()
    connectors[vendor].rate_limit = None
    records, started = 0, time.perf_counter()
    async with open_connection(db, settings, connectors, tenant_id, connection_id) as opened:
        for spec in streams:
            async for batch in opened.connector.read(spec.name, None):
                records += len(batch.records)
    return records, time.perf_counter() - started


async def ceiling(db: Database, scope) -> tuple[int, float]:
    """Re-insert the rows the sync wrote by the fastest raw path; rows and seconds."""
    rows_total, seconds = 0, 0.0
    for kind in RECORD_TYPES:
        table, columns = table_for(kind), column_names(kind)
        async with db.transaction(scope.tenant_id):
            conn = db.engine.current_transaction.get().connection
            rows = await _fetch(db, conn, table, columns, scope)
            if not rows:
                continue
            started = time.perf_counter()
            await _raw_insert(db, conn, table, columns, rows)
            seconds += time.perf_counter() - started
            rows_total += len(rows)
    return rows_total, seconds


async def _fetch(db: Database, conn, table: str, columns: list[str], scope) -> list[tuple]:
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE tenant_id = ? AND connection_id = ?"
    if db.is_postgres:
        records = await conn.fetch(sql.replace("?", "$1", 1).replace("?", "$2", 1),
                                   scope.tenant_id, scope.connection_id)
        return [tuple(r) for r in records]
    cursor = await conn.execute(sql, (str(scope.tenant_id), str(scope.connection_id)))
    fetched = await cursor.fetchall()
    return [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in fetched]


async def _raw_insert(db: Database, conn, table: str, columns: list[str], rows: list[tuple]) -> None:
    if db.is_postgres:
        await conn.execute(f"CREATE TEMP TABLE ceiling_{table} (LIKE {table}) ON COMMIT DROP")
        await conn.copy_records_to_table(f"ceiling_{table}", records=rows, columns=columns)
        return
    await conn.execute(f"DELETE FROM {table}")
    marks = ", ".join("?" for _ in columns)
    await conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


async def bench(backend: str, size: int, postgres_url: str) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp, running(size=size, auto_approve=True) as sandbox:
        url = postgres_url if backend == "postgres" else f"sqlite:///{tmp}/bench.sqlite3"
        netloc = sandbox.base_url.split("//", 1)[1]
        from bench.sync.vendors import clients_json

        settings = bench_settings(url, Path(tmp), netloc, clients_json())
        await run_migrations(settings)
        db = Database.from_url(settings.database_url)
        await db.start()
        measured: dict[str, dict[str, float]] = {}
        try:
            for vendor in VENDORS:
                if vendor not in build_plugins().connectors():
                    print(f"{backend:9} {vendor:11} (connector not installed)")
                    continue
                kept: dict[str, list[Batch]] = {}
                scope, written, sync_s, streams = await sync_once(db, settings, vendor, sandbox, kept)
                replayed, engine_s = await engine_only(db, settings, vendor, sandbox, kept, streams)
                fetched, fetch_s = await fetch_only(db, settings, vendor, sandbox, streams)
                rows, raw_s = await ceiling(db, scope)
                raw = rows / raw_s
                measured[vendor] = {"records": written, "sync_s": sync_s}
                print(f"{backend:9} {vendor:11} {written:7d} records | end to end {written / sync_s:7.0f}/s "
                      f"| fetch alone {fetched / fetch_s:7.0f}/s | engine alone {replayed / engine_s:7.0f}/s "
                      f"| raw insert {raw:7.0f}/s | end-to-end/raw {written / sync_s / raw:.3f} "
                      f"| end-to-end/fetch {written / sync_s / (fetched / fetch_s):.3f} "
                      f"| engine/raw {replayed / engine_s / raw:.3f}", flush=True)
        finally:
            await db.close()
    return measured


def main() -> None:
    """Parse arguments, print the machine, run each backend."""
    parser = argparse.ArgumentParser(prog="python -m bench.sync", description=__doc__)
    parser.add_argument("--size", type=int, default=5000, help="contacts in the sandbox world")
    parser.add_argument("--sizes", help="several sizes (e.g. 2000,20000): also prints each connector's "
                                        "growth exponent of end-to-end time with records")
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; sandbox world of {args.sizes or args.size} contacts")
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [args.size]
    for backend in ("postgres", "sqlite") if args.db == "both" else (args.db,):
        runs = []
        for size in sizes:
            if backend == "postgres":
                with bench_database("sync") as url:
                    runs.append(asyncio.run(bench(backend, size, url)))
            else:
                runs.append(asyncio.run(bench(backend, size, "")))
        for vendor in runs[0] if len(runs) > 1 else ():
            first, last = runs[0][vendor], runs[-1].get(vendor)
            if last and last["records"] > first["records"]:
                exponent = (math.log(last["sync_s"] / first["sync_s"])
                            / math.log(last["records"] / first["records"]))
                print(f"{backend:9} {vendor:11} growth {first['records']:,} → {last['records']:,} records: "
                      f"time ∝ n^{exponent:.2f}")


if __name__ == "__main__":
    main()
