"""``evident bench patient``: error planting and the measures on an invented note."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from evident.tasks.patient.bench import plant, score_note

from .conftest import NOTE, TRANSCRIPT


@pytest.mark.parametrize(
    ("kind", "text", "planted"),
    [
        ("side", "Right knee pain.", "Left knee pain."),
        ("side", "No side here.", None),
        ("negation", "She denies fever.", "She reports fever."),
        ("negation", "We will order an x-ray.", "We will not order an x-ray."),
        ("dose", "No dose here.", None),
    ],
)
def test_plant(kind: str, text: str, planted: str | None) -> None:
    assert plant(text, kind, random.Random(1)) == planted


def test_planted_dose_changes_the_number() -> None:
    new = plant("Start meloxicam 15 mg daily.", "dose", random.Random(1))
    assert new is not None and "15 mg" not in new and "mg daily" in new


def test_score_note_measures() -> None:
    score = score_note(TRANSCRIPT, NOTE, True, random.Random(13))
    assert score.fk is not None and score.fk <= 6
    assert score.doses == score.doses_kept >= 2
    assert score.follow_ups == score.follow_ups_kept == 1
    assert score.returns == score.returns_kept == 1
    assert score.contradicted == 0
    assert score.planted.get("dose") == score.carried.get("dose") == score.surfaced.get("dose") == 1


def test_bench_command(tmp_path: Path, capsys) -> None:
    from evident.cli.main import main

    path = tmp_path / "notes.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["encounter_id", "dialogue", "note"])
        w.writerow(["E1", TRANSCRIPT, NOTE])
    assert main(["bench", "patient", str(path)]) == 0
    out = capsys.readouterr().out
    assert "notes.csv: 1 notes" in out and "doses kept" in out and "planted dose" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["bench", "patient", str(bad)]) == 2


@pytest.mark.parametrize("text", ["LDL 153 mg/dL.", "Creatinine 1.1 mg / dL."])
def test_lab_values_are_not_doses(text: str) -> None:
    assert plant(text, "dose", random.Random(1)) is None
