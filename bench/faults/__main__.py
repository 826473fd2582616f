"""``python -m bench.faults``: sync every connector through faults and count what survives.

Each scenario (``--scenario``, default all) runs one sync per vendor at once against the
bench's own PostgreSQL and Redis and real ``cxsuite worker`` processes, injects its fault
mid-sync, and prints per vendor: records expected, stored, duplicates, gaps, time to recover
(fault over → job succeeded), jobs lost and the final job status. ``--fast`` runs only the
scenarios CI runs; ``--write-docs`` replaces the results in ``docs/reliability.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.faults.rig import VENDORS, Rig
from bench.faults.scenarios import Options, Row, run, scenarios

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
BEGIN, END = "<!-- bench.faults results: begin -->", "<!-- bench.faults results: end -->"
HEADER = ("| scenario | connector | expected | stored | duplicates | gaps | time to recover | jobs lost "
          "| final job status | as expected |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|")


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [HEADER]
    for r in rows:
        recover = "—" if r.recover_s is None else f"{r.recover_s:.1f} s"
        lines.append(f"| {r.scenario} | {r.vendor} | {r.expected} | {r.stored} | {r.duplicates} | {r.gaps} "
                     f"| {recover} | {r.lost} | {r.status.replace('|', '/')} | {'yes' if r.ok else '**no**'} |")
    return "\n".join(lines)


def machine(rig: Rig) -> str:
    """CPU, cores, Python, PostgreSQL and Redis versions: what the figures depend on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"PostgreSQL {rig.postgres.version().split()[0]}, Redis {rig.redis.version()}")


def write_docs(text: str) -> None:
    """Replace what lies between the result markers of docs/reliability.md."""
    page = DOCS.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    DOCS.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", page))


def main() -> None:
    """Parse the arguments, run the scenarios, print (and optionally record) the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--size", type=int, default=40, help="contacts in the sandbox world (default 40)")
    parser.add_argument("--pace", type=float, default=0.5,
                        help="seconds the sandbox holds each job request back, so faults land mid-sync")
    parser.add_argument("--outage", type=float, default=10.0, help="the time-scaled outage, seconds")
    parser.add_argument("--deadline", type=float, default=180.0,
                        help="seconds after the fault within which a job must finish")
    parser.add_argument("--budget-wait", type=float, default=600.0,
                        help="longest wait for jobs to give up in the past-the-budget outage")
    parser.add_argument("--vendor", action="append", choices=VENDORS, help="default: all four")
    parser.add_argument("--scenario", action="append", help="default: all (see --list)")
    parser.add_argument("--fast", action="store_true", help="only the scenarios CI runs")
    parser.add_argument("--list", action="store_true", help="print the scenario names and exit")
    parser.add_argument("--write-docs", action="store_true", help="put the results into docs/reliability.md")
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this folder")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file (the pytest suite reads it)")
    args = parser.parse_args()
    known = scenarios(args.outage)
    if args.list:
        print("\n".join(f"{name}{'  (fast)' if s.fast else ''}" for name, s in known.items()))
        return
    unknown = set(args.scenario or ()) - set(known)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; see --list")
    chosen = [s for name, s in known.items()
              if (args.scenario is None or name in args.scenario) and (s.fast or not args.fast)]
    options = Options(tuple(args.vendor or VENDORS), args.outage, args.deadline, args.budget_wait)
    rig = Rig(args.size, args.pace, args.logs)
    try:
        about = machine(rig)
        print(f"machine: {about}", flush=True)
        rows: list[Row] = []
        for scenario in chosen:
            print(f"scenario {scenario.name} …", flush=True)
            rows += asyncio.run(run(rig, scenario, options))
            print(table([r for r in rows if r.scenario == scenario.name]), flush=True)
    finally:
        rig.close()
    text = table(rows)
    print("\n" + text)
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "ok": r.ok} for r in rows], indent=1))
    if args.write_docs:
        command = "python -m bench.faults " + " ".join(sys.argv[1:])
        write_docs(f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {about}; sandbox world of "
                   f"{args.size} contacts, each job request held back {args.pace:g} s. Command: "
                   f"`{command.strip()}`.\n\n{text}")
    sys.exit(0 if all(r.ok for r in rows) else 1)


if __name__ == "__main__":
    main()
