"""The one ASGI app serving all four vendors and the control API on one port."""

from __future__ import annotations

from litestar import Litestar, Request

from cxsuite.sandbox import control, google, hubspot, hubspot_batch, hubspot_lists, salesforce, zoho
from cxsuite.sandbox.faults import vendor_of
from cxsuite.sandbox.state import Sandbox


async def _log(request: Request) -> None:
    """Record every vendor request (method, path, query) before it is handled."""
    vendor = vendor_of(request.url.path)
    if vendor is not None:
        request.app.state.sandbox.record(
            vendor,
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
            hubspot_lists.router,
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
