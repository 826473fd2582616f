"""Identity endpoints: sign-up, token exchange, ``/me``, invitations, passwords, email
verification, and the caller's tokens."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.deps import client_ip
from cxsuite.api.guards import requires
from cxsuite.api.pagination import ListPage, list_params
from cxsuite.api.problems import errors
from cxsuite.db.session import Database
from cxsuite.identity import accounts, invitations, service
from cxsuite.identity.notices import Notifier
from cxsuite.identity.schemas import (
    AcceptedOut,
    AcceptInviteIn,
    MeOut,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    PersonalTokenIn,
    PersonalTokenOut,
    SignupIn,
    SignupOut,
    TenantOut,
    TokenConfirmIn,
    TokenIn,
    TokenInfo,
    TokenOut,
    UserOut,
    WorkspaceRoleOut,
)
from cxsuite.identity.throttle import Throttles
from cxsuite.identity.tokens import TokenLifetimes
from cxsuite.settings import Settings

PUBLIC = {"exclude_from_auth": True, "security": [{}]}
RESET_REQUESTED = "if an account uses this email, a link to choose a new password is on its way"
VERIFICATION_SENT = "a new verification link is on its way unless the address is verified already"


def _throttles(request: Request) -> Throttles:
    return request.app.state.throttles


class IdentityController(Controller):
    """Accounts and tokens."""

    path = "/"
    tags = ["identity"]

    @post("/signup", status_code=HTTP_201_CREATED, responses=errors(400, 409, 422, 429), **PUBLIC)
    async def signup(self, data: JSONBody[SignupIn], request: Request, db: NamedDependency[Database],
                     settings: NamedDependency[Settings],
                     notifier: NamedDependency[Notifier]) -> SignupOut:
        """Create a consultancy (tenant) with its owner and return a first access token; a
        verification link is mailed. Throttled per client address."""
        result = await service.signup(db, _throttles(request).signup, notifier, data.tenant_name,
                                      data.email, data.password, client_ip(request),
                                      TokenLifetimes.from_settings(settings))
        return SignupOut(tenant=TenantOut(result.tenant_id, result.tenant_name),
                         user=UserOut(result.user_id, result.email),
                         access_token=result.token.token)

    @post("/auth/token", status_code=200, responses=errors(400, 401, 422, 429), **PUBLIC)
    async def token(self, data: JSONBody[TokenIn], request: Request, db: NamedDependency[Database],
                    settings: NamedDependency[Settings],
                    notifier: NamedDependency[Notifier]) -> TokenOut:
        """Exchange email and password for a session token (failed attempts are throttled)."""
        issued = await service.login(db, _throttles(request).login, notifier, data.email,
                                     data.password, data.tenant_id, client_ip(request),
                                     TokenLifetimes.from_settings(settings))
        return TokenOut(issued.token, "bearer", issued.expires_at, issued.tenant_id)

    @post("/auth/accept-invite", status_code=200, responses=errors(400, 401, 422), **PUBLIC)
    async def accept_invite(self, data: JSONBody[AcceptInviteIn], request: Request,
                            db: NamedDependency[Database], settings: NamedDependency[Settings]) -> TokenOut:
        """Redeem a mailed invitation and receive a session token (a new person sets a
        password; someone with an account keeps theirs)."""
        issued = await invitations.accept(db, data.invite_token, data.password, client_ip(request),
                                          TokenLifetimes.from_settings(settings))
        return TokenOut(issued.token, "bearer", issued.expires_at, issued.tenant_id)

    @post("/auth/revoke", status_code=HTTP_204_NO_CONTENT, responses=errors(401))
    async def revoke_current(self, request: Request, db: NamedDependency[Database],
                             principal: NamedDependency[Principal]) -> None:
        """Revoke the token this request was made with (sign out)."""
        await service.revoke_token(db, principal, principal.token_id, client_ip(request))

    @post("/auth/logout-all", status_code=HTTP_204_NO_CONTENT, responses=errors(401))
    async def logout_all(self, request: Request, db: NamedDependency[Database],
                         principal: NamedDependency[Principal]) -> None:
        """Revoke every token of the caller, in every tenant, this one included."""
        await service.revoke_all(db, principal.user_id, client_ip(request), reason="logout-all")

    @post("/auth/password/change", status_code=HTTP_204_NO_CONTENT, responses=errors(400, 401, 422, 429))
    async def change_password(self, data: JSONBody[PasswordChangeIn], request: Request,
                              db: NamedDependency[Database],
                              principal: NamedDependency[Principal]) -> None:
        """Set a new password (the current one is required); every other session and token of
        the caller ends, this one stays."""
        await accounts.change_password(db, _throttles(request).login, principal,
                                       data.current_password, data.new_password, client_ip(request))

    @post("/auth/password/reset", status_code=HTTP_202_ACCEPTED, responses=errors(400, 429), **PUBLIC)
    async def request_reset(self, data: JSONBody[PasswordResetIn], request: Request,
                            db: NamedDependency[Database],
                            notifier: NamedDependency[Notifier]) -> Response[AcceptedOut]:
        """Mail a single-use reset link valid 30 minutes. The answer is the same, and as fast,
        whether or not the account exists: the lookup runs after it is sent."""
        throttle, key = _throttles(request).signup, f"reset-ip:{client_ip(request)}"
        await throttle.check(key)
        await throttle.record(key)
        return Response(AcceptedOut(RESET_REQUESTED), status_code=HTTP_202_ACCEPTED,
                        background=BackgroundTask(accounts.request_reset, db, notifier, data.email))

    @post("/auth/password/reset/confirm", status_code=HTTP_204_NO_CONTENT, responses=errors(400, 401),
          **PUBLIC)
    async def confirm_reset(self, data: JSONBody[PasswordResetConfirmIn], request: Request,
                            db: NamedDependency[Database]) -> None:
        """Set a new password with the mailed token; every session of the account ends."""
        await accounts.confirm_reset(db, data.token, data.password, client_ip(request))

    @post("/auth/verify-email", status_code=HTTP_202_ACCEPTED, responses=errors(401, 429))
    async def send_verification(self, request: Request, db: NamedDependency[Database],
                                principal: NamedDependency[Principal],
                                notifier: NamedDependency[Notifier]) -> AcceptedOut:
        """Mail a fresh verification link to the caller's address (unless already verified)."""
        throttle, key = _throttles(request).signup, f"verify-user:{principal.user_id}"
        await throttle.check(key)
        await throttle.record(key)
        await accounts.resend_verification(db, notifier, principal)
        return AcceptedOut(VERIFICATION_SENT)

    @post("/auth/verify-email/confirm", status_code=HTTP_204_NO_CONTENT, responses=errors(400, 401),
          **PUBLIC)
    async def confirm_verification(self, data: JSONBody[TokenConfirmIn],
                                   db: NamedDependency[Database]) -> None:
        """Confirm the address with the mailed token."""
        await accounts.confirm_verification(db, data.token)

    @get("/me", responses=errors(401))
    async def me(self, principal: NamedDependency[Principal]) -> MeOut:
        """The caller, their tenant and their roles (all loaded with the token)."""
        return MeOut(
            user=UserOut(principal.user_id, principal.email),
            tenant=TenantOut(principal.tenant_id, principal.tenant_name),
            tenant_role=principal.tenant_role.value if principal.tenant_role else None,
            workspace_roles=[WorkspaceRoleOut(w, r.value) for w, r in
                             sorted(principal.workspace_roles.items(), key=lambda i: str(i[0]))],
            email_verified=principal.email_verified)

    @post("/tokens", status_code=HTTP_201_CREATED, guards=[requires(Action.OWN_TOKENS)],
          responses=errors(400, 401, 403, 422))
    async def create_token(self, data: JSONBody[PersonalTokenIn], request: Request,
                           db: NamedDependency[Database], settings: NamedDependency[Settings],
                           principal: NamedDependency[Principal]) -> PersonalTokenOut:
        """A personal API token for scripts; its value is shown once. It expires (default 90
        days)."""
        issued = await service.create_personal_token(
            db, principal, data.name, data.expires_in_days, client_ip(request),
            TokenLifetimes.from_settings(settings))
        return PersonalTokenOut(issued.id, issued.name, issued.token, issued.created_at,
                                issued.expires_at)

    @get("/tokens", guards=[requires(Action.OWN_TOKENS)], responses=errors(400, 401, 403),
         dependencies={"page": list_params(service.TOKEN_LIST)})
    async def list_tokens(self, db: NamedDependency[Database],
                          principal: NamedDependency[Principal],
                          page: NamedDependency[ListPage]) -> OffsetPagination[TokenInfo]:
        """The caller's tokens, without their values, newest first."""
        rows, total = await service.list_tokens(db, principal, page.limit, page.offset, page.listing)
        return OffsetPagination([TokenInfo(**r) for r in rows], page.limit, page.offset, total)

    @delete("/tokens/{token_id:uuid}", guards=[requires(Action.OWN_TOKENS)],
            responses=errors(401, 403, 404))
    async def revoke(self, token_id: FromPath[UUID], request: Request, db: NamedDependency[Database],
                     principal: NamedDependency[Principal]) -> None:
        """Revoke one of the caller's tokens."""
        await service.revoke_token(db, principal, token_id, client_ip(request))
