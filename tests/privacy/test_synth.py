"""The benchmark's generator (exact gold spans) and scorer, and the bench command."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.privacy import PHI_TYPES
from evident.privacy.synth import annotate_carrier, insert_phi, phi_sentence
from evident.privacy.synth.bench import presidio_research_docs, score
from evident.privacy.synth.generator import Doc


@pytest.mark.parametrize("style", ["note", "dialogue", "transcript"])
def test_phi_sentences_have_exact_gold(style: str) -> None:
    rng = random.Random(7)
    seen = set()
    for _ in range(300):
        text, gold = phi_sentence(rng, style)  # type: ignore[arg-type]
        assert gold, text
        for start, end, phi_type in gold:
            assert phi_type in PHI_TYPES
            assert text[start:end].strip() == text[start:end] != ""
            seen.add(phi_type)
        if style == "transcript":
            assert text == text.lower()
    assert len(seen) >= 18  # nearly every Safe Harbor type is generated


@pytest.mark.parametrize(
    ("line", "names", "expected"),
    [
        ("Dr. Quimby saw Ottilie today.\n", {"Ottilie"}, ["Quimby", "Ottilie"]),
        ("[doctor] hi , ottilie . mrs. vandersloot ?\n", {"Ottilie"}, ["ottilie", "vandersloot"]),
        ("Ottilie Vandersloot is here.\n", {"Ottilie", "Vandersloot"}, ["Ottilie Vandersloot"]),
        ("Seen by Doctor X for the rash.\n", set(), []),
        ("The doctor will see you.\n", set(), []),
    ],
)
def test_annotate_carrier(line: str, names: set[str], expected: list[str]) -> None:
    assert [line[s:e] for s, e, _ in annotate_carrier(line, names)] == expected


def test_insert_phi_keeps_carrier_and_offsets() -> None:
    carrier = "Doctor: How are you, Ottilie?\nPatient: Fine, thanks.\n"
    doc = insert_phi("d1", carrier, "dialogue", {"Ottilie"}, random.Random(3), 3)
    assert all(line in doc.text for line in carrier.splitlines())
    assert doc.text.count("\n") == carrier.count("\n") + 3
    assert ("Ottilie", "NAME") in [(doc.text[s:e], t) for s, e, t in doc.gold]
    assert json.loads(doc.to_json())["spans"]


def test_score_counts_token_and_span_levels() -> None:
    doc = Doc("x", "note", "Call Ann Lee on 3/4 now", [(5, 12, "NAME"), (16, 19, "DATE")])
    result = score([doc], [[(5, 8, "NAME"), (16, 19, "DATE"), (20, 23, "ID")]])
    assert result.token["NAME"] == {"tp": 1, "fn": 1}
    assert result.span["NAME"]["fn"] == 1 and result.span["NAME"]["fp"] == 1
    assert result.span["DATE"]["tp"] == 1
    assert result.token["ID"]["fp"] == 1
    assert result.any_token["fp"] == 1 and result.any_token["fn"] == 1


def test_presidio_research_mapping(tmp_path: Path) -> None:
    item = {
        "full_text": "Ann Lee, 42, of Acme",
        "spans": [
            {
                "entity_type": "PERSON",
                "entity_value": "Ann Lee",
                "start_position": 0,
                "end_position": 7,
            },
            {"entity_type": "AGE", "entity_value": "42", "start_position": 9, "end_position": 11},
            {
                "entity_type": "ORGANIZATION",
                "entity_value": "Acme",
                "start_position": 16,
                "end_position": 20,
            },
        ],
    }
    path = tmp_path / "synth_dataset_v2.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    (doc,) = presidio_research_docs(path, None)
    assert [t for _, _, t in doc.gold] == ["NAME", "IGNORE", "IGNORE"]


def test_bench_command_on_a_small_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "aci"
    folder.mkdir()
    (folder / "mini.csv").write_text(
        "encounter_id,dialogue,note\n"
        'E1,"[doctor] hi , ottilie .\n[patient] hello .","Ottilie was seen today.\nStable."\n',
        encoding="utf-8",
    )
    (folder / "mini_metadata.csv").write_text(
        "encounter_id,patient_firstname,patient_familyname,doctor_name\nE1,Ottilie,Quimby,\n",
        encoding="utf-8",
    )
    out = tmp_path / "corpus.jsonl"
    code = main(["bench", "deid", "--data", str(tmp_path), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "ANY PHI" in printed and "KiB/s per core" in printed
    assert len(out.read_text().splitlines()) == 2


def test_bench_command_test_half_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "aci"
    folder.mkdir()
    rows = "".join(f'E{i},"[doctor] hi , ottilie .","Ottilie was seen."\n' for i in range(10))
    (folder / "mini.csv").write_text("encounter_id,dialogue,note\n" + rows, encoding="utf-8")
    code = main(["bench", "deid", "--data", str(tmp_path), "--test-only"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "test half is unseen" in printed
    for detector in ("evident rules ", "rules+en_core_web_sm", "rules+own model"):
        assert detector in printed
    assert "dev half (tuned on)" not in printed and "first generator" not in printed


def test_bench_command_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "deid", "--data", str(tmp_path / "missing")]) == 2
    assert "not a directory" in capsys.readouterr().err
