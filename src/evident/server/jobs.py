"""Run execution: worker threads that take accepted runs from the durable queue.

An accepted run request is a row of the ``evident_jobs`` table (see
:mod:`evident.server.queue`), committed before the API answers 202; the job id is the run
id. Workers claim rows with a lease, run the pipeline and record the run in the audit
store under that id, so ``GET /api/runs/{id}`` works as soon as the status says ``done``.
A run that fails is recorded in the trail with its stage and error class (no content).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from evident.errors import AuditError, BackendError, ConfigError, EvidentError, InputError
from evident.server.queue import ClaimedJob, JobQueue, JobRow, QueueFull, UserBusy
from evident.types import Source
from evident.verify.options import VerifyOptions

__all__ = ["Busy", "Job", "JobStatus", "QueueFull", "RunManager", "UserBusy"]

logger = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed"]
Busy = QueueFull  # the name earlier releases used
_STATUSES: dict[str, JobStatus] = {s: s for s in ("queued", "running", "done", "failed")}


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
        error_class: The failure's error class name.
        error_stage: The stage it failed in.
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
    error_class: str = ""
    error_stage: str = ""

    def elapsed_ms(self) -> float:
        """Milliseconds since it was accepted (until it ended)."""
        end = self.finished if self.finished is not None else time.time()
        return round((end - self.submitted) * 1000, 1)


def _job(row: JobRow, stage: str | None = None) -> Job:
    status = _STATUSES.get(row.status, "failed")
    return Job(
        id=row.id,
        user=row.user,
        task=row.task,
        status=status,
        stage=stage if stage and status == "running" else row.stage,
        submitted=row.submitted,
        finished=row.finished,
        error=row.error or "",
        error_status=row.error_status or 0,
        error_class=row.error_class or "",
        error_stage=row.error_stage or "",
    )


class RunManager:
    """Takes runs from the durable queue on worker threads and records them.

    Args:
        store: The audit store (``record_run``, ``record_failure``, ``has_run``).
        queue: The durable queue.
        workers: Number of worker threads.
        max_pending: Queued plus running jobs (all processes) before :class:`QueueFull`.
        max_user_pending: Queued plus running jobs of one user before :class:`UserBusy`.
        poll_s: How often an idle worker looks for work another process queued.
        verify_options: How each run's draft is verified; None for the defaults.
    """

    def __init__(
        self,
        store: Any,
        queue: JobQueue,
        workers: int = 4,
        max_pending: int = 256,
        max_user_pending: int = 32,
        poll_s: float = 0.5,
        verify_options: VerifyOptions | None = None,
    ) -> None:
        self._store = store
        self._verify_options = verify_options
        self.queue = queue
        self._max_pending = max_pending
        self._max_user_pending = max_user_pending
        self._poll_s = poll_s
        self._stages: dict[str, str] = {}  # jobs running here -> their current stage
        self._lock = threading.Lock()
        self._work = threading.Condition()
        self._ended: dict[str, threading.Event] = {}  # jobs someone waits for
        self._stop = threading.Event()
        recovered = queue.recover()
        if recovered:
            logger.warning("requeued %d run(s) interrupted by a stopped process", recovered)
        self._threads = [
            threading.Thread(target=self._worker, name=f"evident-run-{i}", daemon=True)
            for i in range(workers)
        ]
        self._threads.append(
            threading.Thread(target=self._heartbeat, name="evident-lease", daemon=True)
        )
        for t in self._threads:
            t.start()

    def shutdown(self) -> None:
        """Let running jobs finish and stop the workers; queued jobs stay in the queue."""
        self._stop.set()
        with self._work:
            self._work.notify_all()
        for t in self._threads:
            t.join()
        self.queue.close()

    def get(self, job_id: str) -> Job | None:
        """The job of a run id, or None when no such run was ever accepted here."""
        row = self.queue.get(job_id)
        if row is None:
            return None
        with self._lock:
            stage = self._stages.get(job_id)
        return _job(row, stage)

    def pending(self) -> int:
        """Jobs queued or running (all processes sharing the database)."""
        return self.queue.pending()

    def submit(
        self,
        *,
        user: str,
        task: str,
        sources: list[Source],
        model: str,
        options: Mapping[str, Any],
        patient: Any = None,
    ) -> Job:
        """Accept a run: the job row is committed when this returns.

        Args:
            user: Who asks.
            task: The served task's name (its adapter's name).
            sources: The parsed sources.
            model: The model spec.
            options: Task options.
            patient: Optional :class:`evident.audit.PatientInfo`.

        Raises:
            QueueFull: Too many runs are pending.
            UserBusy: This user has too many runs pending.
        """
        request = {
            "sources": [s.model_dump(mode="json") for s in sources],
            "options": dict(options),
            "patient": patient.model_dump(mode="json") if patient is not None else None,
        }
        row = self.queue.add(
            uuid.uuid4().hex,
            user=user,
            task=task,
            model=model,
            request=request,
            max_pending=self._max_pending,
            max_user_pending=self._max_user_pending,
        )
        with self._work:
            self._work.notify()
        return _job(row)

    def wait(self, job_id: str, timeout: float = 600.0) -> Job | None:
        """Block until the job ends (or ``timeout`` seconds pass); its last state.

        A job this process runs signals its end; one another process took is polled.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            ended = self._ended.setdefault(job_id, threading.Event())
        try:
            while True:
                job = self.get(job_id)
                if job is None or job.status in ("done", "failed"):
                    return job
                if time.monotonic() > deadline:
                    return job
                ended.wait(self._poll_s * 4)
        finally:
            with self._lock:
                self._ended.pop(job_id, None)

    async def wait_async(self, job_id: str, timeout: float = 600.0) -> Job | None:
        """:meth:`wait` for the event loop: holds no thread while the job runs.

        Each look at the job borrows a pool thread for one read, then the coroutine
        sleeps; a thread blocked per waiting client would let a few dozen ``wait: true``
        requests take every pool thread and stall every other route (``/healthz``
        included) until a run ends.
        """
        from starlette.concurrency import run_in_threadpool

        deadline = time.monotonic() + timeout
        pause = min(self._poll_s, 0.25)
        while True:
            job = await run_in_threadpool(self.get, job_id)
            if job is None or job.status in ("done", "failed") or time.monotonic() > deadline:
                return job
            await asyncio.sleep(pause)

    # -- workers -----------------------------------------------------------------------

    def _worker(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self.queue.claim()
                if claimed is not None:
                    self._execute(claimed)
            except EvidentError as exc:  # the database is away: the leases bring work back
                logger.error("run queue: %s", type(exc).__name__)
                claimed = None
            if claimed is None:
                with self._work:
                    self._work.wait(self._poll_s)
                continue
            with self._lock:
                ended = self._ended.get(claimed.row.id)
            if ended is not None:
                ended.set()

    def _heartbeat(self) -> None:
        interval = max(0.2, self.queue.lease_s / 3)
        while not self._stop.wait(interval):
            with self._lock:
                ids = list(self._stages)
            try:
                self.queue.renew(ids)
            except AuditError as exc:
                logger.error("cannot renew run leases: %s", type(exc).__name__)

    def _set_stage(self, job_id: str, stage: str) -> None:
        with self._lock:
            self._stages[job_id] = stage

    def _execute(self, claimed: ClaimedJob) -> None:
        job = claimed.row
        self._set_stage(job.id, "prepare")
        try:
            if self._resumed_after_record(job):
                return
            self._run(job, claimed.request)
        except Exception as exc:
            with self._lock:
                stage = self._stages.get(job.id, "prepare")
            self._fail(job, stage, exc)
        else:
            self.queue.finish(job.id)
        finally:
            with self._lock:
                self._stages.pop(job.id, None)

    def _resumed_after_record(self, job: JobRow) -> bool:
        """A process stopped after recording this run but before closing its job."""
        if self._store.has_run(job.id, ("run",)):
            self.queue.finish(job.id)
            return True
        if self._store.has_run(job.id, ("failure",)):
            self.queue.fail(
                job.id,
                error_class="Interrupted",
                stage="record",
                error="the run failed",
                error_status=500,
            )
            return True
        return False

    def _run(self, job: JobRow, request: Mapping[str, Any]) -> None:
        from evident.audit import PatientInfo
        from evident.pipeline import run_task
        from evident.server.tasks import task_adapter

        task = task_adapter(job.task).load()
        sources = [Source.model_validate(s) for s in request.get("sources", ())]
        patient = request.get("patient")
        info = PatientInfo.model_validate(patient) if patient else None
        run = run_task(
            task,
            sources,
            job.model,
            request.get("options") or {},
            verify_options=self._verify_options,
            on_stage=lambda name: self._set_stage(job.id, name),
        )
        run = run.model_copy(update={"id": job.id})
        self._set_stage(job.id, "record")
        self._store.record_run(run, user=job.user, patient=info)

    def _fail(self, job: JobRow, stage: str, exc: Exception) -> None:
        name = type(exc).__name__
        if isinstance(exc, EvidentError):
            logger.warning("run %s failed at %s: %s", job.id, stage, name)
            message = (str(exc).strip().splitlines() or [name])[0][:300]
        else:
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            logger.error("run %s failed at %s: unexpected %s at %s", job.id, stage, name, where)
            message = f"internal error ({name})"
        try:
            self._store.record_failure(
                job.id, user=job.user, task=job.task, model=job.model, stage=stage, error_class=name
            )
        except EvidentError as err:
            logger.error("run %s: failure not recorded: %s", job.id, type(err).__name__)
        self.queue.fail(
            job.id, error_class=name, stage=stage, error=message, error_status=_status_of(exc)
        )


def _status_of(exc: Exception) -> int:
    if isinstance(exc, InputError | ConfigError):
        return 422
    if isinstance(exc, BackendError):
        return 502
    return 500
