"""``evident bench audit``: the cost of appending, reading and verifying the trail.

Uses synthetic runs (made-up sentences, no patient data) of a realistic size: a
transcript of 60 utterances and a draft of 20 statements.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from evident.audit.metrics import percentile
from evident.audit.records import PatientInfo
from evident.audit.store import AuditStore, open_store
from evident.errors import InputError
from evident.types import (
    Draft,
    ModelInfo,
    Report,
    Run,
    Section,
    Segment,
    Source,
    Statement,
    Usage,
    Verdict,
    VerdictLabel,
)

__all__ = ["BenchResult", "run_bench", "synthetic_run"]

_WORDS = (
    "pain",
    "cough",
    "fever",
    "dose",
    "daily",
    "tablet",
    "week",
    "review",
    "blood",
    "pressure",
    "follow",
    "plan",
    "left",
)
_LABELS: tuple[VerdictLabel, ...] = (
    "supported",
    "supported",
    "supported",
    "unsupported",
    "contradicted",
)


def synthetic_run(rng: random.Random, started: datetime) -> Run:
    """A made-up scribe run: 60 utterances, 20 statements with random verdicts."""
    utterances, offset, parts = [], 0, []
    for i in range(60):
        words = " ".join(rng.choice(_WORDS) for _ in range(14)).capitalize() + "."
        line = f"{'Doctor' if i % 2 == 0 else 'Patient'}: {words}\n"
        start = offset + line.index(":") + 2
        utterances.append(
            Segment(
                id=f"u{i + 1}",
                text=words,
                start=start,
                end=start + len(words),
                speaker="doctor" if i % 2 == 0 else "patient",
                kind="utterance",
            )
        )
        parts.append(line)
        offset += len(line)
    source = Source(id="visit", kind="transcript", text="".join(parts), segments=tuple(utterances))
    statements = tuple(
        Statement(
            id=f"st{i + 1}",
            text=" ".join(rng.choice(_WORDS) for _ in range(10)) + ".",
            section="Plan",
            citations=(f"u{rng.randint(1, 60)}",),
        )
        for i in range(20)
    )
    model = ModelInfo(spec="offline", backend="offline", name="offline", offline=True)
    verdicts = tuple(
        Verdict(
            statement_id=s.id,
            label=rng.choice(_LABELS),
            evidence=s.citations,
            reason="synthetic",
            score=rng.random(),
        )
        for s in statements
    )
    return Run(
        id=uuid.uuid4().hex,
        task="scribe",
        created_at=started,
        sources=(source,),
        draft=Draft(
            task="scribe",
            sections=(Section(name="Plan", statements=statements),),
            model=model,
            prompt_version="scribe/1.0",
        ),
        report=Report(verdicts=verdicts),
        model=model,
        prompt_version="scribe/1.0",
        timings_ms={"generate": rng.uniform(5, 50), "verify": rng.uniform(5, 50)},
        usage=Usage(),
        input_digest=uuid.uuid4().hex * 2,
    )


@dataclass(frozen=True)
class BenchResult:
    """One measured operation: count, per-op wall p50/p95 (ms), CPU seconds, wall seconds."""

    operation: str
    count: int
    p50_ms: float
    p95_ms: float
    cpu_s: float
    wall_s: float


def _measure(name: str, count: int, op: Callable[[int], object]) -> BenchResult:
    from tqdm import tqdm

    times = []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    # disable=None: a bar with total and ETA on a terminal, nothing otherwise.
    for i in tqdm(range(count), desc=name, disable=None, leave=False, file=sys.stderr):
        t0 = time.perf_counter()
        op(i)
        times.append((time.perf_counter() - t0) * 1000)
    return BenchResult(
        name,
        count,
        percentile(times, 50) or 0.0,
        percentile(times, 95) or 0.0,
        time.process_time() - cpu0,
        time.perf_counter() - wall0,
    )


def _bench_store(store: AuditStore, runs: int, seed: int) -> list[BenchResult]:
    rng = random.Random(seed)
    start = datetime(2026, 11, 2, tzinfo=UTC)
    made = [synthetic_run(rng, start + timedelta(hours=i)) for i in range(runs)]
    patients = [PatientInfo(sex=rng.choice("FM"), age=rng.randint(18, 90)) for _ in made]
    results = [
        _measure("record_run", runs, lambda i: store.record_run(made[i], patient=patients[i])),
        _measure(
            "record_action (accept)",
            runs,
            lambda i: store.record_action(
                made[i].id, user="bench", statement_id="st1", action="accept"
            ),
        ),
        _measure("get_run", runs, lambda i: store.get_run(made[i].id)),
        _measure("list_runs (50)", 20, lambda i: store.list_runs(limit=50, offset=i)),
    ]
    verify = _measure("verify_chain (all records)", 1, lambda i: store.verify_chain())
    results.append(
        BenchResult(
            f"verify_chain ({2 * runs} records)",
            1,
            verify.p50_ms,
            verify.p95_ms,
            verify.cpu_s,
            verify.wall_s,
        )
    )
    results.append(
        _measure("metrics (by sex, age band)", 3, lambda i: store.metrics(by=("sex", "age_band")))
    )
    return results


def run_bench(url: str | None, runs: int, seed: int = 0) -> list[BenchResult]:
    """Measure the store on ``url`` (must be empty) or on a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        target = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        with open_store(target) as store:
            if store.head()[0] != 0:
                raise InputError("the benchmark writes synthetic runs: give it an empty database")
            return _bench_store(store, runs, seed)
