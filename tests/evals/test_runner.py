"""`evident eval run`: offline engine, scripted server over HTTP, cache and resume."""

from __future__ import annotations

import json
import threading
import time

import pytest

from evident.cli.main import main
from evident.errors import BackendError
from evident.evals.items import EvalItem
from evident.evals.loaders import load_medec, load_mirage, load_pubmedqa
from evident.evals.records import RecordCache
from evident.evals.runner import run_benchmark
from evident.models import Generation, load_backend
from evident.types import Usage
from tests.support.openai_server import start_server


class FakeBackend:
    """In-process backend answering from a function; counts calls and concurrency."""

    name = "fake"
    offline = False
    local = True

    def __init__(self, answer, spec="fake:model", delay=0.0, fail_on=None, error=RuntimeError):
        self.spec, self.model = spec, "model"
        self.answer, self.delay, self.fail_on, self.error = answer, delay, fail_on, error
        self.calls = 0
        self.inflight = self.max_inflight = 0
        self.lock = threading.Lock()

    def generate(self, request):
        with self.lock:
            self.calls += 1
            call = self.calls
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
        try:
            time.sleep(self.delay)
            if self.fail_on is not None and call == self.fail_on:
                raise self.error("simulated failure")
            raw = self.answer(request.messages[-1].content)
            return Generation(request.output_type(), raw, self.model, Usage(input_tokens=3))
        finally:
            with self.lock:
                self.inflight -= 1


def _mcq(n):
    opts = {"A": "alpha", "B": "beta", "C": "gamma", "D": "delta"}
    return [EvalItem(f"i{k}", "toy", f"Toy question number {k}?", opts, "B") for k in range(n)]


def test_offline_engine_answers_from_context_or_abstains(fixtures, tmp_path):
    backend = load_backend("offline")
    ctx = run_benchmark(
        load_pubmedqa(fixtures / "pubmedqa_context.json"),
        backend,
        mode="zero-shot",
        out_dir=tmp_path,
        progress=False,
    )
    assert ctx.results["abstained"] == 0 and ctx.results["offline"] is True
    assert [r.parsed for r in ctx.records] == ["A", "B", "C"]
    mcq = run_benchmark(
        load_mirage(fixtures / "mirage_small.json", "medqa"),
        backend,
        mode="cot",
        out_dir=tmp_path,
        progress=False,
    )
    assert mcq.results["abstained"] == 8 and mcq.results["accuracy"] == 0.0
    assert all(r.method == "abstained" and "offline-lexical" in r.raw for r in mcq.records)


SCRIPT = {
    "rules": [
        {"on": "any", "match": "number 0\\?", "content": '{"answer_choice": "B"}'},
        {"on": "any", "match": "number 1\\?", "content": '```json\n{"answer_choice": "beta"}\n```'},
        {"on": "any", "match": "number 2\\?", "content": 'Thoughts. {"answer_choice": "C"} done'},
        {"on": "any", "match": "number 3\\?", "content": "The answer is (B)."},
        {"on": "any", "match": "number 4\\?", "content": ""},
        {"on": "any", "match": "number 5\\?", "content": '{"answer_choice": "B. bet'},
        {"on": "any", "match": "number 6\\?", "json": ["B"]},
    ],
    "default": {"content": '{"answer_choice": "A"}', "usage": {"completion_tokens": 4}},
}


def test_scripted_server_over_http(tmp_path):
    items = _mcq(8)
    with start_server(SCRIPT) as server:
        backend = load_backend(f"openai-compatible:{server.base_url}#scripted-model")
        out = run_benchmark(items, backend, mode="zero-shot", out_dir=tmp_path, progress=False)
        sent = server.chat_requests
    recs = {r.item_id: r for r in out.records}
    assert [recs[f"i{k}"].parsed for k in range(3)] == ["B", "B", "C"]
    assert recs["i0"].correct and recs["i1"].correct and not recs["i2"].correct
    # Unparseable outputs are recorded as output errors, and their raw text is still
    # scored: the harness asks for no repair turn, as the benchmarks' own protocols have none.
    expected = {3: "B", 4: None, 5: "B", 6: None}  # a bare JSON list is no answer object
    for k, letter in expected.items():
        rec = recs[f"i{k}"]
        assert rec.error == "OutputError"
        assert rec.parsed == letter
    assert recs["i7"].parsed == "A" and recs["i7"].output_tokens == 4
    assert out.results["n"] == 8 and out.results["output_errors"] == 4
    # One request per item: no repair turns.
    assert len(sent) == 8
    assert all(body["model"] == "scripted-model" for body in sent)
    assert any("Toy question number 0?" in m["content"] for b in sent for m in b["messages"])
    saved = json.loads((out.run_dir / "results.json").read_text())
    assert saved["correct"] == sum(r.correct for r in out.records)
    assert 0 <= saved["ci_low"] <= saved["accuracy"] <= saved["ci_high"] <= 1


def test_resume_after_interruption(tmp_path):
    items = _mcq(10)
    broken = FakeBackend(lambda _: '{"answer_choice": "B"}', fail_on=6, error=KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        run_benchmark(items, broken, mode="cot", out_dir=tmp_path, concurrency=1, progress=False)
    run_dir = next(tmp_path.iterdir())
    assert len((run_dir / "records.jsonl").read_text().splitlines()) == 5
    good = FakeBackend(lambda _: '{"answer_choice": "B"}')
    out = run_benchmark(items, good, mode="cot", out_dir=tmp_path, concurrency=1, progress=False)
    assert out.cached == 5 and good.calls == 5
    assert out.results["n"] == 10 and out.results["accuracy"] == 1.0
    again = FakeBackend(lambda _: "{}")
    assert run_benchmark(items, again, mode="cot", out_dir=tmp_path, progress=False).cached == 10
    assert again.calls == 0


def test_cache_key_includes_model_and_prompt_version(tmp_path):
    items = _mcq(3)
    first = FakeBackend(lambda _: '{"answer_choice": "B"}', spec="fake:one")
    run_benchmark(items, first, mode="cot", out_dir=tmp_path, progress=False)
    other_model = FakeBackend(lambda _: '{"answer_choice": "B"}', spec="fake:two")
    run_benchmark(items, other_model, mode="cot", out_dir=tmp_path, progress=False)
    other_mode = FakeBackend(lambda _: '{"answer_choice": "B"}', spec="fake:one")
    run_benchmark(items, other_mode, mode="zero-shot", out_dir=tmp_path, progress=False)
    assert (first.calls, other_model.calls, other_mode.calls) == (3, 3, 3)


@pytest.mark.parametrize(
    "cut",
    [
        lambda line: line[:40],  # cut inside the JSON
        lambda line: line[:40] + "\u00e9".encode()[:1],  # cut inside a character
        lambda line: b"\xff\xfe" + line,
    ],
)
def test_truncated_cache_line_is_rerun(tmp_path, cut):
    items = _mcq(3)
    backend = FakeBackend(lambda _: '{"answer_choice": "B"}')
    out = run_benchmark(items, backend, mode="cot", out_dir=tmp_path, progress=False)
    path = out.run_dir / "records.jsonl"
    lines = path.read_bytes().splitlines()
    path.write_bytes(b"\n".join(lines[:2]) + b"\n" + cut(lines[2]))
    assert RecordCache(path).bad_lines == 1
    again = FakeBackend(lambda _: '{"answer_choice": "B"}')
    out2 = run_benchmark(items, again, mode="cot", out_dir=tmp_path, progress=False)
    assert again.calls == 1 and out2.results["n"] == 3
    assert len(RecordCache(path).records) == 3  # the cut line stays, skipped


@pytest.mark.parametrize("concurrency", [1, 3])
def test_concurrency_is_bounded(tmp_path, concurrency):
    backend = FakeBackend(lambda _: '{"answer_choice": "B"}', delay=0.05)
    out = run_benchmark(
        _mcq(9), backend, mode="cot", out_dir=tmp_path, concurrency=concurrency, progress=False
    )
    assert backend.max_inflight <= concurrency
    assert out.results["n"] == 9
    if concurrency > 1:
        assert backend.max_inflight > 1


def test_backend_errors_are_not_cached(tmp_path):
    items = _mcq(4)
    flaky = FakeBackend(lambda _: '{"answer_choice": "B"}', fail_on=2, error=BackendError)
    out = run_benchmark(items, flaky, mode="cot", out_dir=tmp_path, concurrency=1, progress=False)
    assert len(out.failed) == 1 and out.results["n"] == 3
    retry = FakeBackend(lambda _: '{"answer_choice": "B"}')
    out2 = run_benchmark(items, retry, mode="cot", out_dir=tmp_path, progress=False)
    assert retry.calls == 1 and out2.results["n"] == 4 and not out2.failed


def test_medec_scoring_with_fake_backend(fixtures, tmp_path):
    answers = {
        "zeta": '{"error_flag": 1, "error_sentence_id": 1, "corrected_sentence": "x"}',
        "sprain": '{"error_flag": 0, "error_sentence_id": -1}',
    }

    def answer(text):
        return next(v for k, v in answers.items() if k in text)

    out = run_benchmark(
        load_medec(fixtures / "medec_small.csv"),
        FakeBackend(answer),
        mode="zero-shot",
        out_dir=tmp_path,
        progress=False,
    )
    assert out.results["accuracy"] == 1.0 and out.results["sentence_accuracy"] == 1.0


def test_cli_run_and_report(fixtures, tmp_path, capsys):
    args = ["eval", "run", "--benchmark", "pubmedqa-context"]
    args += ["--data", str(fixtures / "pubmedqa_context.json"), "-m", "offline"]
    args += ["--limit", "2", "--out", str(tmp_path), "--no-progress"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "offline engine" in out and "n 2" in out
    assert main(["eval", "report", str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html and "single human" in html and "78.00%" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--limit", "0"], "--limit"), (["--concurrency", "0"], "--concurrency")],
)
def test_cli_run_bad_arguments(fixtures, tmp_path, capsys, extra, message):
    args = ["eval", "run", "--benchmark", "pubmedqa-context"]
    args += ["--data", str(fixtures / "pubmedqa_context.json"), "-m", "offline"]
    args += ["--out", str(tmp_path), "--no-progress", *extra]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_cli_failed_items_exit_3_then_resume_over_http(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("EVIDENT_MAX_RETRIES", "0")
    data = tmp_path / "bench.json"
    items = {
        f"q{k}": {"question": f"Toy question {k}?", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for k in range(4)
    }
    data.write_text(json.dumps({"medqa": items}))
    script = [
        {"json": {"answer_choice": "A"}},
        {"status": 500, "error": "boom"},
        {"json": {"answer_choice": "A"}},
        {"json": {"answer_choice": "B"}},
    ]
    with start_server(script) as server:
        spec = f"openai-compatible:{server.base_url}#scripted-model"
        args = ["eval", "run", "--benchmark", "medqa", "--data", str(data), "-m", spec]
        args += ["--mode", "zero-shot", "--out", str(tmp_path / "runs"), "--concurrency", "1"]
        assert main(args) == 3
        captured = capsys.readouterr()
        assert "1 items failed" in captured.err and "cached 0" in captured.out
        assert "zero-shot" in captured.err  # the tqdm bar went to stderr
        server.set_script([{"json": {"answer_choice": "A"}}])
        assert main([*args, "--no-progress"]) == 0
        out = capsys.readouterr().out
        assert "cached 3" in out and "n 4" in out and "accuracy 75.0%" in out
        assert len(server.chat_requests) == 1
