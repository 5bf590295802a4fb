"""The linkability attack finds copies and nothing in data that only keeps the patterns."""

from __future__ import annotations

from typing import Any

import pytest

from evident.evals.stats import wilson as _wilson
from evident.synthetic.attack import linkability

_NUM = ["n0", "n1", "n2", "n3"]


def _people(n: int, seed: int) -> Any:
    """Made-up rows: four measurements and two categories, loosely correlated."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    base = rng.normal(size=n)
    frame = pd.DataFrame({c: (base + rng.normal(size=n)).round(3) for c in _NUM})
    frame["band"] = np.where(base > 0, "high", "low")
    frame["site"] = rng.choice(["a", "b", "c"], size=n)
    return frame


def _synthetic(kind: str, real: Any) -> Any:
    import numpy as np

    rng = np.random.default_rng(9)
    if kind == "copy":
        return real.sample(frac=1.0, random_state=1).reset_index(drop=True)
    if kind == "near_copy":
        out = real.copy()
        for c in _NUM:
            out[c] = out[c] + rng.normal(scale=0.01, size=len(out))
        return out
    if kind == "columns_shuffled":  # each column's values kept, rows broken apart
        return real.apply(lambda col: col.sample(frac=1.0, random_state=rng.integers(1e6)).values)
    return _people(len(real), seed=5)  # fresh rows from the same made-up population


@pytest.mark.parametrize(
    ("kind", "risky"),
    [("copy", True), ("near_copy", True), ("columns_shuffled", False), ("fresh", False)],
)
def test_linkability_finds_copies_only(kind: str, risky: bool) -> None:
    real, control = _people(400, seed=1), _people(400, seed=2)
    result = linkability(real, _synthetic(kind, real), control, _NUM, n_attacks=150, seed=0)
    assert result["n_attacks"] == 150
    assert not set(result["columns"][0]) & set(result["columns"][1])
    assert result["risk_ci"][0] <= result["risk"] <= result["risk_ci"][1]
    if risky:
        assert result["risk"] > 0.8
    else:
        assert result["risk"] < 0.1


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [(0, 100, 0.0, 0.037), (50, 100, 0.404, 0.596), (100, 100, 0.963, 1.0), (0, 0, 0.0, 1.0)],
)
def test_wilson_bounds(hits: int, n: int, low: float, high: float) -> None:
    lo, hi = _wilson(hits, n)
    assert lo == pytest.approx(low, abs=1e-3)
    assert hi == pytest.approx(high, abs=1e-3)
