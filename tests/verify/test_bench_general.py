"""``evident bench verify-general`` and the hand-check sample file, on a made-up corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errorgen import half

# Three made-up encounters: E0 and E1 fall in the development half, E2 in the test half.
ENCOUNTERS = [
    (
        "E0",
        "[doctor] what brings you in ?\n[patient] my left knee hurts when i climb stairs .\n"
        "[doctor] any fever ?\n[patient] no .\n"
        "[doctor] are you taking anything ?\n[patient] ibuprofen 400 milligrams twice a day .\n"
        "[doctor] let's get an x-ray of the left knee and see you in 2 weeks .\n",
        "HPI:\nShe reports left knee pain when climbing stairs. She denies fever.\n"
        "She takes ibuprofen 400 mg twice a day.\n\nPLAN:\nX-ray of the left knee. "
        "Follow up in 2 weeks.\n",
    ),
    (
        "E1",
        "[doctor] how is your breathing ?\n[patient] better since i started the inhaler .\n"
        "[doctor] do you still smoke ?\n[patient] yes , half a pack a day .\n"
        "[doctor] any chest pain ?\n[patient] no , none .\n"
        "[doctor] continue albuterol 2 puffs as needed .\n",
        "HPI:\nHis breathing is better since he started the inhaler. He smokes half a pack a day.\n"
        "He denies chest pain.\n\nPLAN:\nContinue albuterol 2 puffs as needed.\n",
    ),
    (
        "E2",
        "[doctor] how is the rash on your right arm ?\n[patient] it has increased in size .\n"
        "[doctor] any itching ?\n[patient] yes , a lot .\n"
        "[doctor] start hydrocortisone cream twice daily for 7 days .\n",
        "HPI:\nThe rash on her right arm has increased in size. She reports itching.\n\n"
        "PLAN:\nStart hydrocortisone cream twice daily for 7 days.\n",
    ),
]


@pytest.fixture
def corpus_csv(tmp_path: Path) -> Path:
    assert [half(e[0]) for e in ENCOUNTERS] == ["dev", "dev", "test"]
    path = tmp_path / "tiny.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        for eid, dialogue, note in ENCOUNTERS:
            w.writerow(["tiny", eid, dialogue, note])
    return path


@pytest.mark.parametrize(
    ("half_", "expect"),
    [
        ("test", ["half: test (held out)", "negation_added", "negation_removed", "answer_flip"]),
        ("dev", ["half: dev (development)", "clean contradicted", "clean unsupported", "@5"]),
    ],
)
def test_general_bench_prints_types_systems_and_recall(corpus_csv, capsys, half_, expect) -> None:
    args = [
        "bench",
        "verify-general",
        "--data",
        str(corpus_csv),
        "--per-type",
        "1",
        "--half",
        half_,
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    # no --entailer: the default entailer's column, at its own cutoff
    for text in (*expect, "table[support]", "entail:support", "blind (dev-trained)", "all syntax"):
        assert text in out
    assert "entail:lexical" not in out and "threshold: each entailer's own" in out


def test_misses_are_shown_for_the_development_half_only(corpus_csv, capsys) -> None:
    base = ["bench", "verify-general", "--data", str(corpus_csv), "--per-type", "1"]
    assert main([*base, "--show-misses", "2"]) != 0
    assert "development-half misses only" in capsys.readouterr().err
    assert main([*base, "--half", "dev", "--show-misses", "2", "--no-retrieval"]) == 0
    out = capsys.readouterr().out
    assert "misses of table[support], development half only" in out
    assert "hydrocortisone" not in out.split("misses of")[1]  # E2 is a test encounter


def test_hand_check_sample_file_holds_development_encounters_only(corpus_csv, tmp_path) -> None:
    pred = tmp_path / "pred.csv"
    with pred.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Dialogues", "note", "encounter_id"])
        for eid, dialogue, note in ENCOUNTERS:
            w.writerow([dialogue, note.replace("400 mg", "800 mg"), eid])
    out = tmp_path / "sample.csv"
    args = [
        "bench",
        "verify",
        "--predictions",
        str(pred),
        "--sample",
        "3",
        "--sample-out",
        str(out),
    ]
    assert main(args) == 0
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["encounter"] for r in rows} <= {"E0", "E1"}
    assert {r["sample"] for r in rows} == {"flag", "pass"}
    assert all(r["judgement"] == "" for r in rows)
    assert any("800 mg" in r["statement"] and r["verdict"] != "supported" for r in rows)


def test_export_writes_development_statements_only(corpus_csv, tmp_path, capsys) -> None:
    import json

    path = tmp_path / "dev.jsonl"
    args = ["bench", "verify-general", "--data", str(corpus_csv), "--per-type", "1"]
    assert main([*args, "--no-retrieval", "--export-dev", str(path)]) == 0
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records and {r["encounter"] for r in records} <= {"E0", "E1"}
    assert {r["label"] for r in records} == {"clean", "perturbed"}
    assert {r["family"] for r in records if r["label"] == "perturbed"} >= {"surface", "syntax"}
    clean = [r for r in records if r["label"] == "clean"]
    assert all(r["evidence"] and not r["type"] for r in clean)
    assert "development-half statements" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("flag", "column", "shown"),
    [
        ((), "table[lexical]+subst", False),
        (("--substitution",), "table[lexical]+subst", True),  # the first entailer's, on
        ((), "table[lexical]-antonyms", False),
        (("--without-antonyms",), "table[lexical]-antonyms", True),  # the antonym checker off
    ],
)
def test_checker_columns_only_when_asked(corpus_csv, capsys, flag, column, shown) -> None:
    args = ["bench", "verify-general", "--data", str(corpus_csv), "--per-type", "1"]
    assert main([*args, "--no-retrieval", "--entailer", "lexical", *flag]) == 0
    out = capsys.readouterr().out
    assert (column in out) is shown
    assert "table[lexical] " in out
