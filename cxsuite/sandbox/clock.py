"""The sandbox's own clock: it starts at the world's ``now`` and can be pushed forward.

Token expiry and mutation timestamps read this clock, not the wall clock, so a test can
expire a 30-minute HubSpot token by advancing 1,801 seconds instead of waiting, and so changes
made by mutations are always later than every generated record.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta


class Clock:
    """World time that runs at wall-clock speed from ``start`` plus whatever tests add."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._started = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current sandbox time (timezone-aware, millisecond precision)."""
        elapsed = time.monotonic() - self._started + self._offset
        moment = self._start + timedelta(seconds=elapsed)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def advance(self, seconds: float) -> datetime:
        """Jump forward; returns the new time."""
        with self._lock:
            self._offset += seconds
        return self.now()
