"""Synthetic passages for the scale benchmark, recombined from the vocabulary of real text.

Nothing is downloaded or committed: the vocabulary and its frequencies come from files the
user points at (any format ``kb ingest`` reads), and passages are drawn word by word from
that unigram distribution, so term statistics resemble the source corpus.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evident.errors import InputError
from evident.kb.formats import iter_documents, iter_files
from evident.kb.model import Document

__all__ = ["Vocabulary", "load_vocabulary", "synthetic_documents"]

_WORD = re.compile(r"[^\W\d_][\w-]*")


@dataclass(frozen=True)
class Vocabulary:
    """Words with their counts, and sample sections of real text (for queries)."""

    words: tuple[str, ...]
    counts: tuple[int, ...]
    sections: tuple[str, ...]


def load_vocabulary(paths: Sequence[Path], max_sections: int = 50_000) -> Vocabulary:
    """Count the words of every document under ``paths``.

    Raises:
        InputError: No words were found.
    """
    counter: Counter[str] = Counter()
    sections: list[str] = []
    for path, root in iter_files(list(paths)):
        if root is None:
            continue
        for doc in iter_documents(path, root):
            for _, body in doc.sections:
                counter.update(w.lower() for w in _WORD.findall(body))
                if len(sections) < max_sections:
                    sections.append(body)
    if not counter:
        raise InputError("no words found in the vocabulary files")
    ranked = counter.most_common()
    return Vocabulary(tuple(w for w, _ in ranked), tuple(c for _, c in ranked), tuple(sections))


def _sampler(vocab: Vocabulary, seed: int) -> Iterator[list[str]]:
    """Endless batches of sampled words (numpy when available, else the stdlib)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy ships with the embeddings extra
        rng = random.Random(seed)
        cum: list[float] = []
        total = 0.0
        for c in vocab.counts:
            total += c
            cum.append(total)
        while True:
            yield rng.choices(vocab.words, cum_weights=cum, k=200_000)
    gen = np.random.default_rng(seed)
    words = np.array(vocab.words, dtype=object)
    p = np.array(vocab.counts, dtype=np.float64)
    p /= p.sum()
    while True:
        yield list(words[gen.choice(len(words), size=1_000_000, p=p)])


def synthetic_documents(
    vocab: Vocabulary,
    passages: int,
    per_doc: int = 4,
    words_range: tuple[int, int] = (40, 140),
    seed: int = 0,
) -> Iterator[Document]:
    """Documents of ``per_doc`` sections each, ``passages`` sections in all.

    Each section is short enough to become exactly one passage.
    """
    rng = random.Random(seed)
    stream = _sampler(vocab, seed)
    # A read position into the sampled words: deleting consumed words from the front of
    # a million-word list copied the rest each time (half the scale build's CPU).
    buffer: list[str] = []
    at = 0
    made = 0
    n = 0
    while made < passages:
        sections = []
        for _ in range(min(per_doc, passages - made)):
            size = rng.randint(*words_range)
            if len(buffer) - at < size + 6:
                buffer = buffer[at:] + next(stream)
                at = 0
            sections.append(("", " ".join(buffer[at : at + size])))
            at += size
            made += 1
        title = " ".join(buffer[at : at + 6])
        at += 6
        n += 1
        yield Document(id=f"synth:{n}", title=title, source="synthetic", sections=tuple(sections))


def sample_queries(vocab: Vocabulary, n: int, words: int = 8, seed: int = 1) -> list[str]:
    """Queries of ``words`` consecutive words cut from random real sections."""
    rng = random.Random(seed)
    out: list[str] = []
    candidates = [s.split() for s in vocab.sections if len(s.split()) >= words]
    if not candidates:
        raise InputError("the vocabulary files have no section long enough for queries")
    while len(out) < n:
        tokens = rng.choice(candidates)
        start = rng.randrange(0, len(tokens) - words + 1)
        out.append(" ".join(tokens[start : start + words]))
    return out
