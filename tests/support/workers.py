"""Real worker processes and a private Redis, for tests and benchmarks that break things.

A test that stops Redis must never stop the shared one: :class:`RedisServer` runs its own
``redis-server`` on a free port, without persistence, so :meth:`RedisServer.restart` brings it
back empty, like a production Redis without AOF. :func:`worker_env` is the environment of a
worker process for a database, a Redis and a queue of its own; :class:`WorkerProcess` starts
``cxsuite worker`` with it (optionally importing extra modules first, to register job kinds
that exist only in tests) and writes its output to a file, so a chatty worker never blocks on
a full pipe.

Usage (a benchmark or a test)::

    with RedisServer() as redis_server:
        env = worker_env(settings, redis_server.url, {"CXSUITE_JOB_STALE_SECONDS": "3"})
        with WorkerProcess(env) as worker:       # SIGTERM and wait at the end
            ...                                  # worker.kill() is SIGKILL
            redis_server.stop(); redis_server.restart()
        print(worker.output())
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from cxsuite.settings import Settings
from tests.support.server import free_port

REPO = Path(__file__).resolve().parents[2]


class RedisServer:
    """A private ``redis-server`` (no RDB, no AOF) on a free loopback port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.mkdtemp(prefix="cxsuite-redis-")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it (empty) and wait until it answers."""
        self._process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self._dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        """Kill it (SIGKILL: whatever it held is gone)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def restart(self) -> None:
        """Bring it back on the same port, empty."""
        self.stop()
        self.start()

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


def worker_env(settings: Settings, redis_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment of a worker process for the database of ``settings`` and ``redis_url``, with a
    queue of its own; ``extra`` adds or overrides variables (``{"CXSUITE_JOB_STALE_SECONDS": "3"}``,
    or ``sandbox_settings(sandbox)`` for another vendor sandbox)."""
    env = {**os.environ, "CXSUITE_DATABASE_URL": settings.database_url, "CXSUITE_DATA_DIR": str(settings.data_dir),
           "CXSUITE_SECRET_KEY": settings.secret_key, "CXSUITE_ENCRYPTION_KEYS": ",".join(settings.encryption_keys),
           "CXSUITE_REDIS_URL": redis_url, "CXSUITE_JOB_QUEUE": f"cxsuite:test:{uuid.uuid4().hex[:8]}",
           "CXSUITE_LOG_JSON": "0"}
    if settings.connector_allowed_hosts:
        env["CXSUITE_CONNECTOR_ALLOWED_HOSTS"] = ",".join(settings.connector_allowed_hosts)
    if settings.oauth_clients:
        env["CXSUITE_OAUTH_CLIENTS"] = json.dumps(settings.oauth_clients)
    env.update(extra or {})
    pythonpath = [str(REPO), *(str(p) for p in sorted((REPO / "plugins").glob("*")) if p.is_dir())]
    env["PYTHONPATH"] = os.pathsep.join(pythonpath + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


class WorkerProcess:
    """``cxsuite worker`` in a child process; ``imports`` are modules loaded before it starts."""

    def __init__(self, env: dict[str, str], *, burst: bool = False, imports: tuple[str, ...] = ()) -> None:
        self.env, self.burst, self.imports = env, burst, imports
        self._log = tempfile.NamedTemporaryFile(prefix="cxsuite-worker-", suffix=".log", delete=False)  # noqa: SIM115
        self.process: subprocess.Popen[bytes] | None = None
        self._final: str | None = None

    def start(self) -> WorkerProcess:
        """Start the worker."""
        code = "".join(f"import {m}; " for m in self.imports) + "from cxsuite.cli import main; main()"
        args = [sys.executable, "-c", code, "worker"] + (["--burst"] if self.burst else [])
        self.process = subprocess.Popen(args, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)  # noqa: S603
        return self

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no chance to finish or hand anything back."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM and wait (arq lets running jobs finish for a while); returns the exit code."""
        assert self.process is not None
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def wait(self, timeout: float) -> int:
        """Wait for it to exit by itself (a burst worker); returns the exit code."""
        assert self.process is not None
        return self.process.wait(timeout)

    def output(self) -> str:
        """Everything it printed so far (or in all, once the ``with`` block has ended)."""
        if self._final is not None:
            return self._final
        return Path(self._log.name).read_text(errors="replace")

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
        self._final = self.output()
        self._log.close()
        os.unlink(self._log.name)


def most_at_once(intervals: list[tuple[datetime, datetime]]) -> int:
    """The largest number of (start, end) intervals that overlap at one instant: how many jobs
    ran at once, measured from their attempts' rows."""
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running = peak = 0
    for _, step in edges:  # at equal times an end (-1) sorts before a start (+1)
        running += step
        peak = max(peak, running)
    return peak
