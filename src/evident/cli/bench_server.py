"""``evident bench server``: concurrent clients running the offline scribe over HTTP."""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from evident.errors import InputError

__all__ = ["BenchResult", "register", "run_load"]


@dataclass
class BenchResult:
    """What the load run measured."""

    clients: int
    seconds: float
    accepted: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    chain_ok: bool = False
    chain_records: int = 0
    cpu_s: float = 0.0
    settle_s: float = 0.0
    interrupted: int = -1

    @property
    def n_errors(self) -> int:
        """Requests that did not end in a recorded run."""
        return sum(self.errors.values())

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies (ms), 0 when none."""
        values = sorted(self.latencies_ms)
        if not values:
            return 0.0
        return values[max(1, math.ceil(p / 100 * len(values))) - 1]


def _client_loop(
    url: str,
    token: str,
    bodies: list[dict[str, Any]],
    deadline: float,
    budget: threading.Semaphore | None,
    result: BenchResult,
    lock: threading.Lock,
    offset: int,
) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    i = offset
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        while time.monotonic() < deadline:
            if budget is not None and not budget.acquire(blocking=False):
                return
            body = bodies[i % len(bodies)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = client.post("/api/runs", json=body)
                ok = r.status_code in (201, 202)  # done (wait), or durably accepted
                key = "" if ok else f"HTTP {r.status_code}"
                run_id = r.json().get("id", "") if ok else ""
            except httpx.HTTPError as exc:
                key, run_id = type(exc).__name__, ""
                time.sleep(0.05)  # a server restarting: do not spin
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                if key:
                    result.errors[key] = result.errors.get(key, 0) + 1
                else:
                    result.accepted.append(run_id)
                    result.latencies_ms.append(ms)


def _wait(
    threads: list[threading.Thread],
    result: BenchResult,
    t0: float,
    seconds: float,
    limit: int | None,
) -> None:
    """Wait for the clients, with a bar on a terminal (requests done, or seconds gone)."""
    from tqdm import tqdm

    total = limit or round(seconds)
    with tqdm(total=total, unit="req" if limit else "s", desc="load", disable=None,
              leave=False, file=sys.stderr) as bar:  # fmt: skip
        while any(t.is_alive() for t in threads):
            time.sleep(0.25)
            done = len(result.latencies_ms) if limit else time.perf_counter() - t0
            bar.update(max(0.0, min(total, done) - bar.n))
    for t in threads:
        t.join()


def run_load(
    url: str,
    token: str,
    bodies: list[dict[str, Any]],
    clients: int,
    seconds: float,
    limit: int | None = None,
    settle_s: float = 300.0,
) -> BenchResult:
    """Run ``clients`` concurrent clients for ``seconds`` (or ``limit`` requests in all).

    Args:
        url: Base URL of the server.
        token: An admin token (creates runs, reads every run, verifies the chain).
        bodies: Run request bodies, used round-robin.
        clients: Concurrent clients.
        seconds: Time bound.
        limit: Stop after this many requests in all.
        settle_s: How long accepted runs may take to finish after the load (runs
            accepted with 202 finish in the background).

    Returns:
        Latencies, errors, and the lost-run and chain checks.
    """
    import httpx

    result = BenchResult(clients=clients, seconds=seconds)
    lock = threading.Lock()
    budget = threading.Semaphore(limit) if limit else None
    cpu0, t0 = time.process_time(), time.perf_counter()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client_loop, args=(url, token, bodies, deadline, budget, result, lock, i)
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    _wait(threads, result, t0, seconds, limit)
    result.seconds = time.perf_counter() - t0
    result.cpu_s = time.process_time() - cpu0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        t_settle = time.perf_counter()
        result.lost = _settle(client, result.accepted, settle_s)
        result.settle_s = time.perf_counter() - t_settle
        chain = client.get("/api/audit/verify").json()
    result.chain_ok = bool(chain.get("ok"))
    result.chain_records = int(chain.get("checked", 0))
    return result


def _settle(client: Any, run_ids: list[str], limit_s: float) -> list[str]:
    """Wait until every run has ended; the ids not ``done`` (failed, unknown, too slow)."""
    import httpx

    pending, lost = list(run_ids), []
    deadline = time.monotonic() + limit_s
    while pending and time.monotonic() < deadline:
        still = []
        for run_id in pending:
            try:
                r = client.get(f"/api/runs/{run_id}/status")
                status = r.json().get("status") if r.status_code == 200 else "unknown"
            except (httpx.HTTPError, ValueError):
                status = "queued"  # a server restarting: ask again
            if status in ("queued", "running"):
                still.append(run_id)
            elif status != "done":
                lost.append(run_id)
        if still:
            time.sleep(0.2)
        pending = still
    return lost + pending


@contextmanager
def _local_server(db_url: str | None, workers: int) -> Iterator[tuple[str, str]]:
    """A server on a free loopback port with a fresh admin token."""
    import socket

    import uvicorn

    from evident.server import ServerSettings
    from evident.server.app import build_state, create_app

    tmp = tempfile.TemporaryDirectory(prefix="evident-bench-")
    url = db_url or f"sqlite:///{os.path.join(tmp.name, 'bench.db')}"
    settings = ServerSettings(
        db_url=url, workers=workers, max_pending=1_000_000, max_user_pending=1_000_000
    )
    state = build_state(settings)
    token = state.users.add_user(f"bench-{os.getpid()}-{int(time.time())}", "admin")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(settings, state), log_level="warning", access_log=False, ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise InputError("the benchmark server failed to start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", token
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
        tmp.cleanup()


def _bodies(paths: tuple[Path, ...], task: str, model: str) -> list[dict[str, Any]]:
    from evident.server.tasks import demo_transcripts

    if paths:
        texts = []
        for p in paths:
            try:
                texts.append(p.read_text("utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read transcript '{p}': {type(exc).__name__}") from None
        return [{"task": task, "model": model, "transcript": t, "wait": True} for t in texts]
    demos = sorted(demo_transcripts())
    if not demos:
        raise InputError("no transcripts given and no bundled demo transcripts found")
    return [{"task": task, "model": model, "demo": d, "wait": True} for d in demos]


@click.command("server")
@click.argument(
    "transcripts", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--clients", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option("--seconds", default=20.0, show_default=True, type=click.FloatRange(0.5, 3600))
@click.option("--limit", default=None, type=click.IntRange(1), help="Stop after N requests.")
@click.option("--url", default=None, help="Benchmark a running server instead of a local one.")
@click.option(
    "--token",
    envvar="EVIDENT_TOKEN",
    default=None,
    help="Admin token for --url (or $EVIDENT_TOKEN).",
)
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Database of the local server (default: a temporary SQLite file).",
)
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Run threads of the local server.",
)
@click.option("--task", default="scribe", show_default=True)
@click.option("--model", default="offline", show_default=True)
@click.option(
    "--no-wait",
    is_flag=True,
    help="Clients only submit (202, durably queued); the bench then waits for every run.",
)
@click.option(
    "--kill-after",
    default=None,
    type=click.FloatRange(0.5),
    metavar="S",
    help="Run the server as a process and kill -9 it after S seconds, then restart it: "
    "counts the accepted runs that never finish.",
)
def bench_server(
    transcripts: tuple[Path, ...],
    clients: int,
    seconds: float,
    limit: int | None,
    url: str | None,
    token: str | None,
    db_url: str | None,
    workers: int,
    task: str,
    model: str,
    no_wait: bool,
    kill_after: float | None,
) -> None:
    """Load: concurrent clients run TRANSCRIPTS (default: the demo ones) through the API.

    Prints throughput, p50/p95 latency, errors and lost runs (an accepted run missing from
    the audit trail), and whether the audit chain verifies. Exits 1 unless errors and
    lost runs are zero and the chain verifies.
    """
    bodies = _bodies(transcripts, task, model)
    if no_wait or kill_after is not None:
        bodies = [{**b, "wait": False} for b in bodies]
    if url:
        if not token:
            raise InputError("--url needs an admin --token (or $EVIDENT_TOKEN)")
        result = run_load(url.rstrip("/"), token, bodies, clients, seconds, limit)
    elif kill_after is not None:
        from evident.cli.bench_chaos import child_server

        with child_server(db_url, workers, kill_after) as (child, admin):
            result = run_load(child.url, admin, bodies, clients, seconds, limit)
            result.interrupted = child.unfinished_at_kill
    else:
        with _local_server(db_url, workers) as (local, admin):
            result = run_load(local, admin, bodies, clients, seconds, limit)
    _print(result, bodies, workers if not url else None)
    # a killed server refuses connections for a moment: those errors are expected
    failed = result.n_errors if kill_after is None else 0
    if failed or result.lost or not result.chain_ok:
        raise click.exceptions.Exit(1)


def _print(r: BenchResult, bodies: list[dict[str, Any]], workers: int | None) -> None:
    n = len(r.accepted)
    rows = [
        ("clients", str(r.clients)),
        ("server run threads", str(workers) if workers else "(remote)"),
        ("inputs (round robin)", str(len(bodies))),
        ("wall seconds", f"{r.seconds:.1f}"),
        ("runs accepted", str(n)),
        ("throughput (runs/s)", f"{n / r.seconds:.2f}" if r.seconds else "0"),
        ("latency p50 (ms)", f"{r.percentile(50):.0f}"),
        ("latency p95 (ms)", f"{r.percentile(95):.0f}"),
        ("latency max (ms)", f"{max(r.latencies_ms, default=0):.0f}"),
        ("errors", str(r.n_errors) + (f" {r.errors}" if r.errors else "")),
        ("status checks after the load (s)", f"{r.settle_s:.1f}"),
        ("lost runs", str(len(r.lost))),
        ("audit chain", f"{'ok' if r.chain_ok else 'FAILED'} ({r.chain_records} records)"),
    ]
    if r.interrupted >= 0:
        rows.append(("runs unfinished at kill -9", str(r.interrupted)))
    if workers and r.interrupted < 0:
        per = f"{r.cpu_s / n * 1000:.1f}" if n else "-"
        rows.append(("CPU s, this process (ms/run)", f"{r.cpu_s:.1f} ({per})"))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")


def register(root: click.Group) -> None:
    """Add ``evident bench server``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_server)
