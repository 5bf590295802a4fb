"""The `evident bench eval-*` commands on fixtures."""

from __future__ import annotations

import shutil

from evident.cli.main import main


def test_bench_eval_rescore_table(fixtures, tmp_path, capsys):
    preds = tmp_path / "preds"
    preds.mkdir()
    shutil.copy(fixtures / "medqa_preds.json", preds / "medqa_cot_gpt-35-turbo-16k.json")
    (preds / "medqa_rag_32_gpt-35-turbo-16k.json").write_text("{}")
    data = fixtures / "mirage_small.json"
    assert (
        main(["bench", "eval-rescore", "--data", str(data), "--predictions-dir", str(preds)]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    medqa_cot = next(line for line in lines if line.startswith("medqa") and " cot " in line)
    assert "62.50%" in medqa_cot and "65.04%" in medqa_cot and "-2.54" in medqa_cot
    assert any("empty file" in line for line in lines if line.startswith("medqa"))
    # datasets without a predictions file are reported, not loaded (mmlu is not in the file)
    assert any("no file" in line for line in lines if line.startswith("mmlu"))


def test_bench_eval_overhead(fixtures, capsys):
    args = ["bench", "eval-overhead", "--data", str(fixtures / "pubmedqa_context.json")]
    args += ["--limit", "3", "--concurrency", "1,2"]
    assert main(args) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == 2
    assert [row.split()[1] for row in rows] == ["1", "2"]
    for row in rows:
        items, _, *costs = row.split()
        assert items == "3" and all(float(c) >= 0 for c in costs)
