"""Canonical record fields the maturity metrics need and no connector could store before.

- ``owner_id`` on customers, deals, tickets and interactions: the vendor's owner or assignee,
  which key-field completeness and ticket assignment are measured on.
- ``record_customer.segments``: the lists/segments a customer belongs to (``segment`` stays
  the single primary segment), and ``churned_at``: when the vendor marks the customer lost.
- ``record_ticket.assigned_at`` and ``auto_assigned``: when and whether a rule (not a person)
  assigned the ticket.
- ``record_web_metric.new_vs_returning`` (GA4's ``newVsReturning`` dimension) and
  ``quality_flags`` (sampled, thresholded, rolled into "(other)"), so the report can say how
  far a web figure can be trusted.

All columns are added nullable or with a default, so existing rows stay valid on both
databases and a connector that does not know a field leaves it empty (insufficient evidence,
never zero).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from cxsuite.db.migrate import raw_step

ID = "2026-12-03T13:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Owners, segments, churn, assignment and GA4 quality fields on canonical records"

ADDED = {
    "record_customer": ["owner_id VARCHAR(255)", "segments {json} NOT NULL DEFAULT '[]'",
                        "churned_at TIMESTAMPTZ"],
    "record_deal": ["owner_id VARCHAR(255)"],
    "record_ticket": ["owner_id VARCHAR(255)", "assigned_at TIMESTAMPTZ", "auto_assigned BOOLEAN"],
    "record_interaction": ["owner_id VARCHAR(255)"],
    "record_web_metric": ["new_vs_returning VARCHAR(20)", "quality_flags {json} NOT NULL DEFAULT '[]'"],
}

FORWARDS = [f"ALTER TABLE {table} ADD COLUMN {column}"
            for table, columns in ADDED.items() for column in columns]

BACKWARDS = [f"ALTER TABLE {table} DROP COLUMN {column.split()[0]}"
             for table, columns in ADDED.items() for column in columns]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="cxsuite", description=DESCRIPTION)
    manager.add_raw(raw_step(FORWARDS))
    manager.add_raw_backwards(raw_step(BACKWARDS))
    return manager
