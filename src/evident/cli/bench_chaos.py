"""``evident bench server --kill-after S``: the server as a process, killed with SIGKILL.

The server runs as ``evident serve`` in a child process on a free loopback port. After
``S`` seconds of load it is killed (``kill -9``) and started again on the same port and
database; clients keep going (requests during the gap are errors, not accepted runs).
The bench then waits for every accepted run and counts those that never reach ``done``.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from evident.errors import InputError

__all__ = ["ChildServer", "child_server"]


@dataclass
class ChildServer:
    """A server process that can be killed and restarted."""

    port: int
    db_url: str
    workers: int
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    unfinished_at_kill: int = -1
    kills: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start ``evident serve`` and wait until it answers."""
        import httpx

        args = [sys.executable, "-m", "evident", "serve", "--port", str(self.port)]
        args += ["--db", self.db_url, "--workers", str(self.workers)]
        args += ["--max-pending", "1000000", "--max-user-pending", "1000000"]
        self.proc = subprocess.Popen(
            args, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise InputError(f"the benchmark server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise InputError("the benchmark server did not start within 60 s")

    def kill_and_restart(self) -> None:
        """SIGKILL the server, count unfinished runs in its queue, start it again."""
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)
            self.kills.append(time.time())
        self.unfinished_at_kill = _unfinished(self.db_url)
        self.start()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def _unfinished(db_url: str) -> int:
    if not db_url.startswith("sqlite:///"):
        return -1
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        row = conn.execute("SELECT count(*) FROM evident_jobs WHERE status != 'done'").fetchone()
    return int(row[0])


@contextmanager
def child_server(
    db_url: str | None, workers: int, kill_after: float
) -> Iterator[tuple[ChildServer, str]]:
    """A child server with a fresh admin token, killed and restarted after ``kill_after`` s.

    Yields:
        The server handle and the admin token.
    """
    from evident.audit import open_store
    from evident.server.users import UserStore

    tmp = tempfile.TemporaryDirectory(prefix="evident-chaos-")
    url = db_url or f"sqlite:///{os.path.join(tmp.name, 'bench.db')}"
    open_store(url).close()
    users = UserStore(url)
    token = users.add_user(f"chaos-{os.getpid()}-{int(time.time())}", "admin")
    users.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "EVIDENT_SECRET_KEY": os.urandom(32).hex()}
    server = ChildServer(port=port, db_url=url, workers=workers, env=env)
    server.start()
    timer = threading.Timer(kill_after, server.kill_and_restart)
    timer.start()
    try:
        yield server, token
    finally:
        timer.cancel()
        timer.join()
        server.stop()
        tmp.cleanup()
