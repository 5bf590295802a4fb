"""A differentially private model of the target given the predictors (``--target-model``).

MST keeps pairwise marginals, so a classifier trained on its rows sees the target's pairs
but not the joint predictor→target structure it would learn from real rows. Here the
predictors are synthesised by MST (part of the budget) and each synthetic row's target is
drawn from a multinomial logistic regression of the target on the predictors' public
one-hot codes, trained on the real rows and released by **Gaussian output perturbation**:

- Features: every predictor column one-hot over its public codes, and a constant 1 for the
  intercept. Each row has exactly one 1 per column, so ‖x‖₂ = √(columns + 1) for every row:
  a norm the spec makes public, not read from the data.
- Objective: C · Σᵢ softmax-loss(W xᵢ, yᵢ) + ½‖W‖²_F, every weight (the intercept too)
  regularised, so the objective is 1-strongly convex. One row's loss gradient is
  (p − e_y) xᵀ, of Frobenius norm ≤ √2 ‖x‖₂; adding or removing a row (the neighbouring
  relation MST's counts use) moves the minimiser by at most Δ = C √2 ‖x‖₂
  (Chaudhuri, Monteleoni & Sarwate 2011, Lemma 7). The solver stops only when the
  gradient's norm is below ``GRAD_TOL`` (public), which moves the released point by at
  most ``GRAD_TOL`` from the exact minimiser: Δ grows by 2·``GRAD_TOL``.
- Release: W + N(0, σ² I) with σ = Δ / √(2ρ), which is ρ-zCDP (Bun & Steinke 2016) and
  composes with MST's zCDP measurements by adding ρ; the total is the ρ of the (ε, δ) asked
  for. The noise comes from OpenDP's sampler (:func:`snsynth.utils.gaussian_noise`), never
  from ``--seed``.

With many predictors the noise swamps the weights (its share of a row's logit grows with
the number of columns), so the model uses the ``columns`` predictors most associated with
the target, chosen privately first: one exponential-mechanism draw per column (ε²/8 zCDP
each, as MST's tree), scored by the L1 distance of the (column, target) counts from
independence, less the distance expected by chance alone, √(2/π)·√(n·cells) (a constant
of public sizes, so it changes no sensitivity). Adding a row moves a count by 1 and the
independence term n_a·n_y/n by less than 3 in L1, so a score's sensitivity is at most 4.

Drawing the targets from the released weights is post-processing: seeded, reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from evident.errors import ConfigError

__all__ = [
    "GRAD_TOL",
    "LogisticTarget",
    "fit_logistic",
    "independence_scores",
    "one_hot",
    "select_columns",
    "sensitivity",
]

GRAD_TOL = 1e-5
MAX_ROUNDS = 20
SCORE_SENSITIVITY = 4.0


def independence_scores(codes: Any, target: Any, cardinalities: list[int], classes: int) -> Any:
    """Each column's L1 distance from independence with the target, less chance's."""
    import numpy as np

    codes = np.asarray(codes, dtype=np.int64)
    y = np.asarray(target, dtype=np.int64)
    n = len(y)
    out = []
    for j, card in enumerate(cardinalities):
        table = np.bincount(codes[:, j] * classes + y, minlength=card * classes)
        table = table.reshape(card, classes).astype(float)
        expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / max(n, 1)
        chance = math.sqrt(2.0 / math.pi) * math.sqrt(n * card * classes)
        out.append(float(np.abs(table - expected).sum()) - chance)
    return np.asarray(out)


def select_columns(
    codes: Any, target: Any, cardinalities: list[int], classes: int, m: int, rho: float
) -> list[int]:
    """The ``m`` columns most associated with the target, chosen with ρ-zCDP.

    ``m`` draws of the exponential mechanism without replacement, ε = √(8ρ/m) each
    (ε²/8-zCDP per draw), on :func:`independence_scores` (sensitivity ≤ 4).
    """
    import numpy as np
    from scipy.special import logsumexp

    from evident.synthetic.structure import secure_choice

    k = len(cardinalities)
    if m >= k:
        return list(range(k))
    scores = independence_scores(codes, target, cardinalities, classes)
    eps = math.sqrt(8.0 * rho / m)
    left, chosen = list(range(k)), []
    for _ in range(m):
        q = 0.5 * eps / SCORE_SENSITIVITY * scores[left]
        chosen.append(left.pop(secure_choice(np.exp(q - logsumexp(q)))))
    return sorted(chosen)


def one_hot(codes: Any, cardinalities: list[int]) -> Any:
    """Rows of codes (n × k ints) as a sparse one-hot matrix with a constant last column."""
    import numpy as np
    from scipy import sparse

    codes = np.asarray(codes, dtype=np.int64)
    n, k = codes.shape
    offsets = np.concatenate([[0], np.cumsum(cardinalities)])
    width = int(offsets[-1]) + 1
    cols = np.hstack([codes + offsets[:-1], np.full((n, 1), width - 1)])
    rows = np.repeat(np.arange(n), k + 1)
    data = np.ones(n * (k + 1))
    return sparse.csr_matrix((data, (rows, cols.ravel())), shape=(n, width))


def sensitivity(columns: int, c: float) -> float:
    """L2 sensitivity of the released weights (add or remove one row), from public sizes."""
    return c * math.sqrt(2.0) * math.sqrt(columns + 1) + 2.0 * GRAD_TOL


def _objective(w: Any, x: Any, y: Any, classes: int, c: float) -> tuple[float, Any]:
    import numpy as np
    from scipy.special import logsumexp

    weights = w.reshape(classes, x.shape[1])
    z = np.asarray(x @ weights.T)
    lse = logsumexp(z, axis=1)
    loss = float(np.sum(lse - z[np.arange(len(y)), y]))
    p = np.exp(z - lse[:, None])
    p[np.arange(len(y)), y] -= 1.0
    grad = c * np.asarray((x.T @ p).T) + weights
    return c * loss + 0.5 * float(np.sum(weights**2)), grad.ravel()


def _minimise(x: Any, y: Any, classes: int, c: float) -> Any:
    """The regularised minimiser, to a gradient norm below ``GRAD_TOL``."""
    import numpy as np
    from scipy.optimize import minimize

    w = np.zeros(classes * x.shape[1])
    for _ in range(MAX_ROUNDS):
        res = minimize(
            _objective,
            w,
            args=(x, y, classes, c),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": 2000, "gtol": GRAD_TOL / 10, "ftol": 0.0},
        )
        w = res.x
        if float(np.linalg.norm(_objective(w, x, y, classes, c)[1])) <= GRAD_TOL:
            return w.reshape(classes, x.shape[1])
    # Whether the solver converges depends on the data: say so without saying how far.
    raise ConfigError("the target model did not converge: use a smaller --target-c")


@dataclass(frozen=True)
class LogisticTarget:
    """Released (noisy) weights of the target model, and what they cost."""

    weights: Any
    cardinalities: tuple[int, ...]
    c: float
    rho: float
    sigma: float

    def sample(self, codes: Any, seed: int) -> Any:
        """A target code for each row of predictor codes, drawn from the model (seeded)."""
        import numpy as np
        from scipy.special import softmax

        z = np.asarray(one_hot(codes, list(self.cardinalities)) @ self.weights.T)
        p = softmax(z, axis=1)
        # Its own stream: the draws inside bins (decode) use ``seed`` itself, and sharing
        # it would tie each row's target to where its numbers fall inside their bins.
        u = np.random.default_rng([seed, 0x7A26E7]).random((len(p), 1))
        return np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), p.shape[1] - 1)


def fit_logistic(
    codes: Any, target: Any, cardinalities: list[int], classes: int, c: float, rho: float
) -> LogisticTarget:
    """Train the target model on real rows and release its weights with ρ-zCDP.

    Args:
        codes: The predictors' codes (n × k ints, each within its public cardinality).
        target: The target's codes (n ints in 0..classes-1).
        cardinalities: Each predictor's public number of codes.
        classes: The target's public number of categories.
        c: Inverse regularisation strength (public; larger fits closer, costs more noise).
        rho: The zCDP budget of the release.
    """
    import numpy as np
    from snsynth.utils import gaussian_noise

    if not (c > 0 and rho > 0):
        raise ConfigError("the target model needs C > 0 and a positive budget")
    x = one_hot(codes, cardinalities)
    w = _minimise(x, np.asarray(target, dtype=np.int64), classes, c)
    sigma = sensitivity(len(cardinalities), c) / math.sqrt(2.0 * rho)
    noise = np.asarray(gaussian_noise(sigma, w.size), dtype=float).reshape(w.shape)
    return LogisticTarget(w + noise, tuple(cardinalities), c, rho, sigma)
