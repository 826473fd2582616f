"""The console's security over plain HTTP against the served app: cookie flags, CSRF on every
form, a fresh session token at each sign-in, sign-out revoking it, headers, and messages per
role. (The browser journeys are in tests/browser.)"""

from __future__ import annotations

import re

import httpx
import pytest

from cxsuite.console.routes import CONSOLE_POLICY
from cxsuite.console.session import CSRF_COOKIE, SESSION_COOKIE
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def _csrf(http: httpx.AsyncClient, path: str = "/signin") -> str:
    page = await http.get(path)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


async def _sign_in(http: httpx.AsyncClient, email: str, form_page: str = "/signin") -> httpx.Response:
    token = await _csrf(http, form_page)
    return await http.post("/signin", data={"_csrf_token": token, "email": email, "password": PASSWORD})


async def test_session_cookie_is_httponly_lax_and_rotates_on_sign_in(server, parties) -> None:
    owner = await parties.owner()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        http.cookies.set(SESSION_COOKIE, "cxs_planted-by-an-attacker", domain="127.0.0.1")
        signed = await _sign_in(http, owner.email)
        assert signed.status_code == 303, signed.text
        cookie = next(h for h in signed.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
        first = http.cookies.get(SESSION_COOKIE)
        assert first and first != "cxs_planted-by-an-attacker"
        assert (await http.get("/account")).status_code == 200
        again = await _sign_in(http, owner.email, form_page="/account")
        assert again.status_code == 303
        second = http.cookies.get(SESSION_COOKIE)
        assert second != first
        old = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"})
        assert old.status_code == 401, "the session the browser came with is revoked at sign-in"


async def test_every_form_needs_the_csrf_token(server, parties) -> None:
    owner = await parties.owner()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        refused = await http.post("/signin", data={"email": owner.email, "password": PASSWORD})
        assert refused.status_code == 403 and SESSION_COOKIE not in refused.cookies
        assert await _sign_in(http, owner.email)
        forged = await http.post("/workspaces", data={"name": "Forged", "_csrf_token": "x" * 64})
        assert forged.status_code == 403
        assert "expired" in forged.text
        listed = await http.get("/api/v1/workspaces", headers={
            "Authorization": f"Bearer {http.cookies.get(SESSION_COOKIE)}"})
        assert listed.json()["items"] == []


async def test_csrf_cookie_is_httponly(server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/signin")
        cookie = next(h for h in page.headers.get_list("set-cookie") if h.startswith(CSRF_COOKIE + "="))
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


async def test_pages_carry_a_csp_without_inline_scripts(server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/signin")
        assert page.headers["content-security-policy"] == CONSOLE_POLICY
        assert "'unsafe-inline'" not in CONSOLE_POLICY and "form-action 'self'" in CONSOLE_POLICY
        assert "<script>" not in page.text and " on" + "click=" not in page.text
        assert page.headers["cache-control"] == "no-store"


async def test_sign_out_revokes_the_session(server, parties) -> None:
    owner = await parties.owner()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await _sign_in(http, owner.email)
        token = http.cookies.get(SESSION_COOKIE)
        csrf = await _csrf(http, "/account")
        out = await http.post("/signout", data={"_csrf_token": csrf})
        assert out.status_code == 303 and out.headers["location"].startswith("/signin")
        assert (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401
        assert (await http.get("/account")).status_code == 303


async def test_pages_need_a_session_and_come_back_after_sign_in(server) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = await http.get("/account")
        assert page.status_code == 303 and page.headers["location"] == "/signin?next=/account"


async def test_sign_in_never_follows_an_outside_next(server, parties) -> None:
    owner = await parties.owner()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        token = await _csrf(http)
        signed = await http.post("/signin", data={"_csrf_token": token, "email": owner.email,
                                                  "password": PASSWORD, "next": "//evil.example/x"})
        assert signed.headers["location"] == "/"


async def test_wrong_password_is_shown_next_to_the_form_not_as_a_crash(server, parties) -> None:
    owner = await parties.owner()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        token = await _csrf(http)
        page = await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": "nope"})
        assert page.status_code in (400, 401) and 'role="alert"' in page.text
        assert "nope" not in page.text, "passwords are never echoed back"


async def test_a_client_hears_what_a_client_can_do(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await _sign_in(http, viewer.email)
        page = await http.get("/audit")
        assert page.status_code == 403
        assert "Ask your consultant" in page.text
        assert "audit.read" not in page.text and "Traceback" not in page.text


async def test_the_session_cookie_is_secure_under_https(server, parties) -> None:
    """Behind a TLS-terminating proxy (the test server trusts its loopback peer, as
    ``cxsuite serve`` does by default) the cookie gets ``Secure``."""
    owner = await parties.owner()
    https = {"X-Forwarded-Proto": "https"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=https) as http:
        signed = await _sign_in(http, owner.email)
        cookie = next(h for h in signed.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
        assert "Secure" in cookie
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        signed = await _sign_in(http, owner.email)
        cookie = next(h for h in signed.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
        assert "Secure" not in cookie, "plain HTTP on loopback (development) keeps working"
