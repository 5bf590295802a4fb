"""The knowledge base: a folder holding a store, with ingest and search in one place."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Literal

from evident.errors import ConfigError, InputError
from evident.kb.config import load_config
from evident.kb.dense import DenseIndex, Encoder, embed_missing, rrf
from evident.kb.ingest import ingest_paths
from evident.kb.model import Hit, IngestReport, PassageRecord
from evident.kb.query import query_terms
from evident.kb.sqlite_store import DB_NAME, SQLiteStore

__all__ = ["Engine", "KnowledgeBase", "SearchMode", "open_store"]

SearchMode = Literal["bm25", "dense", "hybrid"]
Engine = Literal["sqlite", "tantivy"]
MAX_K = 1000


def _built_with(db: Path) -> str | None:
    """The engine an existing base records in ``kb_meta`` (None: not a base, or SQLite)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM kb_meta WHERE key = 'engine'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def open_store(directory: Path, *, create: bool, engine: Engine | None = None) -> SQLiteStore:
    """Open (or create) the store of a knowledge base folder with its engine.

    Raises:
        InputError: No base there (and not ``create``), or another engine than it was
            built with.
        ConfigError: The Tantivy engine is asked for but not installed.
    """
    db = directory / DB_NAME
    built = (_built_with(db) or "sqlite") if db.is_file() else None
    if built and engine and engine != built:
        raise InputError(f"'{directory}' was built with the {built} engine, not {engine}")
    chosen = built or engine or "sqlite"
    if chosen == "tantivy":
        from evident.kb.tantivy_store import TantivyStore

        return TantivyStore(db, create=create)
    return SQLiteStore(db, create=create)


def _distinct(hits: list[Hit]) -> list[Hit]:
    """The hits without a passage text (white space aside) already seen higher up."""
    seen: set[str] = set()
    kept = []
    for hit in hits:
        text = " ".join(hit.passage.text.split())
        if text not in seen:
            seen.add(text)
            kept.append(hit)
    return kept


class KnowledgeBase:
    """A knowledge base folder (``--kb DIR``) backed by a store (SQLite FTS5 or Tantivy).

    Args:
        directory: The folder; ``kb.sqlite`` lives inside it.
        create: Create it when missing (ingest does); otherwise a missing KB is an
            InputError naming the command that creates one.
        max_postings: Query pruning budget on large indexes (``0`` = exact BM25); None
            uses ``search.max_postings`` of ``resources/kb.json``. The Tantivy engine is
            always exact.
        engine: ``sqlite`` (SQLite FTS5, the default for a new base) or ``tantivy`` (for
            large bases; the ``kb-scale`` extra). An existing base keeps the engine it was
            built with; asking for another is an InputError.

    Example:
        >>> with KnowledgeBase("kb", create=True) as kb:  # doctest: +SKIP
        ...     kb.ingest(["guidelines/"])
        ...     hits = kb.search("first-line treatment of hypertension", k=5)
    """

    def __init__(
        self,
        directory: str | Path,
        create: bool = False,
        max_postings: int | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(f"'{self.directory}' is a file, not a knowledge base folder")
        if max_postings is not None and max_postings < 0:
            raise InputError(f"max_postings must be 0 (exact) or more, got {max_postings}")
        self.store = open_store(self.directory, create=create, engine=engine)
        if max_postings is not None:
            self.store.max_postings = max_postings
        self._encoder: Encoder | None = None
        self._dense: DenseIndex | None = None

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def ingest(
        self, paths: Iterable[str | Path], progress: bool = True, embed: bool = False
    ) -> IngestReport:
        """Ingest files and folders; with ``embed`` also compute missing vectors."""
        report = ingest_paths(self.store, paths, progress=progress)
        if report.added or report.replaced:
            self.store.refresh_term_stats()
        if embed:
            embed_missing(self.store, self.encoder, progress=progress)
            self._dense = None
        return report

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder (loaded on first use; needs the ``embeddings`` extra)."""
        if self._encoder is None:
            self._encoder = Encoder()
        return self._encoder

    def search(
        self, query: str, k: int = 10, mode: SearchMode = "bm25", *, distinct: bool = False
    ) -> list[Hit]:
        """The ``k`` best passages for a free-text query.

        Args:
            query: Any text; it is escaped, never interpreted as FTS5 syntax.
            k: Number of results (1 to 1000).
            mode: ``bm25`` (default), ``dense`` (cosine over stored vectors) or ``hybrid``
                (reciprocal-rank fusion of both).
            distinct: Return each passage text once (the best-ranked of those that say
                it), reaching further down the ranking for ``k`` distinct ones: the
                evidence of an answer, where the same text twice (one paragraph in two
                documents, or a base built before duplicates were skipped) cites nothing
                new.

        Raises:
            InputError: Empty query, bad ``k``, or a dense mode on a KB without vectors.
        """
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, got {k}")
        terms = query_terms(query)  # validates the query in every mode
        if not distinct:
            return self._ranked(query, terms, k, mode)
        depth = k
        while True:
            hits = self._ranked(query, terms, depth, mode)
            kept = _distinct(hits)
            if len(kept) >= k or len(hits) < depth or depth >= MAX_K:
                return kept[:k]
            depth = min(MAX_K, depth * 2)

    def _ranked(self, query: str, terms: list[str], k: int, mode: SearchMode) -> list[Hit]:
        if mode == "bm25":
            return self.store.hits_by_key(self.store.rank_terms(terms, k))
        dense = self._dense_index()
        if mode == "dense":
            return self.store.hits_by_key(dense.search(query, k))
        if mode != "hybrid":
            raise InputError(f"unknown search mode '{mode}' (bm25, dense, hybrid)")
        cfg = load_config().search
        n = max(k, cfg.hybrid_candidates)
        lexical = [key for key, _ in self.store.rank_terms(terms, n)]
        fused = rrf([lexical, [key for key, _ in dense.search(query, n)]], k=cfg.rrf_k)
        return self.store.hits_by_key(fused[:k])

    def _dense_index(self) -> DenseIndex:
        if self._dense is None:
            if not self.store.con.execute("SELECT 1 FROM vectors LIMIT 1").fetchone():
                raise InputError(
                    "this knowledge base has no vectors (run: evident kb ingest PATH --embed)"
                )
            model = self.store.meta("embedding_model")
            if model and model != self.encoder.name:
                raise ConfigError(f"the KB's vectors come from '{model}', not {self.encoder.name}")
            self._dense = DenseIndex(self.store, self.encoder)
        return self._dense

    def get_passage(self, passage_id: str) -> PassageRecord | None:
        """The passage with this id, or None."""
        return self.store.get_passage(passage_id)

    def stats(self) -> dict[str, object]:
        """Counts and settings of the store."""
        return self.store.stats()

    def close(self) -> None:
        """Close the store."""
        self.store.close()
