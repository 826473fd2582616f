"""How the console answers when a page cannot be shown: a page in the person's language that
says what *they* can do, never an operator's stack trace or a vendor's error text."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from cxsuite.console.api import ApiError
from cxsuite.console.context import SignInRequired, environment
from cxsuite.console.i18n import LANGUAGES, RTL, language_of, translator
from cxsuite.console.messages import EXPIRED_FORM, FAILED, FORBIDDEN, NOT_FOUND, TOO_MANY

log = logging.getLogger("cxsuite.console")


def _page(request: Request, status: int, message: str, *, translated: bool = False) -> Response[str]:
    """The error page saying ``message`` (a msgid, or with ``translated`` a text already in the
    page's language, such as an API problem's detail: escaped like any value)."""
    language = language_of(request)
    _ = translator(language)
    html = environment().get_template("error.html").render(
        _=_, lang=language, dir="rtl" if language in RTL else "ltr", languages=LANGUAGES, me=None,
        c=None, word=str, csrf_token="", path=request.url.path, notice=None, status=status,
        message=message if translated else _(message))
    return Response(html, status_code=status, media_type="text/html")


def _audience(request: Request) -> str:
    # A client's session never carries a tenant role; without a session we speak to a client.
    return "staff" if request.scope.get("state", {}).get("console_staff") else "client"


def on_sign_in_required(request: Request, exc: SignInRequired) -> Response[Any]:
    """Send the browser to the sign-in page, then back where it was going."""
    return Redirect(f"/signin?next={quote(exc.next_path)}", status_code=HTTP_303_SEE_OTHER)


def on_api_error(request: Request, exc: ApiError) -> Response[Any]:
    """An API answer no page handled itself."""
    if exc.status == 401:
        return on_sign_in_required(request, SignInRequired(request.url.path))
    if exc.status == 403:
        return _page(request, 403, FORBIDDEN[_audience(request)])
    if exc.status == 404:
        return _page(request, 404, NOT_FOUND)
    if exc.status == 429:
        return _page(request, 429, TOO_MANY)
    if exc.status < 500:
        return _page(request, exc.status, exc.detail, translated=True) if exc.detail else _page(
            request, exc.status, NOT_FOUND)
    log.error("console page failed: %s", exc)
    return _page(request, 500, FAILED[_audience(request)])


def on_permission_denied(request: Request, exc: PermissionDeniedException) -> Response[Any]:
    """A form without a valid CSRF token (expired or forged): say so and offer the page again."""
    return _page(request, 403, EXPIRED_FORM)


def on_not_authorized(request: Request, exc: NotAuthorizedException) -> Response[Any]:
    """The bearer-token middleware never runs here, but keep 401s a sign-in redirect."""
    return on_sign_in_required(request, SignInRequired(request.url.path))


def on_unexpected(request: Request, exc: Exception) -> Response[Any]:
    """Any other failure: logged for the operator, a plain sentence for the person."""
    log.exception("console page crashed", exc_info=exc)
    return _page(request, 500, FAILED[_audience(request)])


EXCEPTION_HANDLERS = {
    SignInRequired: on_sign_in_required,
    ApiError: on_api_error,
    PermissionDeniedException: on_permission_denied,
    NotAuthorizedException: on_not_authorized,
}
