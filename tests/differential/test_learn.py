"""The learned score: the fit, its cross-validation, the ranker file and the candidate cut."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evident.cli.main import cli
from evident.errors import ConfigError
from evident.tasks.differential import dense, ranker, read_case, run_offline
from evident.tasks.differential.engine import (
    FEATURES,
    EngineConfig,
    candidate_features,
    rank,
    weights,
    with_weights,
)
from evident.tasks.differential.learn import Group, cross_validate, fit, hits_at
from evident.tasks.differential.table import Table

from .conftest import condition


def _groups(signal: int, n: int = 40, seed: int = 0) -> list[Group]:
    """Cases of 12 candidates in which only feature ``signal`` marks the correct one."""
    rng = np.random.default_rng(seed)
    out = []
    for case in range(n):
        x = rng.normal(size=(12, 3))
        gold = np.zeros(12, dtype=bool)
        best = int(np.argmax(x[:, signal]))
        gold[best] = True
        out.append(Group(x, gold, f"diagnosis {case % 10}"))
    return out


@pytest.mark.parametrize("signal", [0, 1, 2])
def test_fit_finds_the_feature_that_marks_the_answer(signal: int) -> None:
    groups = _groups(signal)
    w = fit(groups, [0.0, 0.0, 0.0], l2=0.001)
    assert int(np.argmax(w)) == signal
    assert hits_at(groups, w, k=1) >= 36  # of 40
    assert hits_at(groups, [0.0] * 3, k=1) < 10


@pytest.mark.parametrize("start", [[1.0, -2.0, 0.5], [0.0, 0.0, 3.0]])
def test_strong_regularisation_keeps_the_start(start: list[float]) -> None:
    w = fit(_groups(0), start, l2=1e6)
    assert w == pytest.approx(start, abs=0.01)


@pytest.mark.parametrize(("folds", "signal"), [(2, 0), (5, 1)])
def test_cross_validation_scores_every_case_once(folds: int, signal: int) -> None:
    groups = _groups(signal, n=30)
    hits, n = cross_validate(groups, [0.0, 0.0, 0.0], folds, l2=0.001)
    assert n == 30 and hits >= 25


def test_a_case_without_its_answer_among_the_candidates_is_a_miss() -> None:
    groups = [Group(np.ones((3, 2)), np.zeros(3, dtype=bool), "absent")]
    assert hits_at(groups, [1.0, 1.0]) == 0
    assert fit(groups, [0.5, 0.5]) == [0.5, 0.5]  # nothing to learn from


@pytest.mark.parametrize(
    "cfg",
    [
        EngineConfig(),
        EngineConfig(risk_weight=2.0, denied_penalty=0.1, dense_weight=9.0),
        EngineConfig(coverage_weight=3.0, chief_miss_penalty=0.0, support_weight=0.5),
    ],
)
def test_weights_round_trip(cfg: EngineConfig) -> None:
    assert len(weights(cfg)) == len(FEATURES)
    assert with_weights(EngineConfig(), weights(cfg)) == cfg


def _ranker(**change: object) -> dict:
    base = {
        "version": 1,
        "features": list(FEATURES),
        "trained_on": "invented",
        "folds": 5,
        "l2": 0.1,
        "models": {
            "lexical": {"weights": [1.0] * len(FEATURES), "cv_top10": 0.4, "cases": 10},
            "embeddings": {
                "weights": [2.0] * len(FEATURES),
                "dense_candidates": 7,
                "cv_top10": 0.5,
                "cases": 10,
                "must_not_miss_top": 3,
            },
        },
    }
    return {**base, **change}


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (json.dumps(_ranker()), None),
        ("{not json", "invalid"),
        (json.dumps(_ranker(features=["support"])), "other features"),
        (json.dumps(_ranker(extra=1)), "invalid"),
        (
            json.dumps(
                _ranker(models={"lexical": {"weights": [1.0], "cv_top10": 0.1, "cases": 1}})
            ),
            "needs",
        ),
        (
            json.dumps(
                _ranker(
                    models={
                        "embeddings": {
                            "weights": [1.0] * len(FEATURES),
                            "cv_top10": 0.1,
                            "cases": 1,
                            "must_not_miss_top": -1,
                        }
                    }
                )
            ),
            "invalid",
        ),
    ],
)
def test_read_ranker(raw: str, error: str | None) -> None:
    if error is None:
        assert ranker.read_ranker(raw).models["embeddings"].dense_candidates == 7
    else:
        with pytest.raises(ConfigError, match=error):
            ranker.read_ranker(raw)


@pytest.mark.parametrize(
    ("shipped", "bridge", "support", "candidates", "top"),
    [
        (None, True, 1.0, 0, 0),
        (None, False, 1.0, 0, 0),
        (_ranker(), False, 1.0, 0, 0),  # the lexical engine has no must-not-miss arm
        (_ranker(), True, 2.0, 7, 3),
    ],
)
def test_learned_config(
    shipped: dict | None,
    bridge: bool,
    support: float,
    candidates: int,
    top: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed = ranker.read_ranker(json.dumps(shipped)) if shipped else None
    monkeypatch.setattr(ranker, "_shipped", lambda: parsed)
    cfg = ranker.learned_config(bridge)
    assert cfg.support_weight == support and cfg.dense_candidates == candidates
    assert cfg.mnm_top == top


def test_the_shipped_ranker_is_valid() -> None:
    shipped = ranker._shipped()
    assert shipped is not None and set(shipped.models) == {"lexical", "embeddings"}


@pytest.fixture()
def wide() -> Table:
    return Table.of(
        [
            condition("Gastritis", {"abdominal pain": 0.6, "nausea": 0.4}),
            condition("Peptic ulcer", {"epigastric burning": 0.7, "melena": 0.5}),
            condition("Asthma", {"wheezing": 0.6, "dyspnea": 0.5}),
        ]
    )


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        (0, {"Gastritis"}),
        (1, {"Gastritis", "Peptic ulcer"}),
        (2, {"Gastritis", "Peptic ulcer"}),  # the two most similar
        (3, {"Gastritis", "Peptic ulcer", "Asthma"}),
        (50, {"Gastritis", "Peptic ulcer", "Asthma"}),
    ],
)
def test_the_bridge_cuts_candidates_sharing_no_finding(
    wide: Table, cut: int, expected: set[str]
) -> None:
    case = read_case("Nausea after meals, burning in the upper tummy.")
    sims = np.array([0.5, 0.9, 0.1], dtype=np.float32)
    cfg = replace(EngineConfig(), dense_candidates=cut)
    feats, cands = candidate_features(case, wide, cfg, sims)
    assert {wide.conditions[c.index].name for c in cands} == expected
    assert all(len(f) == len(FEATURES) for f in feats)
    for c in rank(case, wide, cfg, sims):
        shares = wide.conditions[c.index].name == "Gastritis"
        assert bool(c.supporting) is shares  # no quote without a shared finding


def test_dense_candidates_keep_quotes_exact(wide: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    class Fixed:
        matrix = np.array([[0.5], [0.9], [0.1]], dtype=np.float32)

        def case_vector(self, text: str) -> np.ndarray:
            return np.array([1.0], dtype=np.float32)

    monkeypatch.setattr(dense, "profiles_for", lambda table: Fixed())
    case = read_case("Nausea after meals, burning in the upper tummy. No wheezing.")
    cfg = replace(EngineConfig(), dense_candidates=2, dense_weight=10.0)
    diff = run_offline(case, wide, 3, cfg, embeddings=True)
    assert diff.differential[0].diagnosis == "Peptic ulcer"
    assert not diff.differential[0].supporting
    cites = [c for cand in diff.differential for c in [*cand.supporting, *cand.opposing]]
    assert cites and all(c.quote in case.text for c in cites)


def test_train_command_writes_a_valid_ranker(
    tmp_path: Path, table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evident.tasks.differential as pkg

    monkeypatch.setattr(pkg, "load_table", lambda kb=None: table)
    monkeypatch.setattr(dense, "bridge_available", lambda: False)
    monkeypatch.setattr(dense, "_noticed", [True])
    rows = [
        ("Pneumonia", "Fever and a productive cough for three days."),
        ("Migraine", "Throbbing headache with nausea and vomiting."),
        ("Common cold", "Sore throat, blocked nose and a mild cough."),
        ("Heart attack", "Crushing chest pain and sweating. Smokes."),
    ]
    cases = tmp_path / "v.jsonl"
    cases.write_text(
        "\n".join(json.dumps({"correct_diagnosis": d, "presentation": p}) for d, p in rows)
    )
    out = tmp_path / "ranker.json"
    args = ["train", "differential-ranker", "--cases", str(cases), "--split", "all"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "lexical: cross-validated top-10" in result.output
    parsed = ranker.read_ranker(out.read_text())
    assert set(parsed.models) == {"lexical"} and parsed.models["lexical"].cases == 4
