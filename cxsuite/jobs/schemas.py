"""The job as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
# Failure classes that need no person: the next run (a schedule, a new POST) can succeed.
RETRYABLE_CLASSES = frozenset({"transient", "rate_limited"})


class JobOut(msgspec.Struct):
    """Status, progress and outcome of one background run.

    ``status`` is ``queued``, ``running``, ``waiting`` (a vendor's limit is spent: the job
    resumes by itself at ``next_attempt_at``; ``error`` says which limit), ``succeeded``,
    ``failed`` or ``cancelled``. ``error_class`` says what kind of failure the last one was
    (``transient``, ``rate_limited``, ``needs_reconnect``, ``misconfigured``, ``bad_data``,
    ``internal``); ``retryable`` is true for a failed job that the next run can complete
    without anyone fixing anything (it resumes from the last checkpoint).
    """

    id: UUID
    kind: str
    status: str
    progress: float
    counts: dict[str, Any]
    attempts: int
    error: str
    result_ref: str
    workspace_id: UUID | None
    subject_type: str
    subject_id: UUID
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    error_class: str = ""
    next_attempt_at: datetime | None = None
    retryable: bool = False


class AttemptOut(msgspec.Struct):
    """One attempt of a job; ``outcome`` is ``running`` until it ends (``interrupted``: its
    worker died and another worker took the job over)."""

    number: int
    worker: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error_class: str
    message: str


class JobDetailOut(JobOut):
    """A job with every attempt it made (``attempts`` stays the count)."""

    attempt_history: list[AttemptOut] = []


def to_out(row: dict[str, Any]) -> JobOut:
    """A job row as the response type (counts are stored as JSON text)."""
    counts = row["counts"]
    if isinstance(counts, str):
        counts = msgspec.json.decode(counts or "{}")
    waiting = row["status"] in ("queued", "waiting")
    return JobOut(**{name: row[name] for name in JobOut.__struct_fields__
                     if name not in ("counts", "next_attempt_at", "retryable")},
                  counts=counts, next_attempt_at=row["run_after"] if waiting else None,
                  retryable=row["status"] == "failed" and row["error_class"] in RETRYABLE_CLASSES)


def to_detail(row: dict[str, Any], attempts: list[dict[str, Any]]) -> JobDetailOut:
    """A job row and its attempt rows as the detail response."""
    out = to_out(row)
    fields = {name: getattr(out, name) for name in JobOut.__struct_fields__}
    return JobDetailOut(**fields, attempt_history=[
        AttemptOut(**{name: a[name] for name in AttemptOut.__struct_fields__}) for a in attempts])
