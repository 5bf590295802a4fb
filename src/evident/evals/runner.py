"""Run a benchmark against a backend: bounded concurrency, cache, resume, results."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from evident.errors import BackendError, InputError, OutputError
from evident.evals.items import EvalItem
from evident.evals.offline import ENGINE, offline_answer
from evident.evals.prompts import build_messages, prompt_for
from evident.evals.records import ItemRecord, RecordCache, run_slug
from evident.evals.score import score_output
from evident.evals.stats import wilson
from evident.models.base import Backend, GenerationRequest

__all__ = ["RunOutcome", "evaluate_item", "model_name", "run_benchmark", "summarise"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`run_benchmark` did.

    Attributes:
        run_dir: Folder holding ``records.jsonl`` and ``results.json``.
        results: The content of ``results.json``.
        records: The records of this run's items, in item order.
        cached: Items answered from the cache (not sent to the model again).
        failed: Ids of items whose backend call failed (not cached; re-run to retry).
    """

    run_dir: Path
    results: dict[str, Any]
    records: tuple[ItemRecord, ...]
    cached: int
    failed: tuple[str, ...]


def model_name(backend: Backend) -> str:
    """The name records use for a backend (the offline engine has its own)."""
    return ENGINE if backend.offline else backend.spec


def evaluate_item(
    item: EvalItem, backend: Backend, mode: str, version_suffix: str = ""
) -> ItemRecord:
    """Ask the backend (or the offline engine) one item and score the answer.

    Args:
        item: The item.
        backend: Any backend; an offline one uses the offline engine.
        mode: ``zero-shot`` or ``cot``.
        version_suffix: Appended to the prompt version (retrieved context: ``+kb-...``).

    Raises:
        BackendError: The backend failed (not for invalid output, which is recorded).
    """
    started = time.perf_counter()
    prompt, output_type = prompt_for(item, mode)
    messages = build_messages(item, prompt)
    base: dict[str, Any] = {
        "model": model_name(backend),
        "prompt_version": prompt.version + version_suffix,
        "item_id": item.id,
        "benchmark": item.benchmark,
        "mode": mode,
        "prompt": [{"role": m.role, "content": m.content} for m in messages],
        "answer": item.answer,
        "offline": backend.offline,
    }
    model_s, error, usage = 0.0, None, None
    if backend.offline:
        answer = offline_answer(item)
        raw, abstained = answer.raw, answer.abstained
    else:
        abstained = False
        call_started = time.perf_counter()
        try:
            generation = backend.generate(GenerationRequest(messages, output_type, repair=False))
            raw, usage = generation.raw, generation.usage
        except OutputError as exc:
            # Invalid output is an answer too: score whatever raw text the backend kept.
            raw, error = exc.raw, "OutputError"
            usage = getattr(exc, "usage", None)
        model_s = time.perf_counter() - call_started
    scored = score_output(item, raw)
    extra = {} if scored.sentence_correct is None else {"sentence_correct": scored.sentence_correct}
    total_ms = 1000 * (time.perf_counter() - started)
    return ItemRecord(
        **base,
        raw=raw,
        parsed=None if abstained else scored.parsed,
        method="abstained" if abstained else scored.method,
        correct=False if abstained else scored.correct,
        abstained=abstained,
        error=error,
        latency_ms=1000 * model_s,
        harness_ms=total_ms - 1000 * model_s,
        input_tokens=getattr(usage, "input_tokens", 0) or 0,
        output_tokens=getattr(usage, "output_tokens", 0) or 0,
        extra=extra,
    )


def summarise(records: Sequence[ItemRecord], **fields: Any) -> dict[str, Any]:
    """Accuracy with its Wilson 95% interval and counts, for ``results.json``."""
    n = len(records)
    correct = sum(r.correct for r in records)
    low, high = wilson(correct, n)
    out: dict[str, Any] = {
        **fields,
        "n": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "ci_low": low,
        "ci_high": high,
        "abstained": sum(r.abstained for r in records),
        "unparsed": [r.item_id for r in records if r.parsed is None and not r.abstained],
        "output_errors": sum(r.error == "OutputError" for r in records),
        "input_tokens": sum(r.input_tokens for r in records),
        "output_tokens": sum(r.output_tokens for r in records),
        "mean_latency_ms": sum(r.latency_ms for r in records) / n if n else 0.0,
        "mean_harness_ms": sum(r.harness_ms for r in records) / n if n else 0.0,
    }
    sentence = [r.extra["sentence_correct"] for r in records if "sentence_correct" in r.extra]
    if sentence:
        out["sentence_accuracy"] = sum(sentence) / len(sentence)
        out["sentence_ci"] = list(wilson(sum(sentence), len(sentence)))
    return out


def _progress(total: int, initial: int, enabled: bool, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, file=sys.stderr, disable=not enabled, desc=desc)


def run_benchmark(
    items: Sequence[EvalItem],
    backend: Backend,
    *,
    mode: str,
    out_dir: Path,
    concurrency: int = 4,
    progress: bool = True,
    evaluate: Callable[[EvalItem, Backend, str], ItemRecord] = evaluate_item,
    slug: str | None = None,
    results_name: str = "results.json",
    prompt_version: str | None = None,
    version_suffix: str = "",
) -> RunOutcome:
    """Run items through a backend, skipping those already in the run's cache.

    Records are appended to ``<out_dir>/<benchmark>__<mode>__<model>/records.jsonl`` as
    each item finishes, so an interrupted run resumes where it stopped.

    Args:
        items: The items (all of one benchmark).
        backend: Any backend; an offline one uses the offline engine.
        mode: ``zero-shot`` or ``cot``.
        out_dir: Root folder of runs.
        concurrency: Items in flight at once (threads).
        progress: Show a tqdm bar on stderr.
        evaluate: The per-item function (bias probes and tests pass their own).
        slug: Folder name of the run (default from benchmark, mode and model).
        results_name: File name of the summary (bias probes use another name so that
            reports do not list their variants as benchmark runs).
        prompt_version: The version ``evaluate`` records (default: the mode's prompt);
            part of the cache key.
        version_suffix: Appended to every item's prompt version (retrieved context).

    Returns:
        The outcome; ``results.json`` is written even when some items failed.

    Raises:
        InputError: No items, or concurrency below 1.
    """
    if not items:
        raise InputError("no items to evaluate")
    if concurrency < 1:
        raise InputError(f"--concurrency must be at least 1 (got {concurrency})")
    benchmark = items[0].benchmark
    model = model_name(backend)
    run_dir = Path(out_dir) / (slug or run_slug(benchmark, mode, model))
    cache = RecordCache(run_dir / "records.jsonl")
    versions = {
        it.id: prompt_version or prompt_for(it, mode)[0].version + version_suffix for it in items
    }
    if version_suffix and evaluate is evaluate_item:
        evaluate = partial(evaluate_item, version_suffix=version_suffix)

    todo = [it for it in items if cache.get((model, versions[it.id], it.id)) is None]
    cached = len(items) - len(todo)
    failed: list[str] = []
    started = time.perf_counter()
    with _progress(len(items), cached, progress, f"{benchmark} {mode}") as bar:
        _execute(todo, backend, mode, concurrency, evaluate, cache, bar, failed)
    wall_s = time.perf_counter() - started
    records = tuple(
        rec for it in items if (rec := cache.get((model, versions[it.id], it.id))) is not None
    )
    results = summarise(
        records,
        benchmark=benchmark,
        model=model,
        backend=backend.name,
        offline=backend.offline,
        mode=mode,
        prompt_version=sorted(set(versions.values())),
        items=len(items),
        cached=cached,
        failed=failed,
        concurrency=concurrency,
        wall_s=wall_s,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    (run_dir / results_name).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return RunOutcome(run_dir, results, records, cached, tuple(failed))


def _execute(
    todo: Sequence[EvalItem],
    backend: Backend,
    mode: str,
    concurrency: int,
    evaluate: Callable[[EvalItem, Backend, str], ItemRecord],
    cache: RecordCache,
    bar: Any,
    failed: list[str],
) -> None:
    """Keep at most ``concurrency`` items in flight; write each record as it lands."""
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    queue = iter(todo)
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="evident-eval")
    pending: dict[Future[ItemRecord], EvalItem] = {}
    try:
        for item in queue:
            pending[pool.submit(evaluate, item, backend, mode)] = item
            if len(pending) >= concurrency:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                try:
                    cache.append(future.result())
                except BackendError as exc:
                    failed.append(item.id)
                    logger.warning("item %s failed: %s", item.id, type(exc).__name__)
                bar.update(1)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(evaluate, nxt, backend, mode)] = nxt
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
