"""The fault scenarios: each starts one sync per vendor on worker A, waits until every sync
has committed records, starts worker B, injects its fault, and measures what the database
holds once the jobs settle (or the deadline passes).

Worker B is there so that a killed worker A is not "the whole fleet": the jobs must come back
without anyone restarting anything. Nobody restarts a worker that exits on its own either
(Redis loss must not kill a worker).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench.faults.rig import NAMES, TERMINAL, Rig, Sync, queue_name, wait_until
from bench.faults.services import wait_for_port
from cxsuite.db.session import Database

PROGRESS_WAIT_S = 120.0
MID_SYNC_REQUESTS = 3  # vendor requests a sync has made before the fault is injected


@dataclass
class Options:
    """Knobs of one bench run."""

    vendors: tuple[str, ...]
    outage_s: float = 10.0
    deadline_s: float = 180.0
    budget_wait_s: float = 600.0


@dataclass
class Row:
    """One line of the results table."""

    scenario: str
    vendor: str
    expected: int
    stored: int
    duplicates: int
    gaps: int
    recover_s: float | None
    lost: int
    status: str
    clear: bool = True
    workers_exited: int = 0

    @property
    def ok(self) -> bool:
        """The expected outcome: nothing lost, duplicated or missing, no worker died of the fault
        by itself, and a job that had to give up said why in words the reader can act on."""
        return (self.lost, self.duplicates, self.gaps, self.workers_exited) == (0, 0, 0, 0) and self.clear


Fault = Callable[[Rig, Any, list[Sync], Options], Awaitable[float]]


async def sigkill_worker(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
    """SIGKILL the worker running every sync: no drain, no cleanup."""
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    return time.monotonic()


async def sigterm_worker(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
    """SIGTERM it, as a deploy or a scale-in does; it may drain what it runs."""
    worker.send_signal(signal.SIGTERM)
    return time.monotonic()


async def restart_redis_empty(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
    """Kill the bench's Redis and start it again with nothing in it, 2 s later."""
    rig.redis.stop()
    await asyncio.sleep(2)
    rig.redis.start()
    return time.monotonic()


async def restart_postgres(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
    """Fast-stop the bench's PostgreSQL (every session ends), start it again 3 s later."""
    rig.postgres.stop()
    await asyncio.sleep(3)
    rig.postgres.start()
    return time.monotonic()


def vendor_outage(seconds: float | None = None) -> Fault:
    """The sandbox's port refuses connections for ``seconds`` (default: ``--outage``)."""
    async def outage(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
        rig.sandbox.sandbox.inject("*", "outage", seconds=seconds or options.outage_s)
        await _sandbox_back(rig)
        return time.monotonic()

    return outage


async def outage_past_budget(rig: Rig, worker: Any, syncs: list[Sync], options: Options) -> float:
    """The sandbox stays down until every job has given up (at most ``--budget-wait``)."""
    rig.sandbox.sandbox.inject("*", "outage", seconds=options.budget_wait_s + 60)

    async def all_settled() -> bool:
        jobs = await rig.jobs(syncs)
        return len(jobs) == len(syncs) and all(j["status"] in TERMINAL for j in jobs.values())

    await wait_until(all_settled, options.budget_wait_s, poll_s=1.0)
    rig.sandbox.sandbox.clear_faults()
    await _sandbox_back(rig)
    return time.monotonic()


async def _sandbox_back(rig: Rig) -> None:
    async def back() -> bool:
        return rig.sandbox.sandbox.outage_left() <= 0

    await wait_until(back, 3600, poll_s=0.1)
    port = int(rig.sandbox.base_url.rsplit(":", 1)[1])
    await asyncio.to_thread(wait_for_port, port, True)


@dataclass(frozen=True)
class Scenario:
    """A named fault; ``next_run`` when the expected outcome is "fails now, the next run completes"."""

    name: str
    fault: Fault
    fast: bool
    next_run: bool = False
    kills_worker: bool = False


def scenarios(outage_s: float) -> dict[str, Scenario]:
    """Every scenario by name, in the order the bench runs them."""
    return {s.name: s for s in (
        Scenario("sigkill-worker", sigkill_worker, fast=True, kills_worker=True),
        Scenario("sigterm-worker", sigterm_worker, fast=False, kills_worker=True),
        Scenario("redis-restart-empty", restart_redis_empty, fast=False),
        Scenario("postgres-restart", restart_postgres, fast=False),
        Scenario(f"vendor-outage-{outage_s:g}s", vendor_outage(), fast=True),
        Scenario("vendor-outage-60s", vendor_outage(60), fast=False),
        Scenario("vendor-outage-past-budget", outage_past_budget, fast=False, next_run=True),
    )}


async def run(rig: Rig, scenario: Scenario, options: Options) -> list[Row]:
    """One scenario over every vendor at once; one row per vendor."""
    queue = queue_name()
    syncs = await rig.prepare(options.vendors, queue)
    first = rig.start_worker(queue)  # after the jobs exist: its start-up sweep would race their set-up

    async def all_mid_sync() -> bool:
        jobs = await rig.jobs(syncs)
        return all(jobs.get(s.job_id, {}).get("status") in TERMINAL or (
            jobs.get(s.job_id, {}).get("status") == "running"
            and len(rig.sandbox.sandbox.requests(s.vendor)) >= MID_SYNC_REQUESTS) for s in syncs)

    await wait_until(all_mid_sync, PROGRESS_WAIT_S, poll_s=0.05)
    rig.start_worker(queue)
    before = await rig.jobs(syncs)
    fault_ended = await scenario.fault(rig, first, syncs, options)
    finished_at = await _settle(rig, syncs, options.deadline_s)
    jobs = await rig.jobs(syncs)
    early = {s.vendor: before.get(s.job_id, {}).get("status", "queued") for s in syncs}
    outcome = {s.vendor: _status(jobs.get(s.job_id)) for s in syncs}
    clear = dict.fromkeys(outcome, True)
    if scenario.next_run:
        clear = {s.vendor: _gave_up_clearly(jobs.get(s.job_id)) for s in syncs}
        syncs = await _next_run(rig, syncs, queue)
        finished_at = await _settle(rig, syncs, options.deadline_s)
        jobs = await rig.jobs(syncs)
        outcome = {s.vendor: f"{outcome[s.vendor]} → next run {_status(jobs.get(s.job_id))}" for s in syncs}
    exited = sum(w.poll() is not None for w in rig.workers if not (scenario.kills_worker and w is first))
    workers_note = f"; {exited} worker(s) exited by themselves" if exited else ""
    rows = []
    for sync in syncs:
        found, duplicates = await rig.stored(sync.tenant_id, sync.connection_id)
        job = jobs.get(sync.job_id) or {}
        done = finished_at.get(sync.job_id)
        was = early[sync.vendor]
        status = outcome[sync.vendor] + ("" if was == "running" else f" (was {was} when the fault came)")
        status += workers_note
        rows.append(Row(scenario.name, NAMES[sync.vendor], len(sync.expected), len(found), duplicates,
                        len(sync.expected - found), None if done is None else max(0.0, done - fault_ended),
                        0 if job.get("status") == "succeeded" else 1, status, clear[sync.vendor], exited))
    rig.stop_workers()
    return rows


async def _settle(rig: Rig, syncs: list[Sync], seconds: float) -> dict[Any, float]:
    """Poll the job rows until all are terminal or ``seconds`` pass; when each finished."""
    finished: dict[Any, float] = {}

    async def all_done() -> bool:
        for job_id, job in (await rig.jobs(syncs)).items():
            if job["status"] in TERMINAL and job_id not in finished:
                finished[job_id] = time.monotonic()
        return len(finished) == len(syncs)

    await wait_until(all_done, seconds)
    return {job_id: at for job_id, at in finished.items()
            if (await rig.jobs(syncs)).get(job_id, {}).get("status") == "succeeded"}


async def _next_run(rig: Rig, syncs: list[Sync], queue: str) -> list[Sync]:
    """The next scheduled run of each connection: a new job, on the same connection."""
    settings = rig.settings(CXSUITE_JOB_QUEUE=queue)
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        following = [Sync(s.vendor, s.tenant_id, s.connection_id,
                          await rig.new_job(db, s.tenant_id, s.connection_id), s.expected) for s in syncs]
    finally:
        await db.close()
    await rig.enqueue(settings, following)
    return following


def _gave_up_clearly(job: dict[str, Any] | None) -> bool:
    """Whether a job that outlived its retry budget failed with a message that names the cause
    (not the generic one an unexpected error gets)."""
    return bool(job) and job["status"] == "failed" and "unexpected error" not in (job["error"] or "")


def _status(job: dict[str, Any] | None) -> str:
    if job is None:
        return "missing"
    error = (job.get("error") or "").replace("\n", " ")
    return job["status"] + (f" ({error[:90]})" if error and job["status"] != "succeeded" else "")
