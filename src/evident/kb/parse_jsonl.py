"""Parser for JSON Lines: MedQuAD question–answer records and generic document records.

MedQuAD records have ``source, url, focus, qtype, question, answer``; generic records
have ``text`` and optionally ``id, title, source, url, date``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.kb.model import Document
from evident.kb.text import clean

__all__ = ["medquad_doc_id", "parse_jsonl"]

_GENERIC_KEYS = {"id", "title", "text", "source", "url", "date"}


def medquad_doc_id(url: str, question: str) -> str:
    """The stable id of a MedQuAD record: a hash of its URL and question."""
    digest = hashlib.sha1(f"{url}\n{question}".encode(), usedforsecurity=False).hexdigest()
    return f"medquad:{digest[:12]}"


def _str(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


def _medquad(record: dict[str, Any]) -> Document | None:
    answer = _str(record, "answer")
    if not answer:
        return None  # MedQuAD has questions whose answers were removed for copyright
    focus = _str(record, "focus")
    source = _str(record, "source")
    url = _str(record, "url")
    question = _str(record, "question")
    label = source.split("_", 1)[-1] if "_" in source else source
    # The question is kept as metadata only: the benchmark queries with it, and a
    # knowledge base answers from the answer text.
    return Document(
        id=medquad_doc_id(url, question),
        title=focus or label or "MedQuAD",
        source=f"medquad/{label}" if label else "medquad",
        sections=(("", clean(answer)),),
        url=url,
        meta=(("qtype", _str(record, "qtype")), ("question", question)),
    )


def _generic(record: dict[str, Any], name: str, lineno: int) -> Document:
    unknown = set(record) - _GENERIC_KEYS
    if unknown:
        raise InputError(f"'{name}' line {lineno}: unknown field '{sorted(unknown)[0]}'")
    text = _str(record, "text")
    if not text:
        raise InputError(f"'{name}' line {lineno}: empty 'text'")
    doc_id = _str(record, "id") or f"{Path(name).stem}:{lineno}"
    if "#" in doc_id:
        raise InputError(f"'{name}' line {lineno}: id may not contain '#'")
    return Document(
        id=doc_id,
        title=_str(record, "title") or doc_id,
        source=_str(record, "source") or name,
        sections=(("", clean(text)),),
        url=_str(record, "url"),
        date=_str(record, "date"),
    )


def parse_jsonl(path: Path) -> Iterator[Document]:
    """Parse a JSON Lines file of MedQuAD records or generic document records.

    Raises:
        InputError: A line is not a JSON object (message names the line number).
    """
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise InputError(f"'{path.name}' line {lineno}: malformed JSON") from None
            if not isinstance(record, dict):
                raise InputError(f"'{path.name}' line {lineno}: not a JSON object")
            if "answer" in record and "question" in record:
                doc = _medquad(record)
                if doc is not None:
                    yield doc
            elif "text" in record:
                yield _generic(record, path.name, lineno)
            else:
                raise InputError(
                    f"'{path.name}' line {lineno}: neither a MedQuAD record "
                    "(question, answer) nor a document (text)"
                )
