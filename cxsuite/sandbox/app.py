"""The one ASGI app serving all four vendors and the control API on one port."""

from __future__ import annotations

from litestar import Litestar, Request

from cxsuite.sandbox import control, google, hubspot, hubspot_batch, salesforce, zoho
from cxsuite.sandbox.state import Sandbox

_VENDOR_OF_PREFIX = {
    "hubspot": "hubspot",
    "salesforce": "salesforce",
    "services": "salesforce",
    "zoho": "zoho",
    "google": "ga4",
    "ga4": "ga4",
}


async def _log(request: Request) -> None:
    """Record every vendor request (method, path, query) before it is handled."""
    prefix = request.url.path.lstrip("/").split("/", 1)[0]
    if prefix in _VENDOR_OF_PREFIX:
        request.app.state.sandbox.record(
            _VENDOR_OF_PREFIX[prefix],
            request.method,
            request.url.path,
            request.scope["query_string"].decode("latin-1"),
        )


def create_app(sandbox: Sandbox) -> Litestar:
    """A Litestar app bound to ``sandbox`` (no OpenAPI: the vendors' own docs are the schema).

    No logging configuration either: the stand-in runs inside other programs (tests, the demo,
    benchmarks), and Litestar's default would put their root logger at INFO, where httpx logs
    every request URL, OAuth codes and states included."""
    app = Litestar(
        route_handlers=[
            hubspot.router,
            hubspot_batch.router,
            salesforce.router,
            salesforce.root_router,
            zoho.router,
            google.router,
            control.router,
        ],
        before_request=_log,
        openapi_config=None,
        logging_config=None,
    )
    app.state.sandbox = sandbox
    app.state.salesforce_cursors = {}
    app.state.zoho_page_tokens = {}
    return app
