"""Guards: the coarse, role-only half of authorisation, checked before a handler runs.

The object-level half (is this workspace visible to the caller?) runs in services through
:func:`cxsuite.access.permissions.require_in_workspace`, once the object's workspace is known.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from cxsuite.access.permissions import DESCRIPTIONS, Action, can_ever
from cxsuite.errors import Forbidden

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


def requires(action: Action) -> Guard:
    """A guard refusing callers none of whose roles permits ``action`` anywhere.

    A coroutine, though it never waits: Litestar runs a plain-function guard in a worker
    thread, and handing every request to the thread pool and back was a third of the
    workspace list's server time (py-spy, bench/RESULTS.md)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if not can_ever(connection.user, action):
            raise Forbidden(f"your role may not {DESCRIPTIONS[action]}")

    guard.__name__ = f"requires_{action.value.replace('.', '_')}"
    return guard
