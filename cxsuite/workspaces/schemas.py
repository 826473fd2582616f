"""Request and response types for workspaces and their client members."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from cxsuite.api.types import Email, LongText, Name

ClientRole = Literal["client_admin", "client_viewer"]


class WorkspaceIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new client workspace: only the name is required."""

    name: Name
    description: LongText = ""


class WorkspacePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent ones stay as they are."""

    name: Name | None = None
    description: LongText | None = None


class WorkspaceOut(msgspec.Struct):
    """A workspace."""

    id: UUID
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    """Invite someone by email with a workspace role."""

    email: Email
    role: ClientRole


class MemberPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Change a member's role."""

    role: ClientRole


class MemberOut(msgspec.Struct):
    """A member; ``status`` is ``invited`` until they accept the mailed invitation.
    ``invite_token`` is always null: the token goes to the invitee's address only, never to the
    inviter (the field stays for older clients)."""

    id: UUID
    user_id: UUID
    email: str
    role: str
    status: str
    created_at: datetime
    invite_token: str | None = None
