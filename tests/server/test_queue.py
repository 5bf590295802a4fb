"""The durable run queue: claims, leases, recovery, limits and recorded failures."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from evident.audit import open_store
from evident.audit.db import create_store_engine, resolve_url
from evident.server.queue import JobQueue, QueueFull, UserBusy
from tests.server.conftest import TRANSCRIPT, start_live


@pytest.fixture()
def queue(db_url):
    open_store(db_url).close()  # migrate
    q = JobQueue(create_store_engine(resolve_url(db_url)), lease_s=30)
    # every test starts from an empty queue on the module's database
    with q._write() as conn:
        conn.exec_driver_sql("DELETE FROM evident_jobs")
    yield q
    with q._write() as conn:  # leave nothing for a later server on this database
        conn.exec_driver_sql("DELETE FROM evident_jobs")
    q.close()


def _add(q: JobQueue, user: str = "u1", **kw) -> str:
    job_id = uuid.uuid4().hex
    limits = {"max_pending": 100, "max_user_pending": 100, **kw}
    q.add(job_id, user=user, task="echo", model="offline", request={"x": 1}, **limits)
    return job_id


def test_claims_oldest_first_and_only_once(queue):
    ids = [_add(queue) for _ in range(3)]
    claimed = [queue.claim() for _ in range(4)]
    assert [c.row.id for c in claimed[:3] if c] == ids
    assert claimed[3] is None
    assert claimed[0].request == {"x": 1} and claimed[0].row.attempts == 1
    assert queue.get(ids[0]).status == "running"


def test_concurrent_claimers_never_share_a_job(queue, db_url):
    ids = {_add(queue) for _ in range(30)}
    others = [JobQueue(create_store_engine(resolve_url(db_url))) for _ in range(3)]
    got: list[str] = []
    lock = threading.Lock()

    def drain(q: JobQueue) -> None:
        while (c := q.claim()) is not None:
            with lock:
                got.append(c.row.id)

    threads = [threading.Thread(target=drain, args=(q,)) for q in [queue, *others]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for q in others:
        q.close()
    assert sorted(got) == sorted(ids)


@pytest.mark.parametrize(
    ("lease_s", "reclaimed"),
    [(0.05, True), (30.0, False)],
)
def test_an_expired_lease_is_claimed_again(queue, db_url, lease_s, reclaimed):
    job_id = _add(queue)
    first = JobQueue(create_store_engine(resolve_url(db_url)), lease_s=lease_s)
    assert first.claim().row.id == job_id
    time.sleep(0.2)
    again = queue.claim()
    assert (again is not None and again.row.attempts == 2) is reclaimed
    first.close()


@pytest.mark.parametrize(
    ("owner", "requeued"),
    [
        ("{host}:999999999:dead0000", True),  # same host, process gone
        ("{host}:{pid}:old00000", True),  # same host, a restarted process got its pid
        ("other-host:1:abcd0000", False),  # another host: left to its lease
        ("{self}", False),  # this very queue
    ],
)
def test_recover_requeues_runs_of_dead_processes(queue, db_url, owner, requeued):
    import os

    host = queue.owner.split(":")[0]
    job_id = _add(queue)
    name = owner.format(host=host, pid=os.getpid(), self=queue.owner)
    claimer = JobQueue(create_store_engine(resolve_url(db_url)), owner=name)
    claimer.claim()
    claimer.close()
    from evident.server import queue as queue_module

    if name != queue.owner:
        queue_module._LIVE_OWNERS.discard(name)
    assert queue.recover() == int(requeued)
    assert queue.get(job_id).status == ("queued" if requeued else "running")


@pytest.mark.parametrize(
    ("limits", "error"),
    [
        ({"max_pending": 2}, QueueFull),
        ({"max_user_pending": 2}, UserBusy),
    ],
)
def test_limits(queue, limits, error):
    _add(queue, **limits)
    _add(queue, **limits)
    with pytest.raises(error):
        _add(queue, **limits)
    _add(queue, user="someone-else", max_pending=100, max_user_pending=2)


def test_failed_run_is_recorded_with_class_and_stage(db_url):
    """An engine crash: status failed with class and stage; a failure record in the trail."""
    from evident.server import register_task_adapter
    from tests.server.fake_task import BOOM_RUN_ADAPTER

    register_task_adapter(BOOM_RUN_ADAPTER)
    server, live = start_live(db_url)
    try:
        body = {"task": "boom-run", "transcript": TRANSCRIPT}
        r = live.req("POST", "/api/runs", "alice", json=body)
        assert r.status_code == 202, r.text
        run_id = r.json()["id"]
        job = live.state.manager.wait(run_id, timeout=30)
        status = live.req("GET", f"/api/runs/{run_id}/status", "alice").json()
        assert (job.status, status["status"]) == ("failed", "failed")
        assert (status["error_stage"], status["error_class"]) == ("generate", "RuntimeError")
        assert TRANSCRIPT[:20] not in status["error"]
        assert live.req("GET", f"/api/runs/{run_id}", "alice").status_code == 422
        rows = [r for r in live.state.store.export() if r["payload"]["run_id"] == run_id]
        assert [r["payload"]["kind"] for r in rows] == ["failure"]
        assert rows[0]["payload"]["stage"] == "generate"
        assert TRANSCRIPT[:20] not in str(rows[0]["payload"])
        assert live.state.store.verify_chain().ok
    finally:
        live.client.close()
        server.__exit__()
