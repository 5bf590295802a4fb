"""Retrieval and scale benchmarks of the knowledge base (``evident bench kb ...``)."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evident.errors import InputError
from evident.kb.ingest import ingest_documents
from evident.kb.knowledge import Engine, KnowledgeBase, SearchMode
from evident.kb.model import IngestReport
from evident.kb.parse_jsonl import medquad_doc_id
from evident.kb.synth import load_vocabulary, sample_queries, synthetic_documents

__all__ = [
    "RetrievalResult",
    "bench_medquad",
    "bench_pubmedqa",
    "bench_scale",
    "pin_one_core",
]

DEPTH = 100  # passages fetched per query before collapsing them to documents


@dataclass
class RetrievalResult:
    """Document-level retrieval quality and cost of one benchmark run."""

    dataset: str
    mode: str
    queries: int
    documents: int
    passages: int
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    mrr: float
    index_cpu_s: float
    query_p50_ms: float
    query_p95_ms: float
    query_cpu_ms: float

    def as_dict(self) -> dict[str, Any]:
        """The result as a plain dict."""
        return asdict(self)


def pin_one_core() -> int | None:
    """Restrict this process to one CPU core (Linux); return the core or None."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


@contextmanager
def _workdir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="evident-kb-bench-") as tmp:
        yield Path(tmp)


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _run_queries(
    kb: KnowledgeBase,
    queries: Sequence[tuple[str, str]],
    mode: SearchMode,
    same: Callable[[str, str], bool],
    progress: bool,
) -> tuple[list[int | None], list[float], list[float]]:
    """Rank of the gold document for each ``(gold doc id, query)``; wall and CPU ms."""
    ranks: list[int | None] = []
    wall: list[float] = []
    cpu: list[float] = []
    for gold, text in tqdm(queries, unit="query", disable=not progress or None, leave=False):
        t0, c0 = time.perf_counter(), time.process_time()
        hits = kb.search(text, k=DEPTH, mode=mode)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        docs = list(dict.fromkeys(h.passage.doc_id for h in hits))
        rank = next((i for i, d in enumerate(docs, start=1) if same(d, gold)), None)
        ranks.append(rank)
    return ranks, wall, cpu


def _result(
    dataset: str,
    mode: str,
    kb: KnowledgeBase,
    index_cpu: float,
    ranks: list[int | None],
    wall: list[float],
    cpu: list[float],
) -> RetrievalResult:
    n = len(ranks) or 1
    stats = kb.stats()

    def recall(k: int) -> float:
        return round(sum(1 for r in ranks if r is not None and r <= k) / n, 4)

    return RetrievalResult(
        dataset=dataset,
        mode=mode,
        queries=len(ranks),
        documents=int(str(stats["documents"])),
        passages=int(str(stats["passages"])),
        recall_at_1=recall(1),
        recall_at_5=recall(5),
        recall_at_10=recall(10),
        mrr=round(sum(1 / r for r in ranks if r is not None) / n, 4),
        index_cpu_s=round(index_cpu, 2),
        query_p50_ms=round(_pct(wall, 0.5), 2),
        query_p95_ms=round(_pct(wall, 0.95), 2),
        query_cpu_ms=round(statistics.fmean(cpu), 2) if cpu else 0.0,
    )


def _index(kb: KnowledgeBase, data: Path, mode: str, progress: bool) -> float:
    c0 = time.process_time()
    kb.ingest([data], progress=progress, embed=mode != "bm25")
    return time.process_time() - c0


def _spread(items: list[Any], limit: int | None) -> list[Any]:
    """``limit`` items evenly spread over the list (all when no limit)."""
    if not limit or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def bench_pubmedqa(
    data: Path,
    limit: int | None = None,
    mode: SearchMode = "bm25",
    workdir: Path | None = None,
    progress: bool = True,
) -> RetrievalResult:
    """Index every PubMedQA context, query with each question, find its source abstract."""
    try:
        items = json.loads(data.read_bytes())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read PubMedQA data '{data.name}': {exc}") from None
    if not isinstance(items, dict):
        raise InputError(f"'{data.name}' is not a PubMedQA object keyed by PMID")
    queries = [(f"pmid:{k}", str(v.get("QUESTION", ""))) for k, v in items.items()]
    queries = _spread([q for q in queries if q[1].strip()], limit)
    with _workdir(workdir) as tmp, KnowledgeBase(tmp / "pubmedqa", create=True) as kb:
        index_cpu = _index(kb, data, mode, progress)
        ranks, wall, cpu = _run_queries(kb, queries, mode, str.__eq__, progress)
        return _result("pubmedqa", mode, kb, index_cpu, ranks, wall, cpu)


def _medquad_queries(data: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``(doc id, question)`` pairs and each doc's answer hash (duplicates are equivalent)."""
    queries: list[tuple[str, str]] = []
    answer_of: dict[str, str] = {}
    with data.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError:
                raise InputError(f"'{data.name}' line {n}: malformed JSON") from None
            answer = str(rec.get("answer") or "").strip()
            question = str(rec.get("question") or "").strip()
            if not answer or not question:
                continue
            doc_id = medquad_doc_id(str(rec.get("url") or "").strip(), question)
            answer_of.setdefault(doc_id, hashlib.sha1(answer.encode()).hexdigest())
            queries.append((doc_id, question))
    return queries, answer_of


def bench_medquad(
    data: Path,
    limit: int | None = None,
    mode: SearchMode = "bm25",
    workdir: Path | None = None,
    progress: bool = True,
) -> RetrievalResult:
    """Index every MedQuAD answer, query with each question, find its own answer.

    A retrieved record whose answer text is identical to the gold one counts as a hit
    (MedQuAD repeats some answers under several questions).
    """
    queries, answer_of = _medquad_queries(data)
    queries = _spread(list(dict.fromkeys(queries)), limit)

    def same(doc: str, gold: str) -> bool:
        return doc == gold or answer_of.get(doc) == answer_of.get(gold)

    with _workdir(workdir) as tmp, KnowledgeBase(tmp / "medquad", create=True) as kb:
        index_cpu = _index(kb, data, mode, progress)
        ranks, wall, cpu = _run_queries(kb, queries, mode, same, progress)
        return _result("medquad", mode, kb, index_cpu, ranks, wall, cpu)


def _latencies(kb: KnowledgeBase, queries: Sequence[str], progress: bool) -> dict[str, float]:
    wall, cpu = [], []
    for q in tqdm(queries, unit="query", disable=not progress or None, leave=False):
        t0, c0 = time.perf_counter(), time.process_time()
        kb.search(q, k=10)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {
        "p50_ms": round(_pct(wall, 0.5), 2),
        "p95_ms": round(_pct(wall, 0.95), 2),
        "cpu_p50_ms": round(_pct(cpu, 0.5), 2),
    }


def bench_scale(
    passages: int,
    vocab_paths: Sequence[Path],
    workdir: Path,
    queries: int = 200,
    exact_queries: int = 50,
    recall_data: Path | None = None,
    recall_limit: int | None = None,
    progress: bool = True,
    engine: Engine = "sqlite",
) -> dict[str, Any]:
    """Build an index of ``passages`` synthetic passages and time it and its queries.

    Returns build CPU seconds and throughput (the synthetic corpus's generation timed
    apart and left out; also given with it), peak memory, index size, and p50/p95 query
    latency with the default pruning and with exact BM25 over every query term. With
    ``recall_data`` (a PubMedQA file) its abstracts are added to the big index as needles
    among the synthetic passages, and PubMedQA recall is measured there, pruned and exact.
    """
    vocab = load_vocabulary(vocab_paths)
    kb_dir = workdir / f"scale-{engine}-{passages}"
    if (kb_dir / "kb.sqlite").exists():
        raise InputError(f"'{kb_dir}' already exists; remove it or choose another --workdir")
    with KnowledgeBase(kb_dir, create=True, engine=engine) as kb:
        docs = _Timed(synthetic_documents(vocab, passages))
        bar = tqdm(total=passages, unit="passage", disable=not progress or None, leave=False)
        c0, t0 = time.process_time(), time.perf_counter()
        report = ingest_documents(kb.store, _ticking(docs, bar), IngestReport())
        kb.store.optimize()
        kb.store.refresh_term_stats()
        total_cpu, build_wall = time.process_time() - c0, time.perf_counter() - t0
        build_cpu = total_cpu - docs.cpu_s
        bar.close()
        texts = sample_queries(vocab, max(queries, exact_queries))
        pruned = _latencies(kb, texts[:queries], progress)
        budget = kb.store.max_postings
        kb.store.max_postings = 0
        exact = _latencies(kb, texts[:exact_queries], progress) if exact_queries else {}
        kb.store.max_postings = budget
        needles = _needles(kb, recall_data, recall_limit, progress) if recall_data else {}
    size = sum(f.stat().st_size for f in kb_dir.rglob("*") if f.is_file())
    return {
        "engine": engine,
        "passages": report.passages,
        "documents": report.added,
        "vocabulary": len(vocab.words),
        "build_cpu_s": round(build_cpu, 1),
        "build_wall_s": round(build_wall, 1),
        "passages_per_cpu_s": round(report.passages / build_cpu) if build_cpu else 0,
        "generate_cpu_s": round(docs.cpu_s, 1),
        "passages_per_cpu_s_with_generation": round(report.passages / total_cpu)
        if total_cpu
        else 0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "index_mb": round(size / 2**20),
        "max_postings": budget,
        "query_pruned": pruned,
        "query_exact": exact,
        "pubmedqa_in_index": needles,
        "kb": str(kb_dir),
    }


def _needles(kb: KnowledgeBase, data: Path, limit: int | None, progress: bool) -> dict[str, Any]:
    """PubMedQA recall inside the big index, with pruning and exact."""
    items = json.loads(data.read_bytes())
    queries = _spread([(f"pmid:{k}", str(v.get("QUESTION", ""))) for k, v in items.items()], limit)
    kb.ingest([data], progress=progress)
    out: dict[str, Any] = {}
    budget = kb.store.max_postings
    for name, postings in (("pruned", budget), ("exact", 0)):
        kb.store.max_postings = postings
        ranks, wall, cpu = _run_queries(kb, queries, "bm25", str.__eq__, progress)
        res = _result("pubmedqa+synthetic", name, kb, 0.0, ranks, wall, cpu)
        out[name] = {
            k: v for k, v in res.as_dict().items() if k.startswith(("recall", "mrr", "query"))
        }
    kb.store.max_postings = budget
    out["queries"] = len(queries)
    return out


class _Timed:
    """An iterator that adds up the CPU time (this thread's) spent producing its items.

    The scale benchmark generates its synthetic corpus while ingesting it; generating is
    not building the index, so its time is subtracted from the build figure.
    """

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.cpu_s = 0.0

    def __iter__(self) -> _Timed:
        return self

    def __next__(self) -> Any:
        t0 = time.thread_time()
        try:
            return next(self.items)
        finally:
            self.cpu_s += time.thread_time() - t0


def _ticking(docs: Iterator[Any], bar: tqdm) -> Iterator[Any]:
    for doc in docs:
        bar.update(len(doc.sections))
        yield doc
