"""Request and response types of the identity endpoints (unknown fields are refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from cxsuite.api.types import Email, Name, Password


class SignupIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new consultancy and its first owner."""

    tenant_name: Name
    email: Email
    password: Password


class TenantOut(msgspec.Struct):
    """A tenant as its members see it."""

    id: UUID
    name: str


class UserOut(msgspec.Struct):
    """A user as shown to themselves and their colleagues."""

    id: UUID
    email: str


class SignupOut(msgspec.Struct):
    """The new tenant, its owner and a token to start with."""

    tenant: TenantOut
    user: UserOut
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials; ``tenant_id`` is needed only by accounts in several tenants."""

    email: Email
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    tenant_id: UUID | None = None


class TokenOut(msgspec.Struct):
    """A session token (OAuth2-style field names)."""

    access_token: str
    token_type: str
    expires_at: datetime | None
    tenant_id: UUID


Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class AcceptInviteIn(msgspec.Struct, forbid_unknown_fields=True):
    """The token from the invitation mail and, for someone new, the password they choose
    (someone who already has a password keeps it; a password sent then is ignored)."""

    invite_token: Secret
    password: Password | None = None


class PasswordChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    """The current password (proof) and the new one."""

    current_password: Secret
    new_password: Password


class PasswordResetIn(msgspec.Struct, forbid_unknown_fields=True):
    """Whose password to reset; the answer is the same whether or not the account exists."""

    email: Email


class PasswordResetConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    """The token from the reset mail and the new password."""

    token: Secret
    password: Password


class TokenConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    """A token from a mailed link (email verification)."""

    token: Secret


class AcceptedOut(msgspec.Struct):
    """The request was taken; what happens next happens by mail."""

    detail: str


class PersonalTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    """A named token for scripts; it expires after ``expires_in_days`` (default 90, at most
    ``CXSUITE_PERSONAL_TOKEN_MAX_DAYS``)."""

    name: Name
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None


class PersonalTokenOut(msgspec.Struct):
    """A newly created token: ``token`` is shown this once and never again."""

    id: UUID
    name: str
    token: str
    created_at: datetime
    expires_at: datetime | None


class TokenInfo(msgspec.Struct):
    """A token as listed: never its value or hash."""

    id: UUID
    name: str
    kind: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class WorkspaceRoleOut(msgspec.Struct):
    """A workspace the caller belongs to as a client user."""

    workspace_id: UUID
    role: str


class MeOut(msgspec.Struct):
    """Who the token belongs to and what it may do."""

    user: UserOut
    tenant: TenantOut
    tenant_role: str | None
    workspace_roles: list[WorkspaceRoleOut]
    email_verified: bool = False
