"""`cxsuite serve` and `cxsuite worker` as real processes whose every output line is kept, for
tests that read what a deployment would write to its logs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from cxsuite.settings import Settings
from tests.support.server import sandbox_settings

CXSUITE = str(Path(sys.executable).with_name("cxsuite"))


@dataclass
class Deployment:
    """The web process's URL and the files its processes write their output to."""

    base_url: str
    env: dict[str, str]
    outputs: list[Path]

    def lines(self) -> list[str]:
        """Every line every process wrote so far (stdout and stderr)."""
        return [line for path in self.outputs for line in path.read_text(errors="replace").splitlines()]


def deployment_env(settings: Settings, sandbox: object, **extra: str) -> dict[str, str]:
    """The test database and data folder, the sandbox's OAuth apps, a queue of its own."""
    env = {**os.environ, "CXSUITE_DATABASE_URL": settings.database_url, "CXSUITE_DATA_DIR": str(settings.data_dir),
           "CXSUITE_SECRET_KEY": settings.secret_key, "CXSUITE_ENCRYPTION_KEYS": ",".join(settings.encryption_keys),
           **sandbox_settings(sandbox), **extra}
    if settings.database_owner_url:
        env["CXSUITE_DATABASE_OWNER_URL"] = settings.database_owner_url
    if "CXSUITE_REDIS_URL" in extra:
        env.setdefault("CXSUITE_JOB_QUEUE", f"cxsuite:test:{uuid.uuid4().hex[:8]}")
    return env


@contextmanager
def deployed(env: dict[str, str], folder: Path, *, worker: bool) -> Iterator[Deployment]:
    """`cxsuite serve` (and a `cxsuite worker` when asked) until the block ends, then SIGTERM."""
    port = env["CXSUITE_PUBLIC_BASE_URL"].rsplit(":", 1)[1]
    commands = {"web": ["serve", "--host", "127.0.0.1", "--port", port]}
    if worker:
        commands["worker"] = ["worker"]
    outputs = {name: folder / f"{name}.log" for name in commands}
    with ExitStack() as stack:
        processes = []
        for name, arguments in commands.items():
            out = stack.enter_context(outputs[name].open("wb"))
            processes.append(subprocess.Popen([CXSUITE, *arguments], env=env,  # noqa: S603 - our own command
                                              stdout=out, stderr=subprocess.STDOUT))
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_ready(base_url, processes)
            yield Deployment(base_url, env, list(outputs.values()))
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(30)
        if "CXSUITE_JOB_QUEUE" in env:
            _forget_queue(env)


def _wait_ready(base_url: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise AssertionError("a cxsuite process exited during start-up")
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the web process never became ready")


def _forget_queue(env: dict[str, str]) -> None:
    import redis

    client = redis.Redis.from_url(env["CXSUITE_REDIS_URL"])
    for key in client.scan_iter(f"{env['CXSUITE_JOB_QUEUE']}*"):
        client.delete(key)
    client.close()
