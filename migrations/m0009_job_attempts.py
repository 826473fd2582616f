"""Jobs keep every attempt, say what kind of failure ended one, and may wait for a vendor's
limit; POSTs that start work remember their ``Idempotency-Key``; PostgreSQL gets a way for the
app role to refresh planner statistics after a bulk import.

- ``job_attempt``: one row per attempt (start, end, outcome, failure class, message), so a
  job shows its whole history instead of its last error only.
- ``job.error_class`` (a :class:`cxsuite.errors.FailureClass` value) and the ``waiting``
  status: a rate-limited job waits for the window the vendor names without counting as failed.
  The check constraint is widened as in m0007 (SQLite: the stored definition is edited in
  place; every existing row satisfies the wider check).
- ``idempotency_key``: the first response to a key, per tenant and user, for 24 hours.
- ``cxsuite_analyze_records(text[])`` (PostgreSQL): ANALYZE needs the table's owner, and the
  app role owns nothing (that is what makes row-level security bind). The function runs as
  the owner (SECURITY DEFINER) and only on record tables, returning nothing but a count; its
  one effect is fresher planner statistics, so any role may call it.
"""

from collections.abc import Awaitable, Callable

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from cxsuite.db.migrate import raw_step, replace_check_list
from cxsuite.db.sql import execute_script

ID = "2026-12-03T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Job attempts, failure classes, waiting jobs, idempotency keys, ANALYZE for the app"

OLD_STATUSES = "'queued', 'running', 'succeeded', 'failed', 'cancelled'"
NEW_STATUSES = "'queued', 'running', 'succeeded', 'failed', 'cancelled', 'waiting'"

FORWARDS = [
    "ALTER TABLE job ADD COLUMN error_class VARCHAR(20) NOT NULL DEFAULT ''",
    "DROP INDEX job_active_dedupe",
    """CREATE UNIQUE INDEX job_active_dedupe ON job (tenant_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running', 'waiting')""",
    """CREATE TABLE job_attempt (
        tenant_id UUID NOT NULL,
        job_id UUID NOT NULL,
        number INTEGER NOT NULL,
        worker VARCHAR(200) NOT NULL DEFAULT '',
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        outcome VARCHAR(20) NOT NULL DEFAULT 'running' CHECK (outcome IN (
            'running', 'succeeded', 'failed', 'retrying', 'waiting', 'cancelled', 'interrupted')),
        error_class VARCHAR(20) NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (tenant_id, job_id, number),
        FOREIGN KEY (tenant_id, job_id) REFERENCES job (tenant_id, id) ON DELETE CASCADE)""",
    "CREATE INDEX job_attempt_started ON job_attempt (tenant_id, started_at)",
    """CREATE TABLE idempotency_key (
        tenant_id UUID NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        user_id UUID NOT NULL,
        request_key VARCHAR(255) NOT NULL,
        request_hash VARCHAR(64) NOT NULL,
        status_code INTEGER,
        response_body TEXT,
        response_headers {json} NOT NULL DEFAULT '{}',
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, user_id, request_key))""",
    "CREATE INDEX idempotency_key_created ON idempotency_key (tenant_id, created_at)",
]

ANALYZE_FUNCTION = [
    """CREATE FUNCTION cxsuite_analyze_records(tables text[]) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        name text;
        analyzed integer := 0;
    BEGIN
        FOR name IN SELECT t.tablename FROM pg_tables t
                WHERE t.schemaname = 'public' AND t.tablename LIKE 'record\\_%'
                  AND t.tablename = ANY(tables) ORDER BY t.tablename LOOP
            EXECUTE format('ANALYZE (SKIP_LOCKED) public.%I', name);
            analyzed := analyzed + 1;
        END LOOP;
        RETURN analyzed;
    END $$""",
]

BACKWARDS = [
    "DROP TABLE IF EXISTS idempotency_key",
    "DROP TABLE IF EXISTS job_attempt",
    "DROP INDEX job_active_dedupe",
    """CREATE UNIQUE INDEX job_active_dedupe ON job (tenant_id, dedupe_key)
        WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running')""",
    "ALTER TABLE job DROP COLUMN error_class",
]


def allow_statuses(statuses_from: str, statuses_to: str) -> Callable[[], Awaitable[None]]:
    """A step replacing the job status check's list on either database."""
    return replace_check_list("job", "job_status_check", "status", statuses_from, statuses_to)


def postgres_only(statements: list[str]) -> Callable[[], Awaitable[None]]:
    """A step that runs on PostgreSQL only (SQLite has no roles to work around)."""

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None, "migrations run through cxsuite.db.migrate"
        if engine.engine_type == "postgres":
            await execute_script(engine, statements)

    return run


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"job_attempt": False, "idempotency_key": False}))
    manager.add_raw(allow_statuses(OLD_STATUSES, NEW_STATUSES))
    manager.add_raw(postgres_only(ANALYZE_FUNCTION))
    manager.add_raw_backwards(postgres_only(["DROP FUNCTION IF EXISTS cxsuite_analyze_records(text[])"]))
    manager.add_raw_backwards(raw_step(["UPDATE job SET status = 'queued' WHERE status = 'waiting'"]))
    manager.add_raw_backwards(allow_statuses(NEW_STATUSES, OLD_STATUSES))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
