"""Job tables: one row per run of a sync, a score run or a render, one per attempt of it, and
the remembered first response to each ``Idempotency-Key``."""

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
    error_class = Varchar(length=20, default="")
    result_ref = Varchar(length=200, default="")
    dedupe_key = Varchar(length=200, null=True, default=None)
    cancel_requested = Boolean(default=False)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    run_after = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class JobAttempt(Table, tablename="job_attempt"):
    """One attempt of a job: who ran it, when, and how it ended (``running`` until it does;
    ``interrupted`` when its worker died and another took the job over)."""

    tenant_id = UUID(primary_key=True)  # the key is (tenant_id, job_id, number); see m0009
    job_id = UUID()
    number = Integer()
    worker = Varchar(length=200, default="")
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    outcome = Varchar(length=20, default="running")
    error_class = Varchar(length=20, default="")
    message = Text(default="")


class IdempotencyKey(Table, tablename="idempotency_key"):
    """The first response to a POST carrying ``Idempotency-Key`` (``status_code`` is null while
    that first request is still being handled)."""

    tenant_id = UUID(primary_key=True)  # the key is (tenant_id, user_id, request_key); see m0009
    user_id = UUID()
    request_key = Varchar(length=255)
    request_hash = Varchar(length=64)
    status_code = Integer(null=True, default=None)
    response_body = Text(null=True, default=None)
    response_headers = JSON(default="{}")
    created_at = Timestamptz()
