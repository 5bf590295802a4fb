"""Run a batch: in this process, or on Ray Data over an actor pool.

Both paths run each item with :func:`evident.batch.worker.run_item` and append its line to
the :class:`~evident.batch.output.OutputLog` as soon as it arrives, so what finished is
kept whatever happens next. On Ray, ``map_batches`` runs a pool of ``workers`` actors
(each loads lexicons and models once), Ray Data's streaming executor gives backpressure,
and an actor that dies is restarted and its unfinished item run again; the log drops a
second result for an id, so nothing is lost and nothing duplicated.
"""

from __future__ import annotations

import logging
import pickle
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from evident.batch.items import MODEL_TASKS, Item
from evident.batch.limits import RateLimiter
from evident.batch.output import OutputLog
from evident.batch.worker import run_item
from evident.errors import ConfigError
from evident.models.throttle import throttled

__all__ = ["BatchSummary", "run_batch"]

logger = logging.getLogger(__name__)

# Items per Ray task: about this many tasks per worker, at most this many items each.
_BATCHES_PER_WORKER = 8
_MAX_BATCH = 64


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did.

    Attributes:
        batch_id: This run's id, recorded with every run its items' tasks record.
        total: Items in the input.
        skipped: Items already in the output (``--resume``).
        ok: Items that succeeded in this run.
        failed: Items that failed in this run (their error is in the output).
        seconds: Wall-clock seconds of this run.
    """

    batch_id: str
    total: int
    skipped: int
    ok: int
    failed: int
    seconds: float


def _progress(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="item", disable=not enabled, file=sys.stderr)


def _local(
    task: str, items: Sequence[Item], opts: dict[str, Any], limit: float | None
) -> Iterator[dict[str, Any]]:
    limiter = RateLimiter(limit)
    with throttled(limiter if task in MODEL_TASKS else None):
        for item in items:
            if task not in MODEL_TASKS:
                time.sleep(limiter.acquire())  # no model requests: --rate-limit paces items
            yield run_item(task, item, **opts)


class _ActorGate:
    """The batch's limiter actor as a :class:`evident.models.throttle.Gate`."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def acquire(self) -> float:
        import ray

        return float(ray.get(self.actor.acquire.remote()))

    def pause(self, seconds: float) -> None:
        import ray

        # Waited for, so that this worker's own next request already sees the pause.
        ray.get(self.actor.pause.remote(seconds))


class _RayWorker:
    """One actor of the pool: runs the items of each batch it is given."""

    def __init__(self) -> None:
        import evident.cli.main  # noqa: F401  (load the commands once per actor)

    def __call__(
        self, batch: dict[str, Any], task: str, opts: dict[str, Any], limiter: Any
    ) -> dict[str, list[bytes]]:
        rows = []
        gate = _ActorGate(limiter) if limiter is not None else None
        # Model tasks pace each model request; the others, with --rate-limit, each item.
        with throttled(gate if task in MODEL_TASKS else None):
            for payload in batch["payload"]:
                item = pickle.loads(payload)
                if gate is not None and task not in MODEL_TASKS:
                    time.sleep(gate.acquire())
                rows.append(pickle.dumps(run_item(task, item, **opts)))
        return {"row": rows}


def _connect(address: str, workers: int) -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("Ray is not installed: pip install 'evident[batch]'") from None
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
        if address == "local":
            kwargs.update(num_cpus=workers, include_dashboard=False)
        else:
            kwargs["address"] = address
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError) as exc:
            raise ConfigError(f"cannot reach the Ray cluster: {type(exc).__name__}") from None
    return ray


def _limiter(ray: Any, task: str, limit: float | None, workers: int, batch_id: str) -> Any:
    """The batch's named limiter actor, when its items call model backends.

    It holds the requests-per-minute pace and the "resume at" time of a 429 for every
    worker; it takes no CPU from the pool.
    """
    if limit is None and task not in MODEL_TASKS:
        return None
    actor = ray.remote(num_cpus=0)(RateLimiter)
    return actor.options(name=f"evident-limiter-{batch_id}").remote(limit, burst=workers)


def _on_ray(
    address: str,
    workers: int,
    task: str,
    items: Sequence[Item],
    opts: dict[str, Any],
    limit: float | None,
) -> Iterator[dict[str, Any]]:
    ray = _connect(address, workers)
    from ray.data import ActorPoolStrategy, DataContext

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    limiter = _limiter(ray, task, limit, workers, opts["batch_id"])
    # Batches big enough to amortise scheduling, small enough that a dead actor costs
    # little and the progress bar moves.
    batch_size = max(1, min(_MAX_BATCH, len(items) // (workers * _BATCHES_PER_WORKER)))
    ds = ray.data.from_items([{"payload": pickle.dumps(i)} for i in items])
    ds = ds.map_batches(
        _RayWorker,
        batch_size=batch_size,
        compute=ActorPoolStrategy(size=workers),
        num_cpus=1,
        fn_kwargs={"task": task, "opts": opts, "limiter": limiter},
    )  # Ray Data restarts a dead actor and retries its task (max_restarts=-1 by default)
    for row in ds.iter_rows():
        yield pickle.loads(row["row"])


def run_batch(
    task: str,
    items: Sequence[Item],
    log: OutputLog,
    *,
    ray_address: str | None = None,
    workers: int = 1,
    model: str | None = None,
    extra: Sequence[str] = (),
    rate_limit: float | None = None,
    progress: bool = False,
    audit: bool = False,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Run ``task`` over the items not yet in ``log``; finish the sorted output.

    Args:
        task: The batch task (see :data:`evident.batch.items.TASKS`).
        items: All items of the batch.
        log: The output log (with what a resumed batch already finished).
        ray_address: None to run in this process, ``local`` to start Ray here, or a
            cluster address (``ray://host:10001`` or ``host:6379``).
        workers: Actors in the pool (concurrent items; also the cap on concurrent model
            requests).
        model: Model spec for the tasks that draft.
        extra: Options passed through to the task's command.
        rate_limit: Requests per minute across all workers (None: no limit).
        progress: Show a progress bar with totals and ETA on stderr.
        audit: Record the runs of tasks that record runs in the audit trail (the
            workers' ``$EVIDENT_DB_URL``), each with this batch's id.
        on_row: Called with each new result as it is written (benchmarks time them).

    Returns:
        The summary; the output file is written.
    """
    start = time.monotonic()
    todo = [i for i in items if i.id not in log.done]
    batch_id = uuid.uuid4().hex
    opts = {"model": model, "extra": tuple(extra), "batch_id": batch_id, "audit": audit}
    ok = failed = 0
    rows = (
        _local(task, todo, opts, rate_limit)
        if ray_address is None
        else _on_ray(ray_address, max(1, workers), task, todo, opts, rate_limit)
    )
    try:
        with _progress(len(todo), progress) as bar:
            for row in rows:
                if log.append(row):
                    if on_row is not None:
                        on_row(row)
                    ok += bool(row["ok"])
                    failed += not row["ok"]
                    bar.update(1)
    finally:
        log.close()  # interrupted or failed: the partial log keeps what finished
    log.finish()
    return BatchSummary(
        batch_id=batch_id,
        total=len(items),
        skipped=len(items) - len(todo),
        ok=ok,
        failed=failed,
        seconds=round(time.monotonic() - start, 3),
    )
