"""The store interface: what a search engine must provide to hold a knowledge base.

The default engine is :class:`evident.kb.sqlite_store.SQLiteStore` (SQLite FTS5, BM25).
A server engine for large corpora (PostgreSQL full-text search, OpenSearch or
Elasticsearch) implements the same protocol; see ``docs/kb.md`` for the contract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from evident.kb.model import Document, Hit, Passage, PassageRecord

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """A passage index with document-level replacement.

    Contract:
        * ``add`` indexes one document's passages; passage ids are unique in the store.
        * ``document_hash`` returns the content hash given to ``add`` (None if absent),
          so ingest can skip unchanged documents and replace changed ones.
        * ``duplicate_of`` returns the id of an indexed document whose
          :func:`~evident.kb.model.content_key` (title and passages) is the one given, so
          ingest indexes one content once whatever its id; ``add`` records the key.
        * ``delete`` removes a document and all its passages (and their vectors).
        * ``search`` takes the user's raw query text and is responsible for escaping it:
          no query can raise a syntax error. Scores are higher-is-better.
        * Writes become visible to readers after ``commit``.
    """

    def document_hash(self, doc_id: str) -> str | None:
        """The content hash stored for a document, or None when it is not indexed."""
        ...

    def duplicate_of(self, key: str) -> str | None:
        """The id of an indexed document with this content key, or None."""
        ...

    def add(self, document: Document, passages: Sequence[Passage], content_hash: str) -> None:
        """Index a document's passages with its provenance (and its content key)."""
        ...

    def delete(self, doc_id: str) -> int:
        """Remove a document and its passages; return the number of passages removed."""
        ...

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """The ``k`` best passages for a free-text query, best first."""
        ...

    def get_passage(self, passage_id: str) -> PassageRecord | None:
        """The stored passage with this id, or None."""
        ...

    def iter_passages(self, batch: int = 1000) -> Iterator[list[tuple[int, str]]]:
        """All passages as batches of ``(internal key, text)`` (for building vectors)."""
        ...

    def stats(self) -> dict[str, object]:
        """Counts: documents, passages, sources; engine name and settings."""
        ...

    def commit(self) -> None:
        """Make pending writes durable and visible."""
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...
