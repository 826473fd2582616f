"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State

from cxsuite.api.readiness import readiness_checks

PUBLIC = {"exclude_from_auth": True, "security": [{}]}


class HealthController(Controller):
    """``/health`` answers while the process runs; ``/health/ready`` checks its dependencies."""

    path = "/health"
    tags = ["health"]

    @get("/", **PUBLIC)
    async def alive(self) -> dict[str, str]:
        """The process is up (no dependency is touched)."""
        return {"status": "ok"}

    @get("/ready", **PUBLIC)
    async def ready(self, state: State) -> Response[dict[str, Any]]:
        """Database (and Redis when configured) reachable; 503 with the failing part otherwise."""
        checks = await readiness_checks(state)
        healthy = all(c.get("status") == "ok" for c in checks.values())
        return Response({"status": "ok" if healthy else "unavailable", "checks": checks},
                        status_code=200 if healthy else 503)
