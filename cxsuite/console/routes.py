"""The console's router: its pages, static files, CSRF, headers and error pages."""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import ResponseHeader
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.static_files import create_static_files_router

from cxsuite.console.errors import EXCEPTION_HANDLERS
from cxsuite.console.i18n import CONSOLE_DIR
from cxsuite.console.pages.account import AccountPages
from cxsuite.console.pages.auth import AuthPages
from cxsuite.console.pages.connections import ConnectionPages
from cxsuite.console.pages.editing import EditingPages
from cxsuite.console.pages.fileimport import FileImportPages
from cxsuite.console.pages.home import HomePages
from cxsuite.console.pages.jobs import JobPages
from cxsuite.console.pages.preview import ReportPreviewPages
from cxsuite.console.pages.projects import ProjectPages
from cxsuite.console.pages.reports import ReportPages
from cxsuite.console.session import csrf_config
from cxsuite.settings import Settings

# Like the API's HTML policy, but forms may post to this origin (the API's says 'none') and
# no inline style either: everything comes from /static.
CONSOLE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PAGE_HEADERS = [ResponseHeader(name="Content-Security-Policy", value=CONSOLE_POLICY),
                ResponseHeader(name="Cache-Control", value="no-store")]
# The console signs people in with its own cookie; its pages take the query parameters they
# name and ignore any other (a link with tracking parameters still opens), where the API
# refuses unknown ones ("open_query" is cxsuite.api.query_params.OPEN_QUERY on main).
PUBLIC = {"exclude_from_auth": True, "open_query": True}


def console_routers(settings: Settings) -> list[Router]:
    """The pages at ``/`` and their assets at ``/static``."""
    pages = Router(
        path="/", route_handlers=[AuthPages, HomePages, ProjectPages, ConnectionPages, JobPages, ReportPages,
                                  AccountPages, EditingPages, FileImportPages, ReportPreviewPages],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config(settings))],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        response_headers=PAGE_HEADERS, opt=PUBLIC, include_in_schema=False)
    static = create_static_files_router(path="/static", directories=[CONSOLE_DIR / "static"], opt=PUBLIC,
                                        include_in_schema=False, name="console-static")
    return [pages, static]
