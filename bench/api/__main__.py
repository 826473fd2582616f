"""``python -m bench.api [--seconds 10] [--rate 500] [--workspaces 10000] [--profile] [--record]``:
the authenticated request path against a bare Litestar hello-world, in the same run.

A fresh PostgreSQL database of its own (unique name, migrated, dropped at the end) holds one
tenant whose owner has a session token and ``--workspaces`` workspaces. The app
(``cxsuite.api.asgi:app``, connecting as the application role, so row-level security is live)
and ``bench.api.bare:app`` are served side by side by uvicorn with the same options and
``--workers`` processes. wrk, in its own process, measures the most each endpoint does (closed
loop: requests/s, p50, p99, ratio to bare); the open-loop generator in ``bench.api.load``
offers a fixed ``--rate`` and reports the p99 a user would see at that rate. ``--profile``
samples the app's workers with py-spy during a run of ``/api/v1/me`` and prints where the time
goes. ``--record`` appends the tables to bench/RESULTS.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench.api import database, profile
from bench.api.servers import cpu_seconds, fixed_rate, serve, wrk

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
SECTION = "## API request path: authenticated requests against bare Litestar (`bench/api`)"


def endpoints(seeded: database.Seeded) -> list[tuple[str, str]]:
    """(label, path) of every measured app endpoint."""
    last = max(seeded.workspaces - 50, 0)
    return [("GET /api/v1/me", "/api/v1/me"),
            ("GET /api/v1/workspaces (first page of 50)", "/api/v1/workspaces?limit=50"),
            (f"GET /api/v1/workspaces (last page, offset {last:,})", f"/api/v1/workspaces?limit=50&offset={last}"),
            ("GET /api/v1/workspaces (last page, after its predecessor)",
             f"/api/v1/workspaces?limit=50&after={seeded.last_page_after}"),
            ("GET /api/v1/workspaces (search q=Client 99, counts its 111 matches)",
             "/api/v1/workspaces?limit=50&q=Client%2099")]


PROFILED = (("GET /api/v1/me", "/api/v1/me"),
            ("GET /api/v1/workspaces (first page of 50)", "/api/v1/workspaces?limit=50"))


async def _postgres_version(url: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        return (await conn.fetchval("SHOW server_version")).split(" ")[0]
    finally:
        await conn.close()


def measure(args: argparse.Namespace, env: dict[str, str], seeded: database.Seeded) -> dict[str, object]:
    """Both servers up; wrk on each endpoint, then the fixed rate; optionally the profile."""
    auth = {"Authorization": f"Bearer {seeded.token}"}
    rows: list[dict[str, object]] = []
    summary = None
    with serve("bench.api.bare:app", args.workers, env, "/") as bare, \
            serve("cxsuite.api.asgi:app", args.workers, env, "/health") as app:
        wrk(bare.port, "/", {}, 2, args.connections)  # warm-up
        ceiling = _timed(bare.workers, [], lambda: wrk(bare.port, "/", {}, args.seconds, args.connections))
        rows.append({"label": "bare Litestar hello-world (ceiling)", **ceiling, "ratio": 1.0,
                     "cpu_ratio": 1.0, "fixed": fixed_rate(bare.port, "/", {}, args.rate, args.fixed_seconds)})
        for label, path in endpoints(seeded):
            wrk(app.port, path, auth, 2, args.connections)  # warm-up
            backends = asyncio.run(database.backend_pids(seeded.database))
            result = _timed(app.workers, backends,
                            lambda path=path: wrk(app.port, path, auth, args.seconds, args.connections))
            rows.append({"label": label, **result, "ratio": result["rps"] / ceiling["rps"],
                         "cpu_ratio": ceiling["cpu_ms"] / result["cpu_ms"],
                         "fixed": fixed_rate(app.port, path, auth, args.rate, args.fixed_seconds)})
        if args.profile:
            summary = [(label, _profile(app, auth, args, path)) for label, path in PROFILED]
    return {"rows": rows, "profile": summary}


def _timed(workers: list[int], backends: list[int], run) -> dict[str, float]:
    """A wrk run plus the server-side CPU it cost per request (uvicorn workers + PostgreSQL
    backends): unlike requests/s on a shared machine, CPU per request barely depends on what
    else the machine is doing, so its ratio estimates the ratio a quiet machine would show."""
    before = cpu_seconds(workers + backends)
    result = run()
    used = cpu_seconds(workers + backends) - before
    return {**result, "cpu_ms": 1000 * used / max(result["requests"], 1)}


def _profile(app, auth: dict[str, str], args: argparse.Namespace, path: str) -> dict[str, object] | None:
    if not profile.available():
        print("py-spy is not installed (pip install py-spy): no profile")
        return None
    raw = Path(tempfile.mkdtemp(prefix="cxsuite-bench-api-")) / "profile.txt"
    master = _master_of(app.workers[0])
    sampler = profile.record(master, args.seconds, raw)
    wrk(app.port, path, auth, args.seconds, args.connections)
    sampler.join()
    if not raw.exists():
        print("py-spy could not sample the workers (ptrace not permitted?): no profile")
        return None
    return {**profile.summarise(raw), "raw": str(raw)}


def _master_of(worker: int) -> int:
    return int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])


def render(result: dict[str, object], args: argparse.Namespace, machine: str) -> str:
    """The Markdown block for one run."""
    day = datetime.now(UTC).date().isoformat()
    lines = [f"`python -m bench.api --seconds {args.seconds:g} --rate {args.rate:g} --workspaces "
             f"{args.workspaces}` — {day}, {machine}; uvicorn with {args.workers} workers for both "
             f"servers, wrk -t1 -c{args.connections}, load average at start {args.load}.", "",
             f"| endpoint | req/s (wrk) | p50 | p99 | ratio to bare | server CPU per request | ratio by CPU "
             f"| p99 at {args.rate:g} req/s offered | held | failures |", "|---|---|---|---|---|---|---|---|---|---|"]
    for row in result["rows"]:
        fixed = row["fixed"]
        lines.append(f"| {row['label']} | {row['rps']:,.0f} | {row['p50_ms']:.1f} ms | "
                     f"{row['p99_ms']:.1f} ms | {row['ratio']:.3f} | {row['cpu_ms']:.2f} ms | "
                     f"{row['cpu_ratio']:.3f} | {fixed['p99_ms']:.1f} ms | "
                     f"{fixed['achieved_rps']:,.0f}/s | {row['failures'] + fixed['failures']} |")
    lines += ["", "Server CPU per request is the uvicorn workers' and the PostgreSQL backends' CPU time "
              "during the wrk run divided by the requests served; its ratio to bare is what a quiet "
              "machine's requests/s ratio approaches when the server is CPU-bound."]
    for label, summary in result.get("profile") or []:
        if not summary:
            continue
        lines += ["", f"Profile of `{label}` under wrk (py-spy, {summary['samples']:,} busy "
                  "samples over both workers; stages nest, so shares overlap):", "",
                  "| stage | share of busy time |", "|---|---|"]
        lines += [f"| {stage} | {share:.0%} |" for stage, share in summary["stages"].items()]
        lines += ["", "Running frame by package: " + ", ".join(
            f"{k} {v:.0%}" for k, v in summary["self_by_package"].items()) + "."]
    return "\n".join(lines) + "\n"


def record(block: str) -> None:
    """Append the block under this benchmark's section of bench/RESULTS.md."""
    text = RESULTS.read_text()
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n"
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + block)


async def _setup(args: argparse.Namespace, name: str, env: dict[str, str]) -> tuple[database.Seeded, str]:
    settings = database.settings_for(env)
    await database.create(name, settings)
    seeded = await database.seed(name, settings, args.workspaces)
    return seeded, await _postgres_version(settings.owner_url)


def main() -> None:
    """Parse the arguments, build the database, measure, report, drop the database."""
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="each wrk run (≤ 60)")
    parser.add_argument("--fixed-seconds", type=float, default=10, help="each fixed-rate run (≤ 60)")
    parser.add_argument("--rate", type=float, default=500, help="offered requests per second")
    parser.add_argument("--workspaces", type=int, default=10_000, help="workspaces in the tenant")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--profile", action="store_true", help="py-spy the app during GET /me")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    args.load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    name = database.unique_name("api")
    env = database.environment(name)
    try:
        seeded, pg_version = asyncio.run(_setup(args, name, env))
        result = measure(args, env, seeded)
    finally:
        asyncio.run(database.drop(name))
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
               f"PostgreSQL {pg_version}")
    block = render(result, args, machine)
    print(block)
    if args.record:
        record(block)


if __name__ == "__main__":
    main()
