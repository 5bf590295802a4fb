"""The build's fast paths give exactly what the general code gives."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from evident.kb import KnowledgeBase
from evident.kb.bench import bench_scale
from evident.kb.ingest import ingest_documents
from evident.kb.model import Document
from evident.kb.synth import Vocabulary, synthetic_documents
from evident.kb.text import _section_chunks
from tests.conftest import require_or_skip
from tests.kb.test_tantivy import _tantivy_installed

DOCS = [
    Document(id="a", title="T", source="s", sections=(("", "one two"),)),
    Document(
        id="b",
        title="Tïtle ünicode",
        source="pubmed",
        sections=(("Methods", "We measured."), ("", "Then\n\nmore.")),
        url="https://example.org/x",
        date="2020-01",
        meta=(("journal", "J"), ("type", "rct")),
    ),
    Document(id="c", title="", source="", sections=()),
]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.id)
def test_content_hash_is_the_hash_of_asdict(doc: Document) -> None:
    # Bases built before the fast hash must not see every document as changed.
    payload = json.dumps(asdict(doc), sort_keys=True, ensure_ascii=False)
    assert doc.content_hash() == hashlib.sha256(payload.encode()).hexdigest()


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\n  ",
        "one two three",
        "First paragraph here.\n\nSecond  one\there.",
        "a\n\n\n\nb\n \nc",
        "Spaces\u00a0and\u2003odd   whitespace.",
        " ".join(f"w{i}" for i in range(12)),
    ],
)
def test_short_sections_chunk_as_the_packing_would(body: str) -> None:
    words = len(body.split())
    fast = _section_chunks(body, max(words, 1), 1)
    # The same body with a second short paragraph forces the general path; its first
    # chunk is what the packing made of the original body.
    general = _section_chunks(body + "\n\n" + "x " * (words + 2), max(words, 1) + 1, 0)
    assert fast == ([" ".join(body.split())] if words else [])
    if words:
        assert general[0] == fast[0]


def test_synthetic_documents_are_cut_at_buffer_edges() -> None:
    vocab = Vocabulary(words=("alpha", "beta", "gamma"), counts=(5, 3, 1), sections=("x",))
    docs = list(synthetic_documents(vocab, 30_000, words_range=(40, 140)))
    passages = [body for d in docs for _, body in d.sections]
    assert len(passages) == 30_000
    # 30,000 passages of 40-140 words cross the million-word sampling buffer twice.
    assert sum(len(p.split()) for p in passages) > 2_000_000
    assert all(40 <= len(p.split()) <= 140 for p in passages)
    assert all(len(d.title.split()) == 6 for d in docs)
    assert len({d.id for d in docs}) == len(docs)


class _Counting:
    def __init__(self, every: int | None) -> None:
        self.commits = 0
        if every is not None:
            self.commit_every = every

    def document_hash(self, doc_id: str) -> None:
        return None

    def duplicate_of(self, key: str) -> None:
        return None

    def add(self, *args: object) -> None:
        pass

    def delete(self, doc_id: str) -> int:
        return 0

    def commit(self) -> None:
        self.commits += 1


@pytest.mark.parametrize(("every", "commits"), [(None, 1 + 1), (2, 5 + 1), (10_000, 1)])
def test_ingest_commits_as_often_as_the_store_asks(every: int | None, commits: int) -> None:
    docs = [
        Document(id=f"d{i}", title="t", source="s", sections=(("", "w"),))
        for i in range(2_000 if every is None else 10)
    ]
    store = _Counting(every)
    ingest_documents(store, docs)  # type: ignore[arg-type]
    assert store.commits == commits


@pytest.mark.parametrize("engine", ["sqlite", "tantivy"])
def test_scale_bench_counts_generation_apart(tmp_path: Path, engine: str) -> None:
    if engine == "tantivy":
        require_or_skip(_tantivy_installed(), "EVIDENT_REQUIRE_TANTIVY", "tantivy not installed")
    vocab = tmp_path / "v.txt"
    vocab.write_text("Metformin lowers glucose in adults with type two diabetes. " * 20)
    out = bench_scale(
        400, [vocab], tmp_path, queries=3, exact_queries=0, progress=False, engine=engine
    )  # type: ignore[arg-type]
    assert out["passages"] == 400
    assert out["generate_cpu_s"] >= 0
    assert out["passages_per_cpu_s"] >= out["passages_per_cpu_s_with_generation"] > 0
    with KnowledgeBase(Path(out["kb"])) as kb:
        assert kb.stats()["passages"] == 400
