"""Job table: one row per run of a sync, a score run or a render."""

from piccolo.columns import JSON, UUID, Boolean, Integer, Real, Text, Timestamptz, Varchar
from piccolo.table import Table


class Job(Table, tablename="job"):
    """Status, progress and outcome of one background run; Redis only carries its id."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    workspace_id = UUID(null=True, default=None)
    kind = Varchar(length=20)
    subject_type = Varchar(length=40)
    subject_id = UUID()
    status = Varchar(length=20, default="queued")
    progress = Real(default=0.0)
    counts = JSON(default="{}")
    attempts = Integer(default=0)
    max_attempts = Integer(default=5)
    error = Text(default="")
    result_ref = Varchar(length=200, default="")
    dedupe_key = Varchar(length=200, null=True, default=None)
    cancel_requested = Boolean(default=False)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    run_after = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
