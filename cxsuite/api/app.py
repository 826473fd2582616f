"""The Litestar application factory: wiring only, no business logic."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, Router
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from redis.asyncio import Redis

from cxsuite import __version__
from cxsuite.api.api_docs import LocalSwaggerUI
from cxsuite.api.auth import BearerTokenMiddleware
from cxsuite.api.deps import DEPENDENCIES
from cxsuite.api.health import HealthController
from cxsuite.api.input_limits import apply_body_limits, check_request_input
from cxsuite.api.openapi import declare_closed_request_bodies, declare_input_problems, repair_options_allow
from cxsuite.api.operation_docs import document_operations
from cxsuite.api.problems import EXCEPTION_HANDLERS
from cxsuite.api.query_params import check_query_names, remember_query_names
from cxsuite.api.request_log import RequestLog
from cxsuite.api.routes import API_CONTROLLERS
from cxsuite.api.security_headers import add_security_headers
from cxsuite.console.routes import console_routers
from cxsuite.db.posture import check_database_posture
from cxsuite.db.session import Database
from cxsuite.identity.throttle import build_throttles
from cxsuite.jobs import health as _job_health  # noqa: F401 - registers the workers readiness check
from cxsuite.jobs.kinds import Resources
from cxsuite.jobs.queue import InlineQueue, build_queue
from cxsuite.jobs.registered import register_all
from cxsuite.logs import configure_logging
from cxsuite.mail.transport import build_mailer
from cxsuite.plugin_manager import build_plugins
from cxsuite.settings import Settings, load_settings

log = logging.getLogger("cxsuite.api")


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or load_settings()
    api = Router(path="/api/v1", route_handlers=API_CONTROLLERS, security=[{"BearerToken": []}])
    app = Litestar(
        route_handlers=[api, HealthController, *console_routers(settings)],
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[DefineMiddleware(BearerTokenMiddleware, exclude=["^/schema", "^/health"])],
        lifespan=[_lifespan(settings)],
        before_send=[add_security_headers],
        openapi_config=_openapi(),
        request_max_body_size=settings.request_max_body_bytes,
        before_request=_check_request,
        logging_config=None,  # cxsuite.logs configures logging; Litestar's default would take the root logger
        debug=False,
    )
    apply_body_limits(app, settings)
    remember_query_names(app)
    # Outside the router and exception handling, so unknown routes and crashes are logged too.
    app.asgi_handler = RequestLog(app.asgi_handler)
    declare_closed_request_bodies(app)
    declare_input_problems(app)
    repair_options_allow(app)
    document_operations(app)
    return app


async def _check_request(request: Request) -> None:
    """``before_request``: unknown query parameters, then input over the limits, before decoding."""
    check_query_names(request)
    await check_request_input(request)


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="cxsuite API", version=__version__, path="/schema",
        description="Multi-tenant CX audit backend. Errors are RFC 9457 problem details.",
        components=Components(security_schemes={
            "BearerToken": SecurityScheme(type="http", scheme="bearer",
                                          description="A cxsuite access or personal token")}),
        render_plugins=[JsonRenderPlugin(), LocalSwaggerUI("/schema")],
    )


def _lifespan(settings: Settings):  # noqa: ANN202 - Litestar's lifespan protocol
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_json)
        db = Database.from_url(settings.database_url)
        await db.start()
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        app.state.settings, app.state.db, app.state.redis = settings, db, redis
        app.state.plugins = build_plugins()
        register_all()
        app.state.queue = await build_queue(settings)
        app.state.resources = Resources(db, settings, app.state.plugins, redis, app.state.queue)
        if isinstance(app.state.queue, InlineQueue):
            app.state.queue.bind(app.state.resources)
        app.state.throttles = build_throttles(settings, redis)
        app.state.mailer = build_mailer(settings)
        await check_database_posture(db, settings)
        try:
            yield
        finally:
            await app.state.queue.close()
            await app.state.mailer.close()
            await db.close()
            if redis is not None:
                await redis.aclose()

    return lifespan
