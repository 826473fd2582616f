"""The checks behind ``/health/ready``: each returns ``{"status": "ok" | "error", ...}``.

Other domains (the job workers) add their own check through :func:`register_check`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.datastructures import State

Check = Callable[[State], Awaitable[dict[str, Any]]]
_CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Add a readiness check; the name appears in the response."""
    _CHECKS[name] = check


async def readiness_checks(state: State) -> dict[str, dict[str, Any]]:
    """Run every check; an exception becomes an error entry with its class name, not its text."""
    results: dict[str, dict[str, Any]] = {}
    for name, check in _CHECKS.items():
        try:
            results[name] = await check(state)
        except Exception as exc:  # a probe must answer, whatever broke
            results[name] = {"status": "error", "error": type(exc).__name__}
    return results


async def database_check(state: State) -> dict[str, Any]:
    """The database answers a trivial query."""
    await state.db.ping()
    return {"status": "ok", "engine": state.db.engine.engine_type}


async def redis_check(state: State) -> dict[str, Any]:
    """Redis answers PING, when configured."""
    if state.redis is None:
        return {"status": "ok", "configured": False}
    await state.redis.ping()
    return {"status": "ok", "configured": True}


register_check("database", database_check)
register_check("redis", redis_check)
