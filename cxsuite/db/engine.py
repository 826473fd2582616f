"""Build the Piccolo engine for a database URL: PostgreSQL (asyncpg pool) or SQLite."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from cxsuite.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_S = 30


def build_engine(url: str) -> Engine:
    """An engine for ``url``; the SQLite file's folder is created if missing."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_S)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config=postgres_config(url))
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
