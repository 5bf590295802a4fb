"""The naive-Bayes target model: declared noise, exact budget, smoothing, seeded draws."""

from __future__ import annotations

import math
from typing import Any

import pytest

from evident.errors import ConfigError
from evident.synthetic import synthesize
from evident.synthetic.spec import TableSpec
from tests.synthetic.conftest import SPEC


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    from evident.synthetic import structure

    monkeypatch.setattr(structure, "ESTIMATION_ITERS", 300)
    monkeypatch.setattr(structure, "SELECTION_ITERS", 100)


def _codes(n: int, cards: list[int], seed: int) -> tuple[Any, Any]:
    """Random predictor codes and a target that follows the first column only."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = np.stack([rng.integers(0, c, n) for c in cards], axis=1)
    y = (rng.random(n) < np.where(x[:, 0] == 0, 0.6, 0.1)).astype(int)
    return x, y


@pytest.mark.parametrize(
    ("noisy", "sigma"),
    [
        ([[10.0, -3.0], [0.0, 5.0], [-1.0, 0.0]], 1.0),  # negative counts
        ([[0.0, 0.0], [0.0, 0.0]], 2.0),  # nothing left after the noise
        ([[100.0, 0.0], [0.0, 100.0]], 0.5),  # a class absent from a code
    ],
)
def test_smoothed_tables_are_valid_and_shrink_toward_the_pooled_column(
    noisy: list[list[float]], sigma: float
) -> None:
    import numpy as np

    from evident.synthetic.bayes import smooth_tables

    out = smooth_tables(noisy, sigma)
    assert out.shape == np.asarray(noisy).shape
    assert np.all(out > 0)
    clipped = np.maximum(np.asarray(noisy), 0)
    pseudo = out - clipped
    # Every class gets the same pseudo-counts, σ·cardinality in all, spread as the pool.
    assert np.allclose(pseudo[:, 0], pseudo[:, 1])
    assert pseudo[:, 0].sum() == pytest.approx(sigma * len(noisy), rel=1e-4)


@pytest.mark.parametrize(("k", "rho"), [(1, 0.01), (4, 0.01), (4, 2.0), (8, 0.5)])
def test_tables_carry_the_declared_noise(k: int, rho: float) -> None:
    """σ = √(k / 2ρ): the k tables' L2 sensitivity is √k. Both classes of a code get the
    same pseudo-counts, so their difference less the exact one is noise alone (σ√2)."""
    import numpy as np

    from evident.synthetic.bayes import fit_naive_bayes

    cards = [40] * k
    x, y = _codes(40_000, cards, k)  # ~100 or more per cell: no count is clipped
    released = fit_naive_bayes(x, y, cards, 2, rho)
    assert released.sigma == pytest.approx(math.sqrt(k / (2 * rho)))
    assert released.rho == rho
    diffs = []
    for j, table in enumerate(released.tables):
        exact = np.bincount(x[:, j] * 2 + y, minlength=80).reshape(40, 2).astype(float)
        diffs.append((table[:, 1] - exact[:, 1]) - (table[:, 0] - exact[:, 0]))
    spread = float(np.std(np.concatenate(diffs)))
    assert 0.7 * math.sqrt(2) * released.sigma < spread < 1.4 * math.sqrt(2) * released.sigma


@pytest.mark.parametrize(("rho", "lo"), [(50.0, 0.45), (5.0, 0.4)])
def test_posterior_follows_the_informative_column(rho: float, lo: float) -> None:
    import numpy as np
    from scipy.special import softmax

    from evident.synthetic.bayes import fit_naive_bayes

    cards = [2, 3]
    x, y = _codes(4000, cards, 3)
    released = fit_naive_bayes(x, y, cards, 2, rho)
    p = softmax(released.log_posterior(np.array([[0, 0], [1, 0]])), axis=1)[:, 1]
    assert p[0] > lo  # the truth is 0.6 and 0.1
    assert p[1] < 0.2


def test_seed_reproduces_draws_not_noise() -> None:
    import numpy as np

    from evident.synthetic.bayes import fit_naive_bayes

    cards = [3, 2]
    x, y = _codes(300, cards, 5)
    first, second = (fit_naive_bayes(x, y, cards, 2, 1.0) for _ in range(2))
    assert not np.array_equal(first.tables[0], second.tables[0])
    assert np.array_equal(first.sample(x, 7), first.sample(x, 7))
    assert not np.array_equal(first.sample(x, 7), first.sample(x, 8))


@pytest.mark.parametrize("rho", [0.0, -1.0])
def test_no_budget_is_refused(rho: float) -> None:
    from evident.synthetic.bayes import fit_naive_bayes

    x, y = _codes(50, [2], 0)
    with pytest.raises(ConfigError):
        fit_naive_bayes(x, y, [2], 2, rho)


def test_ledger_total_is_the_budget_asked(table: Any) -> None:
    """One synthesis (each takes seconds); test_conditional covers other budgets."""
    from snsynth.utils import cdp_rho

    from evident.synthetic.table import BAYES_COLUMNS

    out, budget = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=0.3,
        seed=1,
        target="readmitted",
        target_model="bayes",
        target_share=0.7,
    )
    report = budget.as_dict()
    steps = {e["step"]: e for e in report["ledger"]}
    assert list(steps) == [
        "one_way",
        "selection",
        "tree_and_target_pairs",
        "target_model_selection",
        "target_model_tables",
    ]
    asked = cdp_rho(0.3, budget.delta)
    assert sum(e["rho"] for e in steps.values()) == pytest.approx(asked, rel=1e-9)
    model = steps["target_model_selection"]["rho"] + steps["target_model_tables"]["rho"]
    assert model == pytest.approx(0.7 * asked)
    assert report["target_model"] == "bayes"
    assert report["target_model_c"] is None
    chosen = report["target_model_columns"]
    assert len(chosen) == min(BAYES_COLUMNS, 4) == steps["target_model_tables"]["measurements"]
    assert set(out["readmitted"]) <= {"no", "yes"}


def test_the_target_follows_the_predictors(table: Any) -> None:
    """Old patients come back more often in the made-up table (0.5 against 0.1); the
    drawn targets agree. The noise is not seeded (by design): the margin is half the effect."""
    out, _ = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=20.0,
        seed=4,
        target="readmitted",
        target_model="bayes",
    )
    rate = out.groupby(out.age_band == "65+").readmitted.apply(lambda s: (s == "yes").mean())
    assert rate[True] > rate[False] + 0.2


@pytest.mark.parametrize(("structure", "share"), [("tan", 0.5), ("pairs", 1.0), ("pairs", 0.0)])
def test_bad_settings_are_refused(table: Any, structure: str, share: float) -> None:
    with pytest.raises(ConfigError):
        synthesize(
            table,
            TableSpec.model_validate(SPEC),
            epsilon=1.0,
            target="readmitted",
            target_model="bayes",
            structure=structure,  # type: ignore[arg-type]
            target_share=share,
        )
