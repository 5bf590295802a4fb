"""A deterministic logistic regression for the project's small learned models.

Features are standardised; classes are balanced; the weights (not the bias) carry an L2
penalty; Newton's method runs to convergence, so the same data always give the same
weights (``evident train`` reproduces its shipped files byte for byte).
"""

from __future__ import annotations

from typing import Any

__all__ = ["fit_logistic"]


def fit_logistic(x: Any, y: Any, l2: float = 1.0) -> tuple[Any, Any, Any, Any]:
    """Fit on rows ``x`` (n x d) and 0/1 labels ``y``.

    Returns:
        The features' means and scales, the standardised design matrix with a leading
        column of ones, and the weights (bias first), all numpy arrays.

    Raises:
        ValueError: Only one label is present.
    """
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.min() == y.max():
        raise ValueError("training needs both labels")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    pos = y.sum()
    sw = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * (len(y) - pos)))
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (sw * (p - y)) + penalty * w
        hess = (z * (sw * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return mean, scale, z, w
