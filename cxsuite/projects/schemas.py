"""Request and response types for audit projects."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from cxsuite.api.types import Industry, LongText, Name


class ProjectIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new audit project: only the name is required. A missing audit period is set at creation
    (12 months up to the workspace's newest record, or up to today) and stored, so it never moves."""

    name: Name
    description: LongText = ""
    period_start: date | None = None
    period_end: date | None = None
    industry: Industry = ""


class ProjectPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent ones stay as they are."""

    name: Name | None = None
    description: LongText | None = None
    period_start: date | None = None
    period_end: date | None = None
    industry: Industry | None = None


class ProjectOut(msgspec.Struct):
    """An audit project."""

    id: UUID
    workspace_id: UUID
    name: str
    description: str
    period_start: date | None
    period_end: date | None
    industry: str
    created_at: datetime
    updated_at: datetime
