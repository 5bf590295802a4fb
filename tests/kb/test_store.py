"""Store and search: incremental re-ingest, ranking, and safe query escaping."""

from __future__ import annotations

import sqlite3

import pytest

from evident.errors import InputError
from evident.kb import KnowledgeBase, fts_query, query_terms, rrf, split_sentences


def test_ingest_counts_and_reingest_skips_unchanged(tmp_path, fixtures):
    kb = KnowledgeBase(tmp_path / "kb", create=True)
    first = kb.ingest([fixtures], progress=False)
    stats = kb.stats()
    assert first.added == stats["documents"] == 10
    assert first.passages == stats["passages"]
    again = kb.ingest([fixtures], progress=False)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 10)
    assert kb.stats()["passages"] == stats["passages"]
    kb.close()


def test_changed_document_is_replaced_without_duplicates(tmp_path):
    doc = tmp_path / "note.md"
    doc.write_text("# Note\n\nOriginal advice about warfarin monitoring.\n")
    kb = KnowledgeBase(tmp_path / "kb", create=True)
    kb.ingest([doc], progress=False)
    doc.write_text("# Note\n\nRevised advice about apixaban dosing.\n")
    report = kb.ingest([doc], progress=False)
    assert (report.added, report.replaced, report.unchanged) == (0, 1, 0)
    assert kb.stats()["passages"] == 1
    assert not kb.search("warfarin", k=5)
    assert [h.passage.passage_id for h in kb.search("apixaban", k=5)] == ["note#1"]
    kb.close()


def test_duplicate_ids_in_one_run_keep_the_first(tmp_path):
    src = tmp_path / "docs.jsonl"
    src.write_text('{"id": "d1", "text": "first text"}\n{"id": "d1", "text": "second text"}\n')
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        report = kb.ingest([src], progress=False)
        assert (report.added, report.duplicates) == (1, 1)
        assert kb.get_passage("d1#1").text == "first text"


def test_folder_ingest_skips_unknown_types_but_named_files_must_be_known(tmp_path, fixtures):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "docs" / "a.txt").write_text("Some guidance text about influenza vaccination.")
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        report = kb.ingest([tmp_path / "docs"], progress=False)
        assert (report.files, report.skipped_files, report.added) == (1, 1, 1)
        with pytest.raises(InputError, match=r"unknown file type '\.pdf'"):
            kb.ingest([tmp_path / "docs" / "scan.pdf"], progress=False)
        with pytest.raises(InputError, match="no such file"):
            kb.ingest([tmp_path / "missing.md"], progress=False)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("first-line drug treatment for hypertension", "hypertension#3"),
        ("inhaled corticosteroid controller for persistent asthma", "asthma#2"),
        ("statin muscle symptoms", "pmid:90000002#1"),
        ("zelimab fasting glucose", "pmid:91000001#2"),
        ("alcohol rub hand hygiene", "handwashing#1"),
        ("gout flare treatment colchicine", None),
    ],
)
def test_search_ranks_the_relevant_passage_first(tiny_kb, query, expected_first):
    hits = tiny_kb.search(query, k=3)
    assert hits
    assert hits == sorted(hits, key=lambda h: -h.score)
    if expected_first:
        assert hits[0].passage.passage_id == expected_first
    else:
        assert hits[0].passage.title == "Gout" and "colchicine" in hits[0].passage.text


def test_search_hit_carries_provenance_and_json_contract(tiny_kb):
    hit = tiny_kb.search("telemonitoring systolic", k=1)[0]
    assert hit.passage.doc_id == "pmid:90000001"
    assert hit.passage.date == "2021-03-04"
    assert hit.passage.url.endswith("/90000001/")
    assert set(hit.to_json()) == {"doc_id", "passage_id", "score", "title", "source"}


def test_title_matches_count(tiny_kb):
    # "telemonitoring" is in the document title only for passage #1 (Background).
    ids = [h.passage.passage_id for h in tiny_kb.search("telemonitoring", k=5)]
    assert "pmid:90000001#1" in ids


@pytest.mark.parametrize(
    "query",
    [
        'hypertension "unbalanced quote',
        "hypertension AND OR NOT",
        "NEAR(hypertension treatment, 2)",
        "title:hypertension",
        "ftitle:asthma ^first",
        "hyper* (treatment",
        "-hypertension +asthma",
        "{ftitle text}: asthma",
        "'; DROP TABLE passages; --",
        "hypertension\x00treatment",
        "Blutdruck größer als 140 – Behandlung",
        "高血压 治疗",
        "café naïve résumé",
        "a_b__c hypertension",
    ],
)
def test_query_syntax_is_escaped_never_an_error(tiny_kb, query):
    hits = tiny_kb.search(query, k=5)
    assert isinstance(hits, list)
    assert tiny_kb.stats()["documents"] == 10  # nothing was dropped


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("What is the first-line treatment?", ["first", "line", "treatment"]),
        ('"quoted" AND NOT x', ["quoted", "not", "x"]),
        ("what is it", ["what", "is", "it"]),
        ("Résumé CAFÉ", ["résumé", "café"]),
        ("snake_case_word", ["snake", "case", "word"]),
        ("dose dose DOSE", ["dose"]),
    ],
)
def test_query_terms(query, terms):
    assert query_terms(query) == terms
    assert fts_query(query) == " OR ".join(f'"{t}"' for t in terms)


@pytest.mark.parametrize("query", ["", "   ", "?!*()", '""', "___"])
def test_query_without_words_is_an_input_error(tiny_kb, query):
    with pytest.raises(InputError, match="empty query"):
        tiny_kb.search(query)


@pytest.mark.parametrize("k", [0, -1, 1001])
def test_k_out_of_range_is_an_input_error(tiny_kb, k):
    with pytest.raises(InputError, match="k must be"):
        tiny_kb.search("asthma", k=k)


def test_missing_or_foreign_kb_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no knowledge base"):
        KnowledgeBase(tmp_path / "none")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "kb.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="not a knowledge base"):
        KnowledgeBase(tmp_path / "bad")


def test_dense_mode_without_vectors_is_an_input_error(tiny_kb):
    with pytest.raises(InputError, match="no vectors"):
        tiny_kb.search("asthma", mode="dense")


def test_store_file_is_plain_sqlite(tiny_kb):
    con = sqlite3.connect(tiny_kb.store.path)
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 10
    con.close()


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Dose was 5 mg. Next visit in 2 weeks.", ["Dose was 5 mg.", "Next visit in 2 weeks."]),
        (
            "See e.g. Smith et al. In 2001 it changed.",
            ["See e.g. Smith et al. In 2001 it changed."],
        ),
        ("Dr. Jones agreed. Was it safe? Yes!", ["Dr. Jones agreed.", "Was it safe?", "Yes!"]),
        ("J. R. Smith wrote it. It was long.", ["J. R. Smith wrote it.", "It was long."]),
        ("Value 3.5 mmol/L was high. Repeat.", ["Value 3.5 mmol/L was high.", "Repeat."]),
        ("", []),
    ],
)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("rankings", "first"),
    [
        ([[1, 2, 3], [1, 2, 3]], 1),
        ([[1, 2, 3], [2, 3, 1]], 2),
        ([[5], [6, 5]], 5),
        ([[], [7]], 7),
    ],
)
def test_rrf_fuses_rankings(rankings, first):
    fused = rrf(rankings, k=60)
    assert fused[0][0] == first
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)


def _df(kb, term: str) -> int:
    return len(kb.search(term, k=1000))


def test_pruning_keeps_the_rarest_terms_within_the_postings_budget(tiny_kb):
    store = tiny_kb.store
    terms = ["asthma", "treatment", "zelimab", "hypertension"]
    dfs = {t: _df(tiny_kb, t) for t in terms}
    assert store._document_frequencies(terms) == [dfs[t] for t in terms]
    store.max_postings = 0
    assert store.prune(terms) == terms
    store.max_postings = 3
    kept = store.prune(terms)
    rarest = min(terms, key=lambda t: dfs[t])
    assert rarest in kept
    assert len(kept) == 1 or sum(dfs[t] for t in kept) <= 3
    assert len(kept) < len(terms)
    assert tiny_kb.search("zelimab asthma treatment hypertension", k=1)


def test_stemmed_document_frequency(tiny_kb):
    # "treatments" is stemmed by FTS5 itself before the lookup.
    assert tiny_kb.store._document_frequencies(["treatments"]) == [_df(tiny_kb, "treatment")]


def test_relative_file_path_is_ingested(tmp_path, fixtures, monkeypatch):
    (tmp_path / "a.xml").write_bytes((fixtures / "articles.xml").read_bytes())
    monkeypatch.chdir(tmp_path)
    with KnowledgeBase("kb", create=True) as kb:
        report = kb.ingest(["a.xml"], progress=False)
        assert (report.files, report.skipped_files, report.added) == (1, 0, 3)
