"""Signing up, in and out, passwords, invitations, email confirmation and the language."""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery

from cxsuite.console.api import ApiError
from cxsuite.console.context import Console, redirect
from cxsuite.console.forms import FormState, form_of, refusable
from cxsuite.console.i18n import LANGUAGE_COOKIE, LANGUAGES
from cxsuite.console.messages import CHOOSE_CONSULTANCY
from cxsuite.console.session import clear_session, secure_cookies, session_token, set_session


def _safe_next(target: str | None) -> str:
    """Only paths on this site (never ``//evil.example``) are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


async def _start_session(c: Console, issued: dict[str, Any], target: str) -> Response[Any]:
    """A fresh token in the cookie; the one the browser came with (if any) is revoked."""
    old = session_token(c.request)
    if old and c.me is not None:
        with contextlib.suppress(ApiError):
            await c.api.post("/auth/revoke")
    response = redirect(_safe_next(target))
    set_session(c.request, response, issued["access_token"], issued.get("expires_at"))
    return response


class AuthPages(Controller):
    """Pages anyone can open."""

    @get("/signin")
    async def signin_form(self, request: Request, next: FromQuery[str | None] = None,
                          switch: FromQuery[int | None] = None) -> Response[str]:
        """The sign-in form (someone already signed in goes straight on, unless switching to
        another consultancy: signing in again with it issues a session there)."""
        async with await Console.open(request, signed_in=False) as c:
            if c.me is not None and not switch:
                return redirect(_safe_next(next))
            return c.page("signin.html", form=FormState({"next": next or ""}))

    @post("/signin")
    async def signin(self, request: Request) -> Response[Any]:
        """Exchange email and password for a session; errors stay on the form."""
        values = await form_of(request)
        async with await Console.open(request, signed_in=False) as c:
            body = {"email": values.get("email", ""), "password": values.get("password", "")}
            if values.get("tenant_id"):
                body["tenant_id"] = values["tenant_id"]
            try:
                issued = await c.api.post("/auth/token", body)
            except ApiError as error:
                if not refusable(error):
                    raise
                form = FormState.refused(values, error, known=("email", "password", "tenant_id"))
                # Someone in several consultancies chooses one by name (this is also how they
                # switch); the API names the choices beside its reason.
                choices = sorted(error.choices.get("tenant_id", []), key=lambda c: c[1].casefold())
                if choices:
                    form = FormState({**form.values, "tenant_choices": choices}, {},
                                     c.translate(CHOOSE_CONSULTANCY))
                return c.page("signin.html", status_code=error.status, form=form)
            return await _start_session(c, issued, values.get("next", "/"))

    @get("/signup")
    async def signup_form(self, request: Request) -> Response[str]:
        """A new consultancy and its owner."""
        async with await Console.open(request, signed_in=False) as c:
            return c.page("signup.html", form=FormState())

    @post("/signup")
    async def signup(self, request: Request) -> Response[Any]:
        """Create the consultancy, then sign its owner in."""
        values = await form_of(request)
        async with await Console.open(request, signed_in=False) as c:
            try:
                made = await c.api.post("/signup", {k: values.get(k, "") for k in
                                                    ("tenant_name", "email", "password")})
            except ApiError as error:
                if not refusable(error):
                    raise
                return c.page("signup.html", status_code=error.status, form=FormState.refused(
                    values, error, known=("tenant_name", "email", "password")))
            return await _start_session(c, {"access_token": made["access_token"]}, "/?done=signed-up")

    @post("/signout")
    async def signout(self, request: Request) -> Response[Any]:
        """Revoke this browser's token and forget it."""
        async with await Console.open(request, signed_in=False) as c:
            if c.me is not None:
                await c.api.post("/auth/revoke")
            response = redirect("/signin", "signed-out")
            clear_session(request, response)
            return response

    @get("/reset-password")
    async def reset_form(self, request: Request, token: FromQuery[str | None] = None) -> Response[str]:
        """Ask for a reset link, or (with the mailed token) choose the new password."""
        async with await Console.open(request, signed_in=False) as c:
            return c.page("reset.html", token=token or "", form=FormState())

    @post("/reset-password")
    async def reset(self, request: Request) -> Response[Any]:
        """Mail a link (same answer whether or not the account exists), or set the password."""
        values = await form_of(request)
        async with await Console.open(request, signed_in=False) as c:
            token = values.get("token", "")
            try:
                if token:
                    await c.api.post("/auth/password/reset/confirm",
                                     {"token": token, "password": values.get("password", "")})
                    return redirect("/signin", "password-set")
                await c.api.post("/auth/password/reset", {"email": values.get("email", "")})
                return redirect("/signin", "reset-sent")
            except ApiError as error:
                if not refusable(error):
                    raise
                return c.page("reset.html", status_code=error.status, token=token,
                              form=FormState.refused(values, error, known=("email", "password", "token")))

    @get("/accept-invitation")
    async def invitation_form(self, request: Request, token: FromQuery[str | None] = None) -> Response[str]:
        """The page the invitation mail links to."""
        async with await Console.open(request, signed_in=False) as c:
            return c.page("accept.html", token=token or "", form=FormState())

    @post("/accept-invitation")
    async def accept(self, request: Request) -> Response[Any]:
        """Redeem the invitation (a new person sets a password) and sign in."""
        values = await form_of(request)
        async with await Console.open(request, signed_in=False) as c:
            try:
                issued = await c.api.post("/auth/accept-invite", {
                    "invite_token": values.get("token", ""), "password": values.get("password") or None})
            except ApiError as error:
                if not refusable(error):
                    raise
                return c.page("accept.html", status_code=error.status, token=values.get("token", ""),
                              form=FormState.refused(values, error, known=("password", "invite_token")))
            return await _start_session(c, issued, "/")

    @get("/verify-email")
    async def verify(self, request: Request, token: FromQuery[str | None] = None) -> Response[str]:
        """Show a button that confirms the address (a GET must not change anything)."""
        async with await Console.open(request, signed_in=False) as c:
            return c.page("verify.html", token=token or "", form=FormState())

    @post("/verify-email")
    async def verify_confirm(self, request: Request) -> Response[Any]:
        """Confirm the address with the mailed token."""
        values = await form_of(request)
        async with await Console.open(request, signed_in=False) as c:
            try:
                await c.api.post("/auth/verify-email/confirm", {"token": values.get("token", "")})
            except ApiError as error:
                if not refusable(error):
                    raise
                return c.page("verify.html", status_code=error.status, token=values.get("token", ""),
                              form=FormState.refused(values, error, known=("token",)))
            return redirect("/", "email-verified")

    @post("/language")
    async def language(self, request: Request) -> Response[Any]:
        """Remember the chosen language for a year and go back to the page."""
        values = await form_of(request)
        chosen = values.get("language", "")
        response = redirect(_safe_next(values.get("next")))
        if chosen in LANGUAGES:
            response.set_cookie(Cookie(key=LANGUAGE_COOKIE, value=chosen, path="/", httponly=True,
                                       samesite="lax", secure=secure_cookies(request),
                                       max_age=365 * 24 * 3600))
        return response
