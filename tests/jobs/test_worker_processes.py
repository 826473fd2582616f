"""Real arq worker processes on real Redis: a worker SIGKILLed mid-sync is replaced and the
sync resumes from its checkpoint with exactly the records of an uninterrupted one; a job whose
Redis message was lost is found by the reconciler; duplicate messages run the job once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import anyio
import pytest

from cxsuite.db.session import Database
from cxsuite.jobs.queue import build_queue
from tests.support.server import sandbox_settings
from tests.support.syncs import expected, hubspot_connection, job_row, stored, wait_until, written

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
CXSUITE = str(Path(sys.executable).with_name("cxsuite"))
STALE_S = 3


@pytest.fixture
def worker_env(settings, slow_sandbox):
    queue = f"cxsuite:test:{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CXSUITE_DATABASE_URL": settings.database_url, "CXSUITE_DATA_DIR": str(settings.data_dir),
           "CXSUITE_SECRET_KEY": settings.secret_key, "CXSUITE_ENCRYPTION_KEYS": ",".join(settings.encryption_keys),
           "CXSUITE_REDIS_URL": "redis://127.0.0.1:6379/0", "CXSUITE_JOB_QUEUE": queue,
           "CXSUITE_JOB_STALE_SECONDS": str(STALE_S), **sandbox_settings(slow_sandbox)}
    yield env
    import redis

    client = redis.Redis.from_url(env["CXSUITE_REDIS_URL"])
    for key in client.scan_iter(f"{queue}*"):
        client.delete(key)
    client.close()


def worker_settings(settings, env):
    import dataclasses

    return dataclasses.replace(settings, redis_url=env["CXSUITE_REDIS_URL"], job_queue=env["CXSUITE_JOB_QUEUE"],
                               connector_allowed_hosts=(env["CXSUITE_CONNECTOR_ALLOWED_HOSTS"],),
                               oauth_clients=json.loads(env["CXSUITE_OAUTH_CLIENTS"]))


def start_worker(env: dict, burst: bool = False) -> subprocess.Popen:
    args = [CXSUITE, "worker"] + (["--burst"] if burst else [])
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


async def test_sigkilled_worker_is_replaced_and_the_sync_resumes_without_duplicates_or_gaps(
        settings, worker_env, slow_sandbox):
    db = Database.from_url(settings.database_url)
    tenant_id, connection_id, job_id = await hubspot_connection(db, settings, slow_sandbox)
    queue = await build_queue(worker_settings(settings, worker_env))
    await queue.enqueue(tenant_id, job_id)
    first = start_worker(worker_env)
    try:
        async def some_committed():
            return written(await job_row(db, tenant_id, job_id)) > 0
        await wait_until(some_committed, 60, "the first batches")
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    partial = await stored(db, tenant_id, connection_id)
    assert (await job_row(db, tenant_id, job_id))["status"] == "running"  # left behind by the dead worker
    assert sum(map(len, partial.values())) < sum(map(len, expected(slow_sandbox).values()))
    await anyio.sleep(STALE_S + 1)
    second = start_worker(worker_env)
    try:
        async def finished():
            row = await job_row(db, tenant_id, job_id)
            return row if row["status"] in ("succeeded", "failed") else None
        row = await wait_until(finished, 120, "the resumed sync")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
        await queue.close()
    assert row["status"] == "succeeded", row["error"]
    assert row["attempts"] == 2
    assert await stored(db, tenant_id, connection_id) == expected(slow_sandbox)


async def test_a_job_redis_lost_is_found_by_the_reconciler_and_duplicates_run_once(settings, worker_env, slow_sandbox):
    db = Database.from_url(settings.database_url)
    lost_tenant, lost_connection, lost = await hubspot_connection(db, settings, slow_sandbox)  # never enqueued
    dup_tenant, _, duplicated = await hubspot_connection(db, settings, slow_sandbox)
    queue = await build_queue(worker_settings(settings, worker_env))
    for _ in range(3):
        await queue.enqueue(dup_tenant, duplicated)
    await queue.close()
    worker = start_worker(worker_env, burst=True)
    output, _ = await anyio.to_thread.run_sync(lambda: worker.communicate(timeout=180))
    assert worker.returncode == 0, output.decode()[-3000:]
    lost_row = await job_row(db, lost_tenant, lost)
    assert lost_row["status"] == "succeeded", lost_row["error"]
    assert await stored(db, lost_tenant, lost_connection) == expected(slow_sandbox)
    dup_row = await job_row(db, dup_tenant, duplicated)
    assert (dup_row["status"], dup_row["attempts"]) == ("succeeded", 1)


async def test_inline_mode_and_cli_run_the_same_job_function_to_the_same_result(settings, worker_env,
                                                                                slow_sandbox):
    """No Redis: `cxsuite sync` runs the job in-process, with a progress bar, to the same records."""
    db = Database.from_url(settings.database_url)
    tenant_id, connection_id, _ = await hubspot_connection(db, settings, slow_sandbox)
    env = {k: v for k, v in worker_env.items() if k != "CXSUITE_REDIS_URL"}
    done = await anyio.run_process([CXSUITE, "sync", str(connection_id), "--tenant", str(tenant_id)],
                                   env=env, check=False)
    output = done.stdout.decode()
    assert done.returncode == 0, output[-3000:]
    assert "sync succeeded" in output
    assert "100.0%" in output  # the progress bar reached the end
    assert await stored(db, tenant_id, connection_id) == expected(slow_sandbox)


async def test_readiness_reports_the_worker_heartbeat_and_queue_depth(settings, worker_env):
    import httpx

    from tests.support.server import start_server

    with start_server(worker_settings(settings, worker_env)) as live:
        async with httpx.AsyncClient(base_url=live.base_url) as http:
            before = await http.get("/health/ready")
            assert before.status_code == 503
            assert before.json()["checks"]["workers"]["status"] == "error"
            worker = start_worker(worker_env)
            try:
                async def ready():
                    response = await http.get("/health/ready")
                    return response if response.status_code == 200 else None
                response = await wait_until(ready, 30, "a worker heartbeat")
            finally:
                worker.send_signal(signal.SIGTERM)
                worker.wait(30)
    workers = response.json()["checks"]["workers"]
    assert workers["mode"] == "arq"
    assert workers["queue_depth"] == 0


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def _warm_fork_server(pid: int) -> int | None:
    """A ``multiprocessing`` fork server under ``pid`` with Pango mapped in (WeasyPrint imported)."""
    for child in _children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            maps = Path(f"/proc/{child}/maps").read_text()
        except OSError:
            continue
        if b"forkserver" in command and "libpango" in maps:
            return child
    return None


async def test_a_starting_worker_warms_the_report_renderer_before_any_job(worker_env):
    """Nothing is queued, yet the worker starts the renderer's fork server with WeasyPrint loaded
    (Pango mapped into it): a first report job forks from that warm process instead of paying the
    import. Before, the server started on the first render, inside that job's time."""
    worker = start_worker(worker_env)
    try:
        async def warm() -> int | None:
            return await anyio.to_thread.run_sync(_warm_fork_server, worker.pid)

        assert await wait_until(warm, 60, "a fork server with WeasyPrint loaded under the worker")
        assert worker.poll() is None, "the worker is still running"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
