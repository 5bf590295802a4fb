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
from tests.support.openai_server import start_server

pytestmark = pytest.mark.slow
_BIN = Path(sys.executable).parent
_BACKOFF = 2.0


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
    # Workers inherit the nodes' environment, not the driver's: a backoff long enough to
    # see a 429 without Retry-After pause the other worker (no other test calls a model).
    os.environ["EVIDENT_BACKOFF"] = str(_BACKOFF)
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
        for var in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "EVIDENT_BACKOFF"):
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


_GOOD = {"json": {"urgency": "routine", "red_flags": []}}
_MESSAGES = ["My ankle is sore after a walk.", "I need a refill of my inhaler.", "Mild rash."]


@pytest.mark.parametrize(
    ("refusal", "pause"),
    [
        ({"status": 429, "headers": {"Retry-After": "2"}}, 2.0),
        # No Retry-After: the pause is the backoff, 2 s times a jitter of at least 0.75.
        ({"status": 429}, _BACKOFF * 0.75),
    ],
    ids=["retry-after", "backoff"],
)
def test_a_429_pauses_every_worker(
    cluster: str, tmp_path: Path, refusal: dict[str, object], pause: float
) -> None:
    folder = tmp_path / "messages"
    folder.mkdir()
    for i in range(16):
        (folder / f"m{i:02d}.txt").write_text(_MESSAGES[i % 3], encoding="utf-8")
    # The sixth request is refused: by then both workers are sending.
    script = {"replies": [_GOOD] * 5 + [refusal], "default": _GOOD}
    with start_server(script) as server:
        spec = f"openai-compatible:{server.base_url}#scripted-model"
        out = tmp_path / "out.jsonl"
        argv = ["batch", "triage", "--input", str(folder), "--output", str(out), "-m", spec]
        argv.append("--no-audit")
        done = subprocess.run(
            [str(_BIN / "evident"), *argv, "--ray", cluster, "--workers", "2", "--no-progress"],
            capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        sent = [r for r in server.requests if r["method"] == "POST"]
        server.set_script({"default": _GOOD})
        local = tmp_path / "local.jsonl"
        assert main([*argv[:4], "--output", str(local), *argv[6:]]) == 0
    refused = [r["time"] for r in sent if r["status"] == 429]
    assert len(refused) == 1 and len(sent) == 16 + 1
    # Nothing leaves while the pause lasts (a request already on its way may land just
    # after the refusal), and the refused request is sent again once it is over.
    during = [r["time"] for r in sent if refused[0] + 0.25 < r["time"] < refused[0] + pause]
    assert during == []
    assert any(t >= refused[0] + pause for t in (r["time"] for r in sent))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"m{i:02d}" for i in range(16)]
    expected = [json.loads(line) for line in local.read_text(encoding="utf-8").splitlines()]
    assert all(r["ok"] for r in rows) and stable(rows) == stable(expected)
