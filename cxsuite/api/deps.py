"""Dependencies every handler can ask for by name: ``db``, ``settings``, ``principal``,
``actor``, ``page``, ``keyset_page`` and ``notifier``."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from cxsuite.access.principal import Principal
from cxsuite.api.pagination import provide_keyset_page, provide_page
from cxsuite.audit.service import Actor
from cxsuite.db.session import Database
from cxsuite.identity.notices import Notifier
from cxsuite.mail.messages import negotiate_language
from cxsuite.settings import Settings


def provide_db(state: State) -> Database:
    """The process's database handle."""
    return state.db


def provide_settings(state: State) -> Settings:
    """The process's settings."""
    return state.settings


def provide_principal(request: Request) -> Principal:
    """The authenticated caller (set by the bearer-token middleware)."""
    return request.user


def client_ip(request: Request) -> str:
    """The peer address; behind a proxy, run uvicorn with ``--proxy-headers`` so this is real."""
    return request.client.host if request.client else ""


def provide_actor(request: Request) -> Actor:
    """Who acts and from where, for the audit log."""
    user = request.scope.get("user")
    return Actor(user.user_id if isinstance(user, Principal) else None, client_ip(request))


def provide_notifier(request: Request) -> Notifier:
    """Account mail through the app's mailer, in the caller's ``Accept-Language``."""
    return Notifier(request.app.state.mailer, request.app.state.settings,
                    negotiate_language(request.headers.get("accept-language")))


DEPENDENCIES = {
    "db": Provide(provide_db, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "principal": Provide(provide_principal, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "page": Provide(provide_page, sync_to_thread=False),
    "notifier": Provide(provide_notifier, sync_to_thread=False),
    "keyset_page": Provide(provide_keyset_page, sync_to_thread=False),
}
