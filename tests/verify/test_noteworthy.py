"""Noteworthy turns: the learned reading of which turns a note carries, as omissions.
Conversations written for these tests."""

from __future__ import annotations

import csv
import json
import logging
import math
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errors import ConfigError
from evident.sources import load_source
from evident.verify import noteworthy as nw
from evident.verify.index import SourceIndex
from evident.verify.noteworthy import FEATURES, KIND, NoteworthyWeights, load_weights, turns
from evident.verify.noteworthy_train import auroc, fit
from evident.verify.omissions import find_omissions, question_speakers

from .conftest import make_draft, make_transcript

VISIT = """\
[doctor] what brings you in today ?
[patient] my left knee has been hurting since the fall last month .
[doctor] any surgeries in the past ?
[patient] yes , i had my gallbladder removed five years ago .
[doctor] where do you work ?
[patient] i am a civil engineer and i work from home .
[doctor] the knee exam shows mild swelling .
"""


def _index(text: str = VISIT) -> SourceIndex:
    return SourceIndex([make_transcript(text)])


def _by_segment() -> dict[str, nw.Turn]:
    return {t.segment: t for t in turns(_index(), question_speakers())}


@pytest.mark.parametrize(
    ("segment", "question", "clinician", "answer"),
    [
        ("u3", None, None, None),  # a clinician's question is no turn of its own
        ("u4", "u3", 0.0, 1.0),  # the patient's answer carries the question
        ("u2", None, 0.0, 0.0),  # a wh-question asks for no fact: what follows stands alone
        ("u7", None, 1.0, 0.0),  # a clinician's finding is a turn
    ],
)
def test_turns(
    segment: str, question: str | None, clinician: float | None, answer: float | None
) -> None:
    got = _by_segment()
    if clinician is None:
        assert segment not in got
        return
    turn = got[segment]
    assert turn.question == question
    assert turn.features[FEATURES.index("clinician")] == clinician
    assert turn.features[FEATURES.index("answer")] == answer
    assert len(turn.features) == len(FEATURES)


def test_an_answer_holds_the_question_words() -> None:
    turn = _by_segment()["u4"]
    assert any(t.startswith("surg") for t in turn.terms)  # asked
    assert any(t.startswith("gallbl") for t in turn.terms)  # answered


def test_a_written_source_has_no_turns() -> None:
    note = load_source("She had her gallbladder removed.\nShe works from home.\n", kind="note")
    assert turns(SourceIndex([note]), question_speakers()) == []


def _model(**over: object) -> dict[str, object]:
    n = len(FEATURES)
    data: dict[str, object] = {
        "version": 1,
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "weights": [0.0] * n,
        "bias": 0.0,
        "cutoff": 0.5,
        "coverage": 0.5,
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"features": ["clinician"]}, "features"),
        ({"mean": [0.0]}, "values each"),
        ({"scale": [0.0] * len(FEATURES)}, "scales must be positive"),
        ({"cutoff": 1.0}, "cutoff"),
        ({"coverage": 0.0}, "coverage"),
    ],
)
def test_an_invalid_model_file_is_refused(tmp_path: Path, over: dict, message: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_model(**over)), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_weights(path)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not JSON"):
        load_weights(path)


# A model that finds every turn of the patient noteworthy and none of the clinician's.
PATIENT = NoteworthyWeights.model_validate(
    _model(weights=[-5.0 if f == "clinician" else 0.0 for f in FEATURES], bias=2.5)
)


@pytest.mark.parametrize(
    ("draft", "taken", "expect"),
    [
        (["Knee exam today."], set(), ["u2", "u3", "u6"]),  # an answer cites its question
        (["Left knee pain since a fall last month."], set(), ["u3", "u6"]),
        (["Gallbladder removed five years ago; a civil engineer, works from home."], set(), ["u2"]),
        (["Knee exam today."], {3}, ["u2", "u6"]),  # a turn an omission already cites
    ],
)
def test_noteworthy_omissions(draft: list[str], taken: set[int], expect: list[str]) -> None:
    got = nw.noteworthy_omissions(
        make_draft(*draft).statements, _index(), taken, question_speakers(), PATIENT
    )
    assert sorted(o.segment for o in got) == expect
    assert all(o.kind == KIND and 0.3 <= o.importance <= 0.4 for o in got)
    assert all(("(asked: " in o.text) is (o.segment == "u3") for o in got)


@pytest.mark.parametrize(
    ("draft", "listed"),
    [
        (["Left knee pain since a fall last month. Mild knee swelling."], True),
        (
            [
                "Left knee pain since a fall last month. Mild knee swelling.",
                "Gallbladder removed five years ago.",
                "Civil engineer working from home.",
            ],
            False,
        ),
    ],
)
def test_the_shipped_model_lists_an_uncovered_surgery(draft: list[str], listed: bool) -> None:
    got = find_omissions(make_draft(*draft).statements, _index())
    cited = {o.segment for o in got if o.kind == KIND}
    assert ("u3" in cited) is listed  # the answer about surgeries, at its question


def test_fact_kinds_only_lists_no_noteworthy_turn() -> None:
    got = find_omissions(make_draft("Knee exam.").statements, _index(), noteworthy=False)
    assert all(o.kind != KIND for o in got)


def test_a_missing_model_file_leaves_the_fact_kinds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(nw, "shipped_path", lambda: tmp_path / "absent.json")
    with caplog.at_level(logging.WARNING):
        got = find_omissions(make_draft("Knee exam.").statements, _index())
    assert all(o.kind != KIND for o in got)
    assert "omission model file is missing" in caplog.text


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_fit_is_deterministic_and_learns_the_direction(sign: float) -> None:
    rows = [
        ((0.0,) * (len(FEATURES) - 1) + (v,), sign * (v - 0.5) > 0)
        for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    ]
    a = fit(rows, cutoff=0.6, coverage=0.15)
    assert a == fit(rows, cutoff=0.6, coverage=0.15)
    assert a.weights[-1] * sign > 0
    assert auroc(rows, a) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("scores", "labels", "expect"),
    [
        ([0.1, 0.2, 0.8, 0.9], [False, False, True, True], 1.0),
        ([0.9, 0.8, 0.2, 0.1], [False, False, True, True], 0.0),
        ([0.5, 0.5, 0.5, 0.5], [False, True, False, True], 0.5),  # ties count half
    ],
)
def test_auroc(scores: list[float], labels: list[bool], expect: float) -> None:
    # the model's probability is its last feature's logistic
    n = len(FEATURES)
    model = NoteworthyWeights.model_validate(_model(weights=[0.0] * (n - 1) + [1.0], bias=0.0))
    rows = [
        ((0.0,) * (n - 1) + (math.log(p / (1 - p)),), y)
        for p, y in zip(scores, labels, strict=True)
    ]
    assert auroc(rows, model) == pytest.approx(expect)


def test_fit_needs_both_labels() -> None:
    with pytest.raises(ValueError, match="noteworthy turns and others"):
        fit([((0.0,) * len(FEATURES), True)] * 3, cutoff=0.6, coverage=0.15)


def test_train_cli_writes_a_model_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "tiny.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        note = (
            "HPI:\nLeft knee pain since a fall last month. She had her gallbladder removed "
            "five years ago.\n\nEXAM:\nMild swelling of the knee.\n"
        )
        for eid in ("E0", "E1"):  # both in the development half
            w.writerow(["tiny", eid, VISIT, note])
    out = tmp_path / "model.json"
    rc = main(["train", "omissions", "--data", str(data), "--out", str(out)])
    text = capsys.readouterr().out
    assert rc == 0, text
    assert "development-half turns" in text and "in-sample AUROC" in text
    model = load_weights(out)
    assert model.cutoff == 0.6 and model.coverage == 0.15
    assert model.meta["data"] == ["tiny.csv"]


REPEAT = """\
[doctor] any allergies ?
[patient] i'm allergic to penicillin .
[doctor] okay .
[patient] we found out about the penicillin when i was a little kid at my grandmother's house .
[doctor] and how are things at home ?
[patient] we moved into a new apartment near the lake in the spring .
"""


@pytest.mark.parametrize(
    ("noteworthy", "expect"),
    [
        # u4 names the allergen again: neither a medication nor a noteworthy second entry
        (True, {"u2": "allergy", "u6": KIND}),
        (False, {"u2": "allergy"}),
    ],
)
def test_a_turn_repeating_a_listed_fact_is_no_second_entry(
    monkeypatch: pytest.MonkeyPatch, noteworthy: bool, expect: dict[str, str]
) -> None:
    monkeypatch.setattr(nw, "load_weights", lambda path=None: PATIENT)
    got = find_omissions(
        make_draft("Knee exam today.").statements, _index(REPEAT), noteworthy=noteworthy
    )
    assert {o.segment: o.kind for o in got} == expect


# A model that finds every turn noteworthy.
EVERY = NoteworthyWeights.model_validate(_model(bias=2.5))


@pytest.mark.parametrize(
    ("visit", "draft", "expect"),
    [
        # the numbers a turn says count for its coverage
        ("[doctor] the heart rate was 68 and then 72 and 75 .\n", "HR 68, 72 and 75.", []),
        ("[doctor] the heart rate was 68 and then 72 and 75 .\n", "HR stable.", ["u1"]),
        # of two neighbours saying mostly the same words, one entry
        (
            "[patient] it was a total knee replacement .\n"
            "[doctor] a total knee replacement in the spring of 2018 .\n",
            "Knee pain.",
            ["one of u1, u2"],
        ),
        (
            "[patient] it was a total knee replacement .\n"
            "[doctor] we moved into a new apartment near the lake .\n",
            "Knee pain.",
            ["u1", "u2"],
        ),
    ],
)
def test_coverage_counts_numbers_and_neighbours_are_one_entry(
    visit: str, draft: str, expect: list[str]
) -> None:
    got = sorted(
        o.segment
        for o in nw.noteworthy_omissions(
            make_draft(draft).statements, _index(visit), set(), question_speakers(), EVERY
        )
    )
    if expect == ["one of u1, u2"]:
        assert len(got) == 1 and got[0] in {"u1", "u2"}
    else:
        assert got == expect


@pytest.mark.parametrize(
    ("visit", "expect"),
    [
        # written without a question mark: a turn that opens like a question after a
        # preamble asks, and the reply is its answer
        (
            "[doctor] okay have you noticed any bruising or bleeding from your gums\n"
            "[patient] no\n",
            {"u2": "u1"},
        ),
        # a dictation that ends on an offer of questions is still the clinician's finding
        (
            "[doctor] so looking at the x-ray you have a small fracture of the wrist bone "
            "which we will splint do you have questions\n[patient] no\n",
            {"u1": None},  # (a bare "no" after a statement carries no words)
        ),
        # a punctuated turn is read by its punctuation
        (
            "[doctor] okay . you have a small cut on the wrist .\n[patient] yes it hurts\n",
            {"u1": None, "u2": None},
        ),
    ],
)
def test_questions_without_a_question_mark(visit: str, expect: dict[str, str | None]) -> None:
    got = {t.segment: t.question for t in turns(_index(visit), question_speakers())}
    assert got == expect
