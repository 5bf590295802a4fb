"""Chaos: accepted runs survive ``kill -9`` of the server (real processes on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import TRANSCRIPT

BURST = 24
_SERVE_OPTIONS = ("--workers", "1", "--max-user-pending", "1000")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _evident(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "evident", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "evident", "serve", "--port", str(port), *_SERVE_OPTIONS],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("server did not start")


def _unfinished(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT count(*) FROM evident_jobs WHERE status != 'done'").fetchone()
    return int(row[0])


def test_accepted_runs_survive_kill_9(tmp_path):
    db = tmp_path / "chaos.db"
    env = {**os.environ, "EVIDENT_DB_URL": f"sqlite:///{db}", "EVIDENT_SECRET_KEY": "k" * 64}
    token = _evident("users", "add", "dr.chaos", "--role", "clinician", env=env).strip()
    headers = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _serve(port, env)
    # a longer visit: each run takes long enough that the kill finds work in the queue
    body = {"task": "scribe", "transcript": TRANSCRIPT * 10}

    def post(_: int) -> str:
        r = httpx.post(url + "/api/runs", json=body, headers=headers, timeout=30)
        assert r.status_code == 202, r.text
        return str(r.json()["id"])

    try:
        with ThreadPoolExecutor(8) as pool:
            accepted = list(pool.map(post, range(BURST)))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    interrupted = _unfinished(db)
    assert interrupted > 0, "the burst finished before the kill: the test proved nothing"
    print(f"{interrupted} of {BURST} runs unfinished at the kill")

    proc = _serve(port, env)
    try:
        states: dict[str, str] = {}
        deadline = time.monotonic() + 120
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            while time.monotonic() < deadline:
                for run_id in accepted:
                    if states.get(run_id) in ("done", "failed"):
                        continue
                    r = client.get(f"/api/runs/{run_id}/status")
                    assert r.status_code == 200, r.text  # never 404 once accepted
                    states[run_id] = r.json()["status"]
                if all(s in ("done", "failed") for s in states.values()):
                    break
                time.sleep(0.5)
            assert sorted(set(states.values())) == ["done"], states
            assert client.get(f"/api/runs/{accepted[-1]}").status_code == 200
    finally:
        proc.terminate()
        proc.wait(30)
    out = _evident("audit", "verify", "--db", f"sqlite:///{db}", env=env)
    assert out.startswith(f"OK: {BURST} records verified")
