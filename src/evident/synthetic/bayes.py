"""A differentially private naive-Bayes model of the target (``--target-model bayes``).

MST synthesises the predictors from part of the budget; each synthetic row's target is
then drawn from a naive-Bayes posterior over a few predictors chosen privately, built from
noisy (predictor, target) contingency tables of the real rows:

- Columns: ``columns`` predictors most associated with the target, chosen by the
  exponential mechanism (:func:`evident.synthetic.conditional.select_columns`).
- Tables: each chosen predictor's (code, target) counts plus Gaussian noise. Adding or
  removing a row changes one cell of each table by 1, so the k tables together have L2
  sensitivity √k, and noise of σ = √(k / (2ρ)) per cell is ρ-zCDP (Bun & Steinke 2016).
  The noise comes from OpenDP's sampler (:func:`snsynth.utils.gaussian_noise`), never
  from ``--seed``.
- Post-processing (no budget): negative counts become 0; each class row is smoothed toward
  the predictor's pooled distribution with σ·cardinality pseudo-counts (cells smaller
  than the noise carry no evidence, and a rare category should neither decide a row's
  target nor take the log of 0); the class prior is the mean of the tables' class totals.

Why naive Bayes over few columns rather than the target as one more MST column (the
``pairs`` structure): a graphical model fitted to the target's pairs *and* MST's tree
among the predictors gives a posterior P(target | predictors) whose weights compensate
for the tree's approximation of the predictors (a classifier trained on its rows scored
0.626 with no noise on the development split), while naive Bayes' weights do not depend
on that tree; and with few columns, few noisy tables enter each row's posterior
(development figures in docs/benchmarks.md).

Drawing the targets from the released tables is post-processing: seeded, reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from evident.errors import ConfigError

__all__ = ["BayesTarget", "fit_naive_bayes", "smooth_tables"]


def smooth_tables(noisy: Any, sigma: float) -> Any:
    """Noisy (code × class) counts as a valid model: clipped, smoothed toward the pooled column.

    Each class's row gets σ·cardinality pseudo-counts spread as the column's pooled
    (all classes) distribution, so cells below the noise level fall back to no evidence.
    """
    import numpy as np

    counts = np.maximum(np.asarray(noisy, dtype=float), 0.0)
    card = counts.shape[0]
    pooled = counts.sum(axis=1)
    pooled = pooled / pooled.sum() if pooled.sum() > 0 else np.full(card, 1.0 / card)
    # A floor keeps every cell positive (log 0) whatever the noise did.
    return counts + sigma * card * pooled[:, None] + 1e-6


@dataclass(frozen=True)
class BayesTarget:
    """Released (noisy, smoothed) tables of the target model, and what they cost."""

    tables: tuple[Any, ...]
    prior: Any
    rho: float
    sigma: float

    def log_posterior(self, codes: Any) -> Any:
        """log P(class | row) up to a constant, for rows of the chosen columns' codes."""
        import numpy as np

        codes = np.asarray(codes, dtype=np.int64)
        logp = np.tile(np.log(self.prior / self.prior.sum()), (len(codes), 1))
        for j, table in enumerate(self.tables):
            cond = table / table.sum(axis=0, keepdims=True)  # P(code | class), per class
            logp += np.log(cond[np.clip(codes[:, j], 0, len(cond) - 1)])
        return logp

    def sample(self, codes: Any, seed: int) -> Any:
        """A target code for each row of the chosen columns' codes, drawn from the posterior."""
        import numpy as np
        from scipy.special import softmax

        p = softmax(self.log_posterior(codes), axis=1)
        # Its own stream: the draws inside bins (decode) use ``seed`` itself.
        u = np.random.default_rng([seed, 0xBA7E5]).random((len(p), 1))
        return np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), p.shape[1] - 1)


def fit_naive_bayes(
    codes: Any, target: Any, cardinalities: list[int], classes: int, rho: float
) -> BayesTarget:
    """Measure each column's (code, target) table with noise, ρ-zCDP for all of them.

    Args:
        codes: The chosen predictors' codes (n × k ints, each within its public cardinality).
        target: The target's codes (n ints in 0..classes-1).
        cardinalities: Each chosen predictor's public number of codes.
        classes: The target's public number of categories.
        rho: The zCDP budget of the k tables together.
    """
    import numpy as np
    from snsynth.utils import gaussian_noise

    if not rho > 0 or not cardinalities:
        raise ConfigError("the target model needs a positive budget and at least one column")
    codes = np.asarray(codes, dtype=np.int64)
    y = np.asarray(target, dtype=np.int64)
    sigma = math.sqrt(len(cardinalities) / (2.0 * rho))
    tables, totals = [], []
    for j, card in enumerate(cardinalities):
        exact = np.bincount(codes[:, j] * classes + y, minlength=card * classes).astype(float)
        noisy = (exact + np.asarray(gaussian_noise(sigma, exact.size))).reshape(card, classes)
        totals.append(np.maximum(noisy, 0.0).sum(axis=0))
        tables.append(smooth_tables(noisy, sigma))
    prior = np.maximum(np.mean(totals, axis=0), 1.0)
    return BayesTarget(tuple(tables), prior, rho, sigma)
