"""Re-scoring recorded outputs on synthetic MIRAGE-format fixtures."""

from __future__ import annotations

import json

import pytest

from evident.cli.main import main
from evident.errors import InputError
from evident.evals.loaders import load_mirage
from evident.evals.rescore import align_predictions, load_predictions, rescore


def _medqa(fixtures):
    items = load_mirage(fixtures / "mirage_small.json", "medqa")
    return rescore("medqa", items, load_predictions(fixtures / "medqa_preds.json"))


def test_rescore_both_conventions(fixtures):
    result = _medqa(fixtures)
    assert result.n == 8
    # published convention: q1, q2 (empty -> A), q3, q7, q8 (missing -> A)
    assert result.correct == 5
    # robust: q1, q3, q5 (option text), q6 (prose), q7
    assert result.strict_correct == 5
    assert result.unparsed == ("q2", "q4", "q8")
    assert result.missing == ("q8",)
    assert result.extra == 1
    assert result.defaulted == 5  # q2, q4, q5, q6, q8
    assert result.accuracy == pytest.approx(5 / 8)


def test_rescore_json_contract(fixtures, capsys):
    code = main(
        [
            "eval",
            "rescore",
            "--benchmark",
            "medqa",
            "--data",
            str(fixtures / "mirage_small.json"),
            "--predictions",
            str(fixtures / "medqa_preds.json"),
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"benchmark", "n", "correct", "accuracy", "strict_accuracy", "unparsed"}
    assert data["accuracy"] == pytest.approx(0.625)
    assert data["strict_accuracy"] == pytest.approx(0.625)
    assert data["unparsed"] == ["q2", "q4", "q8"]


def test_rescore_text_lists_every_unparsed(fixtures, capsys):
    args = ["eval", "rescore", "--benchmark", "pubmedqa"]
    args += ["--data", str(fixtures / "mirage_small.json")]
    args += ["--predictions", str(fixtures / "pubmedqa_preds.json")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "strict_accuracy" in out
    assert "66.67%" in out  # p1 and p2 (option text "no") right, p3 wrong


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("{not json", "invalid JSON at line 1"),
        ("[1, 2]", "expected a JSON object"),
        ("{}", "no predictions (an empty JSON object)"),
        ('{"other": "x"}', "no prediction id matches"),
    ],
)
def test_rescore_bad_predictions_is_one_line_error(fixtures, tmp_path, capsys, content, message):
    path = tmp_path / "p.json"
    path.write_text(content)
    args = ["eval", "rescore", "--benchmark", "medqa"]
    args += ["--data", str(fixtures / "mirage_small.json"), "--predictions", str(path)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("keys", "expected", "extra"),
    [
        (["q1", "test_q2", "dev_q3"], {"q1", "q2", "q3"}, 0),
        (["train_q1", "val_q2"], {"q1", "q2"}, 0),
        (["other_q1"], set(), 1),
        (["test_nope"], set(), 1),
    ],
)
def test_align_predictions(keys, expected, extra):
    aligned, n_extra = align_predictions(dict.fromkeys(keys, "x"), ["q1", "q2", "q3"])
    assert set(aligned) == expected
    assert n_extra == extra


def test_exact_id_wins_over_prefixed_one():
    aligned, extra = align_predictions({"q1": "exact", "test_q1": "prefixed"}, ["q1"])
    assert aligned == {"q1": "exact"}
    assert extra == 1


def test_rescore_rejects_empty_benchmark():
    with pytest.raises(InputError):
        rescore("x", [], {"a": "b"})
