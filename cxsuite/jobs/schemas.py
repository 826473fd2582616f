"""The job as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.principal import Principal
from cxsuite.access.wording import for_reader

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


def to_out(row: dict[str, Any], reader: Principal | None = None) -> JobOut:
    """A job row as the response type (counts are stored as JSON text); with a ``reader``, its
    error in words that reader can act on (:mod:`cxsuite.access.wording`)."""
    counts = row["counts"]
    if isinstance(counts, str):
        counts = msgspec.json.decode(counts or "{}")
    waiting = row["status"] in ("queued", "waiting")
    return JobOut(**{name: row[name] for name in JobOut.__struct_fields__
                     if name not in ("counts", "next_attempt_at", "retryable", "error")},
                  counts=counts, next_attempt_at=row["run_after"] if waiting else None,
                  error=for_reader(row["error"], reader) if reader is not None else row["error"],
                  retryable=row["status"] == "failed" and row["error_class"] in RETRYABLE_CLASSES)


def to_detail(row: dict[str, Any], attempts: list[dict[str, Any]], reader: Principal | None = None,
              ) -> JobDetailOut:
    """A job row and its attempt rows as the detail response (worded for ``reader``)."""
    out = to_out(row, reader)
    fields = {name: getattr(out, name) for name in JobOut.__struct_fields__}
    history = [AttemptOut(**{name: a[name] for name in AttemptOut.__struct_fields__}) for a in attempts]
    if reader is not None:
        history = [msgspec.structs.replace(a, message=for_reader(a.message, reader)) for a in history]
    return JobDetailOut(**fields, attempt_history=history)
