"""A deterministic logistic regression for the project's small learned models, and the
stored form they share.

Features are standardised; classes are balanced; the weights (not the bias) carry an L2
penalty; Newton's method runs to convergence, so the same data always give the same
weights (``evident train`` reproduces its shipped files byte for byte).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = ["LogisticWeights", "fit_logistic", "read_weights", "rounded"]


class LogisticWeights(BaseModel):
    """A trained model as stored: its feature names, standardisation, weights and bias.
    A subclass names its features in ``FEATURE_NAMES`` and adds its operating point and
    provenance (declared after the base fields, so the files keep their key order)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    FEATURE_NAMES: ClassVar[tuple[str, ...]] = ()

    version: int
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    @model_validator(mode="after")
    def _shape(self) -> Self:
        names = type(self).FEATURE_NAMES
        if self.features != names:
            raise ValueError(f"features {list(self.features)} are not {list(names)}")
        n = len(names)
        if not len(self.mean) == len(self.scale) == len(self.weights) == n:
            raise ValueError(f"mean, scale and weights need {n} values each")
        if any(s <= 0 for s in self.scale):
            raise ValueError("scales must be positive")
        if not all(math.isfinite(v) for v in (*self.mean, *self.weights, self.bias)):
            raise ValueError("weights must be finite")
        return self

    def probability(self, x: Sequence[float]) -> float:
        """The model's probability for the feature values ``x``."""
        z = self.bias + sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


W = TypeVar("W", bound="LogisticWeights")


def read_weights(cls: type[W], path: Path, what: str) -> W:
    """Read and validate a model file of ``cls``.

    Raises:
        ConfigError: The file is missing, not JSON, or not a valid model (``what`` names
            the model in the message: "support model").
    """
    try:
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} '{path.name}': {type(exc).__name__}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "model"
        raise ConfigError(f"{what} '{path.name}' is invalid: {where}: {err['msg']}") from None
    except ValueError:
        raise ConfigError(f"{what} '{path.name}' is invalid: not JSON") from None


def rounded(mean: Any, scale: Any, w: Any, bias: float | None = None) -> dict[str, Any]:
    """A fit's standardisation, weights and bias as stored (six decimals); ``bias``
    replaces the fitted one (``w[0]``) where the operating point moved it."""

    def six(values: Any) -> tuple[float, ...]:
        return tuple(round(float(v), 6) for v in values)

    b = float(w[0]) if bias is None else bias
    return {"mean": six(mean), "scale": six(scale), "weights": six(w[1:]), "bias": round(b, 6)}


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
