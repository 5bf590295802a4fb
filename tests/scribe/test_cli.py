"""The scribe, demo and bench CLI: exit codes and the JSON contract."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evident.cli.main import main

from .conftest import VISIT


@pytest.fixture
def visit_file(tmp_path: Path) -> Path:
    path = tmp_path / "visit.txt"
    path.write_text(VISIT, encoding="utf-8")
    return path


def test_scribe_json_contract(visit_file: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    assert main(["scribe", str(visit_file), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "sections",
        "model",
        "prompt_version",
        "counts",
        "omissions",
        "explanations",
    }
    assert all(type(n) is int for n in out["counts"].values())
    assert out["model"] == "offline" and out["prompt_version"].startswith("scribe/")
    assert [s["name"] for s in out["sections"]] == ["Subjective", "Objective", "Assessment", "Plan"]
    for sec in out["sections"]:
        assert set(sec) == {"name", "statements"}
        for st in sec["statements"]:
            assert set(st) == {"text", "citations", "verdict", "score"}
            assert st["verdict"] in {
                "supported",
                "unsupported",
                "contradicted",
                "no_clinical_content",
            }
            assert 0.0 <= st["score"] <= 1.0


def test_scribe_text_is_the_note_then_its_verification(visit_file: Path, capsys) -> None:
    assert main(["scribe", str(visit_file), "--sections", "apso", "-m", "offline"]) == 0
    note, report = capsys.readouterr().out.split("\n---\n")
    assert note.startswith("ASSESSMENT:\n")
    assert "PLAN:" in note and "SUBJECTIVE:" in note
    assert "supported" not in note and "[u" not in note
    assert report.startswith("Verification: ") and "omissions" in report


def test_scribe_custom_sections_and_html(visit_file: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    assert main(["scribe", str(visit_file), "--sections", "HPI,Plan", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert "prednisone" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02", "binary"),
        (b"[doctor] \xff\xfe\xfa", "undecodable byte"),
        (b"[doctor]\n[patient]\n", "no recognisable utterances"),
    ],
)
def test_scribe_bad_input_exit_2(tmp_path: Path, capsys, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    assert main(["scribe", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert fragment in captured.err and captured.err.count("\n") == 1


def test_scribe_missing_file_and_bad_model(visit_file: Path, capsys) -> None:
    assert main(["scribe", str(visit_file.parent / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["scribe", str(visit_file), "-m", "nosuchbackend:x"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "nosuchbackend" in captured.err


def test_demo(capsys) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "offline engine, no language model" in out
    assert "SUBJECTIVE:" in out and "PLAN:" in out
    assert "✓" in out and "[u" in out and "(supported)" in out
    # The second part checks a note with planted errors against the same conversation.
    checked = out.split("planted errors", 1)[1]
    for reason in (
        "transcript says left knee, note says right knee",
        "transcript says no fever, note says has fever",
        "transcript says ibuprofen 400 mg, note says 800 mg",
        "no source mentions diabetes",
    ):
        assert reason in checked
    assert "[allergy" in checked and "penicillin" in checked


def test_demo_json(capsys) -> None:
    assert main(["demo", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "offline"
    assert sum(len(s["statements"]) for s in out["sections"]) >= 5


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["dataset", "encounter_id", "dialogue", "note"])
        writer.writeheader()
        writer.writerows(rows)


def test_bench_scribe(tmp_path: Path, capsys) -> None:
    note = (
        "SUBJECTIVE:\nThe patient has had a cough for 2 weeks.\n\n"
        "PLAN:\nStart prednisone 40 mg daily."
    )
    rows = [
        {"dataset": "x", "encounter_id": f"E{i}", "dialogue": VISIT, "note": note} for i in range(3)
    ]
    data = tmp_path / "mini.csv"
    _write_csv(data, rows)
    assert main(["bench", "scribe", "--data", str(data), "--limit", "2", "--sections", "soap"]) == 0
    out = capsys.readouterr().out
    assert "encounters 2;" in out
    assert "published: GPT-4" in out and "51.76" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("evident offline"))
    r1 = float(line.split()[-4])
    assert 20.0 < r1 <= 100.0
    assert "median" in out and "p95" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("dataset,encounter_id,note\nx,1,y\n", "lacks column(s) dialogue"),
        ("dataset,encounter_id,dialogue,note\n", "has no rows"),
    ],
)
def test_bench_scribe_bad_csv(tmp_path: Path, capsys, content: str, fragment: str) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(content, encoding="utf-8")
    assert main(["bench", "scribe", "--data", str(data)]) == 2
    assert fragment in capsys.readouterr().err


def test_scribe_records_the_run_in_the_default_audit_trail(visit_file: Path, capsys) -> None:
    from evident.audit import open_store

    assert main(["scribe", str(visit_file), "--format", "json"]) == 0
    capsys.readouterr()
    store = open_store()  # the isolated $EVIDENT_HOME of the test
    try:
        (summary,) = store.list_runs()
        stored = store.get_run(summary.run_id)
        assert stored.run.task == "scribe"
        assert store.verify_chain().ok
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "env"), [(["--no-audit"], None), ([], "off")], ids=["flag", "env"]
)
def test_scribe_audit_can_be_turned_off(
    visit_file: Path, capsys, monkeypatch, args: list[str], env: str | None
) -> None:
    from evident.audit import open_store

    if env:
        monkeypatch.setenv("EVIDENT_AUDIT", env)
    assert main(["scribe", str(visit_file), *args]) == 0
    store = open_store()
    try:
        assert store.list_runs() == []
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_every_format_carries_the_same_counts(visit_file: Path, capsys, monkeypatch, fmt) -> None:
    """Text, JSON and HTML name the same statement and omission counts, once explained."""
    monkeypatch.delenv("EVIDENT_MODEL", raising=False)
    assert main(["scribe", str(visit_file), "--format", "json", "--no-audit"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert main(["scribe", str(visit_file), "--format", fmt, "--no-audit"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        assert data["counts"] == counts and len(data["omissions"]) == counts["omissions"]
        return
    assert f"{counts['statements']} statements" in out
    assert f"{counts['supported']} supported" in out
    assert f"{counts['omissions']} omissions" in out
    assert out.count("how much of it the evidence found") == 1
