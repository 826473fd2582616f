"""The job kinds: what a job body is, and the registry domains add their bodies to.

``jobs/`` does not import the domains; each domain registers its kind when imported
(``cxsuite.jobs.registered`` imports them), so the core stays free of domain dependencies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cxsuite.db.session import Database
from cxsuite.settings import Settings


@dataclass
class Resources:
    """What a process (web or worker) shares with the job bodies it runs."""

    db: Database
    settings: Settings
    plugins: Any
    redis: Any = None
    queue: Any = None


@dataclass
class JobContext:
    """What a job body may use: resources, its ids, progress reporting and cancellation."""

    resources: Resources
    job_id: UUID
    tenant_id: UUID
    workspace_id: UUID | None
    subject_id: UUID
    created_by: UUID | None
    log: logging.LoggerAdapter
    _beat: Callable[[float | None, dict[str, Any] | None], Awaitable[bool]] = field(repr=False)
    _cancel_requested: bool = False

    async def report_progress(self, fraction: float, counts: dict[str, Any] | None = None) -> None:
        """Record progress 0..1 and counts; also proves the worker is alive."""
        self._cancel_requested = await self._beat(fraction, counts) or self._cancel_requested

    async def cancelled(self) -> bool:
        """Whether cancellation was requested (checked by bodies at batch boundaries)."""
        if not self._cancel_requested:
            self._cancel_requested = await self._beat(None, None)
        return self._cancel_requested


Body = Callable[[JobContext], Awaitable[str]]


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its body, how long it may run, how often a transient failure is retried."""

    name: str
    body: Body
    timeout_s: float
    max_attempts: int = 5
    warm_up: Callable[[], None] | None = None
    """Blocking preparation a worker runs once as it starts, so the kind's first job is as fast
    as the rest (the report kind starts its renderer's fork server with WeasyPrint loaded)."""


_KINDS: dict[str, JobKind] = {}
log = logging.getLogger("cxsuite.jobs")


def register_kind(kind: JobKind) -> None:
    """Make a kind runnable (domains call this at import)."""
    _KINDS[kind.name] = kind


def kind(name: str) -> JobKind:
    """The registered kind, or ``KeyError`` with what is known."""
    if name not in _KINDS:
        raise KeyError(f"no job kind {name!r}; registered: {', '.join(sorted(_KINDS))}")
    return _KINDS[name]


def longest_timeout() -> float:
    """What the queue's own per-job timeout must exceed."""
    return max((k.timeout_s for k in _KINDS.values()), default=600.0)


def warm_up_all() -> None:
    """Every registered kind's warm-up (blocking; the worker runs it in a thread at start). A
    failure is logged and the worker starts anyway: the kind's first job then pays the cost, or
    fails with its own error, where someone will see it."""
    for job_kind in _KINDS.values():
        if job_kind.warm_up is None:
            continue
        try:
            job_kind.warm_up()
        except Exception:
            log.warning("warming up job kind %s failed; its first job will start cold", job_kind.name,
                        exc_info=True)
