"""Values of the knowledge base: documents, passages, search hits and ingest counts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any

__all__ = ["Document", "Hit", "IngestReport", "Passage", "PassageRecord", "content_key"]


def content_key(doc_id: str, title: str, passages: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of what a document says: its title and its passages' sections and texts.

    The id, source, URL, date and metadata are left out, so one text under two names (two
    files, two JSONL ids) has one key; so is a title that only repeats the id (a file
    without a title of its own is given its id as title).

    Args:
        doc_id: The document id.
        title: The document title.
        passages: ``(section, text)`` of each passage, in order.
    """
    said = [title if title != doc_id else "", [[section, text] for section, text in passages]]
    return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Document:
    """A parsed document before chunking.

    Attributes:
        id: Stable document id (``pmid:123``, ``medquad:1a2b3c4d5e6f``, ``htn-guideline``).
        title: Document title.
        source: Where it comes from (``pubmed``, ``pubmedqa``, ``medquad/CancerGov``, a file
            name, or the ``source`` front-matter field).
        sections: ``(heading, body)`` pairs in document order; a heading may be empty.
        url: URL of the original, if any.
        date: Publication or review date, ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        meta: Extra string attributes (journal, question type, ...).
    """

    id: str
    title: str
    source: str
    sections: tuple[tuple[str, str], ...]
    url: str = ""
    date: str = ""
    meta: tuple[tuple[str, str], ...] = ()

    def content_hash(self) -> str:
        """SHA-256 over every field: a changed hash means the document must be re-indexed."""
        # The fields as ``asdict`` gives them (JSON writes tuples as lists), without its
        # recursive deep copy: hashing is a per-document cost of every ingest.
        fields = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        payload = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Passage:
    """A chunk of a document, the unit that is indexed and cited.

    Attributes:
        id: ``<doc id>#<n>`` with ``n`` counting from 1 in document order.
        doc_id: The document it belongs to.
        ordinal: ``n`` of the id.
        title: The passage title: its section heading, else the document title.
        section: The section heading it comes from (may be empty).
        text: The passage text.
    """

    id: str
    doc_id: str
    ordinal: int
    title: str
    section: str
    text: str


@dataclass(frozen=True)
class PassageRecord:
    """A stored passage with its document's provenance.

    Attributes:
        passage_id: ``<doc id>#<n>``.
        doc_id: Document id.
        title: Passage title (section heading or document title).
        doc_title: Document title.
        section: Section heading (may be empty).
        text: Passage text.
        source: Document source label.
        url: Document URL (may be empty).
        date: Document date (may be empty).
    """

    passage_id: str
    doc_id: str
    title: str
    doc_title: str
    section: str
    text: str
    source: str
    url: str = ""
    date: str = ""

    def provenance(self) -> dict[str, str]:
        """The fields a citation shows, as strings (used as segment meta)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_title": self.doc_title,
            "section": self.section,
            "source": self.source,
            "url": self.url,
            "date": self.date,
        }


@dataclass(frozen=True)
class Hit:
    """One search result.

    Attributes:
        passage: The passage found.
        score: Relevance, higher is better (BM25, cosine, or fused RRF score).
    """

    passage: PassageRecord
    score: float

    def to_json(self) -> dict[str, Any]:
        """The CLI/API contract: ``doc_id``, ``passage_id``, ``score``, ``title``, ``source``."""
        return {
            "doc_id": self.passage.doc_id,
            "passage_id": self.passage.passage_id,
            "score": round(self.score, 6),
            "title": self.passage.title,
            "source": self.passage.source,
        }


@dataclass
class IngestReport:
    """Counts of one ingest run (mutable while the run goes on).

    Attributes:
        added: New documents indexed.
        replaced: Documents whose content changed, re-indexed.
        unchanged: Documents skipped because their content hash is unchanged.
        duplicates: Documents skipped because the same id appeared earlier in this run.
        duplicate_content: Documents skipped because a document with the same content
            (:func:`content_key`) is indexed under another id (or earlier in this run).
        passages: Passages written.
        skipped_files: Files in directories skipped for an unknown type.
        files: Files read.
        bad_files: Files skipped because they could not be read, as "name: reason".
    """

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    duplicate_content: int = 0
    passages: int = 0
    skipped_files: int = 0
    files: int = 0
    bad_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The counts as a plain dict."""
        return asdict(self)
