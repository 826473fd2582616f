"""The child process that prints one report: ``python -m cxsuite.reports.pdfworker``.

It lowers its own limits *before* importing WeasyPrint, reads the HTML on stdin and writes
``report.pdf`` and ``refused.json`` into the folder it is given. Running here rather than in the
worker means a runaway layout is killed with its process and leaks nothing into the next job.

Arguments: templates folder, output folder, address-space limit (bytes), CPU limit (seconds),
PDF identifier (derived from the HTML so the same input gives the same file).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def limit(memory_bytes: int, cpu_s: int) -> None:
    """Cap address space and CPU time; the parent adds the wall-clock timeout."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))


def main(argv: list[str]) -> int:
    """Print stdin's HTML to ``<out>/report.pdf``; return the process exit code."""
    templates_dir, out, memory, cpu, identifier = argv
    limit(int(memory), int(cpu))
    from weasyprint import HTML

    from cxsuite.reports.fetcher import SafeFetcher

    fetcher = SafeFetcher(Path(templates_dir))
    html = sys.stdin.buffer.read().decode()
    document = HTML(string=html, base_url=Path(templates_dir).as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(Path(out) / "report.pdf", pdf_identifier=identifier.encode(), uncompressed_pdf=False,
                       pdf_variant="pdf/ua-1")
    (Path(out) / "refused.json").write_text(json.dumps(fetcher.refused))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
