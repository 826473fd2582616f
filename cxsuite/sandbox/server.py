"""Running the sandbox: in a background thread for tests and the demo, or in the foreground
for ``cxsuite sandbox``.

Tests hold a ``RunningSandbox``: its ``base_url`` goes into connection configuration, its
``sandbox`` steers faults, clock and mutations, ``stop()`` ends it. Only loopback is bound
unless a host is given explicitly.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import click
import uvicorn

from cxsuite.sandbox.app import create_app
from cxsuite.sandbox.state import Limits, Sandbox

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class RunningSandbox:
    """A served sandbox: where it listens, the object that steers it, and how to stop it."""

    base_url: str
    sandbox: Sandbox
    _server: uvicorn.Server
    _thread: threading.Thread

    def url(self, path: str) -> str:
        """``base_url`` joined with ``path``."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def service_account_key(self) -> dict[str, str]:
        """The sandbox's Google service-account key file, pointing at this server."""
        return self.sandbox.service_account_key(self.base_url)

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)


def start(
    sandbox: Sandbox | None = None, host: str = LOOPBACK, port: int = 0, **options: Any
) -> RunningSandbox:
    """Serve ``sandbox`` (or a new one built from ``options``) in a daemon thread."""
    sandbox = sandbox or Sandbox(**options)
    port = port or free_port(host)
    server = uvicorn.Server(
        uvicorn.Config(create_app(sandbox), host=host, port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name=f"cxsuite-sandbox-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the vendor sandbox did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningSandbox(f"http://{host}:{port}", sandbox, server, thread)


@contextmanager
def running(sandbox: Sandbox | None = None, **options: Any) -> Iterator[RunningSandbox]:
    """``with running(size="small") as sb:`` — served until the block ends."""
    handle = start(sandbox, **options)
    try:
        yield handle
    finally:
        handle.stop()


@asynccontextmanager
async def running_async(sandbox: Sandbox | None = None, **options: Any) -> AsyncIterator[RunningSandbox]:
    """The same for async code (the demo, anyio tests); the server still runs in its own thread."""
    with running(sandbox, **options) as handle:
        yield handle


def describe(base_url: str, sandbox: Sandbox) -> str:
    """The table ``cxsuite sandbox`` prints: URLs per vendor and the accepted OAuth clients."""
    info = sandbox.info(base_url)
    lines = [
        f"cxsuite vendor sandbox at {base_url} (seed {sandbox.world.seed}, {sandbox.world.size} contacts)"
    ]
    for vendor, urls in info["vendors"].items():  # type: ignore[attr-defined]
        client = info["clients"][vendor]  # type: ignore[index]
        lines.append(
            f"\n{vendor}\n  client_id      {client['client_id']}\n  client_secret  {client['client_secret']}"
        )
        lines.extend(f"  {name:<14} {url}" for name, url in urls.items())
    lines.append(f"\ncontrol API      {base_url}/_sandbox/info")
    return "\n".join(lines)


def serve(
    host: str = LOOPBACK,
    port: int = 8765,
    seed: int = 7,
    size: int | str = "demo",
    auto_approve: bool = False,
) -> None:
    """Foreground server for the ``cxsuite sandbox`` command; rate limits are enforced."""
    sandbox = Sandbox(
        seed=seed, size=size, auto_approve=auto_approve, limits=Limits(enforce_rate_limits=True)
    )
    click.echo(describe(f"http://{host}:{port}", sandbox))
    uvicorn.run(create_app(sandbox), host=host, port=port, log_level="info", lifespan="off")
