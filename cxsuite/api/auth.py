"""Bearer-token authentication: every route needs a token unless it opts out explicitly.

Routes opt out with ``exclude_from_auth=True`` on the handler (not by path pattern: Litestar's
path exclusions are unanchored regular expressions and match anywhere in a path).
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from cxsuite.errors import Unauthenticated
from cxsuite.identity.service import authenticate
from cxsuite.identity.tokens import TokenLifetimes
from cxsuite.logs import add_context


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """Turns ``Authorization: Bearer cxs_...`` into a :class:`~cxsuite.access.principal.Principal`."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        """Resolve the token and the caller's current roles; 401 when anything is off
        (unknown, revoked, or past its expiry, which use slides forward for sessions)."""
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("send an access token as 'Authorization: Bearer <token>'")
        principal = await authenticate(connection.app.state.db, token.strip(),
                                       TokenLifetimes.from_settings(connection.app.state.settings))
        add_context(tenant_id=principal.tenant_id, user_id=principal.user_id)
        return AuthenticationResult(user=principal, auth=principal.token_id)
