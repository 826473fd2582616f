"""``python -m bench.score --scale 1.0 --db postgres|sqlite|both``: generate a workspace, then
time one score run and report its peak memory.

The score run happens in a child process so ``ru_maxrss`` measures scoring, not generation.
PostgreSQL is reached as ``CXSUITE_BENCH_PG`` (default: the test owner role on localhost) in a
uniquely named database this run creates and drops (``bench.databases``); SQLite lives in a
temporary folder this run removes.

``--keep`` leaves the generated database in place and prints its name; ``--reuse NAME`` (with
``--db postgres`` or ``--db sqlite``) scores that database again without generating, so a
10 M-row workspace (about nine minutes to generate) is made once. A reused database is never
dropped by the run that reuses it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from bench.databases import PG_ADMIN, bench_database
from bench.score.setup import counts_and_ids, prepare, score_once


def main() -> None:
    """Parse the arguments and run the benchmark on each database asked for."""
    parser = argparse.ArgumentParser(prog="python -m bench.score", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the SCORING.md workspace")
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--keep", action="store_true", help="leave the generated database and print its name")
    parser.add_argument("--reuse", metavar="NAME",
                        help="score a kept database again: its PostgreSQL name or SQLite file")
    parser.add_argument("--generate-only", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--score-only", nargs=4, metavar=("URL", "TENANT", "PROJECT", "USER"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.reuse and args.db == "both":
        parser.error("--reuse names one database: give --db postgres or --db sqlite")
    if args.generate_only:
        started = time.perf_counter()
        counts, ids = asyncio.run(prepare(args.generate_only, args.scale))
        print(json.dumps({"counts": counts, "ids": ids, "seconds": time.perf_counter() - started}))
    elif args.score_only:
        print(json.dumps(asyncio.run(score_once(*args.score_only))))
    else:
        print(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        for backend in ("postgres", "sqlite") if args.db == "both" else (args.db,):
            if args.reuse:
                reuse(backend, args.reuse)
            else:
                bench(backend, args.scale, args.keep)


def child(*arguments: str) -> dict:
    """Run one phase in its own process and return the JSON it prints.

    Each phase gets a fresh process because Linux carries the parent's peak RSS into a child's
    ``ru_maxrss`` across fork and exec: a lean parent keeps the scoring figure honest.
    """
    command = [sys.executable, "-m", "bench.score", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our own module
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(backend: str, scale: float, keep: bool) -> None:
    """Generate, then score, each in a child process, and print one result line."""
    if backend == "postgres":
        with bench_database("score", keep=keep) as url:
            measure(backend, scale, url)
            if keep:
                print(f"kept: --db postgres --reuse {url.rsplit('/', 1)[1]}")
        return
    folder = tempfile.mkdtemp(prefix="cxsuite-bench-")
    try:
        measure(backend, scale, f"sqlite:///{folder}/bench.sqlite")
    finally:
        if keep:
            print(f"kept: --db sqlite --reuse {folder}/bench.sqlite")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def reuse(backend: str, name: str) -> None:
    """Score a kept database again (it stays, whatever happens)."""
    url = f"{PG_ADMIN}/{name}" if backend == "postgres" else f"sqlite:///{os.path.abspath(name)}"
    counts, ids = asyncio.run(counts_and_ids(url))
    report(backend, "reused", counts, None, child("--score-only", *ids))


def measure(backend: str, scale: float, url: str) -> None:
    """Generate into the empty database at ``url``, then score, and print the result line."""
    generated = child("--scale", str(scale), "--generate-only", url)
    report(backend, f"scale {scale}", generated["counts"], generated["seconds"],
           child("--score-only", *generated["ids"]))


def report(backend: str, what: str, counts: dict[str, int], generated: float | None, result: dict) -> None:
    """The one result line."""
    made = f"generated in {generated:.1f} s" if generated is not None else "not generated"
    print(
        f"{backend}: {what}, rows {counts}, {made}; "
        f"score run {result['seconds']:.2f} s, peak RSS {result['peak_mb']:.0f} MB "
        f"({result['start_mb']:.0f} MB before scoring), {result['cells']} cells, overall {result['overall']}"
    )


if __name__ == "__main__":
    main()
