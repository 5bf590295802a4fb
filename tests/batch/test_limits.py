"""The shared requests-per-minute limit: a token bucket with a burst per worker."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.parametrize(
    ("task", "item_waits"),
    [
        ("deid", [0, 100, 200]),  # no model requests: --rate-limit paces the items
        ("triage", []),  # a model task: its requests are paced, here none (offline)
    ],
)
def test_in_process_rate_limit_paces_items_of_tasks_without_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task: str, item_waits: list[float]
) -> None:
    import evident.batch.execute as execute
    from evident.batch import BatchKey, OutputLog, read_items, run_batch

    waits: list[float] = []
    monkeypatch.setattr(execute.time, "sleep", waits.append)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"m{i}.txt").write_text("Runny nose for two days, no fever.\n")
    items = read_items(folder, task)
    log = OutputLog(tmp_path / "out.jsonl", key=BatchKey.of(task, items, None, ()), resume=False)
    # One item per 100 s; the sleeps are recorded, not slept (the items' own run time,
    # spaCy's load included, shortens them by seconds).
    summary = run_batch(task, items, log, rate_limit=0.6, audit=False)
    assert summary.ok == 3
    assert len(waits) == len(item_waits)
    assert all(0 <= nominal - w < 30 for w, nominal in zip(waits, item_waits, strict=True))
