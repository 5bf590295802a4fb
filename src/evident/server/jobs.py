"""Run execution in worker threads, with status a page can poll.

The pipeline is synchronous; each accepted run request becomes a job on a thread pool.
The job id is the run id: when the run finishes it is recorded in the audit store under
that id, so ``GET /api/runs/{id}`` works as soon as the status says ``done``.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Literal

from evident.errors import BackendError, EvidentError, InputError
from evident.tasks.base import Task
from evident.types import Source
from evident.verify.options import VerifyOptions

__all__ = ["Job", "JobStatus", "RunManager"]

logger = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed"]
_KEEP_FINISHED = 2000


@dataclass(frozen=True)
class Job:
    """The state of one run request.

    Attributes:
        id: Run id.
        user: Who asked for it.
        task: Task name.
        status: ``queued``, ``running``, ``done`` or ``failed``.
        stage: What it is doing now (``queued``, ``generate``, ``verify``, ``record``...).
        submitted: Unix time it was accepted.
        finished: Unix time it ended, or None.
        error: One-line error (never PHI) when failed.
        error_status: The HTTP status that describes the failure (422 bad input, 502
            model backend, 500 otherwise).
    """

    id: str
    user: str
    task: str
    status: JobStatus = "queued"
    stage: str = "queued"
    submitted: float = 0.0
    finished: float | None = None
    error: str = ""
    error_status: int = 0

    def elapsed_ms(self) -> float:
        """Milliseconds since it was accepted (until it ended)."""
        end = self.finished if self.finished is not None else time.time()
        return round((end - self.submitted) * 1000, 1)


class Busy(EvidentError):
    """Too many runs are pending."""


class RunManager:
    """Executes runs on a thread pool and records them in the audit store.

    Args:
        store: The audit store (``record_run``).
        workers: Number of worker threads.
        max_pending: Queued plus running jobs allowed before :class:`Busy`.
        verify_options: How each run's draft is verified; None for the defaults.
    """

    def __init__(
        self,
        store: Any,
        workers: int = 4,
        max_pending: int = 256,
        verify_options: VerifyOptions | None = None,
    ) -> None:
        self._store = store
        self._verify_options = verify_options
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evident-run")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._max_pending = max_pending

    def shutdown(self) -> None:
        """Finish running jobs and stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _set(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = replace(job, **changes)

    def get(self, job_id: str) -> Job | None:
        """The job of a run id, or None when unknown or long finished."""
        with self._lock:
            return self._jobs.get(job_id)

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))

    def submit(
        self,
        *,
        user: str,
        task: Task,
        sources: list[Source],
        model: str,
        options: dict[str, Any],
        patient: Any = None,
    ) -> tuple[Job, Future[None]]:
        """Accept a run; it executes on a worker thread.

        Raises:
            Busy: Too many runs are pending.
        """
        if self.pending() >= self._max_pending:
            raise Busy("too many runs are pending; try again shortly")
        job = Job(id=uuid.uuid4().hex, user=user, task=task.name, submitted=time.time())
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEEP_FINISHED:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status in ("queued", "running"):
                    break
                self._jobs.popitem(last=False)
        future = self._pool.submit(self._execute, job, task, sources, model, options, patient)
        return job, future

    def _execute(
        self,
        job: Job,
        task: Task,
        sources: list[Source],
        model: str,
        options: dict[str, Any],
        patient: Any,
    ) -> None:
        self._set(job.id, status="running", stage="generate")
        try:
            from evident.pipeline import run_task

            run = run_task(task, sources, model, options, verify_options=self._verify_options)
            run = run.model_copy(update={"id": job.id})
            self._set(job.id, stage="record")
            self._store.record_run(run, user=job.user, patient=patient)
        except EvidentError as exc:
            logger.warning("run %s failed: %s", job.id, type(exc).__name__)
            self._fail(job.id, str(exc)[:300], _status_of(exc))
            return
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            logger.error("run %s failed: unexpected %s at %s", job.id, type(exc).__name__, where)
            self._fail(job.id, f"internal error ({type(exc).__name__})", 500)
            return
        self._set(job.id, status="done", stage="done", finished=time.time())

    def _fail(self, job_id: str, error: str, status: int) -> None:
        self._set(
            job_id,
            status="failed",
            stage="failed",
            error=error,
            error_status=status,
            finished=time.time(),
        )


def _status_of(exc: EvidentError) -> int:
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, BackendError):
        return 502
    return 500
