"""Delivering a composed message: SMTP in production, an outbox folder on the embedded default.

Sending never fails or blocks the request that caused it: the database change (an invitation,
a reset token) is already committed, so the SMTP conversation runs in a background task with a
few retries. A message that still cannot be delivered is kept as an ``.eml`` file under
``outbox/undelivered/`` and logged at ERROR with that path, so nothing is lost silently and an
operator can resend it. Logs name the kind of message, never its content (which holds tokens).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit
from uuid import uuid4

import aiosmtplib
import anyio

from cxsuite.errors import ConfigurationError
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.mail")

# Delays between delivery attempts; a relay that is down for longer gets the message later
# from the undelivered folder, not from a retry loop that outlives the process.
RETRY_DELAYS_S = (1.0, 4.0, 15.0)
SMTP_TIMEOUT_S = 20.0


class Mailer(Protocol):
    """Hands a message to whatever delivers mail."""

    async def send(self, message: EmailMessage) -> None:
        """Deliver (or queue) ``message``; never raises for delivery trouble."""

    async def close(self) -> None:
        """Finish what is in flight (process shutdown)."""


def kind_of(message: EmailMessage) -> str:
    """The message's kind (``invitation``, ``password_reset``...) for logs and file names."""
    return str(message.get("X-Cxsuite-Kind", "message"))


class OutboxMailer:
    """Writes each message as an ``.eml`` file, so the demo and a newcomer can open them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        """See :class:`Mailer`."""
        try:
            path = await self.write(message)
        except OSError as exc:
            log.error("could not write %s mail to the outbox %s: %s", kind_of(message), self.folder, exc)
            return
        log.info("%s mail written to %s", kind_of(message), path)

    async def write(self, message: EmailMessage) -> Path:
        """Store ``message`` (CRLF line ends, encoded headers: what SMTP would carry)."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{kind_of(message)}-{uuid4().hex[:8]}.eml"
        data = message.as_bytes(policy=SMTP)
        await anyio.to_thread.run_sync(_write_private, path, data)
        return path

    async def close(self) -> None:
        """See :class:`Mailer`."""


def _write_private(path: Path, data: bytes) -> None:
    """The file holds a live link, so only the service's user may read it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)
    path.write_bytes(data)


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to submit mail, parsed from ``CXSUITE_SMTP_URL``."""

    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool


# scheme -> (default port, implicit TLS, STARTTLS required)
_SCHEMES = {"smtp": (25, False, False), "smtps": (465, True, False),
            "smtp+starttls": (587, False, True)}


def smtp_config(url: str) -> SmtpConfig:
    """Parse ``smtp://``, ``smtps://`` or ``smtp+starttls://user:pass@host:port``.

    ``smtp+starttls`` *requires* STARTTLS (``start_tls=True``): aiosmtplib's default would
    upgrade only when the server offers it, which a man in the middle can simply not do.
    """
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES or not parts.hostname:
        raise ConfigurationError("CXSUITE_SMTP_URL must look like smtp://user:pass@host:port, "
                                 "smtps://... or smtp+starttls://...")
    port, use_tls, start_tls = _SCHEMES[parts.scheme]
    return SmtpConfig(parts.hostname, parts.port or port,
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None, use_tls, start_tls)


class SmtpMailer:
    """Submits mail over SMTP from background tasks, keeping what it cannot deliver."""

    def __init__(self, config: SmtpConfig, undelivered: OutboxMailer,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS_S) -> None:
        self.config = config
        self.undelivered = undelivered
        self.retry_delays = retry_delays
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, message: EmailMessage) -> None:
        """See :class:`Mailer`: returns at once; delivery goes on in the background."""
        task = asyncio.get_running_loop().create_task(self._deliver(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, message: EmailMessage) -> None:
        error: Exception | None = None
        for delay in (0.0, *self.retry_delays):
            await asyncio.sleep(delay)
            try:
                await self.submit(message)
            except (aiosmtplib.SMTPException, OSError) as exc:
                error = exc
                log.warning("%s mail not accepted by %s:%s (%s); will retry", kind_of(message),
                            self.config.hostname, self.config.port, type(exc).__name__)
                continue
            log.info("%s mail handed to %s:%s", kind_of(message), self.config.hostname, self.config.port)
            return
        path = await self.undelivered.write(message)
        log.error("%s mail could not be delivered through %s:%s (%s: %s); kept at %s",
                  kind_of(message), self.config.hostname, self.config.port,
                  type(error).__name__, error, path)

    async def submit(self, message: EmailMessage) -> None:
        """One SMTP conversation; raises what aiosmtplib raises."""
        c = self.config
        await aiosmtplib.send(message, hostname=c.hostname, port=c.port, username=c.username,
                              password=c.password, use_tls=c.use_tls, start_tls=c.start_tls,
                              timeout=SMTP_TIMEOUT_S)

    async def close(self) -> None:
        """Wait for deliveries in flight (their retries end in the undelivered folder)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def outbox_dir(settings: Settings) -> Path:
    """``$CXSUITE_DATA_DIR/outbox/``."""
    return settings.data_dir / "outbox"


def build_mailer(settings: Settings) -> Mailer:
    """SMTP when ``CXSUITE_SMTP_URL`` is set, else the outbox folder."""
    if settings.smtp_url:
        return SmtpMailer(smtp_config(settings.smtp_url), OutboxMailer(outbox_dir(settings) / "undelivered"))
    return OutboxMailer(outbox_dir(settings))
