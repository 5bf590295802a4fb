"""A store for large knowledge bases: Tantivy's inverted index beside the SQLite tables.

Tantivy (a Lucene-style search engine library in Rust; the ``tantivy`` package of the
``kb-scale`` extra) keeps segments with block-max WAND, so an exact BM25 top-k stays fast
at millions of passages without the query-term pruning the FTS5 store needs. Documents,
passages, hashes and vectors stay in the same SQLite tables as :class:`SQLiteStore`
(provenance, incremental ingest and dense retrieval are unchanged); only the lexical index
moves to ``<kb>/tantivy/``. Passage titles and texts are indexed with Tantivy's English
stemmer in one field, the title counted as often as the ``fts`` weights of
``resources/kb.json`` say (so scores follow FTS5's one BM25 per row).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evident.errors import ConfigError, InputError
from evident.kb.model import Document, Hit, Passage
from evident.kb.query import query_terms
from evident.kb.sqlite_store import SQLiteStore

__all__ = ["TANTIVY_DIR", "TantivyStore"]

log = logging.getLogger(__name__)

TANTIVY_DIR = "tantivy"
_HEAP = 256 * 1024 * 1024


def _tantivy() -> Any:
    try:
        import tantivy
    except ImportError:
        raise ConfigError(
            "the Tantivy engine is not installed: pip install 'evident[kb-scale]'"
        ) from None
    return tantivy


class TantivyStore(SQLiteStore):
    """A knowledge base whose BM25 index is Tantivy (exact scoring at any size).

    Args:
        path: The SQLite file (``<kb>/kb.sqlite``); the index lives beside it.
        create: Create both when missing.
    """

    engine = "tantivy"
    #: Documents per ingest commit: a commit seals a Tantivy segment, and merging many
    #: small segments cost about a tenth of the build's CPU at 2,000 (the SQLite default);
    #: the writer's heap bounds memory either way.
    commit_every = 50_000

    def __init__(self, path: str | Path, create: bool = False) -> None:
        tantivy = _tantivy()
        super().__init__(path, create=create)
        self.max_postings = 0  # exact BM25 always: block-max WAND keeps it fast
        folder = self.path.parent / TANTIVY_DIR
        if not folder.is_dir() and not create:
            raise InputError(f"'{self.path.parent}' has no Tantivy index (re-ingest it)")
        folder.mkdir(exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("key", stored=True, indexed=True, fast=True)
        builder.add_text_field("body", stored=False, tokenizer_name="en_stem")
        self._tantivy = tantivy
        self.index = tantivy.Index(builder.build(), path=str(folder))
        self._writer: Any = None
        self.set_meta("engine", self.engine)
        self.con.commit()

    @property
    def writer(self) -> Any:
        """Tantivy's single writer, opened on the first write."""
        if self._writer is None:
            self._writer = self.index.writer(heap_size=_HEAP, num_threads=1)
        return self._writer

    def add(self, document: Document, passages: Sequence[Passage], content_hash: str) -> None:
        """Index a document's passages (the document must not be indexed yet)."""
        for key, ftitle, text in self.add_rows(document, passages, content_hash):
            self.writer.add_document(self._tantivy.Document(key=key, body=self._body(ftitle, text)))

    def _body(self, title: str, text: str) -> str:
        """One field as FTS5 scores two: the title counted ``title/text weight`` times.

        Tantivy sums a BM25 per field, and a short title field saturates on its own, so
        random title words outrank a passage whose text answers the query; FTS5 weights
        term counts inside one BM25 over the whole row. Repeating the title reproduces
        that (to the length normalisation).
        """
        title_weight, text_weight = self.weights
        repeat = max(1, round(title_weight / text_weight))
        return " ".join([title] * repeat + [text])

    def delete(self, doc_id: str) -> int:
        """Remove a document, its passages, their index entries and vectors."""
        keys = [
            int(r[0])
            for r in self.con.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))
        ]
        for key in keys:
            self.writer.delete_documents_by_term("key", key)
            self.con.execute("DELETE FROM vectors WHERE id = ?", (key,))
        self.drop_rows(doc_id)
        return len(keys)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The ``k`` best passages by exact BM25 (titles boosted), best first."""
        return self._hits(self.rank_terms(query_terms(query), k))

    def rank_terms(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """``(internal key, BM25 score)`` over every query term: no pruning needed."""
        words = [t for t in terms if t.replace("-", "").isalnum()]
        if k <= 0 or not words:
            return []
        query = self.index.parse_query(" OR ".join(f'"{w}"' for w in words), ["body"])
        searcher = self.index.searcher()
        found = searcher.search(query, k).hits
        return [(int(searcher.doc(address)["key"][0]), float(score)) for score, address in found]

    def search_fts(self, match: str, k: int) -> list[Hit]:
        """FTS5 expressions do not apply to this engine; the match text is searched as words."""
        return self.search(match, k)

    def refresh_term_stats(self) -> None:
        """Nothing to do: Tantivy keeps its own term statistics."""

    def optimize(self) -> None:
        """Commit and let Tantivy finish merging its segments."""
        self.commit()
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
        self.index.reload()

    def commit(self) -> None:
        """Commit the SQLite tables and the index; readers see the writes afterwards."""
        self.con.commit()
        if self._writer is not None:
            self._writer.commit()
            self.index.reload()

    def stats(self) -> dict[str, object]:
        """The SQLite store's counts, with the engine and the index's document count."""
        out = super().stats()
        out["indexed"] = self.index.searcher().num_docs
        return out

    def close(self) -> None:
        """Commit, finish the writer and close the SQLite connection."""
        self.commit()
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
        self.con.close()
