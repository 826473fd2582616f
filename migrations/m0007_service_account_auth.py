"""Connections may use service-account credentials: ``service_account`` joins the auth kinds
allowed by the ``connection.auth_kind`` check.

PostgreSQL swaps the named constraint. SQLite cannot alter a constraint, and rebuilding the
table is not an option here: the migration runs in one transaction with foreign keys on, so
dropping the old table would cascade-delete every checkpoint, sync issue and imported record.
Instead the stored table definition is edited in place, the procedure SQLite documents for
loosening a CHECK constraint (ALTER TABLE, "making other kinds of table schema changes"):
every existing row satisfies the wider check, so nothing on disk changes.
"""

from collections.abc import Awaitable, Callable

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from cxsuite.db.sql import execute, execute_script

ID = "2026-11-22T19:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Service-account credentials for connections"

OLD = "'oauth2', 'api_key', 'file_upload'"
NEW = "'oauth2', 'api_key', 'file_upload', 'service_account'"


def allow(kinds_from: str, kinds_to: str) -> Callable[[], Awaitable[None]]:
    """A step replacing the check's list ``kinds_from`` by ``kinds_to`` on either database."""

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        if engine.engine_type == "postgres":
            await execute_script(engine, [
                "ALTER TABLE connection DROP CONSTRAINT connection_auth_kind_check",
                f"ALTER TABLE connection ADD CONSTRAINT connection_auth_kind_check "
                f"CHECK (auth_kind IN ({kinds_to}))"])
            return
        version = (await execute(engine, "PRAGMA schema_version"))[0]["schema_version"]
        await execute_script(engine, [
            "PRAGMA writable_schema = ON",
            f"UPDATE sqlite_master SET sql = replace(sql, \"IN ({kinds_from}))\", \"IN ({kinds_to}))\") "
            "WHERE type = 'table' AND name = 'connection'",
            f"PRAGMA schema_version = {int(version) + 1}",
            "PRAGMA writable_schema = OFF"])

    return run


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(allow(OLD, NEW))
    manager.add_raw_backwards(allow(NEW, OLD))
    return manager
