"""``python -m bench.api.load HOST PORT PATH --rate 500 --seconds 10``: an open-loop load
generator at a fixed offered rate, printing one JSON line.

wrk (closed loop) measures the most a server does; it cannot hold a fixed rate. Here request
``i`` is due at ``start + i / rate`` whatever happened before, and its latency is counted from
that due time, so a server falling behind shows up as queueing in p99 instead of as a lower
rate (no coordinated omission). Plain HTTP/1.1 keep-alive over asyncio streams: cheap enough to
offer 500 requests a second from one process on a busy machine. Loopback only, bounded time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

MAX_SECONDS = 60


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request and read its response; the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def run(host: str, port: int, path: str, headers: dict[str, str], rate: float, seconds: float,
              connections: int) -> dict[str, float]:
    """Offer ``rate`` requests a second for ``seconds``; latencies from each request's due time."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    seconds = min(seconds, MAX_SECONDS)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()
    idle: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await asyncio.open_connection(host, port))
    latencies: list[float] = []
    failures = 0

    async def one(due: float) -> None:
        nonlocal failures
        stream = await idle.get()
        try:
            status = await _exchange(*stream, request)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            failures += 1
            stream = await asyncio.open_connection(host, port)
        else:
            latencies.append(time.perf_counter() - due)
            failures += status >= 400
        idle.put_nowait(stream)

    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    # A server far behind the offered rate would keep this waiting for minutes: what it has
    # not answered within another ``seconds`` counts as failed.
    _, late = await asyncio.wait(tasks, timeout=seconds)
    for task in late:
        task.cancel()
    failures += len(late)
    elapsed = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait()[1].close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {"offered_rps": rate, "achieved_rps": len(latencies) / elapsed, "requests": total,
            "failures": failures, "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": pct(1.0)}


def main() -> None:
    """Parse the arguments, run, print the result as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.api.load", description=__doc__)
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(asyncio.run(run(args.host, args.port, args.path, headers, args.rate,
                                     args.seconds, args.connections))))


if __name__ == "__main__":
    main()
