"""The two in-process servers the demo drives: the vendor sandbox and the cxsuite API."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn

from cxsuite.api.app import create_app
from cxsuite.sandbox import CLIENTS, RunningSandbox, running
from cxsuite.settings import Settings, load_settings


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_settings(data_dir: Path, sandbox: RunningSandbox, port: int) -> Settings:
    """Embedded settings in which connectors may reach the sandbox and its OAuth apps exist."""
    clients = {key: {"client_id": c.client_id, "client_secret": c.client_secret}
               for key, c in CLIENTS.items()}
    return load_settings({"CXSUITE_DATA_DIR": str(data_dir),
                          "CXSUITE_CONNECTOR_ALLOWED_HOSTS": urlsplit(sandbox.base_url).netloc,
                          "CXSUITE_OAUTH_CLIENTS": json.dumps(clients),
                          "CXSUITE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
                          "CXSUITE_LOG_LEVEL": "WARNING"})


@contextmanager
def api_server(settings: Settings, port: int) -> Iterator[str]:
    """``create_app(settings)`` under uvicorn in a thread; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the demo API did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def sandbox(size: int | str) -> Iterator[RunningSandbox]:
    """The vendor stand-ins, consent approving itself."""
    with running(size=size, auto_approve=True) as started:
        yield started
