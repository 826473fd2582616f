"""Classifying any exception once, so every caller acts on the same answer.

The job runner, the sync engine and the API ask :func:`classify` what a failure is instead of
testing exception types themselves: a transport error from httpx, a database deadlock and a
vendor's daily limit each map to one :class:`~cxsuite.errors.FailureClass`, with the wait the
failure implies when one is known.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import httpx
import redis.exceptions

from cxsuite.errors import CxsuiteError, FailureClass

# asyncpg's and Piccolo's connection-level failures, named so this module needs neither.
_TRANSIENT_DATABASE_ERRORS = frozenset({
    "DeadlockDetectedError", "SerializationError", "ConnectionDoesNotExistError",
    "InterfaceError", "CannotConnectNowError", "AdminShutdownError", "ConnectionFailureError",
    "TooManyConnectionsError"})


@dataclass(frozen=True)
class Failure:
    """What went wrong, in words the reader can act on, and when trying again makes sense."""

    failure_class: FailureClass
    message: str
    retry_after: float | None = None
    resume_at: datetime | None = None

    @property
    def retryable(self) -> bool:
        """Whether the work may be tried again without a person doing anything."""
        return self.failure_class in (FailureClass.TRANSIENT, FailureClass.RATE_LIMITED)


def classify(exc: BaseException) -> Failure:
    """The one place an exception becomes a :class:`Failure`."""
    if isinstance(exc, CxsuiteError):
        return Failure(exc.failure_class, exc.detail, getattr(exc, "retry_after", None),
                       getattr(exc, "resume_at", None))
    if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError
                  | redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return Failure(FailureClass.TRANSIENT,
                       f"temporary network failure ({type(exc).__name__})")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return Failure(FailureClass.TRANSIENT, "the database was busy")
    if type(exc).__name__ in _TRANSIENT_DATABASE_ERRORS or isinstance(exc, OSError):
        return Failure(FailureClass.TRANSIENT, f"temporary failure ({type(exc).__name__})")
    return Failure(FailureClass.INTERNAL, "unexpected error; it has been logged for the operators")
