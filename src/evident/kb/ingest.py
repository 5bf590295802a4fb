"""Ingesting files into a store: parse, chunk, skip unchanged, replace changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from evident.errors import InputError
from evident.kb.formats import iter_documents, iter_files
from evident.kb.model import Document, IngestReport, content_key
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
    a document already in the store with a different hash is replaced. A document that
    says what one indexed under another id says (the same :func:`content_key`: the same
    file under two names, or one text under two ids) is not indexed again (counted in
    ``duplicate_content``; an earlier version of it under its own id is removed). Writes
    are committed every ``store.commit_every`` documents (2,000 when the store does not
    say).
    """
    report = report or IngestReport()
    seen: set[str] = set()
    pending = 0
    # An engine may ask for rarer commits: each Tantivy commit seals a segment that
    # merges cost CPU to fold back.
    every = int(getattr(store, "commit_every", _COMMIT_EVERY))
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
        if _index(store, doc, digest, replacing=old is not None, report=report):
            pending += 1
        if pending >= every:
            store.commit()
            pending = 0
    store.commit()
    return report


def _index(
    store: Store, doc: Document, digest: str, *, replacing: bool, report: IngestReport
) -> bool:
    """Index one new or changed document, unless its content is indexed already."""
    passages = chunk_document(doc)
    if replacing:
        store.delete(doc.id)
    key = content_key(doc.id, doc.title, ((p.section, p.text) for p in passages))
    if store.duplicate_of(key) is not None:
        report.duplicate_content += 1
        log.debug("skipped a document whose content is indexed under another id")
        return replacing  # its old version's deletion still wants committing
    if replacing:
        report.replaced += 1
    else:
        report.added += 1
    store.add(doc, passages, digest)
    report.passages += len(passages)
    return True


def ingest_paths(store: Store, paths: Iterable[str | Path], progress: bool = True) -> IngestReport:
    """Ingest files and folders (PubMed XML, PubMedQA JSON, JSONL, txt, md, html).

    Args:
        store: Where to index.
        paths: Files, or folders searched recursively for files of known types.
        progress: Show a progress bar on stderr (documents per second).

    A file that cannot be parsed (empty, malformed) is skipped whole and listed in
    ``report.bad_files``; the other files are ingested.

    Raises:
        InputError: A path is missing or of unknown type.
    """
    report = IngestReport()
    files = list(iter_files([Path(p) for p in paths]))
    bar = tqdm(total=len(files), unit="file", disable=not progress or None, leave=False)
    try:
        for path, root in files:
            bar.update(1)
            if root is None:
                report.skipped_files += 1
                log.info("skipped a file of unknown type: %s", path.suffix)
                continue
            bar.set_description(path.name[-30:])
            try:
                # Parsed whole before anything is written: a bad file adds nothing.
                docs = list(iter_documents(path, root))
            except InputError as exc:
                report.bad_files.append(f"{path.name}: {exc}")
                continue
            report.files += 1
            ingest_documents(store, docs, report)
    finally:
        store.commit()
        bar.close()
    return report
