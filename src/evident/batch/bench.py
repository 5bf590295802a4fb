"""``evident bench batch``: items per second in process and on Ray, and batch overhead.

Items are built from ACI-Bench (``dataset,encounter_id,dialogue,note`` CSV files): for
``deid`` each note is an item, for ``verify`` each (dialogue, note) pair; ``repeat``
copies them under new ids so that a run is long enough to measure. The baseline is the
single command run in a loop in one process (what a script calling ``evident TASK`` per
file would cost without process start-up); the rows are the same items through ``evident
batch`` in process and on Ray with each worker count. Ray's start-up is timed apart.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evident.batch.execute import run_batch
from evident.batch.items import Item
from evident.batch.output import OutputLog
from evident.batch.worker import run_item
from evident.errors import InputError

__all__ = ["BenchRow", "bench_batch", "load_items"]


@dataclass(frozen=True)
class BenchRow:
    """One measured configuration."""

    name: str
    items: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


def load_items(paths: Sequence[Path], task: str, repeat: int) -> list[Item]:
    """Items of ``task`` from ACI-Bench CSV files, copied ``repeat`` times."""
    csv.field_size_limit(sys.maxsize)
    base: list[tuple[str, dict[str, str]]] = []
    for path in paths:
        try:
            with path.open(newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    base.append((f"{path.stem}-{row['encounter_id']}", row))
        except (OSError, KeyError) as exc:
            raise InputError(
                f"'{path.name}' is not an ACI-Bench CSV ({type(exc).__name__})"
            ) from None
    items = []
    for copy in range(repeat):
        for key, row in base:
            files: tuple[tuple[str, str, bytes], ...]
            if task == "deid":
                files = (("text", "note.txt", row["note"].encode()),)
            else:
                dialogue = row["dialogue"].encode()
                files = (
                    ("source", "source.txt", dialogue),
                    ("draft", "draft.txt", row["note"].encode()),
                )
            items.append(Item(f"{key}-{copy}", files))
    return items


def _timed(name: str, n: int, fn: object) -> BenchRow:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return BenchRow(name, n, time.perf_counter() - wall, time.process_time() - cpu)


def bench_batch(
    task: str, items: Sequence[Item], workers: Sequence[int], ray_address: str | None
) -> tuple[list[BenchRow], float]:
    """Measure the baseline, the in-process batch and Ray with each worker count.

    Returns:
        The rows and Ray's start-up seconds (0 when Ray was not measured).
    """
    rows = [
        _timed("single command in a loop", len(items), lambda: [run_item(task, i) for i in items])
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        rows.append(
            _timed(
                "batch, in process",
                len(items),
                lambda: run_batch(task, items, OutputLog(out, resume=False)),
            )
        )
        startup = 0.0
        if workers:
            from evident.batch.execute import _connect

            t0 = time.perf_counter()
            _connect(ray_address or "local", max(workers))
            startup = time.perf_counter() - t0
        for n in workers:
            # A warm-up pass starts the actors; the measured pass then runs on the pool.
            run_batch(
                task,
                items[: 2 * n],
                OutputLog(out, resume=False),
                ray_address=ray_address or "local",
                workers=n,
            )
            rows.append(
                _timed(
                    f"batch on Ray, {n} worker{'s' if n > 1 else ''}",
                    len(items),
                    lambda n=n: run_batch(
                        task,
                        items,
                        OutputLog(out, resume=False),
                        ray_address=ray_address or "local",
                        workers=n,
                    ),
                )
            )
    return rows, startup
