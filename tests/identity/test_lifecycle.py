"""Passwords, email verification and tokens over their whole life, as a user meets them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from cxsuite.identity.tables import AccountToken, ApiToken
from cxsuite.identity.tokens import forget_principals
from cxsuite.mail.transport import outbox_dir
from tests.support.mail import mails_to, token_in, wait_for_mail
from tests.support.parties import PASSWORD
from tests.support.server import client_from

pytestmark = pytest.mark.anyio
NEW_PASSWORD = "another long passphrase"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(client, email: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def test_changing_the_password_needs_the_current_one_and_ends_every_other_token(client, parties):
    owner = await parties.owner()
    other_session = await login(client, owner.email)
    script = (await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "ci"})).json()["token"]
    wrong = await client.post("/api/v1/auth/password/change", headers=owner.headers,
                              json={"current_password": "not it at all", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.current_password"
    changed = await client.post("/api/v1/auth/password/change", headers=owner.headers,
                                json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200  # this one stays
    for ended in (other_session, script):
        assert (await client.get("/api/v1/me", headers=bearer(ended))).status_code == 401
    assert (await client.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})).status_code == 401
    await login(client, owner.email, NEW_PASSWORD)


async def test_a_reset_answers_the_same_for_unknown_and_pending_emails_and_mails_only_real_accounts(
        client, parties, server):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                      json={"email": "pending@example.test", "role": "client_viewer"})
    answers = [await client.post("/api/v1/auth/password/reset", json={"email": email})
               for email in (owner.email, "nobody@example.test", "pending@example.test")]
    assert {(a.status_code, a.text) for a in answers} == {(202, answers[0].text)}
    mail = wait_for_mail(outbox_dir(server.settings), owner.email, "password_reset")
    assert "30" in mail.get_body(("plain",)).get_content()
    assert mails_to(outbox_dir(server.settings), "nobody@example.test") == []
    assert mails_to(outbox_dir(server.settings), "pending@example.test", "password_reset") == []


async def test_a_reset_link_works_once_and_signs_out_everywhere(client, parties, server):
    owner = await parties.owner()
    await client.post("/api/v1/auth/password/reset", json={"email": owner.email})
    token = token_in(wait_for_mail(outbox_dir(server.settings), owner.email, "password_reset"))
    body = {"token": token, "password": NEW_PASSWORD}
    assert (await client.post("/api/v1/auth/password/reset/confirm", json=body)).status_code == 204
    assert (await client.post("/api/v1/auth/password/reset/confirm", json=body)).status_code == 401
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 401
    await login(client, owner.email, NEW_PASSWORD)


async def test_a_reset_link_expires_after_30_minutes_and_a_newer_one_replaces_it(client, parties, server, db):
    owner = await parties.owner()
    outbox = outbox_dir(server.settings)
    for n in (1, 2):
        await client.post("/api/v1/auth/password/reset", json={"email": owner.email})
        wait_for_mail(outbox, owner.email, "password_reset", n)
    first, second = (token_in(m) for m in mails_to(outbox, owner.email, "password_reset"))
    superseded = await client.post("/api/v1/auth/password/reset/confirm", json={"token": first, "password": NEW_PASSWORD})
    assert superseded.status_code == 401
    async with db.transaction(None):
        row = await AccountToken.select(AccountToken.created_at, AccountToken.expires_at).where(
            AccountToken.used_at.is_null() & (AccountToken.purpose == "password_reset")).first().run()
        assert row["expires_at"] - row["created_at"] == timedelta(minutes=30)
        await AccountToken.update({AccountToken.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
            AccountToken.used_at.is_null()).run()
    expired = await client.post("/api/v1/auth/password/reset/confirm", json={"token": second, "password": NEW_PASSWORD})
    assert expired.status_code == 401


async def test_sign_up_mails_a_verification_link_that_verifies_the_address(client, parties, server):
    owner = await parties.owner()
    outbox = outbox_dir(server.settings)
    assert (await client.get("/api/v1/me", headers=owner.headers)).json()["email_verified"] is False
    resent = await client.post("/api/v1/auth/verify-email", headers=owner.headers)
    assert resent.status_code == 202
    first, second = mails_to(outbox, owner.email, "email_verification")
    assert (await client.post("/api/v1/auth/verify-email/confirm", json={"token": token_in(first)})).status_code == 401
    assert (await client.post("/api/v1/auth/verify-email/confirm", json={"token": token_in(second)})).status_code == 204
    assert (await client.get("/api/v1/me", headers=owner.headers)).json()["email_verified"] is True
    await client.post("/api/v1/auth/verify-email", headers=owner.headers)
    assert len(mails_to(outbox, owner.email, "email_verification")) == 2  # nothing more to verify


async def test_signing_up_with_a_taken_email_reveals_no_account_and_tells_its_owner(client, parties, server):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                      json={"email": "invited@example.test", "role": "client_viewer"})
    taken = [await client.post("/api/v1/signup", json={"tenant_name": "Again", "email": email,
                                                       "password": "someone else's pass"})
             for email in (owner.email, "invited@example.test")]
    assert [t.status_code for t in taken] == [409, 409]
    assert taken[0].json()["detail"] == taken[1].json()["detail"]
    assert "exist" not in taken[0].json()["detail"]
    for email in (owner.email, "invited@example.test"):
        notice = wait_for_mail(outbox_dir(server.settings), email, "signup_attempt")
        assert "/reset-password" in notice.get_body(("plain",)).get_content()
    await login(client, owner.email)  # nothing about the account changed


async def test_a_sign_in_from_a_new_address_is_announced(client, parties, server):
    owner = await parties.owner()
    outbox = outbox_dir(server.settings)
    await login(client, owner.email)  # the address it signed up from
    assert mails_to(outbox, owner.email, "new_login") == []
    async with client_from(server, "127.0.0.4") as elsewhere:
        await login(elsewhere, owner.email)
        await login(elsewhere, owner.email)
    [notice] = mails_to(outbox, owner.email, "new_login")
    assert "127.0.0.4" in notice.get_body(("plain",)).get_content()


async def test_personal_tokens_expire_by_default_and_within_the_maximum(client, parties, settings):
    owner = await parties.owner()
    made = await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "ci"})
    lifetime = datetime.fromisoformat(made.json()["expires_at"]) - datetime.fromisoformat(made.json()["created_at"])
    assert abs(lifetime - timedelta(days=settings.personal_token_days)) < timedelta(seconds=5)
    too_long = await client.post("/api/v1/tokens", headers=owner.headers,
                                 json={"name": "forever", "expires_in_days": settings.personal_token_max_days + 1})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "body.expires_in_days"
    assert "CXSUITE_PERSONAL_TOKEN_MAX_DAYS" in too_long.json()["errors"][0]["reason"]


async def test_an_expired_token_is_refused_and_a_session_slides_only_up_to_its_maximum(client, parties, db, settings):
    owner = await parties.owner()
    tenant = UUID(owner.tenant_id)
    script = (await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "ci"})).json()
    now = datetime.now(UTC)
    async with db.transaction(tenant):
        await ApiToken.update({ApiToken.expires_at: now - timedelta(seconds=1)}).where(
            (ApiToken.tenant_id == tenant) & (ApiToken.id == UUID(script["id"]))).run()
        # the sign-up session: last used long ago, created near its maximum lifetime
        await ApiToken.update({ApiToken.last_used_at: now - timedelta(hours=1),
                               ApiToken.created_at: now - timedelta(hours=settings.session_max_hours - 2)}).where(
            (ApiToken.tenant_id == tenant) & (ApiToken.kind == "session")).run()
    forget_principals(tenant)  # the rows were edited behind the services' back
    assert (await client.get("/api/v1/me", headers=bearer(script["token"]))).status_code == 401
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200
    async with db.transaction(tenant):
        session = await ApiToken.select(ApiToken.created_at, ApiToken.expires_at).where(
            (ApiToken.tenant_id == tenant) & (ApiToken.kind == "session")).first().run()
    assert session["expires_at"] == session["created_at"] + timedelta(hours=settings.session_max_hours)


async def test_a_used_session_slides_forward(client, parties, db, settings):
    owner = await parties.owner()
    tenant = UUID(owner.tenant_id)
    soon = datetime.now(UTC) + timedelta(minutes=10)
    async with db.transaction(tenant):
        await ApiToken.update({ApiToken.expires_at: soon,
                               ApiToken.last_used_at: datetime.now(UTC) - timedelta(hours=1)}).where(
            ApiToken.tenant_id == tenant).run()
    assert (await client.get("/api/v1/me", headers=owner.headers)).status_code == 200
    async with db.transaction(tenant):
        session = await ApiToken.select(ApiToken.expires_at).where(ApiToken.tenant_id == tenant).first().run()
    assert session["expires_at"] > datetime.now(UTC) + timedelta(hours=settings.access_token_ttl_hours - 1)


async def test_tokens_are_listed_without_secrets_and_logout_all_ends_them_all(client, parties):
    owner = await parties.owner()
    second = await login(client, owner.email)
    script = (await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "ci"})).json()
    listed = await client.get("/api/v1/tokens", headers=owner.headers)
    assert {t["kind"] for t in listed.json()["items"]} == {"session", "personal"}
    assert listed.json()["total"] == 3
    for secret in (owner.token, second, script["token"]):
        assert secret not in listed.text
    assert (await client.post("/api/v1/auth/logout-all", headers=bearer(second))).status_code == 204
    for token in (owner.token, second, script["token"]):
        assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401
