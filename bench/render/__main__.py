"""``python -m bench.render [--lang en lt lv ru fa] [--repeat 3]``: render time and peak memory
of the full sample strategy report in each language.

Each render runs in a fresh process, so the peak RSS read from ``RUSAGE_CHILDREN`` belongs to
that render's WeasyPrint child alone. The ceiling measured in the same run is the fixed cost of
any render: a one-page document with the same fonts and stylesheet through the same bounded
child process (interpreter start, WeasyPrint import, font loading). The ratio says how much of
a report's time is its own layout rather than that overhead.
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

LANGUAGES = ("en", "lt", "lv", "ru", "fa")


def measure(language: str | None) -> dict[str, float]:
    """Render once (``None``: the one-page baseline) and return times, pages and peak memory."""
    from pypdf import PdfReader

    from cxsuite.reports.render import html_to_pdf, render_html
    from cxsuite.reports.sample import sample_document

    started = time.perf_counter()
    if language is None:
        html = ("<!doctype html><html><head><style>body { font-family: 'Noto Sans' }</style></head>"
                "<body><h1>Baseline</h1><p>One page, bundled font.</p></body></html>")
    else:
        html = render_html(sample_document(language))
    templated = time.perf_counter()
    pdf = html_to_pdf(html).pdf
    finished = time.perf_counter()
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"html_s": templated - started, "pdf_s": finished - templated, "total_s": finished - started,
            "pages": len(PdfReader(BytesIO(pdf)).pages), "bytes": len(pdf), "child_peak_mb": child_peak,
            "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(language: str | None) -> dict[str, float]:
    """One measurement in a fresh process (peak RSS carries over fork, so each gets its own)."""
    command = [sys.executable, "-m", "bench.render", "--one", language or "baseline"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - our module
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(language: str | None, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` runs (memory: the largest seen)."""
    runs = [child(language) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["total_s"])
    return {**fastest, "child_peak_mb": max(r["child_peak_mb"] for r in runs)}


def main() -> None:
    """Parse the arguments and print one line per language plus a Markdown table row each."""
    parser = argparse.ArgumentParser(prog="python -m bench.render", description=__doc__)
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(None if args.one == "baseline" else args.one)))
        return
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"machine: {platform.node()} {machine}")
    baseline = best(None, args.repeat)
    print(f"baseline (one page): {baseline['total_s']:.2f} s, child peak {baseline['child_peak_mb']:.0f} MB")
    rows = []
    for language in args.lang:
        r = best(language, args.repeat)
        print(f"{language}: {r['pages']:.0f} pages, {r['bytes'] / 1024:.0f} KiB, templates {r['html_s']:.2f} s, "
              f"PDF {r['pdf_s']:.2f} s, total {r['total_s']:.2f} s ({r['total_s'] / baseline['total_s']:.1f}× "
              f"baseline), WeasyPrint peak {r['child_peak_mb']:.0f} MB, caller peak {r['self_peak_mb']:.0f} MB")
        rows.append(f"| {date.today()} | {machine} | {language} | {r['pages']:.0f} | {r['html_s']:.2f} s | "
                    f"{r['pdf_s']:.2f} s | {r['total_s']:.2f} s | {r['total_s'] / baseline['total_s']:.1f} | "
                    f"{r['child_peak_mb']:.0f} MB |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
