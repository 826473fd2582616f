"""`cxsuite demo` as a newcomer runs it: a fresh folder, exit 0, a PDF a client would recognise,
and a second run in the same folder that works too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxsuite.demo.audit import CLIENT_NAME
from cxsuite.scoring import shipped_model
from tests.reports.conftest import ARTIFACTS, missing_phrases
from tests.reports.pdfcheck import engineering, untranslated

pytestmark = [pytest.mark.embedded_only, pytest.mark.slow]
CXSUITE = str(Path(sys.executable).with_name("cxsuite"))


def demo(output: Path, *options: str) -> subprocess.CompletedProcess:
    """The command in a clean environment: none of the suite's CXSUITE_* settings leak in (the
    import path does, so a worktree's sources are the ones tested)."""
    env_free = {"PATH": "/usr/bin:/bin", "HOME": str(output.parent), "COLUMNS": "160",
                "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    return subprocess.run([CXSUITE, "demo", "--output", str(output), "--size", "small", *options],  # noqa: S603
                          capture_output=True, text=True, timeout=300, env=env_free, check=False)


def test_demo_leaves_a_report_naming_the_client_and_its_level(tmp_path: Path):
    output = tmp_path / "demo"
    first = demo(output)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    pdf = output / "cx-strategy-report-en.pdf"
    assert f"report: {pdf}" in first.stdout
    assert "console: http://127.0.0.1:" in first.stdout and "./dev demo --serve" in first.stdout
    assert "sign in as owner (consultant): lead@northwind-cx.example" in first.stdout
    level_line = next(line for line in first.stdout.splitlines() if line.startswith("overall maturity"))
    level_name = next(lv.name for lv in shipped_model().levels if f"level {lv.level}, {lv.name}" in level_line)
    missing = missing_phrases(pdf.read_bytes(), [CLIENT_NAME, level_name], False, tmp_path)
    assert not missing, f"not in the demo's PDF: {missing}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "demo-en.pdf").write_bytes(pdf.read_bytes())

    again = demo(output, "--lang", "lt")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    translated = (output / "cx-strategy-report-lt.pdf").read_bytes()
    assert len(translated) > 10_000
    # Read as the client reads it: no English catalogue text, no engineering strings.
    assert untranslated(translated, "lt") == []
    assert engineering(translated) == engineering(pdf.read_bytes()) == []


def test_demo_serve_keeps_the_console_running(tmp_path: Path):
    """``cxsuite demo --serve``: after the audit the console answers at the printed URL, and
    the printed login signs in."""
    import re
    import signal
    import time

    import httpx

    command = [CXSUITE, "demo", "--output", str(tmp_path / "demo"), "--size", "small", "--serve"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    try:
        deadline, url, seen = time.monotonic() + 600, None, []
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            found = re.search(r"console: (http://\S+/) \(Ctrl-C", line)
            url = found.group(1) if found else None
        assert url, "".join(seen)[-3000:]
        with httpx.Client(base_url=url, timeout=30) as http:
            page = http.get("/signin")
            assert page.status_code == 200 and 'name="_csrf_token"' in page.text
            csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
            signed = http.post("/signin", data={"_csrf_token": csrf, "email": "lead@northwind-cx.example",
                                                "password": "demo-password-2026"})
            assert signed.status_code == 303
            assert "Aurora Home" in http.get("/").text
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
