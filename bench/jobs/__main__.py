"""``python -m bench.jobs [--jobs 1000] [--tenants 50] [--single 10] [--workers 1,2,4]``:
workers scaling out, and a one-job tenant's wait behind everyone else's backlog.

For each worker count, a fresh PostgreSQL database of its own (uniquely named, dropped at the
end) and a private Redis hold ``--jobs`` jobs of ``--tenants`` tenants: ``--single`` tenants
with one job each, enqueued last (behind every other message), and the rest of the jobs shared
by the other tenants. ``cxsuite worker`` processes (``CXSUITE_WORKER_MAX_JOBS`` slots each, the
per-tenant cap at its default) run a job that waits ``--job-seconds`` (a vendor call: the
worker is idle meanwhile) and then does the job runner's real work (claim, attempt rows,
heartbeat, finish, hand-over). Every message is sent before the workers start. Everything is measured from the database: throughput is jobs
per second between the first start and the last finish; a one-job tenant's wait is its job's
start minus the moment its message was sent (behind all the others), or minus the run's first
start when the workers had not begun yet.

The ceiling in the same run is one worker: the ratio says how much more 2 and 4 workers get
through. On a 2-core machine the job runner's own database work (not the waiting) is what
bounds it: the figures show CPU per job beside throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from bench.databases import bench_database
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.jobs import service
from cxsuite.jobs.queue import build_queue
from cxsuite.jobs.tables import JobAttempt
from cxsuite.settings import Settings, load_settings
from tests.support.records import make_connection_owner
from tests.support.sleep_job import KIND
from tests.support.workers import RedisServer, WorkerProcess, worker_env

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
SECTION = "## Jobs: worker processes scaling out, fair start (`bench/jobs`)"


def bench_settings(url: str, data_dir: Path) -> Settings:
    return load_settings({"CXSUITE_DATABASE_URL": url, "CXSUITE_DATA_DIR": str(data_dir),
                          "CXSUITE_SECRET_KEY": "bench-" + "s" * 40,
                          "CXSUITE_ENCRYPTION_KEYS": "kWZ7pC5QmGd0oU3bq7Qf0hC6m0TJHc0Oe2kqjvVY3yA="})


def plan(jobs: int, tenants: int, single: int) -> list[int]:
    """Jobs per tenant: the busy tenants share what the one-job tenants leave, as evenly as can be."""
    busy = tenants - single
    left = jobs - single
    return [left // busy + (1 if i < left % busy else 0) for i in range(busy)] + [1] * single


async def seed(settings: Settings, counts: list[int]) -> list[tuple[UUID, list[UUID]]]:
    """The tenants and their queued jobs (in the database; not yet sent)."""
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        made = []
        for count in counts:
            tenant_id, _, _ = await make_connection_owner(db)
            ids = [(await service.create(db, tenant_id, kind=KIND, subject_type="bench", subject_id=tenant_id,
                                         workspace_id=None, created_by=None))[0]["id"] for _ in range(count)]
            made.append((tenant_id, ids))
        return made
    finally:
        await db.close()


async def send(settings: Settings, redis_url: str, queue_name: str, made: list[tuple[UUID, list[UUID]]],
               ) -> dict[UUID, datetime]:
    """Every job's message, busy tenants first (interleaved), the one-job tenants last; when
    each one-job tenant's message was sent."""
    sent = {}
    queue = await build_queue(dataclasses.replace(settings, redis_url=redis_url, job_queue=queue_name))
    try:
        busy = [(t, ids) for t, ids in made if len(ids) > 1]
        rounds = max((len(ids) for _, ids in busy), default=0)
        for n in range(rounds):
            for tenant_id, ids in busy:
                if n < len(ids):
                    await queue.enqueue(tenant_id, ids[n])
        for tenant_id, ids in made:
            if len(ids) == 1:
                await queue.enqueue(tenant_id, ids[0])
                sent[tenant_id] = datetime.now(UTC)
    finally:
        await queue.close()
    return sent


async def attempts(settings: Settings, made: list[tuple[UUID, list[UUID]]]) -> dict[UUID, list[dict]]:
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        found = {}
        for tenant_id, _ in made:
            async with db.transaction(tenant_id, write=False):
                found[tenant_id] = await JobAttempt.select().where(JobAttempt.tenant_id == tenant_id).run()
        return found
    finally:
        await db.close()


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def _wait_idle(pids: list[int], timeout: float = 120) -> None:
    """Until the processes have used no CPU to speak of for a second (started, polling)."""
    deadline, last, calm = time.monotonic() + timeout, _cpu_seconds(pids), 0
    while calm < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_seconds(pids)
        calm = calm + 1 if now - last < 0.02 * len(pids) else 0
        last = now


def one_run(args: argparse.Namespace, workers: int) -> dict[str, float]:
    """All jobs through ``workers`` worker processes; throughput and the one-job tenants' waits."""
    counts = plan(args.jobs, args.tenants, args.single)
    with bench_database("jobs") as url, RedisServer() as redis_server:
        settings = bench_settings(url, Path(tempfile.mkdtemp(prefix="cxsuite-bench-jobs-")))
        asyncio.run(run_migrations(settings))
        made = asyncio.run(seed(settings, counts))
        env = worker_env(settings, redis_server.url, {
            "CXSUITE_WORKER_MAX_JOBS": str(args.slots), "CXSUITE_TEST_SLEEP_S": str(args.job_seconds),
            "CXSUITE_JOB_RECONCILE_SECONDS": "600", "CXSUITE_LOG_LEVEL": "WARNING"})
        # Every message is in the queue before any worker starts: sending 1,000 messages on a
        # loaded machine took as long as running them, so sending while the workers ran measured
        # the sender, never a backlog.
        sent = asyncio.run(send(settings, redis_server.url, env["CXSUITE_JOB_QUEUE"], made))
        processes = [WorkerProcess(env, imports=("tests.support.sleep_job",)).start() for _ in range(workers)]
        pids = [p.process.pid for p in processes if p.process]
        try:
            _wait_idle(pids, timeout=3)  # not idle (there is work): a short pause for start-up
            cpu_before, started = _cpu_seconds(pids), time.monotonic()
            while True:
                rows = asyncio.run(attempts(settings, made))
                done = sum(1 for rs in rows.values() for a in rs if a["outcome"] == "succeeded")
                if done >= args.jobs or time.monotonic() - started > args.timeout:
                    break
                time.sleep(1.0)
            cpu = _cpu_seconds(pids) - cpu_before
        finally:
            for process in processes:
                process.stop()
    every = [a for rs in rows.values() for a in rs if a["outcome"] == "succeeded"]
    first = min(a["started_at"] for a in every)
    last = max(a["finished_at"] for a in every)
    # From the run's first start (every message was sent before it).
    waits = sorted(max(0.0, (rows[t][0]["started_at"] - max(sent[t], first)).total_seconds())
                   for t, ids in made if len(ids) == 1 and rows[t])
    span = (last - first).total_seconds()
    return {"workers": workers, "done": len(every), "span_s": span, "per_s": len(every) / span,
            "cpu_ms_per_job": 1000 * cpu / max(len(every), 1),
            "wait_p95_s": waits[max(0, round(0.95 * len(waits)) - 1)] if waits else float("nan"),
            "wait_max_s": max(waits) if waits else float("nan"),
            "wait_median_s": statistics.median(waits) if waits else float("nan")}


def render(rows: list[dict[str, float]], args: argparse.Namespace) -> str:
    day = datetime.now(UTC).date().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    ceiling = rows[0]["per_s"]
    lines = [f"`python -m bench.jobs --jobs {args.jobs} --tenants {args.tenants} --single {args.single} "
             f"--job-seconds {args.job_seconds:g} --slots {args.slots}` — {day}, {machine}, PostgreSQL "
             f"(local), load average at start {args.load}. {args.jobs:,} jobs of {args.tenants} tenants "
             f"({args.single} of them with one job, enqueued behind all the others); each job waits "
             f"{args.job_seconds:g} s (a vendor call) and does the runner's real database work; "
             f"{args.slots} job slots per worker process, at most 2 jobs of one tenant at once.", "",
             "| worker processes | jobs done | first start → last finish | jobs/s | vs 1 worker "
             "| worker CPU per job | one-job tenants' wait: median | p95 | max |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['workers']} | {row['done']:,} | {row['span_s']:.1f} s | {row['per_s']:.1f} | "
                     f"{row['per_s'] / ceiling:.2f}× | {row['cpu_ms_per_job']:.1f} ms | "
                     f"{row['wait_median_s']:.2f} s | {row['wait_p95_s']:.2f} s | {row['wait_max_s']:.2f} s |")
    return "\n".join(lines) + "\n"


def record(block: str) -> None:
    """Append the block under this benchmark's section of bench/RESULTS.md."""
    text = RESULTS.read_text()
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n"
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + block)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--single", type=int, default=10, help="tenants with one job each")
    parser.add_argument("--workers", default="1,2,4", help="worker process counts, first is the ceiling's base")
    parser.add_argument("--slots", type=int, default=8, help="CXSUITE_WORKER_MAX_JOBS per worker")
    parser.add_argument("--job-seconds", type=float, default=0.2, help="each job's wait")
    parser.add_argument("--timeout", type=float, default=600, help="give up on a run after this long")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    args.load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for workers in (int(w) for w in args.workers.split(",")):
        row = one_run(args, workers)
        print(row, flush=True)
        rows.append(row)
    block = render(rows, args)
    print(block)
    if args.record:
        record(block)


if __name__ == "__main__":
    main()
