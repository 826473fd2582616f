"""The database handle every service receives, and the tenant-scoped transaction.

Every query of tenant data runs inside :meth:`Database.transaction`, which on PostgreSQL sets
``app.tenant_id`` (and ``app.user_id``) with ``set_config(..., true)`` in the same round trip as
``BEGIN``: local to the transaction, so a pooled connection never carries one tenant's setting
into another request.
Row-level security reads that setting; a query outside such a transaction sees no tenant rows.
A single read-only statement can instead go through :meth:`Database.read`, which sets the same
transaction-local scope and runs the statement in one round trip (a pipeline in one implicit
transaction) where ``BEGIN``, the statement and ``COMMIT`` take three.
SQLite has no RLS, which is why repositories also filter on ``tenant_id`` explicitly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any
from uuid import UUID

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresTransaction
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from cxsuite.db.engine import build_engine, is_postgres
from cxsuite.db.registry import bind_tables
from cxsuite.db.sql import execute

POOL_MAX_SIZE = 10

async def _keep_session(_connection: object) -> None:
    """The pool's reset step: nothing beyond asyncpg's own rollback (see :meth:`Database.start`)."""


_current_scope: ContextVar[tuple[UUID | None, UUID | None]] = ContextVar("cxsuite_db_scope")


class Database:
    """One engine shared by a process (web or worker), with tenant-scoped transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> Database:
        """Build the engine for ``url`` and bind every registered table to it."""
        engine = build_engine(url)
        bind_tables(engine)
        return cls(engine)

    @property
    def is_postgres(self) -> bool:
        """Whether RLS and COPY are available."""
        return is_postgres(self.engine)

    async def start(self) -> None:
        """Open the connection pool (PostgreSQL); without it every query opens a connection.

        A connection going back to the pool is rolled back if it is still in a transaction
        (asyncpg always does that), but not sent asyncpg's default reset (``pg_advisory_unlock_all();
        CLOSE ALL; UNLISTEN *; RESET ALL``): cxsuite keeps no session state — the tenant
        setting and the advisory locks are transaction-local, nothing LISTENs or declares
        cursors outside a transaction — so that round trip after every request only cost time
        (18 % of the workspace list's busy samples went to pool acquire and release)."""
        if self.is_postgres:
            await self.engine.start_connection_pool(max_size=POOL_MAX_SIZE, reset=_keep_session)

    async def close(self) -> None:
        """Close the pool."""
        if self.is_postgres:
            await self.engine.close_connection_pool()

    @asynccontextmanager
    async def transaction(self, tenant_id: UUID | None, user_id: UUID | None = None, *,
                          write: bool = True, durable: bool = True) -> AsyncIterator[None]:
        """A transaction scoped to one tenant (and user); nested calls join the outer one.

        ``write`` matters on SQLite only: a writing transaction takes the write lock up front
        (``BEGIN IMMEDIATE``) so two writers queue on the busy timeout instead of deadlocking.

        ``durable=False`` (PostgreSQL) commits without waiting for the WAL to reach the disk
        (``synchronous_commit`` off for this transaction): the commit is as atomic and as
        visible as any, but a crash of the database server itself can lose the last fraction
        of a second of such commits, whole. Only for work that is redone when lost — a sync
        batch with its own checkpoint — and the next durable commit makes every earlier one
        durable too (the WAL is flushed in order).
        """
        if self.engine.current_transaction.get() is not None:
            if _current_scope.get((tenant_id, user_id))[0] != tenant_id:
                raise RuntimeError("a transaction cannot switch tenants; open a new one")
            yield
            return
        token = _current_scope.set((tenant_id, user_id))
        try:
            async with self._begin(tenant_id, user_id, write, durable):
                yield
        finally:
            _current_scope.reset(token)

    def _begin(self, tenant_id: UUID | None, user_id: UUID | None, write: bool, durable: bool) -> object:
        if self.is_postgres:
            return ScopedPostgresTransaction(self.engine, scope_sql(tenant_id, user_id, durable))
        kind = TransactionType.immediate if write else TransactionType.deferred
        return self.engine.transaction(transaction_type=kind)

    async def read(self, tenant_id: UUID | None, query: QueryString, width: int, *,
                   user_id: UUID | None = None) -> list[dict[str, Any]]:
        """Rows of one read-only statement (``width`` columns) under the tenant scope, as
        :meth:`transaction` would give them, in one round trip on PostgreSQL where a transaction
        takes three (``BEGIN`` with the scope, the statement, ``COMMIT``).

        Inside an open transaction the statement simply joins it (same tenant only).
        Otherwise, on PostgreSQL, the scope and the statement travel as one pipeline: two
        executions of one prepared statement (:func:`scoped_statement`) before a single
        ``Sync``, which PostgreSQL runs as one implicit transaction. The first sets the scope
        with ``set_config(..., true)``, the second reads under it; the setting ends with that
        transaction, at the ``Sync``, exactly as a ``COMMIT`` would end it. On SQLite, and
        without a connection pool (one-off commands), it is a transaction around the statement.
        """
        if not self.is_postgres or self.engine.pool is None or self.engine.current_transaction.get():
            async with self.transaction(tenant_id, user_id, write=False):
                return await execute(self.engine, query.template, *query.args)
        sql, args = query.compile_string(engine_type="postgres")
        statement = scoped_statement(sql, len(args), width)
        scope = (str(tenant_id or ""), str(user_id or ""))
        async with self.engine.pool.acquire() as connection:
            if connection.is_in_transaction():  # never: the pool rolls back what it takes back
                raise RuntimeError("a pooled connection is inside a transaction")
            rows = await connection.fetchmany(statement, [(*args, True, *scope), (*args, False, *scope)])
        return [dict(row) for row in rows[1:]]

    async def ping(self) -> None:
        """Raise if the database does not answer."""
        await execute(self.engine, "SELECT 1")


def scope_sql(tenant_id: UUID | None, user_id: UUID | None, durable: bool = True) -> str:
    """``BEGIN`` and the transaction-local tenant and user settings (and, for a transaction
    that need not be durable, ``synchronous_commit`` off) as one simple-protocol message. The
    ids are written into the text (the simple protocol takes no parameters), which is safe
    only because they pass through :class:`~uuid.UUID` first: its text form is 32 hex digits
    and four dashes, nothing else."""
    tenant = str(UUID(str(tenant_id))) if tenant_id else ""
    user = str(UUID(str(user_id))) if user_id else ""
    lazy = "" if durable else ", set_config('synchronous_commit', 'off', true)"
    return (f"BEGIN; SELECT set_config('app.tenant_id', '{tenant}', true), "
            f"set_config('app.user_id', '{user}', true){lazy}")


@lru_cache(maxsize=256)
def scoped_statement(sql: str, arity: int, width: int) -> str:
    """``sql`` (``arity`` parameters, ``width`` columns) behind a branch that sets the tenant
    scope, for :meth:`Database.read`: the parameter after ``sql``'s own chooses the branch, the
    next two are the tenant and user ids. ``sql`` comes first, unchanged, behind a one-time
    filter (its column names are the result's); the scope branch gives one row of NULLs,
    dropped by the caller. Prepared once, its plan reused like any other statement's."""
    branch, tenant, user = (f"${arity + n}" for n in (1, 2, 3))
    nulls = ", ".join(["NULL"] * width)
    return (f"SELECT * FROM ({sql}) AS page WHERE NOT {branch}::boolean UNION ALL "
            f"SELECT {nulls} FROM (SELECT set_config('app.tenant_id', {tenant}::text, true) AS t, "
            f"set_config('app.user_id', {user}::text, true) AS u) AS scope "
            f"WHERE {branch}::boolean AND scope.t IS NOT NULL AND scope.u IS NOT NULL")


class ScopedPostgresTransaction(PostgresTransaction):
    """A Piccolo transaction whose opening also sets the tenant scope: one round trip where
    ``BEGIN`` then ``SELECT set_config(...)`` took two, on every request and job step.

    Commit and rollback are plain statements on the same connection (asyncpg's transaction
    object is never started, so it must not be the one to end it); savepoints and everything
    else are Piccolo's.
    """

    def __init__(self, engine: Engine, begin_sql: str) -> None:
        super().__init__(engine, allow_nested=False)
        self._begin_sql = begin_sql

    async def begin(self) -> None:
        """Open the transaction and set the scope; a failure hands the connection back (Piccolo
        acquired it before ``begin`` and releases it only in ``__aexit__``, which will not run)."""
        try:
            await self.connection.execute(self._begin_sql)
        except BaseException:
            if self.engine.pool:
                await self.engine.pool.release(self.connection)
            else:
                await self.connection.close()
            raise

    async def commit(self) -> None:
        """Commit."""
        await self.connection.execute("COMMIT")
        self._committed = True

    async def rollback(self) -> None:
        """Roll back."""
        await self.connection.execute("ROLLBACK")
        self._rolled_back = True
