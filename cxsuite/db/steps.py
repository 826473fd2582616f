"""Wall time and CPU per named step of a long job, recorded only when someone asks.

A score run at scale spends its time in a dozen places, half of them inside PostgreSQL, where
Python's clock cannot tell a busy server from a loaded machine. :func:`step` marks a part of
the work; inside :func:`recording` each step's wall time, this process's CPU and, on
PostgreSQL, the CPU of the server backend that ran the step's transaction (read from
``/proc``, so only when the server is local; parallel query workers are not counted) are
kept in order. Outside :func:`recording` a step costs one context-variable lookup.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from piccolo.engine.base import Engine


@dataclass(frozen=True, slots=True)
class Step:
    """One finished step: seconds of wall, of this process's CPU and of the server backend's
    CPU (``None`` where that cannot be read: SQLite runs in this process, a remote server)."""

    name: str
    depth: int
    """Steps open around it when it ran: a nested step's time is part of its parent's."""
    wall: float
    cpu: float
    db_cpu: float | None


@dataclass
class StepLog:
    """The steps recorded so far, in the order they finished."""

    steps: list[Step] = field(default_factory=list)
    depth: int = 0

    def table(self) -> str:
        """A fixed-width table for a terminal."""
        lines = [f"{'step':<34} {'wall s':>8} {'py cpu s':>9} {'db cpu s':>9}"]
        for s in self.steps:
            db = f"{s.db_cpu:9.2f}" if s.db_cpu is not None else f"{'-':>9}"
            name = "  " * s.depth + s.name
            lines.append(f"{name:<34} {s.wall:8.2f} {s.cpu:9.2f} {db}")
        return "\n".join(lines)


_log: ContextVar[StepLog | None] = ContextVar("cxsuite_step_log", default=None)


@contextmanager
def recording() -> Iterator[StepLog]:
    """Record every :func:`step` run in this context."""
    log = StepLog()
    token = _log.set(log)
    try:
        yield log
    finally:
        _log.reset(token)


def _backend_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@asynccontextmanager
async def step(engine: Engine, name: str) -> AsyncIterator[None]:
    """Time the enclosed work as ``name`` when recording; the backend is the one of the
    transaction open at the start, if any."""
    log = _log.get()
    if log is None:
        yield
        return
    pid = None
    transaction = engine.current_transaction.get()
    if engine.engine_type == "postgres" and transaction is not None:
        pid = await transaction.connection.fetchval("SELECT pg_backend_pid()")
    db_start, cpu_start, wall_start = _backend_cpu(pid), time.process_time(), time.perf_counter()
    depth, log.depth = log.depth, log.depth + 1
    try:
        yield
    finally:
        log.depth = depth
    db_end = _backend_cpu(pid)
    log.steps.append(Step(name, depth, time.perf_counter() - wall_start, time.process_time() - cpu_start,
                          db_end - db_start if db_end is not None and db_start is not None else None))
