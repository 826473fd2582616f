"""Serving the app and the bare hello-world with identical uvicorn options, and driving them
with wrk from a separate process."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_SECONDS = 60


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Served:
    """A running uvicorn: its port and the pids of its worker processes."""

    port: int
    workers: list[int]


def uvicorn_command(app: str, port: int, workers: int) -> list[str]:
    """The same command line for both servers (what ``cxsuite serve`` runs, quieter)."""
    return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--proxy-headers", "--log-level", "warning", "--no-access-log"]


@contextlib.contextmanager
def serve(app: str, workers: int, env: dict[str, str], probe: str) -> Iterator[Served]:
    """Run uvicorn until the block ends; ready once every worker answers ``probe``."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        uvicorn_command(app, port, workers), env={**os.environ, **env}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not start")
            children = _children(process.pid)
            if len(children) >= workers and _answers(port, probe):
                break
            time.sleep(0.2)
        for _ in range(4 * workers):  # every worker has opened its pool
            _answers(port, probe)
        yield Served(port, children)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _answers(port: int, path: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    """``850.00us``, ``1.20ms``, ``2.00s`` → milliseconds (NaN when wrk printed none)."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")


def wrk(port: int, path: str, headers: dict[str, str], seconds: float, connections: int,
        threads: int = 1) -> dict[str, float]:
    """The most the server does (closed loop): requests/s, p50 and p99 in milliseconds."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{min(seconds, MAX_SECONDS):g}s",
               "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True,  # noqa: S603
                         text=True, check=True, timeout=MAX_SECONDS + 30).stdout
    done = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(done.group(1)),
            "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),
            "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),
            "failures": (int(bad.group(1)) if bad else 0)
            + (sum(int(g) for g in errors.groups()) if errors else 0)}


def fixed_rate(port: int, path: str, headers: dict[str, str], rate: float, seconds: float,
               connections: int = 64) -> dict[str, float]:
    """p50/p99 at a fixed offered rate, from the open-loop generator in its own process."""
    import json

    command = [sys.executable, "-m", "bench.api.load", "127.0.0.1", str(port), path,
               "--rate", str(rate), "--seconds", str(min(seconds, MAX_SECONDS)),
               "--connections", str(connections)]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True,  # noqa: S603
                         timeout=MAX_SECONDS + 60).stdout
    return json.loads(out.strip().splitlines()[-1])


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (processes gone count 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")
