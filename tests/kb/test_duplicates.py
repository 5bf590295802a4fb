"""The same content is indexed once, whatever its name; ``ask`` cites a passage once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.kb import KnowledgeBase, chunk_document
from evident.kb.model import Document

GUIDE = (
    "# Influenza vaccination\n\nOffer the annual influenza vaccine to every adult aged 65 "
    "and over.\n\nGive the influenza vaccine in the autumn, before the season starts.\n"
)
OTHER = "# Gout\n\nColchicine treats an acute flare of gout within a day.\n"
RECORDS = (
    '{"id": "r1", "text": "Offer the annual influenza vaccine to adults over 65."}\n'
    '{"id": "r2", "text": "Offer the annual influenza vaccine to adults over 65."}\n'
)

# Each run: the files written before it, and the paths it ingests (relative to docs/).
Run = tuple[dict[str, str], list[str]]


@pytest.mark.parametrize(
    ("runs", "added", "skipped"),
    [
        ([({"a.md": GUIDE, "b.md": GUIDE}, ["."])], [1], [1]),  # two names, one run
        ([({"a.md": GUIDE}, ["a.md"]), ({"b.md": GUIDE}, ["b.md"])], [1, 0], [0, 1]),
        ([({"sub/a.md": GUIDE}, [".", "sub/a.md"])], [1], [1]),  # one file named twice
        ([({"d.jsonl": RECORDS}, ["d.jsonl"])], [1], [1]),  # two ids, one text
        ([({"a.md": GUIDE, "b.md": OTHER}, ["."])], [2], [0]),  # different texts: both
        ([({"a.md": GUIDE}, ["a.md"]), ({}, ["a.md"])], [1, 0], [0, 0]),  # unchanged, not dup
    ],
)
def test_the_same_content_is_indexed_once(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    runs: list[Run],
    added: list[int],
    skipped: list[int],
) -> None:
    docs, kb = tmp_path / "docs", str(tmp_path / "kb")
    for (files, paths), want_added, want_skipped in zip(runs, added, skipped, strict=True):
        for name, text in files.items():
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            (docs / name).write_text(text, encoding="utf-8")
        argv = ["kb", "ingest", *(str(docs / p) for p in paths), "--kb", kb, "--no-progress"]
        assert main([*argv, "--format", "json"]) == 0
        counts = json.loads(capsys.readouterr().out)
        assert (counts["added"], counts["duplicate_content"]) == (want_added, want_skipped)
    with KnowledgeBase(kb) as base:
        texts = [h.passage.text for h in base.search("annual influenza vaccine", k=10)]
    assert texts and len(texts) == len(set(texts))


def test_skipped_duplicates_are_one_line_of_the_text_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (docs / name).write_text(GUIDE, encoding="utf-8")
    assert main(["kb", "ingest", str(docs), "--kb", str(tmp_path / "kb"), "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "1 documents added" in out
    assert err == "evident: note: skipped 2 documents whose content is already indexed\n"


def _document(doc_id: str, *bodies: str) -> Document:
    """A document with one section (one passage, as they are short) per body."""
    return Document(
        doc_id, "Influenza", "test", tuple((f"Part {i}", b) for i, b in enumerate(bodies))
    )


_SAME = "Offer the annual influenza vaccine to every adult aged 65 and over."


@pytest.mark.parametrize(
    "documents",
    [
        # A base built before duplicates were skipped: one text under two ids.
        [_document("old-a", _SAME), _document("old-b", _SAME)],
        # One paragraph shared by two different documents.
        [_document("x", _SAME, "Wash hands often."), _document("y", _SAME, "Wear a mask.")],
    ],
)
def test_ask_retrieves_a_passage_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], documents: list[Document]
) -> None:
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        for doc in documents:  # straight into the store, as an older version did
            kb.store.add(doc, chunk_document(doc), doc.content_hash())
        kb.store.refresh_term_stats()
    argv = ["ask", "Who should get the annual influenza vaccine?", "--kb", str(tmp_path / "kb")]
    assert main([*argv, "--format", "json"]) == 0
    retrieved = json.loads(capsys.readouterr().out)["retrieved"]
    with KnowledgeBase(tmp_path / "kb") as kb:
        texts = [kb.get_passage(p).text for p in retrieved]  # type: ignore[union-attr]
    assert _SAME in texts and len(texts) == len(set(texts))


@pytest.mark.parametrize(
    ("older", "skipped"),
    [
        ("no keys", 1),  # a base from before content keys: they are computed when needed
        ("rewritten", 0),  # a document rewritten without its key: the stale key is not trusted
    ],
)
def test_bases_written_without_content_keys(tmp_path: Path, older: str, skipped: int) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(GUIDE, encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        kb.ingest([docs / "a.md"], progress=False)
        if older == "no keys":
            kb.store.con.execute("DELETE FROM content_keys")
            kb.store.con.execute("DELETE FROM kb_meta WHERE key = 'content_keys'")
        else:
            kb.store.con.execute("UPDATE passages SET text = 'Wear a mask on the ward.'")
    (docs / "b.md").write_text(GUIDE, encoding="utf-8")
    with KnowledgeBase(tmp_path / "kb") as kb:
        report = kb.ingest([docs / "b.md"], progress=False)
    assert (report.added, report.duplicate_content) == (1 - skipped, skipped)
