"""The Tantivy store keeps the store contract of the SQLite one, with exact BM25."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.errors import InputError
from evident.kb import KnowledgeBase
from tests.conftest import require_or_skip

ENGINES = ["sqlite", "tantivy"]


def _tantivy_installed() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "tantivy":
        require_or_skip(_tantivy_installed(), "EVIDENT_REQUIRE_TANTIVY", "tantivy not installed")
    return str(request.param)


def test_ingest_reingest_and_replace(tmp_path: Path, fixtures: Path, engine: str) -> None:
    with KnowledgeBase(tmp_path / "kb", create=True, engine=engine) as kb:  # type: ignore[arg-type]
        first = kb.ingest([fixtures], progress=False)
        assert first.added == kb.stats()["documents"] == 10
        again = kb.ingest([fixtures], progress=False)
        assert (again.added, again.replaced, again.unchanged) == (0, 0, 10)
        assert kb.stats()["engine"] == ("sqlite-fts5" if engine == "sqlite" else "tantivy")
    doc = tmp_path / "note.md"
    doc.write_text("# Note\n\nOriginal advice about warfarin monitoring.\n")
    with KnowledgeBase(tmp_path / "kb2", create=True, engine=engine) as kb:  # type: ignore[arg-type]
        kb.ingest([doc], progress=False)
        assert [h.passage.passage_id for h in kb.search("warfarin", k=5)] == ["note#1"]
        doc.write_text("# Note\n\nRevised advice about apixaban dosing.\n")
        assert kb.ingest([doc], progress=False).replaced == 1
        assert not kb.search("warfarin", k=5)
        assert [h.passage.passage_id for h in kb.search("apixaban", k=5)] == ["note#1"]


@pytest.mark.parametrize(
    "query",
    [
        'metformin AND "kidney" OR (NOT',
        "title:x NEAR(a b) ^c* - :",
        "what is it",
    ],
)
def test_any_query_text_is_safe(tmp_path: Path, fixtures: Path, engine: str, query: str) -> None:
    with KnowledgeBase(tmp_path / "kb", create=True, engine=engine) as kb:  # type: ignore[arg-type]
        kb.ingest([fixtures], progress=False)
        assert isinstance(kb.search(query, k=3), list)


def test_engines_agree_on_the_best_passage(tmp_path: Path, fixtures: Path) -> None:
    require_or_skip(_tantivy_installed(), "EVIDENT_REQUIRE_TANTIVY", "tantivy not installed")
    queries = [
        "metformin kidney function",
        "blood pressure treatment",
        "warfarin bleeding",
        "asthma inhaler",
        "vaccine schedule",
    ]
    tops = {}
    for name in ENGINES:
        with KnowledgeBase(tmp_path / name, create=True, engine=name, max_postings=0) as kb:  # type: ignore[arg-type]
            kb.ingest([fixtures], progress=False)
            tops[name] = [[h.passage.doc_id for h in kb.search(q, k=1)] for q in queries]
    agree = sum(a == b for a, b in zip(tops["sqlite"], tops["tantivy"], strict=True))
    assert agree >= 4, tops


def test_a_base_keeps_its_engine(tmp_path: Path, fixtures: Path) -> None:
    require_or_skip(_tantivy_installed(), "EVIDENT_REQUIRE_TANTIVY", "tantivy not installed")
    with KnowledgeBase(tmp_path / "kb", create=True, engine="tantivy") as kb:
        kb.ingest([fixtures], progress=False)
    with KnowledgeBase(tmp_path / "kb") as kb:
        assert kb.stats()["engine"] == "tantivy"
        assert kb.stats()["indexed"] == kb.stats()["passages"]
    with pytest.raises(InputError, match="built with the tantivy engine, not sqlite"):
        KnowledgeBase(tmp_path / "kb", engine="sqlite")
