"""Stored match keys: each customer record's keys normalised once per record version.

A score run used to normalise every customer record's keys in Python (``phonenumbers`` costs
25–40 µs a record: half a minute at a million customers) before grouping them. The keys now
live here, written when an import commits records and caught up at the start of each
resolution, so resolution is set-based SQL over stored rows.

- ``customer_keyed``: one row per live customer record whose keys are stored: the record's
  ``content_hash`` and the phone region the keys were computed for (a new version or another
  region makes the row stale), its own id (``crm_id`` form), whether a given phone could not
  be read, and the customer id the record would give its group as the group's root.
- ``customer_match_key``: the record's other keys (``kind``, ``value``), its own id left out.
- ``customer_view.keys_version``: counts the refreshes that changed the workspace's stored
  keys; ``resolved_version`` is the count the stored graph was resolved from. The graph is a
  function of the stored keys alone, so while the two agree a resolution has nothing to do.

``cxsuite_analyze_records`` (PostgreSQL) may now also analyze these two tables and the graph
tables of m0021: they are rewritten in bulk (a first import keys every customer, a first
resolution writes every member), and the planner, blind until autovacuum comes, chose nested
loops over 100 k index probes where a hash join takes a tenth of the time.

Tenant-first keys and forced row-level security like every tenant table. Both refer to
records by their natural key without a foreign key, as ``customer_member`` does: a record gone
or archived loses its rows at the next refresh, which finds them by anti-join.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T16:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Stored customer match keys (normalised at import, not per score run)"

FORWARDS = [
    "ALTER TABLE customer_view ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE customer_view ADD COLUMN resolved_version INTEGER NOT NULL DEFAULT -1",
    """CREATE TABLE customer_keyed (
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        connection_id UUID NOT NULL,
        external_id VARCHAR(255) NOT NULL,
        source VARCHAR(60) NOT NULL,
        content_hash VARCHAR(32) NOT NULL,
        phone_region VARCHAR(2) NOT NULL DEFAULT '',
        own_id VARCHAR(320),
        phone_unreadable BOOLEAN NOT NULL DEFAULT FALSE,
        customer_id UUID NOT NULL,
        PRIMARY KEY (tenant_id, workspace_id, connection_id, external_id),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
    # resolution numbers the records in this order (a group's root is its earliest record)
    "CREATE INDEX customer_keyed_order ON customer_keyed (tenant_id, workspace_id, source, connection_id, "
    "external_id)",
    """CREATE TABLE customer_match_key (
        tenant_id UUID NOT NULL,
        workspace_id UUID NOT NULL,
        connection_id UUID NOT NULL,
        external_id VARCHAR(255) NOT NULL,
        kind VARCHAR(20) NOT NULL,
        value VARCHAR(320) NOT NULL,
        PRIMARY KEY (tenant_id, workspace_id, connection_id, external_id, kind, value),
        FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspace (tenant_id, id) ON DELETE CASCADE)""",
]

# The function of m0009 with a filter of the tables it may analyze.
ANALYZE_FUNCTION = """CREATE OR REPLACE FUNCTION cxsuite_analyze_records(tables text[]) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        name text;
        analyzed integer := 0;
    BEGIN
        FOR name IN SELECT t.tablename FROM pg_tables t
                WHERE t.schemaname = 'public' AND ({allowed})
                  AND t.tablename = ANY(tables) ORDER BY t.tablename LOOP
            EXECUTE format('ANALYZE (SKIP_LOCKED) public.%I', name);
            analyzed := analyzed + 1;
        END LOOP;
        RETURN analyzed;
    END $$"""
RECORD_TABLES = "t.tablename LIKE 'record\\_%'"
CUSTOMER_TABLES = "t.tablename IN ('customer_keyed', 'customer_match_key', 'customer_member', 'customer_key')"

BACKWARDS = [
    "DROP TABLE IF EXISTS customer_match_key",
    "DROP TABLE IF EXISTS customer_keyed",
    "ALTER TABLE customer_view DROP COLUMN resolved_version",
    "ALTER TABLE customer_view DROP COLUMN keys_version",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"customer_keyed": False, "customer_match_key": False},
                             postgres_first=[ANALYZE_FUNCTION.format(
                                 allowed=f"{RECORD_TABLES} OR {CUSTOMER_TABLES}")]))
    manager.add_raw_backwards(raw_step(BACKWARDS, postgres_first=[ANALYZE_FUNCTION.format(
        allowed=RECORD_TABLES)]))
    return manager
