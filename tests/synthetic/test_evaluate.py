"""Evaluation measures respond to what they measure: copies, noise, and signal."""

from __future__ import annotations

from typing import Any

import pytest

from evident.synthetic.evaluate import dcr, split_holdout, utility
from tests.synthetic.conftest import admissions

_NUM = ["stay_days", "glucose"]


def _prep(frame: Any) -> Any:
    import pandas as pd

    out = frame.drop(columns=["patient_id"]).copy()
    for c in _NUM:
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def test_split_keeps_groups_whole() -> None:
    frame = admissions(300)
    frame["patient_id"] = [f"P{i // 3}" for i in range(300)]  # three rows per patient
    train, hold = split_holdout(frame, "patient_id", 0.3, seed=1)
    assert len(train) + len(hold) == 300
    assert not set(train.patient_id) & set(hold.patient_id)
    assert 0.15 < len(hold) / 300 < 0.45


def test_copies_are_caught_by_dcr() -> None:
    real, hold = _prep(admissions(500, seed=1)), _prep(admissions(500, seed=2))
    copied = dcr(real, real.copy(), hold, _NUM, sample=200, seed=0)
    fresh = dcr(real, _prep(admissions(500, seed=3)), hold, _NUM, sample=200, seed=0)
    assert copied["synthetic_exact_copies"] == 1.0
    assert copied["ratio"] < 0.1
    assert fresh["ratio"] == pytest.approx(1.0, abs=0.35)


def test_utility_sees_signal_and_its_absence() -> None:
    real, hold = _prep(admissions(800, seed=1)), _prep(admissions(400, seed=2))
    shuffled = real.copy()
    shuffled["readmitted"] = shuffled["readmitted"].sample(frac=1, random_state=0).to_numpy()
    good = utility(real, real, hold, "readmitted", "yes", _NUM, seed=0)
    bad = utility(real, shuffled, hold, "readmitted", "yes", _NUM, seed=0)
    assert good["trtr_auroc"] > 0.65
    assert bad["tstr_auroc"] < good["tstr_auroc"] - 0.1
