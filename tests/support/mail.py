"""Reading the mail the app sent: ``.eml`` files in the outbox, or what an SMTP server got."""

from __future__ import annotations

import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

LINK = re.compile(r"https?://\S+")


def parse(raw: bytes) -> EmailMessage:
    """A message as a mail client would read it."""
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def mails_to(outbox: Path, to: str, kind: str | None = None) -> list[EmailMessage]:
    """Every message in ``outbox`` for ``to`` (of ``kind``), oldest first."""
    found = []
    for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
        message = parse(path.read_bytes())
        if message["To"] == to and (kind is None or message["X-Cxsuite-Kind"] == kind):
            found.append(message)
    return found


def wait_for_mail(outbox: Path, to: str, kind: str, count: int = 1, timeout: float = 10) -> EmailMessage:
    """The ``count``-th message of ``kind`` for ``to``, waiting for background sends."""
    deadline = time.monotonic() + timeout
    while True:
        found = mails_to(outbox, to, kind)
        if len(found) >= count:
            return found[count - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no {kind} mail #{count} for {to} in {outbox}")
        time.sleep(0.05)


def link_in(message: EmailMessage) -> str:
    """The action link of a message (from its plain-text part)."""
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    links = LINK.findall(text)
    assert links, f"no link in {message['Subject']!r}"
    return links[0]


def token_in(message: EmailMessage) -> str:
    """The token carried by the message's link."""
    return parse_qs(urlsplit(link_in(message)).query)["token"][0]
