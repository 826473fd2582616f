"""``cxsuite migrate``: apply or roll back the migrations in ``migrations/`` on either database.

Migrations are Piccolo migration modules whose steps run hand-written DDL (composite
tenant-first keys and row-level security are beyond Piccolo's auto-migrations). They run as
the owner role; afterwards the app role is granted exactly what it needs, which on the audit
log is INSERT and SELECT only.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from piccolo.apps.migrations.commands.backwards import BackwardsMigrationManager
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
from piccolo.apps.migrations.tables import Migration
from piccolo.engine import engine_finder
from piccolo.engine.base import Engine

from cxsuite.db import piccolo_conf
from cxsuite.db.engine import build_engine, postgres_user
from cxsuite.db.piccolo_app import APP_CONFIG
from cxsuite.db.sql import (
    CURRENT_TENANT,
    CURRENT_USER,
    dialect_ddl,
    execute,
    execute_script,
    rls_statements,
)
from cxsuite.errors import ConfigurationError
from cxsuite.settings import Settings

# Tables the app role may read and append to but never change: tamper-evidence of the audit log.
APPEND_ONLY_TABLES = ("audit_event",)


@dataclass(frozen=True)
class MigrationReport:
    """What a run did, for the CLI to print."""

    applied: list[str]
    output: str


def raw_step(statements: Sequence[str], *, rls: Mapping[str, bool] | None = None,
             tenant_table: str | None = None, postgres_first: Sequence[str] = (),
             ) -> Callable[[], Awaitable[None]]:
    """A migration step running ``statements`` and, on PostgreSQL, the RLS policies.

    ``rls`` maps each tenant table to whether its rows are also visible to their own user
    across tenants (memberships); ``postgres_first`` runs before ``statements`` on PostgreSQL
    only (dropping policies that depend on tables about to go; what only PostgreSQL needs).
    """

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        if engine.engine_type == "postgres":
            await execute_script(engine, postgres_first)
        await execute_script(engine, dialect_ddl(engine, statements))
        if engine.engine_type == "postgres":
            policies = [s for t, user_visible in (rls or {}).items()
                        for s in rls_statements(t, user_visible=user_visible)]
            if tenant_table:
                policies += _tenant_table_policies(tenant_table)
            await execute_script(engine, policies)

    return run


def replace_check_list(table: str, constraint: str, column: str, values_from: str,
                       values_to: str) -> Callable[[], Awaitable[None]]:
    """A migration step changing a ``CHECK (column IN (...))`` list on either database.

    PostgreSQL swaps the named constraint. SQLite cannot alter a constraint, and rebuilding the
    table is not an option inside the migration's transaction with foreign keys on (dropping
    the old table would cascade-delete the rows that refer to it), so the stored table
    definition is edited in place, the procedure SQLite documents for changing a CHECK
    constraint ("making other kinds of table schema changes"): used only to widen or narrow a
    list every existing row satisfies.
    """

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        if engine.engine_type == "postgres":
            await execute_script(engine, [
                f"ALTER TABLE {table} DROP CONSTRAINT {constraint}",
                f"ALTER TABLE {table} ADD CONSTRAINT {constraint} CHECK ({column} IN ({values_to}))"])
            return
        version = (await execute(engine, "PRAGMA schema_version"))[0]["schema_version"]
        await execute_script(engine, [
            "PRAGMA writable_schema = ON",
            f"UPDATE sqlite_master SET sql = replace(sql, \"IN ({values_from}))\", \"IN ({values_to}))\") "
            f"WHERE type = 'table' AND name = '{table}'",
            f"PRAGMA schema_version = {int(version) + 1}",
            "PRAGMA writable_schema = OFF"])

    return run


def column_nullability(table: str, columns: Mapping[str, str], *, nullable: bool,
                       ) -> Callable[[], Awaitable[None]]:
    """A migration step making columns nullable without a default, or (``nullable=False``,
    the way back) ``NOT NULL DEFAULT <default>`` again, on either database.

    ``columns`` maps each column to its SQL type as written in its ``CREATE TABLE`` and its
    default (``{"sessions": "INTEGER DEFAULT 0"}``: type, then ``DEFAULT`` and the literal).
    PostgreSQL alters the columns. SQLite cannot alter a column, and a table rebuild is not an
    option inside the migration's transaction (see :func:`replace_check_list`), so the stored
    definition is edited in place; dropping NOT NULL and a default is one of the changes SQLite
    documents as leaving the stored rows valid. The way back first fills NULLs with the default.
    """

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        parsed = {column: spec.partition(" DEFAULT ") for column, spec in columns.items()}
        fill = [] if nullable else [f"UPDATE {table} SET {column} = {default} WHERE {column} IS NULL"
                                    for column, (_, _, default) in parsed.items()]
        if engine.engine_type == "postgres":
            change = ("DROP NOT NULL, ALTER COLUMN {c} DROP DEFAULT" if nullable
                      else "SET NOT NULL, ALTER COLUMN {c} SET DEFAULT {d}")
            await execute_script(engine, [*fill, *(
                f"ALTER TABLE {table} ALTER COLUMN {column} " + change.format(c=column, d=default)
                for column, (_, _, default) in parsed.items())])
            return
        await execute_script(engine, fill)
        sql = (await execute(engine, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = {}",
                             table))[0]["sql"]
        for column, (sql_type, _, default) in parsed.items():
            required, loose = f"{column} {sql_type} NOT NULL DEFAULT {default}", f"{column} {sql_type}"
            before, after = (required, loose) if nullable else (loose, required)
            pattern = re.compile(rf"\b{re.escape(before)}(?=\s*[,)])")
            if not pattern.search(sql):
                raise ConfigurationError(f"{table}.{column} is not defined as {before!r}")
            sql = pattern.sub(after, sql, count=1)
        version = (await execute(engine, "PRAGMA schema_version"))[0]["schema_version"]
        await execute(engine, "PRAGMA writable_schema = ON")
        await execute(engine, "UPDATE sqlite_master SET sql = {} WHERE type = 'table' AND name = {}",
                      sql, table)
        await execute_script(engine, [f"PRAGMA schema_version = {int(version) + 1}",
                                      "PRAGMA writable_schema = OFF"])

    return run


def _tenant_table_policies(table: str) -> list[str]:
    """The tenant table itself: its own row, and (read-only) the tenants a user belongs to."""
    member_of = (f"id IN (SELECT tenant_id FROM tenant_membership WHERE user_id = {CURRENT_USER}) "
                 f"OR id IN (SELECT tenant_id FROM workspace_membership WHERE user_id = {CURRENT_USER})")
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING (id = {CURRENT_TENANT}) "
        f"WITH CHECK (id = {CURRENT_TENANT})",
        f"CREATE POLICY member_tenants ON {table} FOR SELECT USING ({member_of})",
    ]


async def run_migrations(settings: Settings, *, backwards: bool = False, target: str = "all",
                         ) -> MigrationReport:
    """Apply (or roll back to before ``target``) the migrations on the owner connection."""
    engine = build_engine(settings.owner_url)
    _point_piccolo_at(engine)
    await Migration.create_table(if_not_exists=True).run()
    before = set(await Migration.get_migrations_which_ran(app_name=APP_CONFIG.app_name))
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        if backwards:
            manager = BackwardsMigrationManager(
                app_name=APP_CONFIG.app_name, migration_id=target, auto_agree=True)
            result = await manager.run_migrations_backwards(APP_CONFIG)
        else:
            result = await ForwardsMigrationManager(
                app_name=APP_CONFIG.app_name, migration_id=target).run_migrations(APP_CONFIG)
    if not result.success:
        raise ConfigurationError(f"migration failed: {result.message}")
    after = set(await Migration.get_migrations_which_ran(app_name=APP_CONFIG.app_name))
    if engine.engine_type == "postgres" and not backwards:
        await grant_app_role(engine, settings)
    elif engine.engine_type == "sqlite":
        await execute(engine, "PRAGMA journal_mode=WAL")
    return MigrationReport(applied=sorted(after ^ before), output=output.getvalue())


def _point_piccolo_at(engine: Engine) -> None:
    """Make Piccolo's ``engine_finder`` and migration table use ``engine``."""
    # Piccolo locates its configuration through this variable; it names our module, not a value.
    os.environ["PICCOLO_CONF"] = "cxsuite.db.piccolo_conf"
    piccolo_conf.DB = engine
    Migration._meta.db = engine


async def grant_app_role(engine: Engine, settings: Settings) -> None:
    """Give the app's role the privileges it needs, and no more, when it differs from the owner."""
    app_role = postgres_user(settings.database_url)
    owner_role = postgres_user(settings.owner_url)
    if not app_role or app_role == owner_role:
        return
    role = '"' + app_role.replace('"', '""') + '"'
    tables = [r["tablename"] for r in await execute(
        engine, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'")]
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    for table in tables:
        privileges = "SELECT, INSERT" if table in APPEND_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"REVOKE ALL ON {table} FROM {role}")
        statements.append(f"GRANT {privileges} ON {table} TO {role}")
    await execute_script(engine, statements)
