"""The chart task through the pipeline and the CLI, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errors import InputError
from evident.pipeline import run_task
from evident.privacy.hooks import NoPrivacy
from evident.sources import load_source
from evident.tasks.chart import ChartTask
from evident.types import Draft, ModelInfo, Section, Source, Statement
from tests.chart.conftest import FakeBackend, bundle_text


def test_every_statement_cites_a_record_resource_and_is_supported(record_source: Source) -> None:
    run = run_task(
        "chart", [record_source], "offline", {"as_of": "2024-06-01"}, privacy=NoPrivacy()
    )
    ids = {seg.id for seg in record_source.segments}
    assert run.draft.statements
    for st in run.draft.statements:
        assert st.citations and set(st.citations) <= ids
    labels = {v.statement_id: v.label for v in run.report.verdicts}
    assert all(label == "supported" for label in labels.values()), labels
    assert run.report.omissions == ()
    assert run.report.metrics["chart_fact_mismatches"] == 0


def test_check_contradicts_a_doctored_draft(record_source: Source) -> None:
    task = ChartTask()
    run = run_task(task, [record_source], "offline", {}, privacy=NoPrivacy())
    wrong = Statement(
        id="st99",
        text="Current medication: Naproxen 250 MG Oral Tablet.",
        section="Medications",
        citations=("MedicationRequest/m2",),
    )
    draft = Draft(
        task="chart",
        sections=(Section(name="Medications", statements=(wrong,)),),
        model=run.draft.model,
        prompt_version="x",
    )
    report = task.check(draft, [record_source], run.report.model_copy(update={"verdicts": ()}), {})
    verdict = report.verdict("st99")
    assert (
        verdict is not None and verdict.label == "contradicted" and verdict.judge == "chart-facts"
    )
    assert any(f.kind == "chart_status_mismatch" and f.where == "st99" for f in report.findings)


@pytest.mark.parametrize(
    ("sources", "options", "message"),
    [
        ("note", {}, "needs a FHIR record"),
        ("fhir", {"colour": "red"}, "unknown chart option"),
        ("fhir", {"as_of": "yesterday"}, "ISO date"),
    ],
)
def test_task_errors(record_source: Source, sources: str, options: dict, message: str) -> None:
    source = record_source if sources == "fhir" else load_source("Patient is well.", kind="note")
    with pytest.raises(InputError, match=message):
        run_task("chart", [source], "offline", options, privacy=NoPrivacy())


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        ("text", "✓ Active problem: Essential hypertension"),
        ("json", '"verdict": "supported"'),
        ("html", "Condition/c1"),
    ],
)
def test_cli_formats(tmp_path: Path, capsys, fmt: str, needle: str, monkeypatch) -> None:
    monkeypatch.setenv("EVIDENT_AUDIT", "off")
    path = tmp_path / "record.json"
    path.write_text(bundle_text(), encoding="utf-8")
    assert main(["chart", str(path), "--as-of", "2024-06-01", "--format", fmt, "--no-audit"]) == 0
    out = capsys.readouterr().out
    assert needle in out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["as_of"] == "2024-06-01" and doc["sections"][0]["name"] == "Patient"


def test_cli_bad_bundle_is_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "resourceType": "Bundle",
                "entry": [{"resource": {"resourceType": "Observation", "id": "x"}}],
            }
        )
    )
    assert main(["chart", str(path), "--no-audit"]) == 2
    err = capsys.readouterr().err
    assert "Observation/x is invalid" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"resourceType": "Bundle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "too deeply"),
        ('{"resourceType": "Bundle", "note": "John Zyxwv"}' + " " * 3000, "over the limit"),
        ('{"resourceType": "Bundle", "entry": [{"fullUrl": "John Zyxwv"}]}', "entry[0] has no"),
    ],
)
def test_cli_unreadable_bundle_is_one_line(
    tmp_path: Path, capsys, monkeypatch, text: str, message: str
) -> None:
    monkeypatch.setenv("EVIDENT_MAX_INPUT_BYTES", "2000" if "note" in text else "900000")
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    assert main(["chart", str(path), "--no-audit"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Zyxwv" not in err


def test_bench_chart_on_a_fixture_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.json").write_text(bundle_text(), encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    assert main(["bench", "chart", str(tmp_path), "--dev", "1"]) == 0
    out = capsys.readouterr().out
    assert "development: 1 patients, 1 parsed (100.0%)" in out
    assert "held out: 1 patients, 0 parsed (0.0%)" in out
    assert "named condition  1/1 (100.0%)" in out


def test_model_path_same_schema_and_checked(record_source: Source) -> None:
    answer = {
        "statements": [
            {
                "section": "Medications",
                "text": "Current medication: Naproxen 250 MG Oral Tablet.",
                "citations": ["MedicationRequest/m2"],
            },
            {
                "section": "Active problems",
                "text": "Active problem: Essential hypertension, onset 2015-04-01.",
                "citations": ["Condition/c1"],
            },
            {
                "section": "Patient",
                "text": "Patient: female, born 1960-02-03.",
                "citations": ["Patient/p1"],
            },
        ]
    }
    backend = FakeBackend(answer)
    run = run_task("chart", [record_source], backend, {"as_of": "2024-06-01"}, privacy=NoPrivacy())
    assert [s.name for s in run.draft.sections] == ["Patient", "Active problems", "Medications"]
    prompt = backend.requests[0].messages[1].content
    assert "[Condition/c1] Condition: Essential hypertension" in prompt and "2024-06-01" in prompt
    labels = {st.text[:20]: run.report.verdict(st.id).label for st in run.draft.statements}  # type: ignore[union-attr]
    assert labels["Current medication: "] == "contradicted"
    assert labels["Active problem: Esse"] == "supported"


@pytest.mark.parametrize(
    ("text", "cites", "label"),
    [
        ("Open care gap: CMS1Example. No screening.", ("Patient/p1", "Encounter/e1"), "supported"),
        ("Open care gap: CMS1Example. Screening done.", ("Patient/p1", "Encounter/e1"), None),
        ("Open care gap: CMS1Example. No screening.", ("Patient/p1",), None),
        ("Open care gap: CMS2Other. No screening.", ("Patient/p1", "Encounter/e1"), None),
    ],
)
def test_care_gap_statements_are_decided_by_the_measure(
    record_source: Source, text: str, cites: tuple[str, ...], label: str | None
) -> None:
    from evident.tasks.chart import chart_record, check_facts
    from evident.types import Report

    gap = {
        "measure": "CMS1Example",
        "explanation": "No screening.",
        "evidence": ["Patient/p1", "Encounter/e1"],
    }
    st = Statement(id="st1", text=text, section="Care gaps", citations=cites)
    draft = Draft(
        task="chart",
        sections=(Section(name="Care gaps", statements=(st,)),),
        model=ModelInfo(spec="offline", backend="offline", name="offline"),
        prompt_version="x",
    )
    report = check_facts(draft, Report(verdicts=()), chart_record([record_source]), [gap])
    verdict = report.verdict("st1")
    assert (verdict.label if verdict else None) == label
    if verdict:
        assert verdict.judge == "caregaps"
