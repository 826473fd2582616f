"""Where an authenticated request spends its time: py-spy samples every uvicorn worker while
wrk drives one endpoint, and the stacks are summarised by stage of the request path.

py-spy (``pip install py-spy``; declared in the ``bench`` extra) samples from outside the
process, so the profile costs the server nothing it would not pay anyway and needs no change
to the code under test. Idle frames (the event loop waiting) are left out by py-spy, so the
shares below are shares of the workers' busy time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

# Stages of the request path, matched against any frame of a sampled stack (a stack counts
# once per stage; stages nest, so the shares do not add up to 100 %).
STAGES = (
    ("bearer-token middleware (whole authentication)", "authenticate_request (cxsuite/api/auth.py"),
    ("token lookup and roles (service.authenticate)", "authenticate (cxsuite/identity/service.py"),
    ("tenant scope: transaction (open with set_config, commit) or one-statement read", "cxsuite/db/session.py"),
    ("Piccolo query building and result handling", "piccolo/"),
    ("asyncpg (protocol, pool acquire/release, reset)", "asyncpg/"),
    ("  of which pool acquire/release", "asyncpg/pool.py"),
    ("handler bodies (controllers + services)", "/controllers.py"),
    ("  of which the list query: search, sort, page, total (db/listing.py)", "cxsuite/db/listing.py"),
    ("response serialisation (msgspec/Litestar)", "litestar/serialization"),
    ("Litestar routing, DI, middleware stack", "litestar/"),
    ("uvicorn HTTP protocol", "uvicorn/"),
)

PACKAGES = ("cxsuite", "piccolo", "asyncpg", "litestar", "msgspec", "uvicorn", "asyncio", "uvloop",
            "httptools", "typing", "re", "json", "logging")


def executable() -> str | None:
    """py-spy on the PATH, or beside this interpreter (installed in the virtualenv)."""
    beside = Path(sys.executable).parent / "py-spy"
    return shutil.which("py-spy") or (str(beside) if beside.exists() else None)


def available() -> bool:
    """Whether py-spy is installed."""
    return executable() is not None


def record(master_pid: int, seconds: float, output: Path) -> threading.Thread:
    """Start sampling the server and its worker processes; join the thread for the result."""
    command = [executable() or "py-spy", "record", "--pid", str(master_pid), "--subprocesses", "--nonblocking",
               "--duration", str(int(seconds)), "--rate", "250", "--format", "raw",
               "--output", str(output)]
    thread = threading.Thread(target=subprocess.run, args=(command,),
                              kwargs={"capture_output": True, "check": False, "timeout": seconds + 60})
    thread.start()
    return thread


def summarise(raw: Path) -> dict[str, object]:
    """Shares of busy samples by stage (inclusive) and by the package of the running frame."""
    total, stages, leaves = 0, Counter(), Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        for label, needle in STAGES:
            if needle in stack:
                stages[label] += n
        leaves[_package(stack.rsplit(";", 1)[-1])] += n
    share = {label: stages[label] / total for label, _ in STAGES} if total else {}
    return {"samples": total, "stages": share,
            "self_by_package": {k: v / total for k, v in leaves.most_common(8)} if total else {}}


def _package(frame: str) -> str:
    """``name (path/to/package/module.py:12)`` → the package that owns the frame."""
    path = frame.rpartition("(")[2]
    for part in path.replace("\\", "/").split("/"):
        name = part.removesuffix(".py").split(":")[0]
        if name in PACKAGES:
            return name
    return "other"
