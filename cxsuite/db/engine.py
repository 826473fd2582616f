"""Build the Piccolo engine for a database URL: PostgreSQL (asyncpg pools) or SQLite.

Piccolo binds each table class to one engine, so a process has one engine per URL, shared by
everything in it: the web server's event loop, a worker's, a test's. asyncpg pools belong to
the loop that made them, so the PostgreSQL engine keeps one pool per running loop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from cxsuite.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_S = 30
_ENGINES: dict[str, Engine] = {}


class LoopPooledPostgresEngine(PostgresEngine):
    """A Piccolo PostgreSQL engine with one connection pool per event loop."""

    @property
    def pool(self) -> Any:
        """The pool of the running loop (``None`` when none was started in it)."""
        return self.__dict__.setdefault("_pools", {}).get(_loop_key())

    @pool.setter
    def pool(self, value: Any) -> None:
        pools = self.__dict__.setdefault("_pools", {})
        if value is None:
            pools.pop(_loop_key(), None)
        else:
            pools[_loop_key()] = value


def _loop_key() -> int | None:
    try:
        return id(asyncio.get_running_loop())
    except RuntimeError:
        return None


def build_engine(url: str) -> Engine:
    """The process's engine for ``url``; the SQLite file's folder is created if missing."""
    if url not in _ENGINES:
        _ENGINES[url] = _new_engine(url)
    return _ENGINES[url]


def _new_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    if url.startswith(("postgresql://", "postgres://")):
        return LoopPooledPostgresEngine(config=postgres_config(url))
    raise ConfigurationError(f"unsupported database URL scheme: {url.split(':')[0]!r}")


def postgres_config(url: str) -> dict[str, object]:
    """asyncpg connection keywords from a ``postgresql://`` URL."""
    parts = urlsplit(url)
    config: dict[str, object] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "database": unquote(parts.path.lstrip("/")) or "postgres",
    }
    if parts.username:
        config["user"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


def postgres_user(url: str) -> str | None:
    """The role a ``postgresql://`` URL logs in as (``None`` when it relies on the default)."""
    name = urlsplit(url).username
    return unquote(name) if name else None


def is_postgres(engine: Engine) -> bool:
    """Whether row-level security, ``set_config`` and COPY are available."""
    return engine.engine_type == "postgres"
