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

BACKWARDS = [
    "DROP TABLE IF EXISTS customer_match_key",
    "DROP TABLE IF EXISTS customer_keyed",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"customer_keyed": False, "customer_match_key": False}))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
