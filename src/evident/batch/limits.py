"""A requests-per-minute limit shared by every worker of a batch.

A token bucket: ``acquire()`` returns how long the caller must wait before its request.
On Ray one :class:`RateLimiter` actor serves all workers, so the limit is global across
processes and machines; in process it is a plain object. A worker that receives a 429
calls ``pause(seconds)`` and every worker waits it out.
"""

from __future__ import annotations

import threading
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token bucket of ``per_minute`` requests with a burst of one request per worker.

    Args:
        per_minute: Requests allowed per minute (> 0).
        burst: Requests that may start at once.
        clock: Time source (seconds); injectable for tests.
    """

    def __init__(self, per_minute: float, burst: int = 1, clock: object = None) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._clock = clock if callable(clock) else time.monotonic
        # When the next request may start; a full burst is available at once.
        self._next = float(self._clock()) - (self.burst - 1) / self.rate
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Reserve the next slot; return the seconds to wait before using it."""
        with self._lock:
            now = float(self._clock())
            earliest = now - (self.burst - 1) / self.rate
            start = max(self._next, earliest)
            self._next = start + 1.0 / self.rate
            return max(0.0, start - now)

    def pause(self, seconds: float) -> None:
        """Hold every request back for ``seconds`` (a 429's Retry-After)."""
        with self._lock:
            self._next = max(self._next, float(self._clock()) + max(0.0, seconds))
