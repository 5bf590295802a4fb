"""Ingesting files into a store: parse, chunk, skip unchanged, replace changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from evident.kb.formats import iter_documents, iter_files
from evident.kb.model import Document, IngestReport
from evident.kb.store import Store
from evident.kb.text import chunk_document

__all__ = ["ingest_documents", "ingest_paths"]

log = logging.getLogger(__name__)

_COMMIT_EVERY = 2000


def ingest_documents(
    store: Store, documents: Iterable[Document], report: IngestReport | None = None
) -> IngestReport:
    """Index documents, skipping those whose content hash is unchanged.

    A document id seen twice in one run keeps its first version (counted as a duplicate);
    a document already in the store with a different hash is replaced.
    """
    report = report or IngestReport()
    seen: set[str] = set()
    pending = 0
    for doc in documents:
        if doc.id in seen:
            report.duplicates += 1
            continue
        seen.add(doc.id)
        digest = doc.content_hash()
        old = store.document_hash(doc.id)
        if old == digest:
            report.unchanged += 1
            continue
        passages = chunk_document(doc)
        if old is not None:
            store.delete(doc.id)
            report.replaced += 1
        else:
            report.added += 1
        store.add(doc, passages, digest)
        report.passages += len(passages)
        pending += 1
        if pending >= _COMMIT_EVERY:
            store.commit()
            pending = 0
    store.commit()
    return report


def ingest_paths(store: Store, paths: Iterable[str | Path], progress: bool = True) -> IngestReport:
    """Ingest files and folders (PubMed XML, PubMedQA JSON, JSONL, txt, md, html).

    Args:
        store: Where to index.
        paths: Files, or folders searched recursively for files of known types.
        progress: Show a progress bar on stderr (documents per second).

    Raises:
        InputError: A path is missing, of unknown type, or malformed; documents ingested
            before the error stay committed.
    """
    report = IngestReport()
    files = list(iter_files([Path(p) for p in paths]))
    bar = tqdm(unit="doc", disable=not progress or None, leave=False, desc="ingest")
    try:
        for path, root in files:
            if root is None:
                report.skipped_files += 1
                log.info("skipped a file of unknown type: %s", path.suffix)
                continue
            report.files += 1
            bar.set_description(path.name[-30:])
            ingest_documents(store, _counting(iter_documents(path, root), bar), report)
    finally:
        store.commit()
        bar.close()
    return report


def _counting(docs: Iterable[Document], bar: tqdm) -> Iterable[Document]:
    for doc in docs:
        bar.update(1)
        yield doc
