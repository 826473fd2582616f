"""What the tenant owner's operator page shows: jobs across workspaces and the plugins.

Jobs come from the API (each workspace's job list, the same guard as anywhere else);
plugins from the running process's plugin manager, the same object ``cxsuite plugins list``
reads.
"""

from __future__ import annotations

from typing import Any

from cxsuite.console.context import Console
from cxsuite.plugin_manager import Plugins

SHOWN_STATUSES = ("queued", "running", "waiting", "failed")


async def job_overview(c: Console) -> list[dict[str, Any]]:
    """Unfinished and failed jobs of every workspace, newest first, with the workspace name."""
    body = await c.api.get("/workspaces", limit=100)
    rows: list[dict[str, Any]] = []
    for ws in body.get("items", []):
        for status in SHOWN_STATUSES:
            jobs = await c.api.get(f"/workspaces/{ws['id']}/jobs", status=status, limit=50)
            rows.extend({**job, "workspace_name": ws["name"]} for job in jobs.get("items", []))
    return sorted(rows, key=lambda j: j["created_at"], reverse=True)


def plugin_overview(plugins: Plugins) -> dict[str, Any]:
    """Loaded plugin names, installed connectors, and every problem reported while loading."""
    connectors = plugins.connectors()
    return {"loaded": plugins.names(), "connectors": sorted(connectors),
            "problems": [{"plugin": p.plugin, "problem": p.problem} for p in plugins.problems]}
