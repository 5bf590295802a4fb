"""The durable queue of accepted runs: the ``evident_jobs`` table of the audit database.

A run request is a row committed before the server answers 202. Workers (threads of one
or several server processes sharing the database) claim rows with a lease: on PostgreSQL
``SELECT ... FOR UPDATE SKIP LOCKED`` lets processes claim side by side; on SQLite the
claim runs in a ``BEGIN IMMEDIATE`` transaction, so one writer at a time decides. A lease
is renewed while its run works; a row whose lease ran out (its process died) is claimed
again, and at start-up a process takes back at once the rows of dead processes on its
own host. Rows stay after a run ends, so an accepted id always has a status.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from evident.audit.schema import jobs
from evident.errors import AuditError, EvidentError

__all__ = ["ClaimedJob", "JobQueue", "JobRow", "QueueFull", "UserBusy", "process_owner"]

ACTIVE = ("queued", "running")
# Owners alive in this process (a restarted process may reuse a dead one's pid).
_LIVE_OWNERS: set[str] = set()


class QueueFull(EvidentError):
    """Too many runs are pending on this server."""


class UserBusy(EvidentError):
    """This user has too many runs pending."""


@dataclass(frozen=True)
class JobRow:
    """A job's state as stored (no request content)."""

    id: str
    user: str
    task: str
    model: str
    status: str
    stage: str
    submitted: float
    finished: float | None
    attempts: int
    error_class: str | None
    error_stage: str | None
    error: str | None
    error_status: int | None


@dataclass(frozen=True)
class ClaimedJob:
    """A job claimed by a worker, with its request."""

    row: JobRow
    request: dict[str, Any]


def process_owner() -> str:
    """An owner name for leases: ``host:pid:random``."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _row(r: Any) -> JobRow:
    return JobRow(
        id=r.id,
        user=r.user_name,
        task=r.task,
        model=r.model,
        status=r.status,
        stage=r.stage,
        submitted=float(r.submitted_at),
        finished=float(r.finished_at) if r.finished_at is not None else None,
        attempts=int(r.attempts or 0),
        error_class=r.error_class,
        error_stage=r.error_stage,
        error=r.error,
        error_status=r.error_status,
    )


_COLUMNS = [c for c in jobs.c if c.name != "request"]


class JobQueue:
    """Insert, claim, renew and finish jobs.

    Args:
        engine: An engine from :func:`evident.audit.db.create_store_engine` whose schema
            was migrated (``open_store`` does that).
        owner: This process's lease owner name.
        lease_s: How long a claim lasts without renewal.
    """

    def __init__(self, engine: Engine, owner: str | None = None, lease_s: float = 60.0) -> None:
        self._engine = engine
        self.owner = owner or process_owner()
        _LIVE_OWNERS.add(self.owner)
        self.lease_s = lease_s
        self._pg = engine.dialect.name == "postgresql"

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with (
                self._engine.connect().execution_options(evident_write=True) as conn,
                conn.begin(),
            ):
                yield conn
        except SQLAlchemyError as exc:
            raise AuditError(f"the run queue is unavailable: {type(exc).__name__}") from None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise AuditError(f"the run queue is unavailable: {type(exc).__name__}") from None

    def add(
        self,
        job_id: str,
        *,
        user: str,
        task: str,
        model: str,
        request: dict[str, Any],
        max_pending: int,
        max_user_pending: int,
    ) -> JobRow:
        """Commit a new queued job (the caller answers 202 only after this returns).

        Raises:
            QueueFull: ``max_pending`` jobs are queued or running.
            UserBusy: This user has ``max_user_pending`` jobs queued or running.
        """
        now = time.time()
        values = {
            "id": job_id,
            "user_name": user,
            "task": task,
            "model": model,
            "status": "queued",
            "stage": "queued",
            "request": json.dumps(request, ensure_ascii=True, allow_nan=False),
            "submitted_at": now,
            "attempts": 0,
        }
        with self._write() as conn:
            active = jobs.c.status.in_(ACTIVE)
            if self._pg:  # one submitter at a time decides the limits
                conn.execute(select(func.pg_advisory_xact_lock(0x45564A42)))
            mine = conn.execute(
                select(func.count()).select_from(jobs).where(active, jobs.c.user_name == user)
            ).scalar_one()
            if mine >= max_user_pending:
                raise UserBusy(f"you have {mine} runs pending; wait for one to finish")
            total = conn.execute(select(func.count()).select_from(jobs).where(active)).scalar_one()
            if total >= max_pending:
                raise QueueFull("too many runs are pending; try again shortly")
            conn.execute(insert(jobs).values(**values))
        return _row(_Values(values))

    def get(self, job_id: str) -> JobRow | None:
        """The job of this id, or None."""
        with self._read() as conn:
            r = conn.execute(select(*_COLUMNS).where(jobs.c.id == job_id)).first()
        return _row(r) if r is not None else None

    def pending(self) -> int:
        """Jobs queued or running (all processes)."""
        with self._read() as conn:
            q = select(func.count()).select_from(jobs).where(jobs.c.status.in_(ACTIVE))
            return int(conn.execute(q).scalar_one())

    def _claimable(self, now: float) -> Any:
        return or_(
            jobs.c.status == "queued",
            and_(jobs.c.status == "running", jobs.c.lease_until < now),
        )

    def claim(self) -> ClaimedJob | None:
        """Claim the oldest claimable job for this owner, or None when there is none."""
        now = time.time()
        probe = select(jobs.c.id).where(self._claimable(now)).limit(1)
        with self._read() as conn:  # cheap check first: no write lock while idle
            if conn.execute(probe).first() is None:
                return None
        query = select(jobs).where(self._claimable(now)).order_by(jobs.c.submitted_at).limit(1)
        if self._pg:
            query = query.with_for_update(skip_locked=True)
        with self._write() as conn:
            r = conn.execute(query).first()
            if r is None:
                return None
            changes = {
                "status": "running",
                "stage": "generate",
                "lease_owner": self.owner,
                "lease_until": now + self.lease_s,
                "attempts": int(r.attempts or 0) + 1,
                "started_at": now,
            }
            conn.execute(update(jobs).where(jobs.c.id == r.id).values(**changes))
        request = json.loads(r.request) if r.request else {}
        return ClaimedJob(_row(_Values({**r._mapping, **changes})), request)

    def renew(self, job_ids: Sequence[str]) -> None:
        """Extend the leases this owner holds on these jobs."""
        if not job_ids:
            return
        with self._write() as conn:
            conn.execute(
                update(jobs)
                .where(
                    jobs.c.id.in_(list(job_ids)),
                    jobs.c.lease_owner == self.owner,
                    jobs.c.status == "running",
                )
                .values(lease_until=time.time() + self.lease_s)
            )

    def finish(self, job_id: str) -> None:
        """Mark a job done and drop its request (the run is in the audit trail now)."""
        self._end(job_id, status="done", stage="done")

    def fail(
        self, job_id: str, *, error_class: str, stage: str, error: str, error_status: int
    ) -> None:
        """Mark a job failed with its error class, stage and a one-line message."""
        self._end(
            job_id,
            status="failed",
            stage="failed",
            error_class=error_class[:100],
            error_stage=stage[:32],
            error=error[:300],
            error_status=error_status,
        )

    def _end(self, job_id: str, **values: Any) -> None:
        with self._write() as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(request=None, finished_at=time.time(), lease_until=None, **values)
            )

    def recover(self) -> int:
        """Requeue the running jobs of dead processes on this host (start-up).

        Returns:
            How many were requeued. Jobs of other hosts are left to their leases.
        """
        host, _, _ = self.owner.partition(":")
        with self._write() as conn:
            rows = conn.execute(
                select(jobs.c.id, jobs.c.lease_owner).where(jobs.c.status == "running")
            ).all()
            dead = []
            for r in rows:
                o_host, _, rest = (r.lease_owner or "").partition(":")
                pid = rest.partition(":")[0]
                if o_host != host or not pid.isdigit() or r.lease_owner in _LIVE_OWNERS:
                    continue
                if int(pid) == os.getpid() or not _pid_alive(int(pid)):
                    dead.append(r.id)
            if dead:
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id.in_(dead), jobs.c.status == "running")
                    .values(status="queued", stage="queued", lease_owner=None, lease_until=None)
                )
        return len(dead)


class _Values:
    """Attribute access over a dict, to build a JobRow from values just written."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update({k: None for k in (c.name for c in jobs.c)})
        self.__dict__.update(values)
