"""Raw SQL helpers for what Piccolo's query builder does not express: DDL, RLS, ``set_config``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from piccolo.engine.base import Engine
from piccolo.querystring import QueryString

# Tenant setting read by every row-level-security policy; NULL (no rows) when unset.
CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"


async def execute(engine: Engine, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Run one statement (``{}`` placeholders) inside the current transaction, if any; rows
    come back as plain dicts on both engines."""
    rows = await engine.run_querystring(QueryString(sql, *args)) or []
    return [dict(row) for row in rows]


async def execute_script(engine: Engine, statements: Iterable[str]) -> None:
    """Run DDL statements one by one (asyncpg and sqlite3 take one statement per call)."""
    for statement in statements:
        if statement.strip():
            await engine.run_ddl(statement.strip())


def dialect_ddl(engine: Engine, statements: Sequence[str]) -> list[str]:
    """Adapt portable DDL: ``{json}`` becomes JSONB on PostgreSQL and JSON on SQLite,
    ``{bytes}`` BYTEA and BLOB."""
    postgres = engine.engine_type == "postgres"
    types = {"{json}": "JSONB" if postgres else "JSON", "{bytes}": "BYTEA" if postgres else "BLOB"}
    adapted = []
    for statement in statements:
        for token, sql_type in types.items():
            statement = statement.replace(token, sql_type)
        adapted.append(statement)
    return adapted


def rls_statements(table: str, *, user_visible: bool = False, tenant_column: str = "tenant_id",
                   ) -> list[str]:
    """Row-level security for one tenant table, forced on the owner too.

    ``user_visible`` adds a read-only policy that lets a signed-in user see their own rows
    in other tenants (memberships), which login and ``/me`` need before a tenant is chosen.
    """
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({tenant_column} = {CURRENT_TENANT}) "
        f"WITH CHECK ({tenant_column} = {CURRENT_TENANT})",
    ]
    if user_visible:
        statements.append(
            f"CREATE POLICY own_rows ON {table} FOR SELECT USING (user_id = {CURRENT_USER})")
    return statements
