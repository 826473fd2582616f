"""``/health/ready`` entries for the job system: worker liveness and queue depth.

arq workers write a health-check key every 15 s; a key older than that (or missing) means no
worker is alive to take jobs. Queue depth is both Redis's view (messages waiting) and the
database's (jobs queued), which differ when the reconciler has work to do.
"""

from __future__ import annotations

from typing import Any

from litestar.datastructures import State

from cxsuite.api.readiness import register_check
from cxsuite.jobs.queue import ArqQueue

HEALTH_KEY_SUFFIX = ":health-check"


async def workers_check(state: State) -> dict[str, Any]:
    """Worker heartbeat and queue depth, when jobs go through Redis."""
    queue = state.queue
    if not isinstance(queue, ArqQueue):
        return {"status": "ok", "mode": "in-process"}
    health = await queue.pool.get(queue.queue_name + HEALTH_KEY_SUFFIX)
    depth = await queue.depth()
    if health is None:
        return {"status": "error", "error": "no worker has reported in the last 15 s", "queue_depth": depth}
    return {"status": "ok", "mode": "arq", "queue_depth": depth, "worker": health.decode()[:200]}


register_check("workers", workers_check)
