"""Knowledge base: ingest literature and guidelines into passages, search them by BM25.

Ingest PubMed XML, PubMedQA JSON, MedQuAD JSONL and text/Markdown/HTML guidelines into a
local folder; chunk them into passages with stable ids (``pmid:123#2``) and provenance;
search with SQLite FTS5 BM25, optionally fused with dense vectors (``embeddings`` extra).
"""

from evident.kb.config import KBConfig, load_config, stopwords
from evident.kb.dense import DenseIndex, Encoder, embed_missing, rrf
from evident.kb.formats import SUFFIXES, iter_documents, iter_files
from evident.kb.ingest import ingest_documents, ingest_paths
from evident.kb.knowledge import KnowledgeBase, SearchMode
from evident.kb.model import Document, Hit, IngestReport, Passage, PassageRecord
from evident.kb.query import fts_query, query_terms
from evident.kb.sqlite_store import SQLiteStore, fts5_available
from evident.kb.store import Store
from evident.kb.text import chunk_document, split_sentences

__all__ = [
    "SUFFIXES",
    "DenseIndex",
    "Document",
    "Encoder",
    "Hit",
    "IngestReport",
    "KBConfig",
    "KnowledgeBase",
    "Passage",
    "PassageRecord",
    "SQLiteStore",
    "SearchMode",
    "Store",
    "chunk_document",
    "embed_missing",
    "fts5_available",
    "fts_query",
    "ingest_documents",
    "ingest_paths",
    "iter_documents",
    "iter_files",
    "load_config",
    "query_terms",
    "rrf",
    "split_sentences",
    "stopwords",
]
