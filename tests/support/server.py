"""The real app under uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from litestar import Litestar

from cxsuite.api.app import create_app
from cxsuite.identity.throttle import build_throttles
from cxsuite.mail.transport import outbox_dir
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
        """Forget login failures and sign-ups counted, and mail sent, by earlier tests."""
        self.app.state.throttles = build_throttles(self.settings, None)
        for sent in outbox_dir(self.settings).glob("*.eml"):
            sent.unlink()


def client_from(server: LiveServer, address: str) -> httpx.AsyncClient:
    """A client of ``server`` whose connections come from another loopback address, so the app
    sees another client IP (Linux routes all of 127.0.0.0/8 to loopback)."""
    return httpx.AsyncClient(base_url=server.base_url, timeout=30,
                             transport=httpx.AsyncHTTPTransport(local_address=address))


def sandbox_settings(running: Any) -> dict[str, str]:
    """Environment that lets connectors reach a running vendor sandbox with its OAuth apps,
    and fixes the port the app will serve on (OAuth redirect URIs need it up front)."""
    from cxsuite.sandbox import CLIENTS

    clients = {v: {"client_id": c.client_id, "client_secret": c.client_secret}
               for v, c in CLIENTS.items()}
    return {"CXSUITE_CONNECTOR_ALLOWED_HOSTS": urlsplit(running.base_url).netloc,
            "CXSUITE_OAUTH_CLIENTS": json.dumps(clients),
            "CXSUITE_PUBLIC_BASE_URL": f"http://127.0.0.1:{free_port()}"}


@contextmanager
def start_server(settings: Settings, port: int | None = None) -> Iterator[LiveServer]:
    """Serve ``create_app(settings)`` until the block ends."""
    app = create_app(settings)
    port = port or free_port()
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
