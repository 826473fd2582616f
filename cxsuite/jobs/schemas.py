"""The job as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


class JobOut(msgspec.Struct):
    """Status, progress and outcome of one background run."""

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


def to_out(row: dict[str, Any]) -> JobOut:
    """A job row as the response type (counts are stored as JSON text)."""
    counts = row["counts"]
    if isinstance(counts, str):
        counts = msgspec.json.decode(counts or "{}")
    return JobOut(**{name: (counts if name == "counts" else row[name]) for name in JobOut.__struct_fields__})
