"""`evident batch eval`: each benchmark data file is one item, as `eval run` scores it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main
from tests.support.openai_server import start_server

# Fields of `eval run --format json` that time the run rather than describe it.
_TIMINGS = {"wall_s", "created", "mean_latency_ms", "mean_harness_ms"}
_OPTIONS = {"A": "aspirin", "B": "heparin", "C": "insulin", "D": "warfarin"}
# The scripted model answers by the question's number: right for some, wrong for others.
_SCRIPT = {
    "rules": [
        {"on": "any", "match": r"case 1\b", "json": {"answer_choice": "B"}},
        {"on": "any", "match": r"case 2\b", "json": {"answer_choice": "C"}},
        {"on": "any", "match": r"case 3\b", "content": "The answer is (D)."},
    ],
    "default": {"json": {"answer_choice": "A"}},
}


def _shards(folder: Path, count: int) -> Path:
    """``count`` MIRAGE-format files of toy questions written for this test."""
    folder.mkdir()
    for s in range(count):
        block = {
            f"q{s}{k}": {
                "question": f"Toy case {k} of shard {s}: which drug is an anticoagulant?",
                "options": _OPTIONS,
                "answer": "B" if k % 2 else "D",
            }
            for k in range(4)
        }
        (folder / f"shard{s}.json").write_text(json.dumps({"medqa": block}), encoding="utf-8")
    return folder


def _untimed(result: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in result.items() if k not in _TIMINGS}


def test_each_file_equals_the_single_eval_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _shards(tmp_path / "shards", 3)
    out = tmp_path / "out.jsonl"
    args = "--benchmark medqa --mode zero-shot"
    with start_server(_SCRIPT) as server:
        spec = f"openai-compatible:{server.base_url}#scripted-model"
        argv = ["batch", "eval", "--input", str(folder), "--output", str(out), "-m", spec]
        assert main([*argv, "--task-args", args, "--no-progress"]) == 0
        assert len(server.chat_requests) == 12  # one request per question
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [r["id"] for r in rows] == ["shard0", "shard1", "shard2"]
        for row in rows:
            assert row["ok"], row
            capsys.readouterr()
            single = ["eval", "run", "--data", str(folder / f"{row['id']}.json"), "-m", spec]
            single += [*args.split(), "--out", str(tmp_path / "runs"), "--concurrency", "1"]
            assert main([*single, "--no-progress", "--format", "json"]) == 0
            expected = json.loads(capsys.readouterr().out)
            assert _untimed(row["result"]) == _untimed(expected)
    first = rows[0]["result"]
    assert [r["parsed"] for r in first["records"]] == ["A", "B", "C", "D"]
    assert (first["n"], first["correct"]) == (4, 1)


@pytest.mark.parametrize(
    ("task_args", "error"),
    [
        ("--mode zero-shot", "UsageError"),  # no --benchmark
        ("--benchmark pubmedqa-context", "InputError"),  # not a PubMedQA file
    ],
)
def test_a_file_the_benchmark_cannot_read_fails_alone(
    tmp_path: Path, task_args: str, error: str
) -> None:
    folder = _shards(tmp_path / "shards", 2)
    out = tmp_path / "out.jsonl"
    argv = ["batch", "eval", "--input", str(folder), "--output", str(out), "-m", "offline"]
    assert main([*argv, "--task-args", task_args]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["ok"], r["error"]["class"]) for r in rows] == [(False, error)] * 2


def test_shards_combine_to_the_whole_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from evident.evals.shard import shard_benchmark

    whole = tmp_path / "whole.json"
    block = {
        f"q{k}": {
            "question": f"Toy case {k % 4} number {k}: which drug is an anticoagulant?",
            "options": _OPTIONS,
            "answer": "B" if k % 3 else "A",
        }
        for k in range(10)
    }
    whole.write_text(json.dumps({"medqa": block}), encoding="utf-8")
    shard_benchmark("medqa", whole, tmp_path / "shards", 3)
    out = tmp_path / "out.jsonl"
    args = ["--benchmark", "medqa", "--mode", "zero-shot"]
    with start_server(_SCRIPT) as server:
        spec = f"openai-compatible:{server.base_url}#scripted-model"
        batch = ["batch", "eval", "--input", str(tmp_path / "shards"), "--output", str(out)]
        assert main([*batch, "-m", spec, "--task-args", " ".join(args)]) == 0
        capsys.readouterr()
        single = ["eval", "run", "--data", str(whole), "-m", spec, *args, "--format", "json"]
        assert main([*single, "--out", str(tmp_path / "runs"), "--no-progress"]) == 0
        expected = json.loads(capsys.readouterr().out)
    assert main(["eval", "combine", str(out)]) == 0
    combined = json.loads(capsys.readouterr().out)
    assert combined["shards"] == 4
    for key in ("n", "correct", "accuracy", "ci_low", "ci_high", "abstained", "unparsed"):
        assert combined[key] == expected[key], key


def _line(item: str, ok: bool = True, **result: object) -> str:
    base = {"benchmark": "medqa", "model": "m", "mode": "cot", "n": 2, "correct": 1}
    row = {"id": item, "ok": ok}
    row |= {"result": base | result} if ok else {"error": {"class": "BackendError"}}
    return json.dumps(row)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_line("a"), _line("b", ok=False)], "1 shards failed"),
        ([_line("a"), _line("b", mode="zero-shot")], "the shards mix modes"),
        (["{not json"], "not valid JSON"),
        ([json.dumps({"n": 1})], "not a batch output line"),
        ([], "has no lines"),
    ],
)
def test_combine_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], message: str
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert main(["eval", "combine", str(out)]) == 2
    assert message in capsys.readouterr().err
