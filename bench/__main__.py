"""``python -m bench [NAME ...] [--record]``: every benchmark, one after the other.

Each benchmark is a package of its own, runnable alone as ``python -m bench.<name>`` with its
own options; this runs each with its defaults, in a fresh process (so one's memory peak or
event loop never shows up in another's figures), streams its report, and ends with a line per
benchmark: how long it took and whether it succeeded. ``faults`` runs when it is installed.
``--record`` is passed to the benchmarks that append to bench/RESULTS.md themselves.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = ("api", "sync", "score", "render", "jobs", "faults")
RECORDING = {"api", "jobs"}  # the ones that take --record


def available() -> list[str]:
    """The benchmarks present in this checkout, in running order."""
    here = Path(__file__).parent
    return [name for name in BENCHMARKS if (here / name / "__main__.py").exists()]


def run(name: str, record: bool) -> tuple[int, float]:
    """One benchmark in its own process; its exit status and wall time."""
    command = [sys.executable, "-m", f"bench.{name}"] + (["--record"] if record and name in RECORDING else [])
    print(f"\n=== bench.{name}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    status = subprocess.run(command, check=False).returncode  # noqa: S603 - our own modules
    return status, time.perf_counter() - started


def main() -> None:
    """Parse the arguments, run the chosen benchmarks, summarise."""
    present = available()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"some of {', '.join(present)} (default: all)")
    parser.add_argument("--record", action="store_true", help="append results to bench/RESULTS.md")
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(present))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (present: {', '.join(present)})")
    outcomes = {name: run(name, args.record) for name in args.names or present}
    print("\n=== summary")
    for name, (status, seconds) in outcomes.items():
        print(f"bench.{name}: {'ok' if status == 0 else f'FAILED (exit {status})'} in {seconds:.0f} s")
    sys.exit(max(status for status, _ in outcomes.values()))


if __name__ == "__main__":
    main()
