"""The patient_summary and patient_message tasks and their commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evident.cli.main import cli
from evident.errors import InputError
from evident.models.offline import OfflineBackend
from evident.pipeline import run_task
from evident.sources import load_source
from evident.tasks import available_tasks, load_task
from evident.tasks.patient import SECTIONS, PatientMessageTask, PatientSummaryTask, write_summary
from evident.tasks.patient.summary import medication_items
from evident.types import Source

from ..triage.conftest import FakeBackend
from .conftest import NOTE, TRANSCRIPT


@pytest.mark.parametrize(
    ("name", "cls"),
    [("patient_summary", PatientSummaryTask), ("patient_message", PatientMessageTask)],
)
def test_registered(name: str, cls: type) -> None:
    assert name in available_tasks()
    assert isinstance(load_task(name), cls)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("start", "Start taking meloxicam 15 mg, once a day."),
        ("stop", "Stop taking ibuprofen."),
        ("increase", "Your lisinopril dose goes up to 20 mg, once a day."),
        ("none", "You take metformin 500 mg, two times a day."),
    ],
)
def test_medicine_templates(note: Source, kind: str, text: str) -> None:
    items = {i.kind: i.text for i in medication_items(note)}
    assert items.get(kind) == text


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        (SECTIONS[0], "knee pain"),
        (SECTIONS[1], "wear and tear"),
        (SECTIONS[3], "A1c"),
        (SECTIONS[4], "6 weeks"),
        (SECTIONS[5], "red, hot or swollen"),
    ],
)
def test_summary_sections(note: Source, section: str, fragment: str) -> None:
    texts = [i.text for i in write_summary(note) if i.section == section]
    assert any(fragment in t for t in texts), texts


def test_summary_without_warnings_adds_the_general_line() -> None:
    note = load_source("ASSESSMENT AND PLAN\n\nCough.\nWe will order a chest x-ray.\n", kind="note")
    items = write_summary(note)
    assert items[-1].kind == "general_warning" and not items[-1].citations


def test_summary_verified_and_graded(note: Source, transcript: Source) -> None:
    run = run_task("patient_summary", [note, transcript], OfflineBackend(), {})
    labels = [v.label for v in run.report.verdicts]
    assert "contradicted" not in labels
    assert labels.count("supported") >= len(labels) - 2
    grade = run.draft.meta["reading_grade"]
    assert grade["flesch_kincaid"] <= 6 and grade["smog"] is not None
    assert run.report.metrics["source_contradicted"] == 0
    assert any(f.kind == "reading_grade" for f in run.report.findings)


@pytest.mark.parametrize(
    ("planted", "original"),
    [
        ("meloxicam 15 mg daily", "meloxicam 150 mg daily"),
        ("X-ray of the right knee", "X-ray of the left knee"),
        ("lisinopril to 20 mg", "lisinopril to 40 mg"),
    ],
)
def test_planted_note_errors_surface_against_the_transcript(
    transcript: Source, planted: str, original: str
) -> None:
    bad = load_source(NOTE.replace(planted, original), kind="note", name="bad.txt")
    run = run_task("patient_summary", [bad, transcript], OfflineBackend(), {})
    assert run.report.metrics["source_contradicted"] >= 1
    assert any(f.kind == "contradicts_source" for f in run.report.findings)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"target_grade": 30}, "between 1 and 16"),
        ({"x": 1}, "unknown option"),
        ({"target_grade": "a"}, "number"),
    ],
)
def test_bad_options(note: Source, options: dict, fragment: str) -> None:
    for task in (PatientSummaryTask(), PatientMessageTask()):
        with pytest.raises(InputError, match=fragment):
            task.draft([note], OfflineBackend(), options)


def _message(text: str) -> Source:
    return load_source(text, kind="note", name="message.txt")


@pytest.mark.parametrize(
    ("text", "escalated"),
    [
        ("I can't breathe and my lips are blue", True),
        ("My knee hurts so bad I can't put any weight on it", True),
        ("Should I keep taking meloxicam 15 mg for my knee?", False),
        ("Small bug bite, itchy", False),
    ],
)
def test_reply_triages_first(note: Source, text: str, escalated: bool) -> None:
    run = run_task("patient_message", [_message(text), note], OfflineBackend(), {})
    assert run.draft.meta["escalated"] is escalated
    names = [s.name for s in run.draft.sections]
    assert names == (["Escalation"] if escalated else ["Reply"])


def test_reply_rests_on_the_note(note: Source) -> None:
    msg = _message("Should I keep taking meloxicam 15 mg for my knee?")
    run = run_task("patient_message", [msg, note], OfflineBackend(), {})
    cited = [st for st in run.draft.statements if st.citations]
    assert cited and any("meloxicam" in st.text for st in cited)
    by_id = {v.statement_id: v.label for v in run.report.verdicts}
    assert all(by_id[st.id] == "supported" for st in cited)
    assert by_id["st1"] == "no_clinical_content"  # the greeting
    assert by_id[run.draft.statements[-1].id] == "unsupported"  # general advice: flagged


def test_reply_model_citations_are_filtered(note: Source) -> None:
    answer = {
        "statements": [
            {
                "section": "",
                "text": "Keep taking meloxicam 15 mg once a day.",
                "citations": ["s8", "s99"],
            }
        ]
    }
    backend = FakeBackend(answer)
    msg = _message("Should I keep taking meloxicam?")
    triage_answer = {"urgency": "routine", "red_flags": []}
    calls = iter([triage_answer, answer])

    def generate(request):  # triage first, then the reply
        backend.answer = next(calls)
        return FakeBackend.generate(backend, request)

    backend.generate = generate  # type: ignore[method-assign]
    draft, usage = PatientMessageTask().draft([msg, note], backend, {})  # type: ignore[arg-type]
    assert draft.statements[0].citations == ("s8",)
    assert draft.meta["engine"] == "model" and usage.calls == 2


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_summary_cli_json(tmp_path: Path) -> None:
    args = ["patient-summary", "--note", _write(tmp_path, "n.txt", NOTE)]
    args += ["--source", _write(tmp_path, "t.txt", TRANSCRIPT), "--format", "json", "--no-audit"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["reading_grade"]) == {"flesch_kincaid", "smog"}
    assert data["statements"] and all(
        {"text", "verdict", "evidence"} <= set(s) for s in data["statements"]
    )


@pytest.mark.parametrize(
    ("message", "fmt", "expect"),
    [
        ("I have crushing chest pain", "text", "ESCALATE"),
        ("Should I keep taking meloxicam 15 mg?", "text", "DRAFT REPLY"),
        ("Should I keep taking meloxicam 15 mg?", "html", "<"),
        ("I have crushing chest pain", "json", '"escalated": true'),
    ],
)
def test_reply_cli(tmp_path: Path, message: str, fmt: str, expect: str) -> None:
    args = ["reply", _write(tmp_path, "m.txt", message), "--note", _write(tmp_path, "n.txt", NOTE)]
    result = CliRunner().invoke(cli, [*args, "--format", fmt, "--no-audit"])
    assert result.exit_code == 0, result.output
    assert expect in result.output


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    from evident.cli.main import main

    assert main(["patient-summary", "--note", str(tmp_path / "none.txt"), "--no-audit"]) == 2
    assert main(["reply", _write(tmp_path, "e.txt", " "), "--no-audit"]) == 2


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("We will not start him on sertraline 50 mg daily.", "will not start"),
        ("She should no longer take aspirin 81 mg.", "no longer"),
    ],
)
def test_negated_medicine_keeps_its_negation(sentence: str, fragment: str) -> None:
    note = load_source(f"ASSESSMENT AND PLAN\n\nDepression.\n{sentence}\n", kind="note")
    texts = [i.text for i in medication_items(note)]
    assert texts and all(fragment in t for t in texts), texts
    assert not any(t.startswith(("Start taking", "Keep taking")) for t in texts)


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        (
            "We will increase her Lasix from 20 mg to 60 mg daily.",
            "Your Lasix dose goes up to 60 mg, once a day.",
        ),
        (
            "We will decrease his metoprolol from 50 mg to 25 mg twice a day.",
            "Your metoprolol dose goes down to 25 mg, two times a day.",
        ),
    ],
)
def test_dose_change_from_to_keeps_the_new_dose(sentence: str, text: str) -> None:
    note = load_source(f"ASSESSMENT AND PLAN\n\nEdema.\n{sentence}\n", kind="note")
    assert [i.text for i in medication_items(note)] == [text]


def test_a_dose_stays_with_its_own_drug() -> None:
    note = load_source(
        "ASSESSMENT AND PLAN\n\nDiabetes.\nShe takes aspirin 81 mg daily and insulin.\n",
        kind="note",
    )
    texts = [i.text for i in medication_items(note)]
    assert "You take aspirin 81 mg, once a day." in texts
    assert not any("insulin" in t and "81" in t for t in texts), texts


def test_reply_cli_with_a_knowledge_base(tmp_path: Path) -> None:
    from evident.kb import KnowledgeBase

    doc = tmp_path / "heartburn.md"
    doc.write_text(
        "# Heartburn\n\nHeartburn is a burning feeling in the chest after eating. Antacids "
        "such as calcium carbonate can ease heartburn. Eating smaller meals and not lying "
        "down after eating help prevent heartburn.\n",
        encoding="utf-8",
    )
    with KnowledgeBase(tmp_path / "kb", create=True) as kb:
        kb.ingest([doc], progress=False)
    message = _write(tmp_path, "m.txt", "I get a little heartburn after big meals. Antacids ok?")
    args = ["reply", message, "--kb", str(tmp_path / "kb"), "--format", "json", "--no-audit"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    grounded = [s for s in data["statements"] if s["evidence"]]
    assert data["urgency"] == "self_care" and not data["escalated"]
    assert any("Antacids" in s["text"] and s["verdict"] == "supported" for s in grounded)
    assert data["statements"][-1]["verdict"] == "unsupported"  # general advice is flagged


def test_summary_model_path(note: Source) -> None:
    answer = {
        "statements": [
            {
                "section": "Your medicines",
                "text": "Start meloxicam 15 mg once a day.",
                "citations": ["s8", "zz"],
            },
            {"section": "", "text": "Come back in 6 weeks.", "citations": []},
        ]
    }
    backend = FakeBackend(answer)
    draft, usage = PatientSummaryTask().draft([note], backend, {"target_grade": 5})  # type: ignore[arg-type]
    assert [s.name for s in draft.sections] == ["Your medicines", "Summary"]
    assert draft.statements[0].citations == ("s8",)
    assert draft.meta["engine"] == "model" and draft.meta["target_grade"] == 5
    assert "[s8]" in backend.requests[0].messages[-1].content
    assert draft.model.name == "model-1b" and usage.calls == 1


def test_a_dose_of_an_unknown_drug_is_kept() -> None:
    note = load_source(
        "ASSESSMENT AND PLAN\n\nMigraine.\nWe will start zorbatrex 10 mg at onset of headache.\n",
        kind="note",
    )
    meds = [i for i in write_summary(note) if i.section == "Your medicines"]
    assert [i.kind for i in meds] == ["dose_sentence"]
    assert "zorbatrex 10 mg" in meds[0].text


@pytest.mark.parametrize(
    ("message", "cited"),
    [
        ("Should I keep taking my amlodipine 5 mg tablet every day?", "MedicationRequest/m1"),
        ("Is my blood pressure hypertension still active?", "Condition/c1"),
    ],
)
def test_reply_cli_rests_on_the_chart(tmp_path: Path, message: str, cited: str) -> None:
    import json

    from tests.chart.conftest import bundle_text

    chart = _write(tmp_path, "chart.json", bundle_text())
    args = ["reply", _write(tmp_path, "m.txt", message), "--chart", chart, "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "--no-audit"])
    assert result.exit_code == 0, result.output
    statements = json.loads(result.output)["statements"]
    assert any(cited in st["evidence"] and st["verdict"] == "supported" for st in statements)


def test_reply_chart_must_be_fhir(tmp_path: Path) -> None:
    args = ["reply", _write(tmp_path, "m.txt", "Can I get a refill?"), "--chart"]
    result = CliRunner().invoke(cli, [*args, _write(tmp_path, "c.txt", NOTE), "--no-audit"])
    assert result.exit_code != 0


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        ("Follow up in 2 weeks.", SECTIONS[4]),
        ("Return to clinic in 2 weeks.", SECTIONS[4]),
        ("Recheck in 3 months.", SECTIONS[4]),
        ("Return if the knee locks.", SECTIONS[5]),
        ("Call if fever develops.", SECTIONS[5]),
        ("Hypertension.", SECTIONS[1]),
    ],
)
def test_short_plan_line_is_no_problem_heading_when_it_says_when_to_come_back(
    sentence: str, section: str
) -> None:
    """A short unnumbered plan line that says when to return is not "We talked about ..."."""
    note = load_source(f"ASSESSMENT AND PLAN:\n1. Knee pain.\n{sentence}\n", kind="note")
    seg = next(g.id for g in note.segments if g.text.strip() == sentence)
    found = [i for i in write_summary(note) if seg in i.citations]
    assert [i.section for i in found] == [section], [(i.section, i.text) for i in found]
    assert not any(i.text.startswith("We talked about") for i in found if section != SECTIONS[1])
