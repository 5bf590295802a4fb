"""Runs with context retrieved from an Evident knowledge base."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main
from evident.errors import InputError
from evident.evals.items import EvalItem
from evident.evals.retrieval import attach_context

GUIDES = {
    "zentor.md": "# Zentor fever\n\nZentor fever is treated with glimmerine tablets for five days.",
    "quolia.md": "# Quolia rash\n\nQuolia rash responds to cold compresses and rest only.",
}


@pytest.fixture
def kb_dir(tmp_path):
    from evident.kb import KnowledgeBase

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in GUIDES.items():
        (docs / name).write_text(text)
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        kb.ingest([docs], progress=False)
    return tmp_path / "kb"


def _bench(tmp_path):
    data = {
        "medqa": {
            "r1": {
                "question": "A 40-year-old man has zentor fever. Which drug treats zentor fever?",
                "options": {"A": "Aspirin", "B": "Glimmerine", "C": "Cold compresses", "D": "Rest"},
                "answer": "B",
            }
        }
    }
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(data))
    return path


def test_attach_context_retrieves_passages(kb_dir):
    item = EvalItem("r1", "toy", "Which drug treats zentor fever?", {"A": "x", "B": "y"}, "A")
    [with_ctx] = attach_context([item], kb_dir, k=1)
    assert len(with_ctx.context) == 1 and "glimmerine" in with_ctx.context[0]
    assert with_ctx.meta["retrieved"]
    with pytest.raises(InputError):
        attach_context([item], kb_dir, k=0)


def test_offline_engine_answers_from_retrieved_context(kb_dir, tmp_path, capsys):
    args = ["eval", "run", "--benchmark", "medqa", "--data", str(_bench(tmp_path))]
    args += ["-m", "offline", "--out", str(tmp_path / "runs"), "--no-progress"]
    assert main(args) == 0
    assert "abstained 1" in capsys.readouterr().out
    assert main([*args, "--kb", str(kb_dir), "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "accuracy 100.0%" in out and "abstained 0" in out
    [rec_line] = (
        next((tmp_path / "runs").glob("*kb-bm25-k2*/records.jsonl")).read_text().splitlines()
    )
    rec = json.loads(rec_line)
    assert rec["prompt_version"].endswith("+kb-bm25-k2")
    assert "Context:" in rec["prompt"][1]["content"]


def test_missing_kb_is_one_line_error(tmp_path, capsys):
    args = ["eval", "run", "--benchmark", "medqa", "--data", str(_bench(tmp_path))]
    args += [
        "-m",
        "offline",
        "--out",
        str(tmp_path),
        "--no-progress",
        "--kb",
        str(tmp_path / "nokb"),
    ]
    assert main(args) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_report_tells_runs_with_and_without_kb_apart(kb_dir, tmp_path, capsys):
    args = ["eval", "run", "--benchmark", "medqa", "--data", str(_bench(tmp_path))]
    args += ["-m", "offline", "--out", str(tmp_path / "runs"), "--no-progress"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("cot  no kb")
    assert main([*args, "--kb", str(kb_dir), "--k", "2"]) == 0
    assert "kb bm25 k2" in capsys.readouterr().out.splitlines()[0]
    assert main(["eval", "report", str(tmp_path / "runs")]) == 0
    html = (tmp_path / "runs" / "report.html").read_text()
    assert "/1 (cot, kb bm25 k2)</text>" in html and "/1 (cot, no kb)</text>" in html
    assert html.count("<td>kb bm25 k2</td>") == 1 and html.count("<td>no kb</td>") == 1


@pytest.mark.parametrize(
    ("versions", "context"),
    [
        (["medqa-cot/1"], "no kb"),
        (["medqa-cot/1+kb-bm25-k5"], "kb bm25 k5"),
        (["medqa-cot/1", "medqa-cot/1+kb-hybrid-k3"], "kb hybrid k3"),
        ([], "no kb"),
    ],
)
def test_context_is_read_from_the_prompt_versions(versions, context):
    from evident.evals.report import context_of, run_label

    r = {"model": "offline", "mode": "cot", "prompt_version": versions}
    assert context_of(r) == context
    assert run_label(r) == f"offline (cot, {context})"
