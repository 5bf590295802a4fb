"""CLI contracts of ``evident kb`` and ``evident ask``."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main


@pytest.fixture
def kb_dir(tmp_path, fixtures, capsys):
    kb = tmp_path / "kb"
    assert main(["kb", "ingest", str(fixtures), "--kb", str(kb), "--no-progress"]) == 0
    capsys.readouterr()
    return kb


def test_ingest_reports_counts_and_is_incremental(tmp_path, fixtures, capsys):
    kb = str(tmp_path / "kb")
    args = ["kb", "ingest", str(fixtures), "--kb", kb, "--no-progress", "--format", "json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["added"] == first["total_documents"] == 10
    assert main(args) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["added"], second["unchanged"]) == (0, 10)
    assert second["total_passages"] == first["total_passages"]
    assert main(["kb", "ingest", str(fixtures / "asthma.html"), "--kb", kb, "--no-progress"]) == 0
    assert "0 documents added, 0 replaced, 1 unchanged" in capsys.readouterr().out


def test_search_json_contract(kb_dir, capsys):
    assert main(["kb", "search", "inhaled corticosteroid asthma", "--kb", str(kb_dir),
                 "--k", "3", "--format", "json"]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert 1 <= len(rows) <= 3
    assert all(set(r) == {"doc_id", "passage_id", "score", "title", "source"} for r in rows)
    assert rows[0]["passage_id"] == "asthma#2" and rows[0]["doc_id"] == "asthma"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_text_lists_passages(kb_dir, capsys):
    assert main(["kb", "search", "gout colchicine", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "1." in out and "Gout" in out and "medquad/InventedHealth_QA" in out


def test_search_batch_jsonl(kb_dir, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "q1", "query": "statin muscle symptoms"}\n\n{"id": 2, "query": "NOT \\"("}\n'
    )
    assert main(["kb", "search", "--queries", str(queries), "--kb", str(kb_dir), "--k", "2",
                 "--format", "jsonl"]) == 0  # fmt: skip
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in lines] == ["q1", 2]
    assert lines[0]["results"][0]["passage_id"] == "pmid:90000002#1"
    assert len(lines[0]["results"]) <= 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kb", "search", "x", "--kb", "{missing}"], "no knowledge base"),
        (["kb", "search", "?!", "--kb", "{kb}"], "empty query"),
        (["kb", "search", "--kb", "{kb}"], "either a QUERY or --queries"),
        (["kb", "search", "x", "--kb", "{kb}", "--format", "jsonl"], "--format jsonl is for"),
        (["kb", "search", "--queries", "{bad}", "--kb", "{kb}"], "line 2: malformed JSON"),
        (["kb", "search", "--queries", "{noquery}", "--kb", "{kb}"], "line 1: expected"),
        (["kb", "search", "--queries", "{emptyq}", "--kb", "{kb}"], "line 2: empty query"),
        (["kb", "ingest", "{pdf}", "--kb", "{kb}"], "unknown file type '.pdf'"),
        (["kb", "stats", "--kb", "{missing}"], "no knowledge base"),
        (["ask", "   ", "--kb", "{kb}"], "empty query"),
        (["ask", "asthma", "--kb", "{missing}"], "no knowledge base"),
        (["kb", "search", "x", "--kb", "{kb}", "--k", "0"], "k must be"),
    ],
)
def test_bad_input_is_one_line_exit_2(kb_dir, tmp_path, capsys, args, message):
    (tmp_path / "bad.jsonl").write_text('{"id": 1, "query": "ok"}\n{"id": 2,\n')
    (tmp_path / "noquery.jsonl").write_text('{"id": 1}\n')
    (tmp_path / "emptyq.jsonl").write_text('{"id": 1, "query": "ok"}\n{"id": 2, "query": "?"}\n')
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    paths = {"kb": str(kb_dir), "missing": str(tmp_path / "nope"),
             "bad": str(tmp_path / "bad.jsonl"), "noquery": str(tmp_path / "noquery.jsonl"),
             "emptyq": str(tmp_path / "emptyq.jsonl"),
             "pdf": str(tmp_path / "x.pdf")}  # fmt: skip
    argv = [a.format(**paths) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_stats_json(kb_dir, capsys):
    assert main(["kb", "stats", "--kb", str(kb_dir), "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 10 and stats["engine"] == "sqlite-fts5"
    assert stats["sources"]["pubmed"] == 3


def test_ask_json(kb_dir, capsys):
    argv = ["ask", "What is the first-line drug treatment for hypertension?", "--kb",
            str(kb_dir), "--format", "json", "--max-age-years", "5"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is False and data["certainty"] in {"high", "moderate", "low"}
    assert data["answer"] and all(st["citations"] for st in data["answer"])
    cited = {c for st in data["answer"] for c in st["citations"]}
    assert cited <= set(data["retrieved"])
    assert {e["passage_id"] for e in data["evidence"]} == cited
    assert any(f["kind"] == "stale_evidence" for f in data["findings"])
    assert data["model"]["offline"] is True and data["prompt_version"] == "evidence_qa/1.0"


def test_ask_text_and_abstention(kb_dir, capsys):
    assert main(["ask", "Which football club won the cup?", "--kb", str(kb_dir)]) == 0
    out = capsys.readouterr().out
    assert "abstained" in out and "does not answer" in out


def test_ask_html_is_escaped(kb_dir, capsys):
    argv = ["ask", "<script>alert(1)</script> asthma reliever inhaler", "--kb", str(kb_dir),
            "--format", "html"]  # fmt: skip
    assert main(argv) == 0
    page = capsys.readouterr().out
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "asthma#1" in page


def test_fallback_html_escapes_everything(tmp_path, fixtures):
    from evident.kb import KnowledgeBase
    from evident.tasks.evidence_qa import answer_json, ask
    from evident.tasks.evidence_qa.answer import _own_html

    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        kb.ingest([fixtures], progress=False)
        run = ask("<b>asthma</b> reliever inhaler & symptoms", kb, "offline")
    page = _own_html(answer_json(run))
    assert "<b>asthma</b>" not in page and "&lt;b&gt;asthma&lt;/b&gt;" in page
    assert 'id="ev-asthma#1"' in page and "&amp; use it" in page


def test_search_accepts_a_pruning_budget(kb_dir, capsys):
    argv = ["kb", "search", "asthma inhaler", "--kb", str(kb_dir), "--format", "json"]
    assert main([*argv, "--max-postings", "0"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert main([*argv, "--max-postings", "1"]) == 0
    pruned = json.loads(capsys.readouterr().out)
    assert exact and pruned
    assert main([*argv, "--max-postings", "-1"]) == 2


@pytest.mark.parametrize(
    ("bad_name", "bad_text"),
    [("empty.txt", ""), ("broken.jsonl", "{not json\n"), ("blank.md", "   \n\n")],
)
def test_bad_files_are_skipped_whole_and_listed(tmp_path, capsys, bad_name, bad_text):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Good note\n\nWash hands before each patient.\n")
    (folder / bad_name).write_text(bad_text)
    kb = str(tmp_path / "kb")
    assert main(["kb", "ingest", str(folder), "--kb", kb, "--no-progress", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    counts = json.loads(out)
    assert counts["added"] == 1 and counts["files"] == 1
    assert [b.split(":")[0] for b in counts["bad_files"]] == [bad_name]
    assert main(["kb", "ingest", str(folder), "--kb", kb, "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "1 files read: 0 documents added, 0 replaced, 1 unchanged" in out
    assert "0 passages written for the 0 new or changed documents" in out
    assert f"skipped {bad_name}" in err


@pytest.mark.parametrize(
    ("files", "fmt"),
    [
        ({}, "text"),  # an empty folder
        ({"notes.pdf": b"%PDF-1.4 John Zyxwv"}, "text"),  # only files of unknown type
        ({"empty.txt": b""}, "text"),
        ({"bin.txt": b"\x00\x01\x02 John Zyxwv \xff" * 50}, "json"),
        ({"latin1.md": b"# Caf\xe9\n\nJohn Zyxwv takes aspirin.\n"}, "json"),
    ],
)
def test_nothing_ingested_is_an_error(tmp_path, capsys, files, fmt):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    argv = ["kb", "ingest", str(folder), "--kb", str(tmp_path / "kb"), "--no-progress"]
    assert main([*argv, "--format", fmt]) == 2
    out, err = capsys.readouterr()
    assert "nothing ingested" in err and "Zyxwv" not in err + out
    if fmt == "json":
        assert json.loads(out)["files"] == 0  # the counts are still valid JSON


@pytest.mark.parametrize(
    ("empty", "message", "severity"),
    [
        (True, "the knowledge base is empty: add documents with 'evident kb ingest'", "warning"),
        (False, "no passage matched", "info"),  # a question no passage shares a word with
    ],
)
def test_ask_says_when_the_knowledge_base_is_empty(
    kb_dir, tmp_path, capsys, empty, message, severity
):
    from evident.kb import KnowledgeBase

    kb = tmp_path / "empty-kb"
    if empty:
        KnowledgeBase(kb, create=True).close()  # created, nothing ingested
    argv = ["ask", "zzyzx qwvtp", "--kb", str(kb if empty else kb_dir), "--format", "json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is True
    found = [f for f in data["findings"] if f["kind"] == "no_evidence"]
    assert [(f["message"], f["severity"]) for f in found] == [(message, severity)]
