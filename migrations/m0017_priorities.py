"""What the consultant sets per project beside the data: business value inputs and effort and
confidence per recommendation, the report's own text (executive summary, stage commentary,
opportunity notes) and the mapping that attributes records to journey stages and touchpoints.

One row per project and kind, holding canonical JSON as TEXT (like the scoring payloads), so
each document is replaced whole by a PUT and read whole by a report. Keyed tenant first, with
the project foreign key cascading and row-level security like every tenant table.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T14:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Consultant inputs per project: value, narrative, journey mapping"

FORWARDS = [
    """CREATE TABLE project_input (
        tenant_id UUID NOT NULL,
        project_id UUID NOT NULL,
        kind VARCHAR(40) NOT NULL CHECK (kind IN ('value', 'narrative', 'journey_mapping')),
        payload TEXT NOT NULL,
        updated_by UUID,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant_id, project_id, kind),
        FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id) ON DELETE CASCADE)""",
]

BACKWARDS = ["DROP TABLE IF EXISTS project_input"]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS, rls={"project_input": False}))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
