"""Benchmarks get uniquely named databases and drop only their own: two runs on one machine no
longer break each other (they used fixed names and dropped them WITH (FORCE) on start)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bench.databases import PG_ADMIN, bench_database

pytestmark = pytest.mark.postgres_only


def test_two_runs_get_their_own_databases_and_one_ending_leaves_the_other_working():
    async def connected(url: str) -> asyncpg.Connection:
        return await asyncpg.connect(url)

    loop = asyncio.new_event_loop()
    try:
        with bench_database("sync") as first:
            conn = loop.run_until_complete(connected(first))
            with bench_database("sync") as second:
                assert second != first
                loop.run_until_complete(conn.execute("CREATE TABLE run_a (x int)"))
            assert loop.run_until_complete(conn.fetchval("SELECT count(*) FROM run_a")) == 0  # still alive
            loop.run_until_complete(conn.close())
        names = loop.run_until_complete(_bench_databases())
    finally:
        loop.close()
    assert first.rsplit("/", 1)[1] not in names and second.rsplit("/", 1)[1] not in names


async def _bench_databases() -> set[str]:
    conn = await asyncpg.connect(f"{PG_ADMIN}/postgres")
    try:
        return {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()


def test_the_name_says_whose_it_is_and_refuses_odd_purposes():
    from bench.databases import unique_name

    assert unique_name("faults").startswith("cxsuite_bench_faults_")
    with pytest.raises(ValueError, match="identifier"):
        unique_name("x; DROP DATABASE postgres")


def test_a_kept_database_stays_and_the_default_still_drops_its_own():
    from bench.databases import _admin

    with bench_database("score", keep=True) as kept, bench_database("score") as dropped:
        pass
    names = asyncio.run(_bench_databases())
    try:
        assert kept.rsplit("/", 1)[1] in names and dropped.rsplit("/", 1)[1] not in names
    finally:
        asyncio.run(_admin(PG_ADMIN, f"DROP DATABASE IF EXISTS {kept.rsplit('/', 1)[1]} WITH (FORCE)"))
