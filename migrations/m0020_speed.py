"""A per-tenant count of workspaces, kept by the database, so a page of the workspace list does
not count the tenant's every workspace for its ``total``.

``GET /api/v1/workspaces`` answers ``total`` on every page. With 10,000 workspaces in a tenant,
``count(*)`` read all 10,000 index entries on each request (1.8-2.9 ms of PostgreSQL time, half
the request's cost). ``list_count`` holds ``(tenant_id, list, n)``; triggers on ``workspace``
add and subtract in the same transaction as the insert or delete (so the count is exact and
never ahead of or behind the rows), whoever writes the rows: the API, the demo, a bulk load.
PostgreSQL uses statement-level triggers over the transition tables (one update per
statement, not per row: a 10,000-row INSERT updates the counter once); SQLite has row triggers
only. A search (``q``) still counts its matches.

The counter row is a tenant row like any other (tenant-first key, row-level security, deleted
with the tenant). On Citus the triggers need ``citus.enable_unsafe_triggers`` (both tables are
distributed by tenant and co-located, so the trigger touches only its own shard).
"""

from collections.abc import Awaitable, Callable

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from cxsuite.db.migrate import raw_step
from cxsuite.db.sql import execute, execute_script

ID = "2026-12-03T15:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Per-tenant workspace counter kept by triggers"

FORWARDS = [
    """CREATE TABLE list_count (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        list VARCHAR(40) NOT NULL,
        n BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, list))""",
]
# Existing workspaces, tenant by tenant: row-level security binds the owner role too, so each
# tenant's rows are counted inside its own scope (tenant_directory lists every tenant).
BACKFILL = """INSERT INTO list_count (tenant_id, list, n)
    SELECT tenant_id, 'workspace', count(*) FROM workspace WHERE tenant_id = {} GROUP BY tenant_id"""

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION cxsuite_count_workspaces_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO list_count (tenant_id, list, n)
            SELECT tenant_id, 'workspace', count(*) FROM added GROUP BY tenant_id
            ON CONFLICT (tenant_id, list) DO UPDATE SET n = list_count.n + excluded.n;
        RETURN NULL;
    END $$""",
    # An update only: inside a tenant's cascading delete the counter row may be gone already.
    """CREATE FUNCTION cxsuite_count_workspaces_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE list_count c SET n = c.n - r.k
            FROM (SELECT tenant_id, count(*) AS k FROM removed GROUP BY tenant_id) r
            WHERE c.tenant_id = r.tenant_id AND c.list = 'workspace';
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER workspace_count_added AFTER INSERT ON workspace REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION cxsuite_count_workspaces_added()""",
    """CREATE TRIGGER workspace_count_removed AFTER DELETE ON workspace REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION cxsuite_count_workspaces_removed()""",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER workspace_count_added AFTER INSERT ON workspace BEGIN
        INSERT INTO list_count (tenant_id, list, n) VALUES (NEW.tenant_id, 'workspace', 1)
            ON CONFLICT (tenant_id, list) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER workspace_count_removed AFTER DELETE ON workspace BEGIN
        UPDATE list_count SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND list = 'workspace';
    END""",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS workspace_count_added",
    "DROP TRIGGER IF EXISTS workspace_count_removed",
    "DROP TABLE IF EXISTS list_count",
]

POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS workspace_count_added ON workspace",
    "DROP TRIGGER IF EXISTS workspace_count_removed ON workspace",
    "DROP FUNCTION IF EXISTS cxsuite_count_workspaces_added()",
    "DROP FUNCTION IF EXISTS cxsuite_count_workspaces_removed()",
    "DROP TABLE IF EXISTS list_count",
]


def triggers() -> Callable[[], Awaitable[None]]:
    """The existing counts, then the counting triggers in each database's dialect."""

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        for tenant in await execute(engine, "SELECT id FROM tenant_directory"):
            if engine.engine_type == "postgres":
                await execute(engine, "SELECT set_config('app.tenant_id', {}, true)", str(tenant["id"]))
            await execute(engine, BACKFILL, tenant["id"])
        await execute_script(engine, POSTGRES_TRIGGERS if engine.engine_type == "postgres" else SQLITE_TRIGGERS)

    return run


def drop() -> Callable[[], Awaitable[None]]:
    """Triggers, functions and the table, in each database's dialect."""

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        await execute_script(engine, POSTGRES_BACKWARDS if engine.engine_type == "postgres" else BACKWARDS)

    return run


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"list_count": False}))
    manager.add_raw(triggers())
    manager.add_raw_backwards(drop())
    return manager
