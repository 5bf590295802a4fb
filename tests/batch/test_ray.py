"""`evident batch` on a real local Ray cluster: a worker killed mid-batch loses nothing.

The cluster is started the way an operator starts one (``ray start --head`` and a second
node joining it, on 127.0.0.1); the batch runs as its own process against its address.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evident.cli.main import main
from tests.batch.conftest import write_pairs
from tests.batch.test_cli import stable
from tests.conftest import require_or_skip

pytestmark = pytest.mark.slow
_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ray(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_BIN / "ray"), *args], capture_output=True, text=True, timeout=120, check=False
    )


def _stop(marker: str) -> None:
    """Stop this test's cluster only: every process whose command line names its folder.

    ``ray stop`` would stop every Ray process of the machine, other users' included.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _pids(marker)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        if pids:
            time.sleep(2)


def _pids(marker: str) -> list[int]:
    """Processes whose command line names ``marker``, and their children (Ray's agents
    rename themselves ``ray::...``)."""
    ps = subprocess.run(
        ["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    )
    rows = [line.split(None, 2) for line in ps.stdout.splitlines() if line.strip()]
    found = {int(r[0]) for r in rows if len(r) == 3 and marker in r[2]}
    found |= {int(r[0]) for r in rows if int(r[1]) in found}
    found.discard(os.getpid())
    return sorted(found)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    require_or_skip((_BIN / "ray").exists(), "EVIDENT_REQUIRE_RAY", "Ray is not installed")
    # Token authentication, as a site runs it: every node and driver holds the same token.
    os.environ.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(16))
    port = _free_port()
    address = f"127.0.0.1:{port}"
    # A short folder of its own (Ray's socket paths must stay short) marks our processes.
    marker = tempfile.mkdtemp(prefix="evrt", dir="/tmp")
    common = ["--num-cpus=1", "--object-store-memory=100000000", "--disable-usage-stats"]
    head = _ray("start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1",
                f"--temp-dir={marker}", "--include-dashboard=false", *common)  # fmt: skip
    try:
        assert head.returncode == 0, head.stderr[-2000:]
        node = _ray("start", f"--address={address}", "--node-ip-address=127.0.0.1", *common)
        assert node.returncode == 0, node.stderr[-2000:]
        yield address
    finally:
        _stop(marker)
        shutil.rmtree(marker, ignore_errors=True)
        for var in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN"):
            os.environ.pop(var, None)


def _worker_pids() -> list[int]:
    ps = subprocess.run(
        ["ps", "-ww", "-eo", "pid=,args="], capture_output=True, text=True, check=True
    )
    return [int(line.split()[0]) for line in ps.stdout.splitlines() if "ray::MapWorker" in line]


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def test_killed_worker_loses_and_duplicates_nothing(
    cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = write_pairs(tmp_path / "pairs", 24)
    out = tmp_path / "out.jsonl"
    argv = [
        "batch",
        "verify",
        "--input",
        str(pairs),
        "--output",
        str(out),
        "--ray",
        cluster,
        "--workers",
        "2",
        "--rate-limit",
        "240",
        "--no-progress",
    ]
    proc = subprocess.Popen(
        [str(_BIN / "evident"), *argv],
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    partial = out.with_name(out.name + ".partial")
    killed = False
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        if not killed and _lines(partial) >= 3 and _worker_pids():
            os.kill(_worker_pids()[0], signal.SIGKILL)
            killed = True
        time.sleep(0.2)
    _, err = proc.communicate(timeout=60)
    assert killed, "the batch ended before a worker could be killed"
    assert proc.returncode == 0, err[-2000:]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"e{i:02d}" for i in range(24)]
    assert all(r["ok"] for r in rows)
    local = tmp_path / "local.jsonl"
    assert main(["batch", "verify", "--input", str(pairs), "--output", str(local)]) == 0
    expected = [json.loads(line) for line in local.read_text(encoding="utf-8").splitlines()]
    assert stable(rows) == stable(expected)
