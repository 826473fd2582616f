"""Running a job in the foreground from the CLI, with a progress bar, through the same
runner and job row as a background job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.kinds import Resources
from cxsuite.jobs.queue import InlineQueue
from cxsuite.jobs.registered import register_all
from cxsuite.jobs.schemas import TERMINAL, JobOut, to_out
from cxsuite.plugin_manager import build_plugins
from cxsuite.settings import Settings

POLL_S = 0.2


@asynccontextmanager
async def local_resources(settings: Settings) -> AsyncIterator[Resources]:
    """Database, plugins and an in-process queue for a CLI command."""
    register_all()
    db = Database.from_url(settings.database_url)
    await db.start()
    queue = InlineQueue()
    resources = Resources(db, settings, build_plugins(), None, queue)
    queue.bind(resources)
    try:
        yield resources
    finally:
        await queue.close()
        await db.close()


async def run_with_progress(resources: Resources, tenant_id: UUID, job_id: UUID, label: str,
                            console: Console) -> JobOut:
    """Run the job here and draw its progress and counts until it ends."""
    queue = resources.queue
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>5.1f}%"),
                  TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task(label, total=1.0, counts="")
        await queue.enqueue(tenant_id, job_id)
        while True:
            job = await _read(resources.db, tenant_id, job_id)
            bar.update(task, completed=job.progress, counts=_counts(job.counts))
            if job.status in TERMINAL:
                break
            await asyncio.sleep(POLL_S)
    await queue.drain()
    return job


async def _read(db: Database, tenant_id: UUID, job_id: UUID) -> JobOut:
    async with db.transaction(tenant_id, write=False):
        return to_out(await service.read(tenant_id, job_id))


def _counts(counts: dict[str, Any]) -> str:
    shown = ("stream", "read", "written", "skipped", "failed")
    return "  ".join(f"{k} {counts[k]}" for k in shown if k in counts)
