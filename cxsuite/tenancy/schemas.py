"""Request and response types for the tenant and its owners and consultants."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from cxsuite.api.types import Email, Name

TenantRoleName = Literal["owner", "consultant"]


class TenantPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename the consultancy."""

    name: Name


class TenantMemberIn(msgspec.Struct, forbid_unknown_fields=True):
    """Add an owner or consultant by email."""

    email: Email
    role: TenantRoleName


class TenantMemberPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Change an owner or consultant's role."""

    role: TenantRoleName


class TenantMemberOut(msgspec.Struct):
    """An owner or consultant. ``invite_token`` is always null: invitations are mailed to the
    invitee only (the field stays for older clients)."""

    id: UUID
    user_id: UUID
    email: str
    role: str
    created_at: datetime
    invite_token: str | None = None
