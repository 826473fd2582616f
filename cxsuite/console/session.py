"""The console's sign-in cookie and CSRF settings.

The cookie holds a cxsuite *session token* (the same kind ``POST /api/v1/auth/token``
returns), never a password or a role: every page resolves it afresh through the API, so a
revoked token or a removed membership takes effect on the next click. Each sign-in issues a
brand-new token and revokes the one the browser came with, so a session id planted before
sign-in (session fixation) is worthless. The cookie is HttpOnly, SameSite=Lax, and Secure
whenever the request or the public URL is HTTPS.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from litestar import Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie

from cxsuite.settings import Settings

SESSION_COOKIE = "cxsuite_session"
CSRF_COOKIE = "cxsuite_csrf"


def secure_cookies(request: Request) -> bool:
    """Mark cookies Secure under HTTPS (behind a proxy, uvicorn's ``--proxy-headers`` makes
    the scheme real) or when the public URL is HTTPS."""
    settings: Settings = request.app.state.settings
    return request.url.scheme == "https" or settings.public_base_url.startswith("https://")


def session_token(request: Request) -> str | None:
    """The token the browser presents, if any."""
    return request.cookies.get(SESSION_COOKIE) or None


def set_session(request: Request, response: Response, token: str, expires_at: str | None) -> None:
    """Give the browser its new session token."""
    max_age = None
    if expires_at:
        remaining = datetime.fromisoformat(expires_at) - datetime.now(UTC)
        max_age = max(int(remaining.total_seconds()), 0)
    response.set_cookie(Cookie(key=SESSION_COOKIE, value=token, path="/", httponly=True, samesite="lax",
                               secure=secure_cookies(request), max_age=max_age))


def clear_session(request: Request, response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def csrf_config(settings: Settings) -> CSRFConfig:
    """Signed double-submit CSRF tokens for every console form (``_csrf_token``); the secret
    is derived from the app's secret key, so all workers of a deployment agree."""
    secret = hmac.new((settings.secret_key or "cxsuite-development").encode(), b"console-csrf",
                      hashlib.sha256).hexdigest()
    return CSRFConfig(secret=secret, cookie_name=CSRF_COOKIE, cookie_httponly=True, cookie_samesite="lax",
                      cookie_secure=settings.public_base_url.startswith("https://"))
