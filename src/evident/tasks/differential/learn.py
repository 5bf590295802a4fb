"""Learn the offline score's weights from vignettes (``evident train differential-ranker``).

The engine's score is linear in the features of :func:`candidate_features` (finding
overlap, risk factors, denied findings, priors, the bridge's similarity, ...). Which
weights are best is an empirical question, so the ranker fits them: a conditional logit
over each case's candidates (softmax of the scores; the correct diagnosis's candidates
are the positives), L2-regularised towards the hand-set weights, by gradient descent
in numpy. Cross-validation folds are split by diagnosis, like the benchmark's halves, so
the reported figure is for diagnoses the fit did not see. Only development vignettes
should be given: the held-out half stays unread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Group", "cross_validate", "fit", "hits_at"]


@dataclass(frozen=True)
class Group:
    """One case: its candidates' features (rows) and which candidates are correct.

    Attributes:
        x: Feature matrix, one row per candidate (numpy float array).
        gold: Boolean numpy array, true for a candidate naming the correct diagnosis.
        key: The correct diagnosis (cross-validation folds never split one).
    """

    x: Any
    gold: Any
    key: str


def _loss_grad(w: Any, groups: Sequence[Group], prior: Any, l2: float) -> tuple[float, Any]:
    import numpy as np

    loss, grad = 0.0, np.zeros_like(w)
    n = 0
    for g in groups:
        if not g.gold.any():
            continue
        n += 1
        s = g.x @ w
        s = s - s.max()
        p = np.exp(s)
        p_all = p / p.sum()
        p_gold = p * g.gold
        z_gold = p_gold.sum()
        loss -= np.log(max(z_gold, 1e-300)) - np.log(p.sum())
        grad -= g.x.T @ (p_gold / max(z_gold, 1e-300)) - g.x.T @ p_all
    n = max(n, 1)
    diff = w - prior
    return loss / n + l2 * float(diff @ diff), grad / n + 2 * l2 * diff


def fit(
    groups: Sequence[Group], start: Sequence[float], l2: float = 0.1, steps: int = 400
) -> list[float]:
    """Weights minimising the conditional-logit loss (Adam), regularised towards ``start``.

    Features are scaled to unit spread while fitting, so one ``l2`` suits them all.
    """
    import numpy as np

    rows = [g.x for g in groups if len(g.x)]
    spread = np.vstack(rows).std(axis=0) if rows else np.ones(len(start))
    spread = np.where(spread > 1e-9, spread, 1.0)
    scaled = [Group(g.x / spread, g.gold, g.key) for g in groups]
    prior = np.asarray(start, dtype=float) * spread
    w = prior.copy()
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, steps + 1):
        _, grad = _loss_grad(w, scaled, prior, l2)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return [round(float(x), 4) for x in w / spread]


def hits_at(groups: Sequence[Group], weights: Sequence[float], k: int = 10) -> int:
    """How many cases have a correct candidate among the ``k`` best scores."""
    import numpy as np

    w = np.asarray(weights, dtype=float)
    hits = 0
    for g in groups:
        if not g.gold.any():
            continue
        order = np.argsort(-(g.x @ w), kind="stable")[:k]
        hits += bool(g.gold[order].any())
    return hits


def _fold(key: str, folds: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def cross_validate(
    groups: Sequence[Group], start: Sequence[float], folds: int = 5, **kw: Any
) -> tuple[int, int]:
    """Top-10 hits on each fold with weights fitted on the others: (hits, cases)."""
    hits = 0
    for f in range(folds):
        train = [g for g in groups if _fold(g.key, folds) != f]
        test = [g for g in groups if _fold(g.key, folds) == f]
        hits += hits_at(test, fit(train, start, **kw))
    return hits, len(groups)
