"""Delivery for real: through an aiosmtpd server (the token in the received mail works against
the API), into the outbox on the embedded default, and kept when SMTP cannot take it."""

from __future__ import annotations

import logging

import pytest

from cxsuite.errors import ConfigurationError
from cxsuite.mail.messages import compose
from cxsuite.mail.transport import (
    OutboxMailer,
    SmtpConfig,
    SmtpMailer,
    build_mailer,
    outbox_dir,
    smtp_config,
)
from cxsuite.settings import load_settings
from tests.support.mail import mails_to, parse, token_in
from tests.support.parties import PASSWORD
from tests.support.server import free_port

pytestmark = pytest.mark.anyio


async def test_an_invitation_sent_over_smtp_carries_a_token_that_works(client, parties, app_sends_smtp):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    invited = await client.post(f"/api/v1/workspaces/{workspace}/members", headers=owner.headers,
                                json={"email": "smtp.invitee@example.test", "role": "client_admin"})
    assert invited.status_code == 201
    mail = app_sends_smtp.wait_for("smtp.invitee@example.test", "invitation")
    assert mail["From"] == "cxsuite <no-reply@cxsuite.invalid>"
    assert owner.email in mail.get_body(("plain",)).get_content()
    accepted = await client.post("/api/v1/auth/accept-invite", json={
        "invite_token": token_in(mail), "password": PASSWORD})
    assert accepted.status_code == 200
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {accepted.json()['access_token']}"})
    assert me.json()["workspace_roles"] == [{"workspace_id": workspace, "role": "client_admin"}]
    assert me.json()["email_verified"] is True  # the mailed token proved the address


async def test_a_reset_link_sent_over_smtp_sets_the_password_in_the_callers_language(
        client, parties, app_sends_smtp):
    owner = await parties.owner()
    asked = await client.post("/api/v1/auth/password/reset", json={"email": owner.email},
                              headers={"Accept-Language": "fa-IR, en;q=0.5"})
    assert asked.status_code == 202
    mail = app_sends_smtp.wait_for(owner.email, "password_reset")
    assert mail["Content-Language"] == "fa"
    assert 'dir="rtl"' in mail.get_body(("html",)).get_content()
    new = "a brand new passphrase"
    confirmed = await client.post("/api/v1/auth/password/reset/confirm",
                                  json={"token": token_in(mail), "password": new})
    assert confirmed.status_code == 204
    assert (await client.post("/api/v1/auth/token", json={"email": owner.email, "password": new})).status_code == 200


async def test_the_embedded_default_writes_eml_files_and_logs_their_path(client, parties, server, caplog):
    caplog.set_level(logging.INFO, logger="cxsuite.mail")
    owner = await parties.owner()  # sign-up mails a verification link
    [mail] = mails_to(outbox_dir(server.settings), owner.email, "email_verification")
    token = token_in(mail)
    assert mail.get_body(("html",)) is not None
    written = [r.getMessage() for r in caplog.records if "written to" in r.getMessage()]
    assert any(str(outbox_dir(server.settings)) in line for line in written)
    assert all(token not in r.getMessage() for r in caplog.records)


async def test_starttls_is_required_not_opportunistic(smtp_server, tmp_path, caplog):
    controller, inbox = smtp_server  # this server offers no STARTTLS: a downgrade
    config = smtp_config(f"smtp+starttls://{controller.hostname}:{controller.port}")
    assert config.start_tls is True
    mailer = SmtpMailer(config, OutboxMailer(tmp_path), retry_delays=(0.05,))
    message = compose("password_reset", to="ana@example.test", sender="x@example.test", language="en",
                      link="https://cx.example.test/reset-password?token=cxr_secret_value", minutes="30")
    await mailer.send(message)
    await mailer.close()
    assert inbox.received == []
    [kept] = tmp_path.glob("*.eml")
    assert parse(kept.read_bytes())["To"] == "ana@example.test"
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(str(kept) in e for e in errors)
    assert all("cxr_secret_value" not in r.getMessage() for r in caplog.records)


async def test_an_unreachable_server_neither_blocks_the_sender_nor_loses_the_message(tmp_path, caplog):
    mailer = SmtpMailer(SmtpConfig("127.0.0.1", free_port(), None, None, False, False),
                        OutboxMailer(tmp_path), retry_delays=(0.05, 0.05))
    await mailer.send(compose("email_verification", to="bo@example.test", sender="x@example.test",
                              language="lt", link="https://cx.example.test/verify-email?token=t", hours="24"))
    assert list(tmp_path.glob("*.eml")) == []  # still trying in the background
    await mailer.close()
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert sum("will retry" in r.getMessage() for r in caplog.records) == 3


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://relay.example.test", SmtpConfig("relay.example.test", 25, None, None, False, False)),
    ("smtps://me%40x.test:p%3Ass@mail.example.test", SmtpConfig("mail.example.test", 465, "me@x.test", "p:ss", True, False)),
    ("smtp+starttls://u:p@mail.example.test:2525", SmtpConfig("mail.example.test", 2525, "u", "p", False, True)),
])
def test_smtp_urls(url, expected):
    assert smtp_config(url) == expected


def test_the_mailer_follows_the_setting(tmp_path):
    env = {"CXSUITE_DATA_DIR": str(tmp_path), "CXSUITE_SECRET_KEY": "k" * 40}
    assert isinstance(build_mailer(load_settings(env)), OutboxMailer)
    smtp = load_settings({**env, "CXSUITE_SMTP_URL": "smtp+starttls://u:pw@mail.example.test"})
    assert isinstance(build_mailer(smtp), SmtpMailer)
    assert smtp.redacted()["smtp_url"] == "***"
    with pytest.raises(ConfigurationError, match="CXSUITE_SMTP_URL"):
        load_settings({**env, "CXSUITE_SMTP_URL": "http://mail.example.test"})
