"""Benchmarks of the harness itself: MIRAGE re-scoring table and per-item overhead."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from evident.evals.items import EvalItem
from evident.evals.loaders import MIRAGE_DATASETS, load_mirage
from evident.evals.rescore import load_predictions, rescore
from evident.evals.runner import run_benchmark
from evident.models.base import Generation, GenerationRequest
from evident.types import Usage

__all__ = ["PUBLISHED_COT", "InstantBackend", "measure_overhead", "rescore_table"]

T = TypeVar("T", bound=BaseModel)

# MIRAGE (Xiong et al., ACL Findings 2024), GPT-3.5 CoT accuracy in percent.
PUBLISHED_COT = {
    "mmlu": 72.91,
    "medqa": 65.04,
    "medmcqa": 55.25,
    "pubmedqa": 36.00,
    "bioasq": 74.27,
}


class InstantBackend:
    """A backend that answers at once with a fixed JSON answer (measures the harness)."""

    name = "instant"
    offline = False
    local = True

    def __init__(self, answer: str = '{"answer_choice": "A"}') -> None:
        self.spec = "instant"
        self.model = "instant"
        self._answer = answer

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Return the fixed answer, validated like a real backend would."""
        value = request.output_type.model_validate(json.loads(self._answer))
        return Generation(value, self._answer, self.model, Usage(calls=1))


def rescore_table(
    data: Path,
    predictions_dir: Path,
    settings: Sequence[str] = ("cot", "rag_32"),
    pattern: str = "{dataset}_{setting}_gpt-35-turbo-16k.json",
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Re-score every (dataset, setting) predictions file found; one row each."""
    rows: list[dict[str, Any]] = []
    for dataset in MIRAGE_DATASETS:
        items: list[EvalItem] | None = None  # loaded once, when a predictions file needs it
        for setting in settings:
            row: dict[str, Any] = {"dataset": dataset, "setting": setting}
            path = Path(predictions_dir) / pattern.format(dataset=dataset, setting=setting)
            if not path.is_file():
                rows.append(row | {"status": "no file"})
                continue
            predictions = load_predictions(path)
            if not predictions:
                rows.append(row | {"status": "empty file ({})"})
                continue
            if items is None:
                items = load_mirage(data, dataset)[:limit] if limit else load_mirage(data, dataset)
            result = rescore(dataset, items, predictions)
            published = PUBLISHED_COT.get(dataset) if setting == "cot" else None
            rows.append(
                row
                | {
                    "status": "ok",
                    "n": result.n,
                    "accuracy": 100 * result.accuracy,
                    "published": published,
                    "strict_accuracy": 100 * result.strict_accuracy,
                    "defaulted": result.defaulted,
                    "unparsed": len(result.unparsed),
                    "missing": len(result.missing),
                }
            )
    return rows


@dataclass(frozen=True)
class Overhead:
    """Per-item cost of the harness with an instant backend (milliseconds)."""

    n: int
    concurrency: int
    wall_ms: float
    cpu_ms: float
    harness_ms: float
    cached_wall_ms: float


def measure_overhead(items: Sequence[EvalItem], mode: str, concurrency: int) -> Overhead:
    """Run items through :class:`InstantBackend` (fresh cache), then again (all cached)."""
    with tempfile.TemporaryDirectory(prefix="evident-overhead-") as tmp:
        backend = InstantBackend()
        wall, cpu = time.perf_counter(), time.process_time()
        first = run_benchmark(
            items, backend, mode=mode, out_dir=Path(tmp), concurrency=concurrency, progress=False
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        again = time.perf_counter()
        run_benchmark(
            items, backend, mode=mode, out_dir=Path(tmp), concurrency=concurrency, progress=False
        )
        again = time.perf_counter() - again
    n = len(items)
    return Overhead(
        n=n,
        concurrency=concurrency,
        wall_ms=1000 * wall / n,
        cpu_ms=1000 * cpu / n,
        harness_ms=float(first.results["mean_harness_ms"]),
        cached_wall_ms=1000 * again / n,
    )
