"""Which account mail goes out, with which link: the identity side of :mod:`cxsuite.mail`.

Links point at the console pages under ``CXSUITE_PUBLIC_BASE_URL`` (``/accept-invitation``,
``/reset-password``, ``/verify-email``), which post the token to the API's confirm endpoints.
Mail is sent after the change it announces has committed, and a delivery problem never fails
the request: the mailer logs it (without the token) and keeps the message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from cxsuite.mail.messages import compose, localiser
from cxsuite.mail.transport import Mailer
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.identity")

INVITATION_PAGE = "/accept-invitation"
RESET_PAGE = "/reset-password"
VERIFY_PAGE = "/verify-email"


@dataclass(frozen=True)
class Notifier:
    """Sends account mail in the language of the request that caused it."""

    mailer: Mailer
    settings: Settings
    language: str = "en"

    def link(self, page: str, token: str | None = None) -> str:
        """An absolute console link, with the token in its query when there is one."""
        query = f"?{urlencode({'token': token})}" if token else ""
        return f"{self.settings.public_base_url}{page}{query}"

    async def send(self, kind: str, to: str, link: str | None = None, **values: object) -> None:
        """Compose and hand over one message; never raises."""
        try:
            message = compose(kind, to=to, sender=self.settings.mail_from, language=self.language,
                              link=link, **values)
            await self.mailer.send(message)
        except Exception:
            log.exception("could not send %s mail", kind)

    def number(self, value: int) -> str:
        """A count the way the recipient writes it."""
        return localiser(self.language).number(value)

    def moment(self, value: datetime) -> str:
        """A timestamp the way the recipient writes it."""
        return localiser(self.language).datetime(value)
