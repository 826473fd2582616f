"""Identity endpoints: sign-up, token exchange, ``/me``, revocation and personal tokens."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.deps import client_ip
from cxsuite.api.guards import requires
from cxsuite.api.pagination import PageParams
from cxsuite.api.problems import errors
from cxsuite.db.session import Database
from cxsuite.identity import invitations, service
from cxsuite.identity.schemas import (
    AcceptInviteIn,
    MeOut,
    PersonalTokenIn,
    PersonalTokenOut,
    SignupIn,
    SignupOut,
    TenantOut,
    TokenIn,
    TokenInfo,
    TokenOut,
    UserOut,
    WorkspaceRoleOut,
)
from cxsuite.settings import Settings

PUBLIC = {"exclude_from_auth": True, "security": [{}]}


class IdentityController(Controller):
    """Accounts and tokens."""

    path = "/"
    tags = ["identity"]

    @post("/signup", status_code=HTTP_201_CREATED, responses=errors(400, 409, 422), **PUBLIC)
    async def signup(self, data: JSONBody[SignupIn], request: Request, db: NamedDependency[Database],
                     settings: NamedDependency[Settings]) -> SignupOut:
        """Create a consultancy (tenant) with its owner and return a first access token."""
        result = await service.signup(db, data.tenant_name, data.email, data.password,
                                      client_ip(request), _ttl(settings))
        return SignupOut(tenant=TenantOut(result.tenant_id, result.tenant_name),
                         user=UserOut(result.user_id, result.email),
                         access_token=result.token.token)

    @post("/auth/token", status_code=200, responses=errors(400, 401, 422, 429), **PUBLIC)
    async def token(self, data: JSONBody[TokenIn], request: Request, db: NamedDependency[Database],
                    settings: NamedDependency[Settings]) -> TokenOut:
        """Exchange email and password for a session token (failed attempts are throttled)."""
        issued = await service.login(db, request.app.state.login_throttle, data.email,
                                     data.password, data.tenant_id, client_ip(request),
                                     _ttl(settings))
        return TokenOut(issued.token, "bearer", issued.expires_at, issued.tenant_id)

    @post("/auth/accept-invite", status_code=200, responses=errors(400, 401), **PUBLIC)
    async def accept_invite(self, data: JSONBody[AcceptInviteIn], request: Request,
                            db: NamedDependency[Database], settings: NamedDependency[Settings]) -> TokenOut:
        """Redeem an invitation: set a password and receive a session token."""
        issued = await invitations.accept(db, data.invite_token, data.password, client_ip(request),
                                          _ttl(settings))
        return TokenOut(issued.token, "bearer", issued.expires_at, issued.tenant_id)

    @post("/auth/revoke", status_code=HTTP_204_NO_CONTENT, responses=errors(401))
    async def revoke_current(self, request: Request, db: NamedDependency[Database],
                             principal: NamedDependency[Principal]) -> None:
        """Revoke the token this request was made with (sign out)."""
        await service.revoke_token(db, principal, principal.token_id, client_ip(request))

    @get("/me", responses=errors(401))
    async def me(self, principal: NamedDependency[Principal]) -> MeOut:
        """The caller, their tenant and their roles (all loaded with the token)."""
        return MeOut(
            user=UserOut(principal.user_id, principal.email),
            tenant=TenantOut(principal.tenant_id, principal.tenant_name),
            tenant_role=principal.tenant_role.value if principal.tenant_role else None,
            workspace_roles=[WorkspaceRoleOut(w, r.value) for w, r in
                             sorted(principal.workspace_roles.items(), key=lambda i: str(i[0]))])

    @post("/tokens", status_code=HTTP_201_CREATED, guards=[requires(Action.OWN_TOKENS)],
          responses=errors(400, 401, 403))
    async def create_token(self, data: JSONBody[PersonalTokenIn], request: Request,
                           db: NamedDependency[Database],
                           principal: NamedDependency[Principal]) -> PersonalTokenOut:
        """A personal API token for scripts; its value is shown once."""
        issued = await service.create_personal_token(db, principal, data.name,
                                                     data.expires_in_days, client_ip(request))
        return PersonalTokenOut(issued.id, issued.name, issued.token, issued.created_at,
                                issued.expires_at)

    @get("/tokens", guards=[requires(Action.OWN_TOKENS)], responses=errors(400, 401, 403))
    async def list_tokens(self, db: NamedDependency[Database],
                          principal: NamedDependency[Principal],
                          page: NamedDependency[PageParams]) -> OffsetPagination[TokenInfo]:
        """The caller's tokens, without their values."""
        rows, total = await service.list_tokens(db, principal, page.limit, page.offset)
        return OffsetPagination([TokenInfo(**r) for r in rows], page.limit, page.offset, total)

    @delete("/tokens/{token_id:uuid}", guards=[requires(Action.OWN_TOKENS)],
            responses=errors(401, 403, 404))
    async def revoke(self, token_id: FromPath[UUID], request: Request, db: NamedDependency[Database],
                     principal: NamedDependency[Principal]) -> None:
        """Revoke one of the caller's tokens."""
        await service.revoke_token(db, principal, token_id, client_ip(request))


def _ttl(settings: Settings) -> timedelta:
    return timedelta(hours=settings.access_token_ttl_hours)
