"""The DP target model: public norms, bounded sensitivity, exact budget, seeded draws."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest

from evident.synthetic import synthesize
from evident.synthetic.spec import TableSpec
from tests.synthetic.conftest import SPEC


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    from evident.synthetic import structure

    monkeypatch.setattr(structure, "ESTIMATION_ITERS", 300)
    monkeypatch.setattr(structure, "SELECTION_ITERS", 100)


def _codes(n: int, cards: list[int], seed: int) -> tuple[Any, Any]:
    """Random predictor codes and a target that follows the first two columns."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = np.stack([rng.integers(0, c, n) for c in cards], axis=1)
    logit = 1.5 * (x[:, 0] == 0) - 1.0 * (x[:, 1] == 1) - 0.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return x, y


@pytest.mark.parametrize(("n", "cards"), [(5, [2, 3]), (40, [3, 2, 4]), (100, [2, 2, 2, 2, 5])])
def test_one_hot_rows_have_the_public_norm(n: int, cards: list[int]) -> None:
    import numpy as np

    from evident.synthetic.conditional import one_hot

    x, _ = _codes(n, cards, 0)
    m = one_hot(x, cards)
    assert m.shape == (n, sum(cards) + 1)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert np.allclose(norms, math.sqrt(len(cards) + 1))


@pytest.mark.parametrize(
    ("cards", "c", "extra"),
    [([2, 3], 0.01, [0, 0]), ([2, 3], 0.1, [1, 2]), ([4, 2, 3], 0.05, [3, 1, 0])],
)
@pytest.mark.parametrize("label", [0, 1])
def test_one_more_row_moves_the_weights_less_than_the_sensitivity(
    cards: list[int], c: float, extra: list[int], label: int
) -> None:
    import numpy as np

    from evident.synthetic.conditional import _minimise, one_hot, sensitivity

    x, y = _codes(300, cards, 1)
    w = _minimise(one_hot(x, cards), y, 2, c)
    x2, y2 = np.vstack([x, [extra]]), np.append(y, label)
    w2 = _minimise(one_hot(x2, cards), y2, 2, c)
    moved = float(np.linalg.norm(w2 - w))
    assert 0 < moved <= sensitivity(len(cards), c)


@pytest.mark.parametrize(("cards", "classes"), [([2, 3], 2), ([5, 2, 4], 3)])
@pytest.mark.parametrize("row", [0, 1, 7])
def test_independence_scores_move_by_at_most_four(cards: list[int], classes: int, row: int) -> None:
    import numpy as np

    from evident.synthetic.conditional import SCORE_SENSITIVITY, independence_scores

    x, y = _codes(200, cards, row)
    y = y % classes
    base = independence_scores(x, y, cards, classes)
    extra = [(row + j) % c for j, c in enumerate(cards)]
    more = independence_scores(np.vstack([x, [extra]]), np.append(y, row % classes), cards, classes)
    assert np.all(np.abs(more - base) <= SCORE_SENSITIVITY)


@pytest.mark.parametrize(("rho", "c"), [(0.05, 0.01), (5.0, 0.01), (5.0, 0.05)])
def test_released_weights_carry_the_declared_noise(rho: float, c: float) -> None:
    import numpy as np

    from evident.synthetic.conditional import _minimise, fit_logistic, one_hot, sensitivity

    cards = [4, 3, 5, 2]
    x, y = _codes(400, cards, 2)
    exact = _minimise(one_hot(x, cards), y, 2, c)
    # the noise is drawn by smartnoise's secure sampler (no seed): pool 20 releases so
    # the measured spread is within a few percent of sigma (one release of ~30 weights
    # strayed below 0.6 sigma about once in a few hundred runs)
    releases = [fit_logistic(x, y, cards, 2, c, rho) for _ in range(20)]
    sigma = releases[0].sigma
    assert sigma == pytest.approx(sensitivity(4, c) / math.sqrt(2 * rho))
    spread = float(np.std([r.weights - exact for r in releases]))
    assert 0.8 * sigma < spread < 1.25 * sigma


@pytest.mark.parametrize("k", [3, 5])
def test_selection_finds_the_informative_columns(k: int) -> None:
    from evident.synthetic.conditional import select_columns

    x, y = _codes(4000, [2, 2] + [3] * k, 3)
    assert select_columns(x, y, [2, 2] + [3] * k, 2, 2, rho=5.0) == [0, 1]
    assert select_columns(x, y, [2, 2] + [3] * k, 2, 10, rho=5.0) == list(range(k + 2))


@pytest.mark.parametrize(("epsilon", "share"), [(0.3, 0.5), (10.0, 0.8)])
def test_ledger_total_is_the_budget_asked(table: Any, epsilon: float, share: float) -> None:
    from snsynth.utils import cdp_rho

    _, budget = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=epsilon,
        seed=1,
        target="readmitted",
        target_model="logistic",
        target_share=share,
    )
    report = budget.as_dict()
    steps = {e["step"]: e["rho"] for e in report["ledger"]}
    assert list(steps) == [
        "one_way",
        "selection",
        "tree_and_target_pairs",
        "target_model_selection",
        "target_model_weights",
    ]
    asked = cdp_rho(epsilon, budget.delta)
    assert sum(steps.values()) == pytest.approx(asked, rel=1e-9)
    assert steps["target_model_selection"] + steps["target_model_weights"] == pytest.approx(
        share * asked
    )
    assert report["target_model"] == "logistic"
    assert "zCDP" in report["composition"]
    assert set(report["target_model_columns"]) <= {"age_band", "sex", "stay_days", "glucose"}


def test_the_target_follows_the_predictors(table: Any) -> None:
    """Old patients come back more often in the made-up table; the drawn targets agree.
    The release's noise is not seeded (by design), so the budget is the largest allowed
    and the margin half the effect: at epsilon 20 the effect ranged 0.20-0.43 over runs."""
    out, budget = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=100.0,
        seed=4,
        target="readmitted",
        target_model="logistic",
        target_c=0.1,  # the default suits far larger tables
    )
    rate = out.groupby(out.age_band == "65+").readmitted.apply(lambda s: (s == "yes").mean())
    assert rate[True] > rate[False] + 0.15
    assert "age_band" in budget.target_model_columns


def test_seed_reproduces_draws_not_noise() -> None:
    """Drawing targets from released weights follows the seed; the release's noise does not."""
    import numpy as np

    from evident.synthetic.conditional import fit_logistic

    cards = [3, 2]
    x, y = _codes(300, cards, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first, second = (fit_logistic(x, y, cards, 2, 0.05, 1.0) for _ in range(2))
    assert not np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.sample(x, 7), first.sample(x, 7))


def test_exponential_draws_ignore_numpy_seed() -> None:
    import numpy as np

    from evident.synthetic.structure import secure_choice

    runs = []
    for _ in range(2):
        np.random.seed(0)
        runs.append([secure_choice([0.5, 0.5]) for _ in range(64)])
    assert runs[0] != runs[1]
    draws = [secure_choice([0.7, 0.2, 0.1]) for _ in range(3000)]
    assert abs(draws.count(0) / 3000 - 0.7) < 0.04


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_target_draws_do_not_share_the_bins_stream(seed: int) -> None:
    """Targets drawn with the seed that places numbers inside their bins would tie them."""
    import numpy as np

    from evident.synthetic.conditional import LogisticTarget

    flat = LogisticTarget(np.zeros((2, 4)), (3,), 0.01, 1.0, 1.0)  # p = 1/2 for every row
    codes = np.zeros((4000, 1), dtype=int)
    drawn = flat.sample(codes, seed)
    inside_bins = np.random.default_rng(seed).random(4000)  # what decode() draws first
    assert abs(float(np.corrcoef(drawn, inside_bins)[0, 1])) < 0.1
    assert 0.45 < drawn.mean() < 0.55
