"""GA4 metrics a report did not carry are stored as absent (NULL), not 0.

``record_web_metric`` was created with ``sessions``, ``engaged_sessions``, ``conversions`` and
``revenue`` ``NOT NULL DEFAULT 0``, so a metric missing from a GA4 response (a property without
e-commerce has no revenue) could only be stored as a zero the report then believed. They become
nullable without a default; existing rows keep their values. Rolling back fills NULLs with 0.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import column_nullability

ID = "2026-12-03T14:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Web metrics may be absent (nullable) instead of 0"

WEB_METRIC_COLUMNS = {"sessions": "INTEGER DEFAULT 0", "engaged_sessions": "INTEGER DEFAULT 0",
                      "conversions": "DOUBLE PRECISION DEFAULT 0", "revenue": "DOUBLE PRECISION DEFAULT 0"}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(column_nullability("record_web_metric", WEB_METRIC_COLUMNS, nullable=True))
    manager.add_raw_backwards(column_nullability("record_web_metric", WEB_METRIC_COLUMNS, nullable=False))
    return manager
