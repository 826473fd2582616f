"""Following a job over the API, as a client does: read ``/api/v1/jobs/{id}`` until it ends.

One copy for every API test that starts a sync, an import, a score run or a render and needs
what it ended as; a job that does not end in time fails the test naming the job, instead of
the test reading a half-finished state."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

ENDED = ("succeeded", "failed", "cancelled")


async def finished_job(client: httpx.AsyncClient, headers: dict[str, str], job_id: str, *,
                       seconds: float = 60, poll_s: float = 0.1) -> dict[str, Any]:
    """The job as it ended (succeeded, failed or cancelled), read every ``poll_s`` seconds for
    at most ``seconds``."""
    job: dict[str, Any] = {}
    for _ in range(int(seconds / poll_s)):
        job = (await client.get(f"/api/v1/jobs/{job_id}", headers=headers)).json()
        if job["status"] in ENDED:
            return job
        await asyncio.sleep(poll_s)
    raise AssertionError(f"job {job_id} did not finish within {seconds:g} s: {job}")
