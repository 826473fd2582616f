"""``python -m bench.render [--lang en lt lv ru fa] [--repeat 3]``: render time and peak memory
of the full sample strategy report in each language.

Each measurement runs in a fresh process that first warms the renderer's fork server (as the
worker does at start-up), then renders once: the time is the steady-state cost of one report,
templates plus the bounded WeasyPrint child forked for it. Peak memory and CPU time are the
child's own (``usage`` of :class:`~cxsuite.reports.render.RenderedPdf`). Wall time on a shared
machine measures the scheduler as much as the render, so CPU time is printed beside it. The
ceiling measured in the same run is the fixed cost of any render: a one-page document with the
same fonts through the same child. The ratio says how much of a report's time is its own layout
rather than that overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path

LANGUAGES = ("en", "lt", "lv", "ru", "fa")


def measure(language: str | None) -> dict[str, float]:
    """Render once (``None``: the one-page baseline) and return times, pages and peak memory."""
    from pypdf import PdfReader

    from cxsuite.reports.render import html_to_pdf, render_html, warm_up
    from cxsuite.reports.sample import sample_document

    warm_up()
    started, cpu_started = time.perf_counter(), time.process_time()
    if language is None:
        html = ("<!doctype html><html><head><style>body { font-family: 'Noto Sans' }</style></head>"
                "<body><h1>Baseline</h1><p>One page, bundled font.</p></body></html>")
    else:
        html = render_html(sample_document(language))
    templated, html_cpu = time.perf_counter(), time.process_time() - cpu_started
    result = html_to_pdf(html)
    finished = time.perf_counter()
    return {"html_s": templated - started, "pdf_s": finished - templated, "total_s": finished - started,
            "cpu_s": html_cpu + result.usage["cpu_s"], "pages": len(PdfReader(BytesIO(result.pdf)).pages),
            "bytes": len(result.pdf), "child_peak_mb": result.usage["peak_mb"],
            "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "load": os.getloadavg()[0]}


def child(language: str | None) -> dict[str, float]:
    """One measurement in a fresh process (peak RSS carries over fork, so each gets its own)."""
    command = [sys.executable, "-m", "bench.render", "--one", language or "baseline"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our module
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(language: str | None, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` runs by CPU time (memory: the largest seen)."""
    runs = [child(language) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["cpu_s"])
    return {**fastest, "total_s": min(r["total_s"] for r in runs),
            "child_peak_mb": max(r["child_peak_mb"] for r in runs)}


HEADER = ("| date | machine | load | language | pages | templates | PDF (wall) | total (wall) | total CPU "
          "| CPU / one-page | WeasyPrint peak |\n|---|---|---|---|---|---|---|---|---|---|---|")
SECTION = "## Report rendering"


def record(rows: list[str], results: Path) -> None:
    """Append this run's table at the end of the report-rendering section of ``bench/RESULTS.md``."""
    text = results.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    end = len(text) if end < 0 else end + 1
    table = "\n`python -m bench.render` (fork server, steady state):\n\n" + HEADER + "\n" + "\n".join(rows) + "\n\n"
    results.write_text(text[:end].rstrip("\n") + "\n" + table + text[end:])


def main() -> None:
    """Parse the arguments, print one line per language and a Markdown row each; ``--record``
    appends the rows to bench/RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.render", description=__doc__)
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append the rows to bench/RESULTS.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(None if args.one == "baseline" else args.one)))
        return
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    print(f"machine: {platform.node()} {machine}")
    baseline = best(None, args.repeat)
    print(f"baseline (one page): {baseline['total_s']:.2f} s wall, {baseline['cpu_s']:.2f} s CPU, "
          f"child peak {baseline['child_peak_mb']:.0f} MB")
    rows = [f"| {date.today()} | {machine} | {baseline['load']:.1f} | one page (ceiling) | 1 | "
            f"{baseline['html_s']:.2f} s | {baseline['pdf_s']:.2f} s | {baseline['total_s']:.2f} s | "
            f"{baseline['cpu_s']:.2f} s | 1.0 | {baseline['child_peak_mb']:.0f} MB |"]
    for language in args.lang:
        r = best(language, args.repeat)
        ratio = r["cpu_s"] / baseline["cpu_s"]
        print(f"{language}: {r['pages']:.0f} pages, {r['bytes'] / 1024:.0f} KiB, templates {r['html_s']:.2f} s, "
              f"PDF {r['pdf_s']:.2f} s, total {r['total_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU "
              f"({ratio:.1f}× one page), WeasyPrint peak {r['child_peak_mb']:.0f} MB, "
              f"caller peak {r['self_peak_mb']:.0f} MB, load {r['load']:.1f}")
        rows.append(f"| {date.today()} | same | {r['load']:.1f} | {language} | {r['pages']:.0f} | "
                    f"{r['html_s']:.2f} s | {r['pdf_s']:.2f} s | {r['total_s']:.2f} s | {r['cpu_s']:.2f} s | "
                    f"{ratio:.1f} | {r['child_peak_mb']:.0f} MB |")
    print(HEADER, *rows, sep="\n")
    if args.record:
        record(rows, Path(__file__).resolve().parents[1] / "RESULTS.md")


if __name__ == "__main__":
    main()
