"""Clients waiting for their runs (``wait: true``) hold no server thread.

Before, each waiting request held one of the thread pool's 40 threads for as long as its
run took (up to 600 s): a few dozen of them stalled every other route, ``/healthz``
included, until a run ended.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.server.conftest import TRANSCRIPT, Live, start_live
from tests.server.fake_task import GATE, GATED_ADAPTER


@pytest.fixture
def gated(tmp_path) -> Iterator[Live]:
    from evident.server import register_task_adapter

    register_task_adapter(GATED_ADAPTER)
    GATE.clear()
    server, handle = start_live(f"sqlite:///{tmp_path / 'evident.db'}")
    try:
        yield handle
    finally:
        GATE.set()
        handle.client.close()
        server.__exit__()


def _start_and_wait(live: Live, user: str) -> int:
    body = {"task": "echo-gated", "transcript": TRANSCRIPT, "wait": True}
    with httpx.Client(timeout=120) as client:
        r = client.post(live.url + "/api/runs", headers=live.auth(user), json=body)
    return r.status_code


@pytest.mark.parametrize("waiting", [5, 45])  # 45: more than the pool's 40 threads
def test_other_routes_answer_while_clients_wait(gated: Live, waiting: int) -> None:
    users = ["alice", "bob"] * waiting
    with ThreadPoolExecutor(max_workers=waiting) as pool:
        futures = [pool.submit(_start_and_wait, gated, u) for u in users[:waiting]]
        # every run is accepted (queued or held at the gate) before other routes are tried
        deadline = time.monotonic() + 60
        while gated.state.manager.pending() < waiting and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gated.state.manager.pending() == waiting
        time.sleep(0.5)  # each waiting request has reached its wait
        with httpx.Client(timeout=30) as client:
            assert client.get(gated.url + "/healthz", timeout=10).status_code == 200
            mine = client.get(gated.url + "/api/runs", headers=gated.auth("bob"), timeout=10)
            assert mine.status_code == 200
        assert not any(f.done() for f in futures)  # still waiting: the gate is shut
        GATE.set()
        assert [f.result(timeout=120) for f in futures] == [201] * waiting
