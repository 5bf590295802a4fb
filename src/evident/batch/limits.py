"""A requests-per-minute limit and rate-limit pauses shared by every worker of a batch.

A token bucket: ``acquire()`` returns how long the caller must wait before its request.
On Ray one :class:`RateLimiter` actor serves all workers, so the limit is global across
processes and machines; in process it is a plain object. Backends consult it before each
request (see :mod:`evident.models.throttle`); a worker that receives a 429 calls
``pause(seconds)`` and every worker waits it out, with or without a requests-per-minute
limit.
"""

from __future__ import annotations

import threading
import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token bucket of ``per_minute`` requests with a burst of one request per worker.

    Args:
        per_minute: Requests allowed per minute (> 0), or None for no pace: only
            :meth:`pause` holds requests back.
        burst: Requests that may start at once.
        clock: Time source (seconds); injectable for tests.
    """

    def __init__(self, per_minute: float | None, burst: int = 1, clock: object = None) -> None:
        if per_minute is not None and per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0 if per_minute is not None else None
        self.burst = max(1, burst)
        self._clock = clock if callable(clock) else time.monotonic
        # When the next request may start; a full burst is available at once.
        self._next = float(self._clock()) - self._banked()
        self._lock = threading.Lock()

    def _banked(self) -> float:
        """How far back idle time may push the next start (the burst)."""
        return (self.burst - 1) / self.rate if self.rate is not None else 0.0

    def acquire(self) -> float:
        """Reserve the next slot; return the seconds to wait before using it."""
        with self._lock:
            now = float(self._clock())
            start = max(self._next, now - self._banked())
            if self.rate is not None:
                self._next = start + 1.0 / self.rate
            return max(0.0, start - now)

    def pause(self, seconds: float) -> None:
        """Hold every request back for ``seconds`` (a 429's Retry-After or backoff)."""
        with self._lock:
            self._next = max(self._next, float(self._clock()) + max(0.0, seconds))
