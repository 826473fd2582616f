"""Sign-up, login, token authentication and token management.

Every function opens its own tenant-scoped transaction through :class:`Database`, so the
audit entry of an action commits with the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from cxsuite.access.principal import Principal, Role
from cxsuite.audit.service import Actor, record
from cxsuite.audit.tables import AuditEvent
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.session import Database
from cxsuite.errors import Choice, Conflict, FieldProblem, NotFound, Unauthenticated, ValidationFailed
from cxsuite.identity import mailed, principal_cache
from cxsuite.identity.notices import RESET_PAGE, VERIFY_PAGE, Notifier
from cxsuite.identity.passwords import hash_password, verify_password
from cxsuite.identity.tables import ApiToken, User
from cxsuite.identity.throttle import Throttle
from cxsuite.identity.tokens import TokenLifetimes, forget_principals, new_token, parse_token
from cxsuite.tenancy.tables import Tenant, TenantDirectory, TenantMembership
from cxsuite.workspaces.tables import WorkspaceMembership

# A token's last use (and a session's sliding expiry) is written at most this often, so reads
# do not all become writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)
# Said to whoever signs up with an email that has a user, pending or not: it names no account.
SIGNUP_REFUSED = ("this email cannot be used to sign up; if the address is yours, its inbox has a "
                  "message saying how to sign in or reset the password")
# Actions after which a user has used an address successfully (no new-login notice from it).
_SIGNED_IN_ACTIONS = ("auth.login", "tenant.signup", "invitation.accepted")


@dataclass(frozen=True)
class IssuedToken:
    """A token as shown once to its owner."""

    id: UUID
    tenant_id: UUID
    user_id: UUID
    token: str
    name: str
    kind: str
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class SignupResult:
    """The new tenant, its owner and a session token."""

    tenant_id: UUID
    tenant_name: str
    user_id: UUID
    email: str
    token: IssuedToken


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return email.strip().lower()


async def find_user(email: str) -> dict | None:
    """The user row for ``email`` (users are global, not tenant rows)."""
    return await User.select().where(User.email == normalise_email(email)).first().run()


async def ensure_user(email: str, password_hash: str = "") -> UUID:
    """The id of the user with ``email``, created (pending when ``password_hash`` is empty)."""
    existing = await find_user(email)
    if existing:
        return existing["id"]
    user_id = uuid4()
    await User.insert(User(id=user_id, email=normalise_email(email), created_at=datetime.now(UTC),
                           password_hash=password_hash)).run()
    return user_id


async def signup(db: Database, throttle: Throttle, notifier: Notifier, tenant_name: str, email: str,
                 password: str, ip: str, lifetimes: TokenLifetimes) -> SignupResult:
    """Create a tenant with its owner and mail a verification link.

    An email that already has a user (with a password, or pending an invitation) is never
    touched: the request is refused in words that name no account, and the address's owner is
    told that someone tried. The password is hashed either way, so both answers take as long.
    """
    await throttle.check(f"ip:{ip}")
    await throttle.record(f"ip:{ip}")
    password_hash = await hash_password(password)
    existing = await find_user(email)
    if existing:
        await notifier.send("signup_attempt", existing["email"], notifier.link(RESET_PAGE))
        raise Conflict(SIGNUP_REFUSED)
    tenant_id, now = uuid4(), datetime.now(UTC)
    async with db.transaction(tenant_id):
        await Tenant.insert(Tenant(id=tenant_id, name=tenant_name, created_at=now)).run()
        await TenantDirectory.insert(TenantDirectory(id=tenant_id, created_at=now)).run()
        user_id = await ensure_user(email, password_hash)
        await add_tenant_member(tenant_id, user_id, Role.OWNER)
        token = await _issue(tenant_id, user_id, "session", "sign-up", lifetimes.session_expiry(now, now))
        actor = Actor(user_id, ip)
        await record(tenant_id, actor, "tenant.signup", object_type="tenant", object_id=tenant_id)
        await record(tenant_id, actor, "token.created", object_type="token", object_id=token.id,
                     details={"kind": "session"})
        verification = await mailed.issue(user_id, mailed.VERIFY_EMAIL)
    await send_verification(notifier, normalise_email(email), verification)
    return SignupResult(tenant_id, tenant_name, user_id, normalise_email(email), token)


async def send_verification(notifier: Notifier, email: str, token: str) -> None:
    """The email-verification link (after the token's transaction committed)."""
    hours = int(mailed.LIFETIMES[mailed.VERIFY_EMAIL].total_seconds() // 3600)
    await notifier.send("email_verification", email, notifier.link(VERIFY_PAGE, token),
                        hours=notifier.number(hours))


async def add_tenant_member(tenant_id: UUID, user_id: UUID, role: Role) -> UUID:
    """Insert a tenant membership (inside the caller's transaction)."""
    membership_id = uuid4()
    await TenantMembership.insert(TenantMembership(
        id=membership_id, tenant_id=tenant_id, user_id=user_id, role=role.value,
        created_at=datetime.now(UTC))).run()
    return membership_id


def login_keys(email: str, ip: str) -> tuple[str, str]:
    """Failed logins count per address and per account *from that address*: never per account
    alone, or a stranger could keep its owner locked out."""
    return f"ip:{ip}", f"account:{normalise_email(email)}|ip:{ip}"


async def check_password(db: Database, throttle: Throttle, email: str, password: str, ip: str,
                         ) -> tuple[dict, list[UUID]]:
    """The user and their tenants when ``password`` is right; a throttled 401 otherwise."""
    keys = login_keys(email, ip)
    await throttle.check(*keys)
    user = await find_user(email)
    ok = await verify_password(user["password_hash"] if user else "", password)
    tenants = await tenants_of(db, user["id"]) if user else []
    if not ok or not user:
        await throttle.record(*keys)
        await _audit_failed_login(db, user["id"] if user else None, tenants, ip)
        raise Unauthenticated("email or password is wrong")
    await throttle.forget(keys[1])
    return user, tenants


async def login(db: Database, throttle: Throttle, notifier: Notifier, email: str, password: str,
                tenant_id: UUID | None, ip: str, lifetimes: TokenLifetimes) -> IssuedToken:
    """Exchange email and password for a session token in one of the user's tenants; a sign-in
    from an address the account never used in that tenant is announced by mail."""
    user, tenants = await check_password(db, throttle, email, password, ip)
    if tenant_id is None and len(tenants) > 1:
        raise await _which_tenant(db, user["id"], tenants)
    chosen = _choose_tenant(tenants, tenant_id)
    now = datetime.now(UTC)
    async with db.transaction(chosen, user["id"]):
        known = await _address_known(chosen, user["id"], ip)
        tenant = await Tenant.select(Tenant.name).where(Tenant.id == chosen).first().run()
        token = await _issue(chosen, user["id"], "session", "login", lifetimes.session_expiry(now, now))
        await record(chosen, Actor(user["id"], ip), "auth.login", object_type="user",
                     object_id=user["id"])
    if not known:
        await notifier.send("new_login", user["email"], notifier.link(RESET_PAGE),
                            tenant=tenant["name"] if tenant else "", ip=ip, when=notifier.moment(now))
    return token


async def _address_known(tenant_id: UUID, user_id: UUID, ip: str) -> bool:
    """Whether the audit log shows this user signed in to the tenant from ``ip`` before."""
    return await AuditEvent.exists().where(
        (AuditEvent.tenant_id == tenant_id) & (AuditEvent.actor_user_id == user_id)
        & (AuditEvent.ip == ip) & AuditEvent.action.is_in(list(_SIGNED_IN_ACTIONS))
        & (AuditEvent.outcome == "success")).run()


async def tenants_of(db: Database, user_id: UUID) -> list[UUID]:
    """Tenants where the user holds any membership (visible through the own-rows policy)."""
    async with db.transaction(None, user_id, write=False):
        direct = await TenantMembership.select(TenantMembership.tenant_id).where(
            TenantMembership.user_id == user_id).run()
        client = await WorkspaceMembership.select(WorkspaceMembership.tenant_id).where(
            WorkspaceMembership.user_id == user_id).run()
    return sorted({row["tenant_id"] for row in direct + client}, key=str)


def _choose_tenant(tenants: list[UUID], wanted: UUID | None) -> UUID:
    if wanted is not None:
        if wanted not in tenants:
            raise Unauthenticated("email or password is wrong")
        return wanted
    if not tenants:
        raise Unauthenticated("this account has no tenant access")
    return tenants[0]


async def _which_tenant(db: Database, user_id: UUID, tenants: list[UUID]) -> ValidationFailed:
    """The refusal that asks a person in several consultancies to choose one: the reason lists
    the ids (as it always has), ``choices`` gives each id with the consultancy's name, so a
    sign-in form can offer them by name. Only after the password was right; each name is read
    in its own tenant's scope (row-level security)."""
    choices = []
    for tenant in tenants:
        async with db.transaction(tenant, user_id, write=False):
            row = await Tenant.select(Tenant.name).where(Tenant.id == tenant).first().run()
        choices.append(Choice(str(tenant), row["name"] if row else str(tenant)))
    return ValidationFailed("this account belongs to several tenants; say which one", problems=[FieldProblem(
        "body.tenant_id", "required: one of " + ", ".join(str(t) for t in tenants), choices=tuple(choices))])


async def _audit_failed_login(db: Database, user_id: UUID | None, tenants: list[UUID],
                              ip: str) -> None:
    """A failed login is recorded in every tenant the account belongs to."""
    for tenant_id in tenants:
        async with db.transaction(tenant_id, user_id):
            await record(tenant_id, Actor(user_id, ip), "auth.login", object_type="user",
                         object_id=user_id or "", outcome="failure")


async def issue_session(tenant_id: UUID, user_id: UUID, name: str,
                        expires_at: datetime | None) -> IssuedToken:
    """A session token for a user who just proved who they are (inside the caller's transaction)."""
    return await _issue(tenant_id, user_id, "session", name, expires_at)


async def _issue(tenant_id: UUID, user_id: UUID, kind: str, name: str,
                 expires_at: datetime | None) -> IssuedToken:
    """Store a new token's hash and return the token (inside the caller's transaction)."""
    token = new_token(tenant_id)
    parsed = parse_token(token)
    assert parsed is not None
    token_id, now = uuid4(), datetime.now(UTC)
    await ApiToken.insert(ApiToken(
        id=token_id, tenant_id=tenant_id, user_id=user_id, kind=kind, name=name,
        token_hash=parsed.token_hash, created_at=now, expires_at=expires_at)).run()
    return IssuedToken(token_id, tenant_id, user_id, token, name, kind, now, expires_at)


async def authenticate(db: Database, raw_token: str, lifetimes: TokenLifetimes) -> Principal:
    """The principal behind a bearer token, with the roles held now; 401 otherwise.

    A session's expiry slides forward with use (never past its maximum); a personal token
    from before expiries were enforced ends ``personal_default`` after its creation. Answers
    come from ``principal_cache`` for a few seconds; every change to access calls
    ``tokens.forget_principals`` once committed.
    """
    parsed = parse_token(raw_token)
    if parsed is None:
        raise Unauthenticated("invalid access token")
    cached = principal_cache.recall(parsed.token_hash)
    if cached is not None:
        return cached
    read_at, now = principal_cache.generation(), datetime.now(UTC)
    async with db.transaction(parsed.tenant_id, write=False):
        token = await ApiToken.select().where(
            (ApiToken.tenant_id == parsed.tenant_id) & (ApiToken.token_hash == parsed.token_hash)
        ).first().run()
        expires = token and (token["expires_at"] or token["created_at"] + lifetimes.personal_default)
        if not token or token["revoked_at"] or expires <= now:
            raise Unauthenticated("access token is invalid, expired or revoked")
        principal = await load_principal(parsed.tenant_id, token["user_id"], token["id"])
    if not token["last_used_at"] or now - token["last_used_at"] > LAST_USED_RESOLUTION:
        changes = {ApiToken.last_used_at: now}
        if token["kind"] == "session":
            changes[ApiToken.expires_at] = lifetimes.session_expiry(token["created_at"], now)
        async with db.transaction(parsed.tenant_id):
            await ApiToken.update(changes).where(
                (ApiToken.tenant_id == parsed.tenant_id) & (ApiToken.id == token["id"])).run()
    principal_cache.remember(parsed.token_hash, principal, expires, read_at)
    return principal


async def load_principal(tenant_id: UUID, user_id: UUID, token_id: UUID) -> Principal:
    """Roles of ``user_id`` in ``tenant_id``; no role at all means no access (401)."""
    user = await User.select(User.email, User.email_verified_at).where(User.id == user_id).first().run()
    tenant_role = await TenantMembership.select(TenantMembership.role).where(
        (TenantMembership.tenant_id == tenant_id) & (TenantMembership.user_id == user_id)
    ).first().run()
    workspace_rows = await WorkspaceMembership.select(
        WorkspaceMembership.workspace_id, WorkspaceMembership.role).where(
        (WorkspaceMembership.tenant_id == tenant_id) & (WorkspaceMembership.user_id == user_id)
    ).run()
    if not user or (not tenant_role and not workspace_rows):
        raise Unauthenticated("this account no longer has access to the tenant")
    tenant = await Tenant.select(Tenant.name).where(Tenant.id == tenant_id).first().run()
    return Principal(
        user_id=user_id, tenant_id=tenant_id, token_id=token_id, email=user["email"],
        tenant_role=Role(tenant_role["role"]) if tenant_role else None,
        workspace_roles={r["workspace_id"]: Role(r["role"]) for r in workspace_rows},
        tenant_name=tenant["name"] if tenant else "", email_verified=bool(user["email_verified_at"]))


async def create_personal_token(db: Database, principal: Principal, name: str,
                                expires_in_days: int | None, ip: str,
                                lifetimes: TokenLifetimes) -> IssuedToken:
    """A token for scripts, acting as the same user in the same tenant; it always expires."""
    lifetime = timedelta(days=expires_in_days) if expires_in_days else lifetimes.personal_default
    if lifetime > lifetimes.personal_max:
        raise ValidationFailed("personal tokens may not live that long", problems=[FieldProblem(
            "body.expires_in_days", f"at most {lifetimes.personal_max.days} days "
            "(limit: CXSUITE_PERSONAL_TOKEN_MAX_DAYS)")])
    expires = datetime.now(UTC) + lifetime
    async with db.transaction(principal.tenant_id, principal.user_id):
        token = await _issue(principal.tenant_id, principal.user_id, "personal", name, expires)
        await record(principal.tenant_id, Actor(principal.user_id, ip), "token.created",
                     object_type="token", object_id=token.id, details={"kind": "personal"})
    return token


TOKEN_LIST = ListSpec(sorts=("created_at", "name", "kind"), default="-created_at", search=("name",))


async def list_tokens(db: Database, principal: Principal, limit: int, offset: int,
                      listing: Listing | None = None) -> tuple[list[dict], int]:
    """The caller's own tokens (never their hashes), newest first."""
    mine = (ApiToken.tenant_id == principal.tenant_id) & (ApiToken.user_id == principal.user_id)
    columns = (ApiToken.id, ApiToken.name, ApiToken.kind, ApiToken.created_at,
               ApiToken.expires_at, ApiToken.revoked_at, ApiToken.last_used_at)
    async with db.transaction(principal.tenant_id, write=False):
        return await page_listed(ApiToken, mine, columns, TOKEN_LIST, listing, limit=limit, offset=offset)


async def revoke_token(db: Database, principal: Principal, token_id: UUID, ip: str) -> None:
    """Revoke one of the caller's own tokens; someone else's is 404."""
    mine = ((ApiToken.tenant_id == principal.tenant_id) & (ApiToken.id == token_id)
            & (ApiToken.user_id == principal.user_id))
    async with db.transaction(principal.tenant_id, principal.user_id):
        row = await ApiToken.select(ApiToken.revoked_at).where(mine).first().run()
        if row is None:
            raise NotFound("token not found")
        if row["revoked_at"] is None:
            await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(mine).run()
            await record(principal.tenant_id, Actor(principal.user_id, ip), "token.revoked",
                         object_type="token", object_id=token_id)
    forget_principals(principal.tenant_id, principal.user_id)


async def revoke_all(db: Database, user_id: UUID, ip: str, *, keep: UUID | None = None,
                     reason: str) -> int:
    """Revoke every token of ``user_id`` in every tenant they belong to, except ``keep``;
    each tenant's audit log records how many went and why. Returns the number revoked."""
    total = 0
    now = datetime.now(UTC)
    for tenant_id in await tenants_of(db, user_id):
        live = ((ApiToken.tenant_id == tenant_id) & (ApiToken.user_id == user_id)
                & ApiToken.revoked_at.is_null())
        if keep is not None:
            live = live & (ApiToken.id != keep)
        async with db.transaction(tenant_id, user_id):
            rows = await ApiToken.update({ApiToken.revoked_at: now}).where(live).returning(ApiToken.id).run()
            await record(tenant_id, Actor(user_id, ip), "token.revoked_all", object_type="user",
                         object_id=user_id, details={"count": len(rows), "reason": reason})
        total += len(rows)
        forget_principals(tenant_id, user_id)
    return total
