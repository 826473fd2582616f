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

from cxsuite.db.migrate import replace_check_list

ID = "2026-11-22T19:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Service-account credentials for connections"

OLD = "'oauth2', 'api_key', 'file_upload'"
NEW = "'oauth2', 'api_key', 'file_upload', 'service_account'"


def allow(kinds_from: str, kinds_to: str) -> Callable[[], Awaitable[None]]:
    """A step replacing the check's list ``kinds_from`` by ``kinds_to`` on either database."""
    return replace_check_list("connection", "connection_auth_kind_check", "auth_kind", kinds_from, kinds_to)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(allow(OLD, NEW))
    manager.add_raw_backwards(allow(NEW, OLD))
    return manager
