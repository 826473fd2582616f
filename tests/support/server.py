"""The real app under uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from litestar import Litestar

from cxsuite.api.app import create_app
from cxsuite.identity.throttle import MemoryThrottle
from cxsuite.settings import Settings


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A served app: its URL and the app object (to reset in-memory state between tests)."""

    base_url: str
    app: Litestar
    settings: Settings

    def reset_state(self) -> None:
        """Forget login failures counted by earlier tests."""
        self.app.state.login_throttle = MemoryThrottle(self.settings.login_attempts_per_minute)


@contextmanager
def start_server(settings: Settings) -> Iterator[LiveServer]:
    """Serve ``create_app(settings)`` until the block ends."""
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
