"""``python -m bench.score --scale 1.0 --db postgres|sqlite|both``: generate a workspace, key
its customers as an import would, then time one score run and report its peak memory.

The generator writes records straight into their tables, where the product normalises a
customer's match keys and resolves the customer view when an import commits customer records
(``cxsuite.customers.service.resolve_after_import``): the benchmark runs that as its own
phase, printed as "at import" (keys and the rest), and the score-run figure is the first run
after it (its resolution finds the stored keys unchanged and groups nothing). A second run
follows, as a consultant's next run over unchanged data. ``--cold`` also empties the key store and scores again: a run
that has to key and group every customer itself, as the first run after this change does on
data imported before it.
``--steps`` prints the wall time, Python CPU and PostgreSQL backend CPU of each step of the
(first) score run.

The score run happens in a child process so ``ru_maxrss`` measures scoring, not generation.
PostgreSQL is reached as ``CXSUITE_BENCH_PG`` (default: the test owner role on localhost) in a
uniquely named database this run creates and drops (``bench.databases``); SQLite lives in a
temporary folder this run removes.

``--keep`` leaves the generated database in place and prints its name; ``--reuse NAME`` (with
``--db postgres`` or ``--db sqlite``) scores that database again without generating, so a
10 M-row workspace (about nine minutes to generate) is made once: it first applies the
migrations the kept database lacks and catches its key store up (printed like the import
phase). A reused database is never dropped by the run that reuses it.
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
from dataclasses import dataclass

from bench.databases import PG_ADMIN, bench_database
from bench.score.setup import counts_and_ids, key_customers, migrate, prepare, score_once


def main() -> None:
    """Parse the arguments and run the benchmark on each database asked for."""
    parser = argparse.ArgumentParser(prog="python -m bench.score", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the SCORING.md workspace")
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--keep", action="store_true", help="leave the generated database and print its name")
    parser.add_argument("--reuse", metavar="NAME",
                        help="score a kept database again: its PostgreSQL name or SQLite file")
    parser.add_argument("--steps", action="store_true", help="print wall and CPU per step of the score run")
    parser.add_argument("--cold", action="store_true",
                        help="also score with an empty key store (every customer keyed by the run)")
    parser.add_argument("--generate-only", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--keys-only", nargs=2, metavar=("URL", "TENANT"), help=argparse.SUPPRESS)
    parser.add_argument("--forget-keys", nargs=2, metavar=("URL", "TENANT"), help=argparse.SUPPRESS)
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
    elif args.keys_only:
        print(json.dumps(asyncio.run(key_customers(*args.keys_only))))
    elif args.forget_keys:
        print(json.dumps(asyncio.run(key_customers(*args.forget_keys, forget=True))))
    elif args.score_only:
        print(json.dumps(asyncio.run(score_once(*args.score_only, steps=args.steps))))
    else:
        print(
            f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        for backend in ("postgres", "sqlite") if args.db == "both" else (args.db,):
            options = Options(args.steps, args.cold)
            if args.reuse:
                reuse(backend, args.reuse, options)
            else:
                bench(backend, args.scale, args.keep, options)


@dataclass(frozen=True)
class Options:
    """What to print beyond the one result line."""

    steps: bool
    cold: bool


def child(*arguments: str) -> dict:
    """Run one phase in its own process and return the JSON it prints.

    Each phase gets a fresh process because Linux carries the parent's peak RSS into a child's
    ``ru_maxrss`` across fork and exec: a lean parent keeps the scoring figure honest.
    """
    command = [sys.executable, "-m", "bench.score", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our own module
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(backend: str, scale: float, keep: bool, options: Options) -> None:
    """Generate, key, then score, each in a child process, and print the result lines."""
    if backend == "postgres":
        with bench_database("score", keep=keep) as url:
            measure(backend, scale, url, options)
            if keep:
                print(f"kept: --db postgres --reuse {url.rsplit('/', 1)[1]}")
        return
    folder = tempfile.mkdtemp(prefix="cxsuite-bench-")
    try:
        measure(backend, scale, f"sqlite:///{folder}/bench.sqlite", options)
    finally:
        if keep:
            print(f"kept: --db sqlite --reuse {folder}/bench.sqlite")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def reuse(backend: str, name: str, options: Options) -> None:
    """Migrate a kept database, catch its keys up, and score it again (it stays, whatever happens)."""
    url = f"{PG_ADMIN}/{name}" if backend == "postgres" else f"sqlite:///{os.path.abspath(name)}"
    asyncio.run(migrate(url))
    counts, ids = asyncio.run(counts_and_ids(url))
    score(backend, "reused", counts, None, ids, options)


def measure(backend: str, scale: float, url: str, options: Options) -> None:
    """Generate into the empty database at ``url``, key, score, and print the result lines."""
    generated = child("--scale", str(scale), "--generate-only", url)
    score(backend, f"scale {scale}", generated["counts"], generated["seconds"], generated["ids"], options)


def score(backend: str, what: str, counts: dict[str, int], generated: float | None, ids: list[str],
          options: Options) -> None:
    """The import's keying, the score run after it, the same run again, and a cold run when
    asked for."""
    keys = child("--keys-only", *ids[:2])
    print(f"{backend}: at import: {keys['seconds']:.2f} s ({keys['cpu']:.2f} s Python CPU) for "
          f"{keys['records']} customer records, of which keys {keys['keys_seconds']:.2f} s "
          f"({keys['keys_cpu']:.2f} s Python CPU), the rest resolving the customer view; "
          f"peak RSS {keys['peak_mb']:.0f} MB")
    if options.steps:
        print(keys["steps"])
    result = child("--score-only", *ids, *(["--steps"] if options.steps else []))
    report(backend, what, counts, generated, result)
    if options.steps:
        print(result["steps"])
    again = child("--score-only", *ids, *(["--steps"] if options.steps else []))
    print(f"{backend}: the same score run again (no record changed) {again['seconds']:.2f} s "
          f"({again['cpu']:.2f} s Python CPU), peak RSS {again['peak_mb']:.0f} MB")
    if options.steps:
        print(again["steps"])
    if options.cold:
        child("--forget-keys", *ids[:2])
        cold = child("--score-only", *ids)
        print(f"{backend}: cold score run (empty key store, graph already written) {cold['seconds']:.2f} s "
              f"({cold['cpu']:.2f} s Python CPU), peak RSS {cold['peak_mb']:.0f} MB")


def report(backend: str, what: str, counts: dict[str, int], generated: float | None, result: dict) -> None:
    """The one result line."""
    made = f"generated in {generated:.1f} s" if generated is not None else "not generated"
    print(
        f"{backend}: {what}, rows {counts}, {made}; "
        f"score run {result['seconds']:.2f} s ({result['cpu']:.2f} s Python CPU), peak RSS {result['peak_mb']:.0f} MB "
        f"({result['start_mb']:.0f} MB before scoring), {result['cells']} cells, overall {result['overall']}"
    )


if __name__ == "__main__":
    main()
