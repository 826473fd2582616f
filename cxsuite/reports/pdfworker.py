"""The child process that prints one report, forked from a process that has WeasyPrint loaded.

Importing WeasyPrint costs about 0.75 s of CPU (cffi parses the C declarations of Pango,
HarfBuzz and fontconfig on every import), a fifth of a whole 20-page render. So the renderer
starts a fork server once per process (:func:`cxsuite.reports.render.html_to_pdf`) that imports
WeasyPrint ahead of time (:data:`PRELOAD`); each render is a fresh fork of that clean,
tenant-free process. A runaway layout is still killed with its own process and leaks nothing
into the next job: the child lowers its address-space and CPU limits first, reads the HTML from
its work folder and writes ``report.pdf``, ``refused.json`` (what the fetcher refused) and
``usage.json`` (its own peak memory and CPU time, for the benchmark and the logs) there; a
failure leaves ``error.txt`` with the exception's last line.

``python -m cxsuite.reports.pdfworker <templates> <out> <memory> <cpu> <identifier>`` still
prints stdin's HTML the same way in a process of its own (no fork server needed).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

# What the fork server imports ahead of the first render; this module itself stays light so the
# API process that starts renders never loads WeasyPrint.
PRELOAD = ("cxsuite.reports.pdfworker", "weasyprint", "cxsuite.reports.fetcher")


def limit(memory_bytes: int, cpu_s: int) -> None:
    """Cap address space and CPU time; the parent adds the wall-clock timeout."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))


def _usage() -> dict[str, float]:
    """This process's peak resident memory (MB) and CPU time (s)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_mb": own.ru_maxrss / 1024, "cpu_s": own.ru_utime + own.ru_stime}


def print_html(html: str, templates_dir: Path, out: Path, identifier: str) -> None:
    """Print ``html`` to ``out/report.pdf`` with only bundled assets reachable."""
    from weasyprint import HTML

    from cxsuite.reports.fetcher import SafeFetcher

    fetcher = SafeFetcher(templates_dir)
    document = HTML(string=html, base_url=templates_dir.as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(out / "report.pdf", pdf_identifier=identifier.encode(), uncompressed_pdf=False,
                       pdf_variant="pdf/ua-1")
    (out / "refused.json").write_text(json.dumps(fetcher.refused))
    (out / "usage.json").write_text(json.dumps(_usage()))


def forked(templates_dir: str, out: str, memory: int, cpu: int, identifier: str, source_epoch: int) -> None:
    """The fork server's child: limits first, then ``out/report.html`` to ``out/report.pdf``.

    ``SOURCE_DATE_EPOCH`` pins the timestamps font subsetting writes, so the same HTML gives the
    same bytes. Any exception is written to ``error.txt`` and ends the child with code 1.
    """
    folder = Path(out)
    # Opened before the limits: after a MemoryError there may be no room left to open a file.
    error = os.open(folder / "error.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        limit(memory, cpu)
        os.environ["SOURCE_DATE_EPOCH"] = str(source_epoch)
        print_html((folder / "report.html").read_text(), Path(templates_dir), folder, identifier)
    except MemoryError:
        os.write(error, b"MemoryError")
        os._exit(1)
    except BaseException as exc:  # the parent reads the reason from error.txt
        os.write(error, f"{type(exc).__name__}: {exc}"[:500].encode())
        os._exit(1)
    os.close(error)


def main(argv: list[str]) -> int:
    """Print stdin's HTML to ``<out>/report.pdf``; return the process exit code."""
    templates_dir, out, memory, cpu, identifier = argv
    limit(int(memory), int(cpu))
    print_html(sys.stdin.buffer.read().decode(), Path(templates_dir), Path(out), identifier)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
