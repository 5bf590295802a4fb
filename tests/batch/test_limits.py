"""The shared requests-per-minute limit: a token bucket with a burst per worker."""

from __future__ import annotations

import pytest

from evident.batch.limits import RateLimiter


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("rpm", "burst", "waits"),
    [
        (60, 1, [0.0, 1.0, 2.0, 3.0]),
        (120, 1, [0.0, 0.5, 1.0]),
        (60, 3, [0.0, 0.0, 0.0, 1.0, 2.0]),
    ],
)
def test_waits(rpm: float, burst: int, waits: list[float]) -> None:
    limiter = RateLimiter(rpm, burst=burst, clock=_Clock())
    assert [round(limiter.acquire(), 6) for _ in waits] == waits


def test_idle_time_does_not_bank_more_than_the_burst() -> None:
    clock = _Clock()
    limiter = RateLimiter(60, burst=2, clock=clock)
    clock.now += 1000
    assert [limiter.acquire() for _ in range(3)] == [0.0, 0.0, 1.0]


def test_pause_holds_everyone() -> None:
    clock = _Clock()
    limiter = RateLimiter(600, clock=clock)
    limiter.pause(30)
    assert limiter.acquire() == pytest.approx(30.0)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
