"""The one way a benchmark gets a PostgreSQL database: uniquely named, dropped only by its maker.

Benchmarks used fixed names (``cxsuite_bench``, ``cxsuite_bench_sync``) and dropped them
``WITH (FORCE)`` before starting, so a second run on the same machine killed the first one's
connections mid-measurement. Each run now creates ``cxsuite_bench_<purpose>_<pid>_<random>``
and drops that name, and nothing else, when it ends.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

# The owner role of ./dev (CREATEDB) on the shared local server; override for another server.
PG_ADMIN = os.environ.get("CXSUITE_BENCH_PG", "postgresql://cxsuite_owner:cxsuite@127.0.0.1:5432")
_PURPOSE = re.compile(r"[a-z][a-z0-9_]{0,20}")


def unique_name(purpose: str) -> str:
    """``cxsuite_bench_<purpose>_<pid>_<8 hex>``: unique per run, and says whose it is."""
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError("purpose must be a short lower-case identifier")
    return f"cxsuite_bench_{purpose}_{os.getpid()}_{secrets.token_hex(4)}"


@contextmanager
def bench_database(purpose: str, admin_url: str = PG_ADMIN, keep: bool = False) -> Iterator[str]:
    """A new, empty database for one run; yields its URL (as ``admin_url``'s role, its owner).

    Synchronous on purpose: a benchmark's parent process holds it around child processes or
    ``asyncio.run`` calls, and the database outlives each of them. ``keep`` leaves it in place
    (a run that generated ten million rows once, to be measured again); its name is in the
    URL, and dropping it is then the caller's job."""
    name = unique_name(purpose)
    asyncio.run(_admin(admin_url, f"CREATE DATABASE {name}"))
    try:
        yield f"{admin_url}/{name}"
    finally:
        if not keep:
            # FORCE ends this run's own leftover connections (a killed child's); the name is ours.
            asyncio.run(_admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _admin(admin_url: str, statement: str) -> None:
    conn = await asyncpg.connect(f"{admin_url}/postgres")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()
