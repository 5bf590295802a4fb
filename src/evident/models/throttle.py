"""A gate every remote model request passes: shared pacing and rate-limit pauses.

By default there is no gate and requests go out at once. A batch installs one for the
duration of each item (:func:`throttled`): before each HTTP request the backend asks the
gate how long to wait (:func:`wait_turn`), and when a server answers 429 it tells the
gate how long to hold back (:func:`rate_limited`), so that every worker sharing the gate
pauses, not only the one that was refused. The gate is anything with ``acquire() ->
seconds`` and ``pause(seconds)``: :class:`evident.batch.limits.RateLimiter` in a process,
or a proxy to one Ray actor that all workers of a batch share.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

__all__ = ["Gate", "rate_limited", "throttled", "wait_turn"]

logger = logging.getLogger(__name__)


class Gate(Protocol):
    """What a shared limiter offers the backends."""

    def acquire(self) -> float:
        """Reserve the next request; return the seconds to wait before sending it."""
        ...

    def pause(self, seconds: float) -> None:
        """Hold every request of every holder back for ``seconds`` from now."""
        ...


_gate: Gate | None = None


@contextmanager
def throttled(gate: Gate | None) -> Iterator[None]:
    """Route this process's model requests through ``gate`` inside the block."""
    global _gate
    previous, _gate = _gate, gate
    try:
        yield
    finally:
        _gate = previous


def wait_turn(sleep: Callable[[float], None]) -> float:
    """Wait until the gate lets the next request go; return the seconds waited."""
    if _gate is None:
        return 0.0
    delay = max(0.0, float(_gate.acquire()))
    if delay > 0:
        sleep(delay)
    return delay


def rate_limited(seconds: float) -> None:
    """Tell the gate that a server refused a request for rate: everyone pauses."""
    if _gate is not None:
        logger.info("rate limited: every worker pauses %.2f s", seconds)
        _gate.pause(seconds)
