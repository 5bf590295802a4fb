"""Backends pass every request through the installed gate and report 429s to it."""

from __future__ import annotations

from typing import Any

import pytest

from evident.batch.limits import RateLimiter
from evident.models.base import GenerationRequest, Message
from evident.models.throttle import rate_limited, throttled, wait_turn
from tests.models.conftest import Answer

GOOD = {"json": {"answer": "yes", "confidence": 8}}
REQUEST = GenerationRequest(
    messages=(Message("user", "Is it sunny?"),),
    output_type=Answer,
)


class _Gate:
    """Records what the backend asked; hands out scripted waits."""

    def __init__(self, waits: list[float]) -> None:
        self.waits = list(waits)
        self.acquired = 0
        self.pauses: list[float] = []

    def acquire(self) -> float:
        self.acquired += 1
        return self.waits.pop(0) if self.waits else 0.0

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


@pytest.mark.parametrize(
    ("script", "waits", "pauses", "sleeps_expected"),
    [
        # A 429 with Retry-After: the gate hears the server's delay; the backend sleeps it.
        ([{"status": 429, "headers": {"Retry-After": "1.5"}}, GOOD], [0, 0], [1.5], [1.5]),
        # Without Retry-After the pause is the backoff (0.25 s, jitter off below).
        ([{"status": 429}, GOOD], [0, 0], [0.25], [0.25]),
        # A 503 is no rate limit: nobody else pauses.
        ([{"status": 503}, GOOD], [0, 0], [], [0.25]),
        # The gate's own wait (another worker's 429, or the pace) comes before sending.
        ([GOOD], [2.0], [], [2.0]),
    ],
)
def test_each_request_asks_the_gate_and_429s_pause_it(
    make_backend: Any,
    sleeps: Any,
    monkeypatch: pytest.MonkeyPatch,
    script: list[dict[str, Any]],
    waits: list[float],
    pauses: list[float],
    sleeps_expected: list[float],
) -> None:
    monkeypatch.setattr("evident.models.settings.random.uniform", lambda a, b: 1.0)
    backend = make_backend(script, retries=2, backoff=0.25)
    gate = _Gate(waits)
    with throttled(gate):
        assert backend.generate(REQUEST).value.confidence == 8
    assert gate.acquired == len(script)
    assert gate.pauses == pauses
    assert sleeps.delays == sleeps_expected


def test_without_a_gate_nothing_waits(make_backend: Any, sleeps: Any) -> None:
    backend = make_backend([GOOD])
    backend.generate(REQUEST)
    assert sleeps.delays == []
    assert wait_turn(sleeps) == 0.0
    rate_limited(5.0)  # no gate: nothing to tell, no error


class _Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("rpm", "after_pause"), [(None, [3.0, 3.0]), (60, [3.0, 4.0])])
def test_a_429_holds_back_the_other_holders(rpm: float | None, after_pause: list[float]) -> None:
    clock = _Clock()
    limiter = RateLimiter(rpm, clock=clock)
    assert limiter.acquire() == 0.0
    clock.now += 1.0
    with throttled(limiter):
        rate_limited(3.0)
    # Two workers asking right after: both wait out the pause (and the pace, if any).
    assert [limiter.acquire() for _ in after_pause] == after_pause
    clock.now += 10.0
    assert limiter.acquire() == 0.0
