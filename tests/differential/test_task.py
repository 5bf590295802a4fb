"""The differential task through the pipeline and the CLI, offline and with a fake model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evident.cli.main import cli, main
from evident.errors import EvidentError
from evident.models.offline import OfflineBackend
from evident.pipeline import run_task
from evident.sources import load_source
from evident.tasks import available_tasks
from evident.tasks.differential import DifferentialTask, decode
from tests.support.fake_backend import FakeBackend

CASE = (
    "A 62 year old man with crushing chest pain for one hour, sweating and nausea. "
    "He denies fever. No cough. He smokes and has hypertension."
)


def test_registered() -> None:
    assert "differential" in available_tasks()


def test_offline_run_through_the_pipeline() -> None:
    source = load_source(CASE, kind="note", name="case")
    run = run_task("differential", [source], OfflineBackend(), {"top": 5})
    diff = decode(run.draft)
    assert diff.model == "offline" and len(diff.differential) >= 1
    assert any(c.must_not_miss for c in diff.differential)
    assert any(f.diagnosis.startswith("Acute coronary") for f in diff.red_flags)
    for cand in diff.differential:
        for cite in [*cand.supporting, *cand.opposing]:
            assert cite.quote in source.text
        assert all(c.finding not in {"fever", "cough"} for c in cand.supporting)
    labels = {v.label for v in run.report.verdicts}
    assert "contradicted" not in labels


ANSWER = {
    "differential": [
        {
            "rank": 1,
            "diagnosis": "Myocardial infarction",
            "likelihood": "high",
            "supporting": [
                {"finding": "chest pain", "quote": "crushing chest pain"},
                {"finding": "fever", "quote": "denies fever"},
                {"finding": "radiation", "quote": "pain radiating to the jaw"},
            ],
            "opposing": [],
            "missing": ["troponin"],
            "must_not_miss": True,
        }
    ],
    "red_flags": [],
    "next_steps": [{"test": "ECG", "why": "ischaemia"}],
}


def test_model_path_checks_the_quotes() -> None:
    backend = FakeBackend(ANSWER)
    source = load_source(CASE, kind="note", name="case")
    draft, usage = DifferentialTask().draft([source], backend, {})
    assert usage.calls == 1
    assert draft.prompt_version == "differential/1.0"
    assert "Answer with JSON only" in backend.requests[0].messages[0].content
    diff = decode(draft)
    assert [c.finding for c in diff.differential[0].supporting] == ["chest pain"]
    assert len(diff.issues) == 2
    assert any("denied" in i for i in diff.issues) and any(
        "not in the case" in i for i in diff.issues
    )


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_cli_formats(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["differential", CASE, "--format", fmt, "--top", "3"])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert set(data) == {"differential", "red_flags", "next_steps", "model"}
        assert data["model"] == "offline"
        assert all(c["rank"] for c in data["differential"])
    elif fmt == "html":
        assert result.output.startswith("<!doctype html>")
    else:
        assert "Differential (offline)" in result.output


def test_cli_reads_a_file_and_a_kb(tmp_path: Path) -> None:
    case = tmp_path / "case.txt"
    case.write_text(CASE)
    kb = tmp_path / "kb"
    kb.mkdir()
    findings = {"chest pain": 1.0, "nausea": 1.0, "crush": 1.0, "smoke": 1.0}
    findings |= {f"zeta term {i}": 0.1 for i in range(12)}
    own = {
        "version": 1,
        "conditions": [{"name": "Zeta syndrome", "common": True, "findings": findings}],
    }
    (kb / "own.json").write_text(json.dumps(own))
    result = CliRunner().invoke(
        cli, ["differential", str(case), "--kb", str(kb), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    names = [c["diagnosis"] for c in json.loads(result.output)["differential"]]
    assert "Zeta syndrome" in names


@pytest.mark.parametrize("arg", ["missing-file.txt", "", '{"resourceType": "Bundle", "x": ['])
def test_cli_bad_input_is_one_line(arg: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["differential", arg]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evident: error:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # refused by its size, before it is read whole or parsed
        ("big.txt", "John Zyxwv has chest pain. " * 100, "over the limit of 1000"),
        ("big.json", '{"resourceType": "Bundle", "note": "John Zyxwv"' + " " * 2000 + "}", "limit"),
        (
            "deep.json",
            '{"resourceType": "Bundle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "JSON",
        ),
        ("deep-list.json", '[{"text": ' + "[" * 100_000 + "]" * 100_000 + "}]", "JSON"),
        ("-", "John Zyxwv has chest pain. " * 100, "over the limit of 1000"),
    ],
)
def test_cli_bad_case_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str, message: str
) -> None:
    monkeypatch.setenv("EVIDENT_MAX_INPUT_BYTES", "1000" if "deep" not in name else "900000")
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    arg = "-" if name == "-" else str(path)
    result = CliRunner().invoke(cli, ["differential", arg], input=content if name == "-" else None)
    assert result.exit_code != 0 and isinstance(result.exception, EvidentError)
    assert message in str(result.exception) and "Zyxwv" not in str(result.exception)


def test_eval_compares_a_model_with_the_offline_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evident.models.registry as registry

    monkeypatch.setattr(registry, "load_backend", lambda spec: FakeBackend(ANSWER, spec=spec))
    rows = [
        {
            "correct_diagnosis": "Myocardial infarction",
            "demographics": "62 year old man",
            "chief_complaints": "Chest pain",
            "presentation": "He has crushing chest pain for one hour, denies fever.",
        }
    ]
    cases = tmp_path / "v.jsonl"
    cases.write_text("\n".join(json.dumps(r) for r in rows))
    args = ["eval", "diagnosis", "--cases", str(cases), "--split", "all", "-m", "fake:m"]
    args.append("--no-embeddings")
    result = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    engines = json.loads(result.output)["engines"]
    assert [e["engine"] for e in engines] == ["offline", "fake:m"]
    model = engines[1]
    assert model["top1"][0] == 1.0
    assert model["quotes"] == 3 and model["quotes_exact"] == pytest.approx(2 / 3)
    assert model["denied_as_supporting"] == 1
    assert model["invalid_after_check"] == 0


def test_model_links_the_kb_does_not_hold_are_named(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    own = {
        "version": 1,
        "conditions": [{"name": "Myocardial infarction", "findings": {"nausea": 1}}],
    }
    (kb / "own.json").write_text(json.dumps(own))
    source = load_source(CASE, kind="note", name="case")
    draft, _ = DifferentialTask().draft([source], FakeBackend(ANSWER), {"kb": str(kb)})
    issues = decode(draft).issues
    assert any("does not link 'chest pain'" in i for i in issues)


BUNDLE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "resource": {
                "resourceType": "Patient",
                "id": "p1",
                "gender": "male",
                "birthDate": "1960-01-01",
            }
        },
        {
            "resource": {
                "resourceType": "Condition",
                "id": "c1",
                "subject": {"reference": "Patient/p1"},
                "code": {"text": "Chest pain"},
            }
        },
        {
            "resource": {
                "resourceType": "Observation",
                "id": "o1",
                "status": "final",
                "subject": {"reference": "Patient/p1"},
                "code": {"text": "Nausea"},
                "valueString": "present",
            }
        },
    ],
}


def test_cli_reads_a_fhir_bundle(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(BUNDLE))
    result = CliRunner().invoke(cli, ["differential", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    quotes = [c["quote"] for d in data["differential"] for c in d["supporting"]]
    assert quotes and any("Chest pain" in q or "chest pain" in q.lower() for q in quotes)
