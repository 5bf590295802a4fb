"""The diagnosis benchmark: vignette texts, the split, name matching and the scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evident.cli.main import cli
from evident.errors import InputError
from evident.evals.diagnosis import (
    diagnosis_match,
    load_vignettes,
    score_engine,
    split_of,
    vignette_text,
)
from evident.tasks.differential import Candidate, Cite, Differential, run_offline
from evident.tasks.differential.table import Table

ROW = {
    "correct_diagnosis": "Heart attack",
    "demographics": "60 year old Male",
    "chief_complaints": "Chest pain",
    "presentation": "Crushing chest pain for one hour with sweating",
    "absent_findings": "No fever, No cough",
    "physical_history": "-",
    "family_history": "None",
    "social_history": "",
}


def test_vignette_text_skips_empty_fields() -> None:
    text = vignette_text(ROW)
    assert text.splitlines() == [
        "60 year old Male.",
        "Chief complaint: Chest pain.",
        "Crushing chest pain for one hour with sweating.",
        "No fever, No cough.",
    ]


@pytest.mark.parametrize(
    ("predicted", "truth", "strict", "expected"),
    [
        ({"heart attack"}, {"heart attack"}, True, True),
        ({"brain tumors"}, {"brain tumor"}, True, True),
        ({"preeclampsia"}, {"pre eclampsia"}, True, True),
        ({"mnire disease"}, {"meniere disease"}, True, True),
        ({"urinary incontinence"}, {"overflow urinary incontinence"}, False, True),
        ({"urinary incontinence"}, {"overflow urinary incontinence"}, True, False),
        ({"cancer"}, {"bladder cancer"}, False, False),
        ({"lung cancer"}, {"bladder cancer"}, False, False),
        ({"acute bronchitis"}, {"chronic bronchitis"}, False, False),
    ],
)
def test_diagnosis_match(
    predicted: set[str], truth: set[str], strict: bool, expected: bool
) -> None:
    assert diagnosis_match(predicted, truth, strict) is expected


def test_split_is_by_diagnosis_and_stable() -> None:
    assert split_of("Heart Attack") == split_of("heart attack") == split_of(" Heart  attack ")
    halves = {split_of(f"condition {i}") for i in range(20)}
    assert halves == {"dev", "test"}


def _write(tmp: Path, rows: list[dict]) -> Path:
    path = tmp / "v.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.mark.parametrize(
    "rows",
    [[{"demographics": "x"}], [{"correct_diagnosis": "x"}], []],
)
def test_bad_vignettes(tmp_path: Path, rows: list[dict]) -> None:
    with pytest.raises(InputError):
        load_vignettes(_write(tmp_path, rows))


def test_score_engine_counts(tmp_path: Path, table: Table) -> None:
    vignettes = load_vignettes(_write(tmp_path, [ROW, {**ROW, "correct_diagnosis": "Migraine"}]))
    score = score_engine("offline", lambda c: run_offline(c, table, 10), vignettes, table)
    row = score.row()
    assert row["n"] == 2
    assert score.hits[1] == 1  # heart attack first; migraine not supported by the story
    assert row["quotes_exact"] == 1.0 and row["denied_as_supporting"] == 0
    assert score.emergencies == 1 and score.emergencies_flagged == 1
    assert score.others == 1 and score.others_flagged == 1  # chest pain flags, not migraine
    assert row["false_alarm"][0] == 1.0 and row["false_alarm"][2] == 1
    assert len(score.cpu) == 2 and all(t >= 0 for t in score.cpu)
    assert row["cpu_s_mean"] > 0 and row["cpu_s_median"] > 0


@pytest.mark.parametrize(
    ("diagnosis", "story", "others", "flagged"),
    [
        ("Migraine", "Throbbing one-sided headache with nausea, better in the dark.", 1, 0),
        ("Migraine", "Crushing chest pain for one hour with sweating.", 1, 1),
        ("Heart attack", "Crushing chest pain for one hour with sweating.", 0, 0),
        ("Common cold", "Runny nose and a scratchy throat since yesterday.", 1, 0),
    ],
)
def test_false_alarms_count_flags_on_other_diagnoses(
    tmp_path: Path, table: Table, diagnosis: str, story: str, others: int, flagged: int
) -> None:
    row = {"correct_diagnosis": diagnosis, "demographics": "50 year old man", "presentation": story}
    vignettes = load_vignettes(_write(tmp_path, [row]))
    score = score_engine("offline", lambda c: run_offline(c, table, 10), vignettes, table)
    assert (score.others, score.others_flagged) == (others, flagged)


def test_score_engine_counts_bad_quotes(tmp_path: Path, table: Table) -> None:
    vignettes = load_vignettes(_write(tmp_path, [ROW]))

    def liar(case):  # type: ignore[no-untyped-def]
        cites = [Cite(finding="fever", quote="No fever"), Cite(finding="pain", quote="agony")]
        cand = Candidate(rank=1, diagnosis="Heart attack", likelihood="high", supporting=cites)
        return Differential(differential=[cand], model="liar")

    score = score_engine("liar", liar, vignettes, table)
    assert score.quotes == 2 and score.quotes_exact == 1 and score.denied_support == 1
    assert score.after_bad == 0


def test_cli_refuses_to_show_test_misses(tmp_path: Path) -> None:
    path = _write(tmp_path, [ROW])
    result = CliRunner().invoke(cli, ["eval", "diagnosis", "--cases", str(path), "--show-misses"])
    assert result.exit_code != 0
