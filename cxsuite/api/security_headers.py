"""Security headers on every response, errors and unknown routes included (a ``before_send``
hook sees every message the app sends).

- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (the OAuth callback's
  URL carries a code) and ``X-Frame-Options: DENY`` everywhere.
- A Content-Security-Policy on HTML that sets none of its own: scripts and styles from this
  origin only, no framing (``frame-ancestors 'none'``). Inline styles are allowed because
  Swagger UI and the OAuth result page use them; inline scripts are not. A handler's own
  policy (the branding preview's is stricter) is left as it is.
- ``Cache-Control: no-store`` on every response to a request that carried credentials, and
  on any response that does not say otherwise.
- ``Strict-Transport-Security`` when the request came over HTTPS. Behind a TLS-terminating
  proxy the scheme comes from ``X-Forwarded-Proto``, which uvicorn believes only from the
  addresses in ``CXSUITE_TRUSTED_PROXIES`` (see ``docs/operations.md``).
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

HTML_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar ``before_send`` hook: complete the headers of each response as it starts."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in ALWAYS.items():
        if name not in headers:
            headers[name] = value
    if headers.get("content-type", "").startswith("text/html") and "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = HTML_POLICY
    if _authenticated(scope) or "cache-control" not in headers:
        headers["Cache-Control"] = "no-store"
    if scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = HSTS


def _authenticated(scope: Scope) -> bool:
    return scope.get("user") is not None or any(name == b"authorization" for name, _ in scope["headers"])
