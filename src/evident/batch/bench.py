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
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evident.batch.execute import run_batch
from evident.batch.fingerprint import BatchKey
from evident.batch.items import Item
from evident.batch.output import OutputLog
from evident.batch.worker import run_item
from evident.errors import InputError

__all__ = ["BenchRow", "bench_batch", "load_items"]


@dataclass(frozen=True)
class BenchRow:
    """One measured configuration.

    Attributes:
        name: The configuration.
        items: Items run.
        seconds: Wall-clock seconds in total, loading models and starting actors included.
        steady: Items per second from the first result to the last.
        driver_cpu: CPU seconds of the driver process (all its threads), steady state.
        worker_cpu: CPU seconds of the Ray worker actors, steady state (0 without Ray).
        ray_cpu: CPU seconds of Ray's other processes (GCS, raylet, agents), steady state.
        steady_items: Items finished in the steady state (the CPU figures' denominator).
    """

    name: str
    items: int
    seconds: float
    steady: float
    driver_cpu: float = 0.0
    worker_cpu: float = 0.0
    ray_cpu: float = 0.0
    steady_items: int = 0

    def cpu_ms_per_item(self) -> float:
        """All processes' CPU milliseconds per item in the steady state."""
        cpu = self.driver_cpu + self.worker_cpu + self.ray_cpu
        return 1000 * cpu / self.steady_items if self.steady_items else 0.0


def _descendant_cpu() -> tuple[float, float]:
    """CPU seconds of this process's descendants: (Ray map workers, the rest); Linux only.

    Read from ``/proc`` before Ray shuts down, so that every actor is still alive; on a
    shared machine CPU seconds, unlike wall-clock time, are not inflated by others' load.
    """
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    info: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = entry.read_text()
        except OSError:
            continue  # exited meanwhile
        name, _, rest = raw.rpartition(")")
        fields = rest.split()
        pid = int(entry.parent.name)
        parents[pid] = int(fields[1])
        info[pid] = (name.partition("(")[2], (int(fields[11]) + int(fields[12])) / tick)
    mine = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, ppid in parents.items() if ppid in mine} - mine
        grew = bool(found)
        mine |= found
    mine.discard(os.getpid())
    workers = sum(cpu for pid in mine for name, cpu in [info[pid]] if "MapWorker" in name)
    return workers, sum(info[pid][1] for pid in mine) - workers


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


def _stamp(stamps: list[float], marks: list[tuple[float, float, float]], ray: bool) -> None:
    """Time a result; at the first one, also read the CPU spent so far (start-up)."""
    stamps.append(time.perf_counter())
    if not marks:
        marks.append((time.process_time(), *(_descendant_cpu() if ray else (0.0, 0.0))))


def _measure(
    task: str, items: Sequence[Item], mode: str, workers: int, address: str | None
) -> BenchRow:
    """One configuration, timed from start and from its first result to its last.

    CPU seconds are counted from the first result to the last as well (start-up apart);
    Ray's processes only when Ray runs here (``address`` None) on Linux.
    """
    stamps: list[float] = []
    marks: list[tuple[float, float, float]] = []
    ray_here = mode == "ray" and address is None and Path("/proc/self/stat").exists()
    start = time.perf_counter()
    if mode == "loop":
        for item in items:
            run_item(task, item)
            _stamp(stamps, marks, False)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run_batch(
                task,
                items,
                OutputLog(
                    Path(tmp) / "out.jsonl", key=BatchKey.of(task, items, None, ()), resume=False
                ),
                ray_address=(address or "local") if mode == "ray" else None,
                workers=workers,
                on_row=lambda _row: _stamp(stamps, marks, ray_here),
            )
    total = time.perf_counter() - start
    end = (time.process_time(), *(_descendant_cpu() if ray_here else (0.0, 0.0)))
    if mode == "ray":
        import ray

        ray.shutdown()
    # Results of one batch arrive together: the first batch's count as the start.
    first = sum(1 for t in stamps if t - stamps[0] < 0.01) if stamps else 0
    span = stamps[-1] - stamps[0] if len(stamps) > first else 0.0
    name = {
        "loop": "single command in a loop",
        "batch": "batch, in process",
        "ray": f"batch on Ray, {workers} worker{'s' if workers > 1 else ''}",
    }[mode]
    steady = (len(stamps) - first) / span if span else 0.0
    driver, workers_cpu, ray_cpu = (
        (e - m for e, m in zip(end, marks[0], strict=True)) if marks else (0.0, 0.0, 0.0)
    )
    return BenchRow(
        name, len(items), total, steady, driver, workers_cpu, ray_cpu, len(stamps) - first
    )


def bench_batch(
    task: str, items: Sequence[Item], workers: Sequence[int], ray_address: str | None
) -> list[BenchRow]:
    """Measure the baseline, the in-process batch and Ray with each worker count.

    Each configuration runs in a fresh interpreter (no model or cache carried over from
    the one before), and is timed twice: in total (with loading models and starting
    actors) and in steady state (from its first result to its last).
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    configs = [("loop", 1), ("batch", 1)] + [("ray", n) for n in workers]
    rows = []
    for mode, n in configs:
        with ctx.Pool(1) as pool:
            rows.append(pool.apply(_measure, (task, list(items), mode, n, ray_address)))
    return rows
