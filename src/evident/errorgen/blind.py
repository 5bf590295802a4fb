"""A dialogue-blind baseline: naive Bayes over the statement's words, never the source.

Trained on the development half (clean sentences against perturbed ones), it shows how
much of each error type a detector could find from the generator's artifacts alone (a
rewrite that reads oddly, a word the rewrite likes). A type it finds well above its
clean false-flag rate is one the generator gives away.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["BlindBaseline", "features"]

_TOKEN = re.compile(r"[a-z]+|\d+|n't|[^\sa-z\d]")


def features(text: str) -> list[str]:
    """Lower-case word unigrams and bigrams, numbers as one shape token."""
    toks = ["#" if t.isdigit() else t for t in _TOKEN.findall(text.lower())]
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


class BlindBaseline:
    """Multinomial naive Bayes with equal class priors and add-one smoothing."""

    def __init__(self) -> None:
        self._weights: dict[str, float] = {}
        self._default = 0.0
        self.threshold = 0.0

    def fit(self, clean: Iterable[str], perturbed: Iterable[str]) -> BlindBaseline:
        """Learn word log-odds from clean (class 0) and perturbed (class 1) statements."""
        counts: list[Counter[str]] = [Counter(), Counter()]
        for cls, texts in enumerate((clean, perturbed)):
            for t in texts:
                counts[cls].update(features(t))
        vocab = sorted(set(counts[0]) | set(counts[1]))
        if not vocab:
            return self
        c0 = np.array([counts[0][w] for w in vocab], dtype=float) + 1.0
        c1 = np.array([counts[1][w] for w in vocab], dtype=float) + 1.0
        log0, log1 = np.log(c0 / c0.sum()), np.log(c1 / c1.sum())
        self._weights = dict(zip(vocab, (log1 - log0).tolist(), strict=True))
        return self

    def score(self, text: str) -> float:
        """Log-odds that the statement is perturbed (equal priors)."""
        return math.fsum(self._weights.get(f, self._default) for f in features(text))

    def calibrate(self, clean: Sequence[str], flag_rate: float) -> BlindBaseline:
        """Set the threshold so that about ``flag_rate`` of these clean statements are
        flagged (an operating point comparable with a verifier's false-flag rate)."""
        scores = sorted((self.score(t) for t in clean), reverse=True)
        if scores:
            k = min(len(scores) - 1, max(0, int(flag_rate * len(scores))))
            self.threshold = scores[k]
        return self

    def predict(self, texts: Sequence[str]) -> list[bool]:
        """Whether each statement reads as perturbed (log-odds above the threshold)."""
        return [self.score(t) > self.threshold for t in texts]
