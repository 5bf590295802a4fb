"""Text helpers: whitespace, sentence splitting and chunking documents into passages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from evident.kb.config import load_config
from evident.kb.model import Document, Passage

__all__ = ["chunk_document", "clean", "split_paragraphs", "split_sentences", "words"]

_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+")


def clean(text: str) -> str:
    """Collapse runs of spaces and tabs, strip each line, keep paragraph breaks."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, any script)."""
    return _WORD.findall(text.lower())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, whitespace-normalised, empty ones dropped."""
    return [" ".join(p.split()) for p in _BLANK.split(text) if p.strip()]


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.lower() for a in load_config().abbreviations)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences at ``.``/``!``/``?`` before a capital or digit.

    A period after a known abbreviation (``e.g.``, ``vs.``, ``et al.``) or a single
    letter (an initial) does not end a sentence.
    """
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start : m.start()].rstrip()
        last = head.rsplit(" ", 1)[-1].rstrip(".!?\"')]").lower()
        if head.endswith(".") and (last in _abbreviations() or len(last) == 1):
            continue
        out.append(text[start : m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _pieces(paragraph: str, max_words: int) -> Iterator[str]:
    """Cut a paragraph into pieces of at most ``max_words``, at sentence ends if possible."""
    if len(paragraph.split()) <= max_words:
        yield paragraph
        return
    for sentence in split_sentences(paragraph):
        tokens = sentence.split()
        for i in range(0, len(tokens), max_words):
            yield " ".join(tokens[i : i + max_words])


def _section_chunks(body: str, max_words: int, min_words: int) -> list[str]:
    tokens = body.split()
    if len(tokens) <= max_words:
        # What the packing below makes of a short section (paragraphs joined by spaces),
        # without splitting it three more times: most sections of a large base are short.
        return [" ".join(tokens)] if tokens else []
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for para in split_paragraphs(body):
        for piece in _pieces(para, max_words):
            n = len(piece.split())
            if current and size + n > max_words:
                chunks.append(" ".join(current))
                current, size = [], 0
            current.append(piece)
            size += n
    if current:
        tail = " ".join(current)
        # A short tail joins the previous chunk rather than being a passage on its own.
        if chunks and size < min_words and len(chunks[-1].split()) + size <= max_words * 1.5:
            chunks[-1] = f"{chunks[-1]} {tail}"
        else:
            chunks.append(tail)
    return chunks


def chunk_document(
    doc: Document, max_words: int | None = None, min_words: int | None = None
) -> tuple[Passage, ...]:
    """Chunk a document into passages with ids ``<doc id>#1``, ``#2``, ...

    Each section starts a new passage (its heading becomes the passage title); long
    sections are packed into passages of at most ``max_words`` words. Ids depend only on
    the document's content and the chunk sizes, so re-ingesting gives the same ids.
    """
    cfg = load_config().chunk
    max_w = max_words or cfg.max_words
    min_w = cfg.min_words if min_words is None else min_words
    passages: list[Passage] = []
    for heading, body in doc.sections:
        for text in _section_chunks(body, max_w, min_w):
            n = len(passages) + 1
            passages.append(
                Passage(
                    id=f"{doc.id}#{n}",
                    doc_id=doc.id,
                    ordinal=n,
                    title=heading or doc.title,
                    section=heading,
                    text=text,
                )
            )
    return tuple(passages)
