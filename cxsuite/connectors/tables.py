"""Sync bookkeeping tables: per-stream checkpoints and reported record issues."""

from piccolo.columns import JSON, UUID, Boolean, Text, Timestamptz, Varchar
from piccolo.table import Table


class SyncCheckpoint(Table, tablename="sync_checkpoint"):
    """Where a stream resumes; written in the same transaction as the batch it follows."""

    connection_id = UUID(primary_key=True)
    tenant_id = UUID()
    stream = Varchar(length=60)
    checkpoint = JSON()
    complete = Boolean(default=False)
    updated_at = Timestamptz()


class SyncIssue(Table, tablename="sync_issue"):
    """A vendor record that could not be imported, with its id and the reason."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    connection_id = UUID()
    job_id = UUID(null=True, default=None)
    stream = Varchar(length=60)
    external_id = Varchar(length=255, default="")
    reason = Text()
    excerpt = Text(default="")
    occurred_at = Timestamptz()
