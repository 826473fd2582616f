"""One console request: who is signed in, their API view, their language, and page rendering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache, partial
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Request, Response
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup, escape

from cxsuite.console.api import ApiError, ConsoleApi
from cxsuite.console.i18n import (
    CONSOLE_DIR,
    LANGUAGES,
    RTL,
    language_of,
    model_term,
    translations,
    translator,
)
from cxsuite.console.messages import (
    AUDIT_ACTIONS,
    AUDIT_OBJECTS,
    AUDIT_OUTCOMES,
    FIELD_LABELS,
    NOTICES,
    WORDS,
)
from cxsuite.console.reasons import reason_in, row_problems_in
from cxsuite.console.session import session_token
from cxsuite.reports.i18n import Localiser


class SignInRequired(Exception):
    """The page needs a signed-in person; the handler sends the browser to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates are HTML and always autoescaped."""
    return Environment(loader=FileSystemLoader(CONSOLE_DIR / "templates"),
                       autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)


@dataclass
class Console:
    """What a page handler works with; use as ``async with Console.open(request) as c``."""

    request: Request
    api: ConsoleApi
    language: str
    me: dict[str, Any] | None = None
    workspaces: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    async def open(cls, request: Request, *, signed_in: bool = True) -> Console:
        """The request's console; with ``signed_in``, a person must be (else sign-in page)."""
        language = language_of(request)
        token = session_token(request)
        console = cls(request, ConsoleApi(request, token, language), language)
        if token:
            try:
                console.me = await console.api.get("/me")
            except ApiError as error:
                if error.status != 401:
                    raise
        request.scope.setdefault("state", {})["console_staff"] = console.is_staff
        if signed_in and console.me is None:
            await console.close()
            raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return console

    async def __aenter__(self) -> Console:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Release the in-process API client."""
        await self.api.close()

    @property
    def tenant_role(self) -> str | None:
        """``owner`` or ``consultant`` in this tenant, else ``None`` (a client)."""
        return (self.me or {}).get("tenant_role")

    @property
    def is_staff(self) -> bool:
        """Owner or consultant: they run audits."""
        return self.tenant_role in ("owner", "consultant")

    def role_in(self, workspace_id: str) -> str | None:
        """The role that applies inside a workspace (a tenant role wins)."""
        if self.tenant_role:
            return self.tenant_role
        for held in (self.me or {}).get("workspace_roles", []):
            if held["workspace_id"] == str(workspace_id):
                return held["role"]
        return None

    def page(self, template: str, status_code: int = 200, **context: Any) -> Response[str]:
        """Render ``template`` with the shared layout context."""
        notice = NOTICES.get(self.request.query_params.get("done", ""))
        html = environment().get_template(template).render(
            _=translator(self.language), lang=self.language, dir="rtl" if self.language in RTL else "ltr",
            languages=LANGUAGES, me=self.me, c=self, word=self.word, field_label=self.field_label,
            reason=partial(reason_in, self.language), row_problems=partial(row_problems_in, self.language),
            term=model_term(self.language), when=self.when, day=self.day, number=self.number,
            percent=self.percent, measure=self.localiser.measure,
            csrf_token=self.csrf_token(),
            path=self.request.url.path, notice=notice, **context)
        return Response(html, status_code=status_code, media_type="text/html")

    @cached_property
    def localiser(self) -> Localiser:
        """Numbers and dates as the page's language writes them (Persian digits in fa, a decimal
        comma in lt): the reports' one formatter, so a figure reads the same on a page and in
        the PDF."""
        return Localiser(translations(self.language), self.language)

    def number(self, value: float | None, digits: int = 2) -> str:
        """A count or a score: whole numbers without decimals, others with ``digits``; a dash
        where there is none."""
        return "—" if value is None else self.localiser.measure(value, "", digits)

    def percent(self, share: float | None) -> str:
        """A share of 0–1 as a whole percentage (``75%``, ``۷۵٪``)."""
        return "—" if share is None else self.localiser.percent(round(share * 100))

    def when(self, value: str | None) -> Markup:
        """A time the API gives (ISO 8601, UTC) in the page's language, in a ``<time>`` element
        that keeps the machine-readable value; a dash where there is none."""
        if not value:
            return Markup("—")
        shown = self.localiser.datetime(datetime.fromisoformat(value))
        return Markup('<time datetime="{}">{}</time>').format(value, escape(shown))

    def day(self, value: str | None) -> str:
        """A day the API gives (``2026-12-01``) in the page's language; a dash where there is none."""
        return self.localiser.date(date.fromisoformat(value), "medium") if value else "—"

    def word(self, value: object, words: dict[str, str] = WORDS) -> str:
        """An API value (status, kind, role; by default) in words of the page's language, as it
        came when ``words`` has none for it."""
        text = words.get(str(value))
        return self.translate(text) if text else str(value)

    def field_label(self, name: str) -> str:
        """An import field (``created_at``) in words of the page's language."""
        return self.word(name, FIELD_LABELS)

    def audit_words(self, kind: str) -> dict[str, str]:
        """The audit log's ``action``, ``outcome`` or ``object_type`` values, each in words of
        the page's language (the table's cells and the filter's choices)."""
        table = {"action": AUDIT_ACTIONS, "outcome": AUDIT_OUTCOMES, "object_type": AUDIT_OBJECTS}[kind]
        return {value: self.word(value, table) for value in table}

    def translate(self, message: str, **values: Any) -> str:
        """``message`` in the page's language."""
        return str(translator(self.language)(message, **values))

    def csrf_token(self) -> str:
        """The token every form carries as ``_csrf_token``."""
        return ScopeState.from_scope(self.request.scope).csrf_token or ""


async def shown(request: Request, page: Callable[..., Awaitable[Response[Any]]], *args: Any) -> Response[Any]:
    """The whole of a handler that only shows a page: the request's console (signed in), and
    ``page(c, *args)`` rendered with it."""
    async with await Console.open(request) as c:
        return await page(c, *args)


async def deleted(request: Request, path: str, done: str, back: str | None = None) -> Redirect:
    """The whole of a handler that removes something: ``DELETE`` ``path`` through the API, then
    to ``back`` (by default the workspace the object belonged to, read before it goes) with the
    notice ``done``."""
    async with await Console.open(request) as c:
        target = back or f"/w/{(await c.api.get(path))['workspace_id']}"
        await c.api.call("DELETE", path)
        return redirect(target, done)


def redirect(path: str, done: str | None = None) -> Redirect:
    """303 to ``path`` (a form's result page), with a notice key for the next page."""
    if done:
        path += ("&" if "?" in path else "?") + f"done={quote(done)}"
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)
