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
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import click
import uvicorn
from litestar.datastructures import State

from cxsuite.sandbox.app import create_app
from cxsuite.sandbox.faults import NetworkFaults
from cxsuite.sandbox.state import Limits, Sandbox

LOOPBACK = "127.0.0.1"


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Listener:
    """The uvicorn server on one port, closed for the length of a refused-connection outage.

    A watcher thread asks the sandbox every 50 ms whether an ``outage`` in ``refuse`` mode is
    in force; if so it shuts the server down (in-flight responses finish, the listening socket
    closes, so new connections are refused by the kernel) and serves again on the same port
    when the window ends. The app and the ``Sandbox`` object live on, so tokens, cursors and
    the request log survive the outage like a vendor's database survives its network's."""

    POLL_S = 0.05

    def __init__(self, sandbox: Sandbox, host: str, port: int, log_level: str) -> None:
        self.sandbox, self.host, self.port, self.log_level = sandbox, host, port, log_level
        self.vendor_app = create_app(sandbox)
        self.app = NetworkFaults(self.vendor_app, sandbox)
        self.outages = 0
        self._stopping = threading.Event()
        self._server, self._thread = self._serve()
        self._watcher = threading.Thread(target=self._watch, name=f"cxsuite-sandbox-watch-{port}",
                                         daemon=True)
        self._watcher.start()

    def _serve(self) -> tuple[uvicorn.Server, threading.Thread]:
        server = uvicorn.Server(uvicorn.Config(self.app, host=self.host, port=self.port,
                                               log_level=self.log_level, lifespan="off",
                                               timeout_graceful_shutdown=2))
        thread = threading.Thread(target=server.run, name=f"cxsuite-sandbox-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"the vendor sandbox did not start on {self.host}:{self.port}")
            time.sleep(0.02)
        return server, thread

    def _close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        while not self._stopping.wait(self.POLL_S):
            left = self.sandbox.outage_left()
            if left <= 0:
                continue
            self._close()
            self.outages += 1
            while (left := self.sandbox.outage_left()) > 0:
                if self._stopping.wait(min(left, self.POLL_S)):
                    return
            self._server, self._thread = self._serve()

    def wait(self) -> None:
        """Block until ``stop()`` (the foreground ``cxsuite sandbox``)."""
        self._watcher.join()

    def stop(self) -> None:
        """Stop watching and shut the server down."""
        self._stopping.set()
        self._watcher.join(timeout=10)
        self._close()


@dataclass
class RunningSandbox:
    """A served sandbox: where it listens, the object that steers it, and how to stop it."""

    base_url: str
    sandbox: Sandbox
    _listener: Listener

    def url(self, path: str) -> str:
        """``base_url`` joined with ``path``."""
        return f"{self.base_url}/{path.lstrip('/')}"

    def service_account_key(self) -> dict[str, str]:
        """The sandbox's Google service-account key file, pointing at this server."""
        return self.sandbox.service_account_key(self.base_url)

    @property
    def state(self) -> State:
        """The vendor app's state (Salesforce query locators, Zoho page tokens), for tests that
        make the stand-in forget them as the vendor would."""
        return self._listener.vendor_app.state

    @property
    def outages(self) -> int:
        """How many refused-connection outages the listener has gone through."""
        return self._listener.outages

    def wait(self) -> None:
        """Block until stopped (the foreground ``cxsuite sandbox``)."""
        self._listener.wait()

    def stop(self) -> None:
        """Shut the server down and wait for its threads."""
        self._listener.stop()


def start(
    sandbox: Sandbox | None = None, host: str = LOOPBACK, port: int = 0, log_level: str = "warning",
    **options: Any,
) -> RunningSandbox:
    """Serve ``sandbox`` (or a new one built from ``options``) in daemon threads."""
    sandbox = sandbox or Sandbox(**options)
    port = port or free_port(host)
    return RunningSandbox(f"http://{host}:{port}", sandbox, Listener(sandbox, host, port, log_level))


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
    faults: Sequence[dict[str, Any]] = (),
) -> None:
    """Foreground server for the ``cxsuite sandbox`` command; rate limits are enforced and
    ``faults`` (``parse_fault`` of each ``--fault``) are injected at start."""
    sandbox = Sandbox(
        seed=seed, size=size, auto_approve=auto_approve, limits=Limits(enforce_rate_limits=True)
    )
    for fault in faults:
        sandbox.inject(**fault)
    click.echo(describe(f"http://{host}:{port}", sandbox))
    for fault in sandbox.pending_faults():
        click.echo(f"fault            {fault.kind} on {fault.vendor}"
                   + (f" until {fault.until.isoformat()}" if fault.until else f" x{fault.remaining}"))
    handle = start(sandbox, host, port, log_level="info")
    try:
        handle.wait()
    except KeyboardInterrupt:
        pass
    finally:
        handle.stop()


def parse_fault(text: str) -> dict[str, Any]:
    """``KIND[:VENDOR][,key=value...]`` (``--fault outage:*,seconds=60``, ``--fault
    server_error:hubspot,count=5,status=503``) as keyword arguments of ``Sandbox.inject``."""
    head, *pairs = text.split(",")
    kind, _, vendor = head.partition(":")
    fault: dict[str, Any] = {"kind": kind.strip(), "vendor": vendor.strip() or "*"}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key.strip() not in FAULT_OPTIONS:
            raise ValueError(f"fault option {pair!r}: use key=value, key one of {', '.join(FAULT_OPTIONS)}")
        fault[key.strip()] = FAULT_OPTIONS[key.strip()](value.strip())
    return fault


FAULT_OPTIONS: dict[str, Callable[[str], Any]] = {
    "count": int, "status": int, "retry_after": int, "seconds": float, "delay": float, "mode": str}
