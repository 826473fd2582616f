"""The workspace list's searched fields kept in lower case by the database (PostgreSQL), so a
search folds no row's text at read time.

``GET /api/v1/workspaces?q=…`` keeps the workspaces whose name or description contains the
text, ignoring case. ``name ILIKE '%text%'`` lower-cases both sides for every row it tests (in
a multi-byte database ILIKE is ``lower()`` and LIKE), so with 10,000 workspaces in a tenant the
page and its count were two scans spending most of their time in ``lower()`` (20 ms of server
CPU a request; 500 requests/s could not be held). ``name_folded`` and ``description_folded``
hold ``lower(name)`` and ``lower(description)``, computed on write by PostgreSQL itself
(stored generated columns, so nothing that writes a workspace can forget them); a search
reads ``name_folded LIKE lower(pattern)``, the same matches ILIKE finds (the same ``lower()``
under the same collation), in a third of the time (10.8 → 3.2 ms for one pass over 10,000).

Why not a trigram index (``pg_trgm``, GIN): row-level security. The app role reads
``workspace`` under a policy, and PostgreSQL evaluates a query's own conditions after the
policy's unless their operator is LEAKPROOF; ``ILIKE`` and ``LIKE`` are not (only a superuser
may mark them), so the planner never uses them as index conditions for that role and the
trigram index went unused: a sequential scan all the same (EXPLAIN in bench/RESULTS.md).

Two columns, not one joined text: a search for text spanning the end of the name and the
start of the description must not match. SQLite needs none of this: it keeps ``LIKE`` on the
columns themselves (ASCII case-insensitive; an embedded install holds few workspaces).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Lower-cased copies of the workspace's searched fields (PostgreSQL)"

POSTGRES_FORWARDS = [
    "ALTER TABLE workspace ADD COLUMN name_folded TEXT GENERATED ALWAYS AS (lower(name)) STORED, "
    "ADD COLUMN description_folded TEXT GENERATED ALWAYS AS (lower(description)) STORED",
]

POSTGRES_BACKWARDS = [
    "ALTER TABLE workspace DROP COLUMN IF EXISTS name_folded, DROP COLUMN IF EXISTS description_folded",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step([], postgres_first=POSTGRES_FORWARDS))
    manager.add_raw_backwards(raw_step([], postgres_first=POSTGRES_BACKWARDS))
    return manager
