"""A real SMTP server (aiosmtpd) in-process on a free loopback port, and the served app
switched to deliver through it."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from cxsuite.mail.transport import build_mailer
from tests.support.mail import parse
from tests.support.server import LiveServer, free_port


class Inbox:
    """What the SMTP server accepted: envelope recipients and the parsed message."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.received.append((list(envelope.rcpt_tos), parse(envelope.content)))  # type: ignore[arg-type]
        return "250 OK"

    def wait_for(self, to: str, kind: str, timeout: float = 15) -> EmailMessage:
        """The first message of ``kind`` delivered to ``to``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, message in self.received:
                if to in recipients and message["X-Cxsuite-Kind"] == kind:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no {kind} mail for {to} reached the SMTP server")


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """An SMTP server on 127.0.0.1 (port chosen first: aiosmtpd's port 0 fails its own
    readiness check) that offers no STARTTLS."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def app_sends_smtp(server: LiveServer, smtp_server) -> Iterator[Inbox]:
    """The served app delivering through the test's SMTP server, as CXSUITE_SMTP_URL says."""
    controller, inbox = smtp_server
    url = f"smtp://{controller.hostname}:{controller.port}"
    before = server.app.state.mailer
    server.app.state.mailer = build_mailer(dataclasses.replace(server.settings, smtp_url=url))
    yield inbox
    server.app.state.mailer = before
