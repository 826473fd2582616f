"""The fault bench's own Redis and PostgreSQL, which it may stop and restart.

The shared servers on 6379 and 5432 belong to everyone on the machine, so the bench never
touches them: it starts ``redis-server`` on a free port (no persistence, so a restart comes
back empty, like a Redis without AOF after a crash) and a PostgreSQL cluster of its own
(``initdb`` + ``pg_ctl`` in a temporary folder, on a free port, with the two roles ``./dev``
creates). As root, PostgreSQL refuses to run, so the cluster runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROLES_SQL = (
    "CREATE ROLE cxsuite_owner LOGIN CREATEDB PASSWORD 'cxsuite';"
    "CREATE ROLE cxsuite_app LOGIN NOBYPASSRLS NOCREATEDB PASSWORD 'cxsuite';"
)


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, up: bool, seconds: float = 30) -> None:
    """Until something listens on ``port`` (``up``) or nothing does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            listening = sock.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not {'open' if up else 'close'} within {seconds:.0f} s")


class OwnRedis:
    """``redis-server`` on a free port; ``restart_empty`` kills it and starts a fresh one there."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Serve on the bench's port with nothing saved to disk."""
        self._process = subprocess.Popen(  # noqa: S603 - a fixed program and our arguments
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """Kill it (SIGKILL: what a crash looks like) and wait until the port is closed."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        wait_for_port(self.port, up=False)

    def version(self) -> str:
        """``redis-server --version``'s version field."""
        out = subprocess.run([shutil.which("redis-server") or "redis-server", "--version"],  # noqa: S603
                             capture_output=True, text=True, check=True).stdout
        return next((w.split("=", 1)[1] for w in out.split() if w.startswith("v=")), out.strip())


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a free port; ``restart`` stops and starts it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="cxsuite-faults-pg-"))
        self.data = self.folder / "data"
        self._user = "postgres" if os.geteuid() == 0 else None
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        self.start()
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres", "-q",
                  "-c", ROLES_SQL)
        self.admin_url = f"postgresql://cxsuite_owner:cxsuite@127.0.0.1:{self.port}"
        self.superuser_url = f"postgresql://postgres@127.0.0.1:{self.port}"

    def _run(self, program: str, *args: str) -> str:
        command = [shutil.which(program) or program, *args]
        if self._user:
            command = ["runuser", "-u", self._user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True,  # noqa: S603
                              cwd=self.folder).stdout

    def start(self) -> None:
        """Start the cluster (loopback only, its socket in its own folder) and wait for it."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        """Fast shutdown: sessions are ended, like a database failover."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def version(self) -> str:
        """The server's ``SHOW server_version``."""
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres",
                         "-Atc", "SHOW server_version").strip()

    def destroy(self) -> None:
        """Stop the cluster and delete its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
