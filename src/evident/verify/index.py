"""The source side, analysed once: segment facts (questions resolved by their answers),
a BM25 index over segment terms and an index of facts by key.

Memory is bounded: at most ``MAX_SEGMENTS`` segments are indexed (the verify entry point
refuses larger inputs with an InputError), and candidate lists are capped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from evident.errors import InputError
from evident.types import Segment, Source
from evident.verify._answers import (
    age_answer,
    age_person,
    allergy_answer,
    number_answer,
    resolve_questions,
    same_goes,
    side_answer,
    status_denied,
)
from evident.verify._negative_questions import negative_question
from evident.verify._questions import asked_earlier
from evident.verify.facts import Analysis, Fact, analyze

__all__ = ["MAX_SEGMENTS", "IndexedSegment", "SourceIndex", "check_source_size"]

MAX_SEGMENTS = 5000
_K1, _B = 1.4, 0.6
#: Copies of one text a search returns (a repeated question may be answered differently).
_COPIES = 2


def check_source_size(sources: Sequence[Source]) -> None:
    """Refuse sources over :data:`MAX_SEGMENTS` (the pipeline asks before a model runs).

    Raises:
        InputError: Too many segments.
    """
    n_segments = sum(len(s.segments) for s in sources)
    if n_segments > MAX_SEGMENTS:
        raise InputError(f"sources have {n_segments} segments, over the limit of {MAX_SEGMENTS}")


@dataclass(frozen=True)
class IndexedSegment:
    """One source segment with its analysis and its context-resolved facts."""

    pos: int
    segment: Segment
    source_kind: str
    analysis: Analysis
    facts: tuple[Fact, ...]


class SourceIndex:
    """Everything the verdict rules need to know about the sources."""

    def __init__(self, sources: Sequence[Source]) -> None:
        segs: list[tuple[Segment, str]] = [(s, src.kind) for src in sources for s in src]
        analyses = [analyze(s.text) for s, _ in segs]
        self.segments: list[IndexedSegment] = []
        for pos, ((seg, kind), an) in enumerate(zip(segs, analyses, strict=True)):
            facts = resolve_questions(seg, an, segs, analyses, pos)
            facts = negative_question(seg, an, facts, segs, analyses, pos)
            facts = asked_earlier(an, facts, seg.speaker)
            facts = status_denied(seg, an, facts, segs, analyses, pos)
            facts = same_goes(an, facts)
            facts = age_answer(seg, an, facts, segs, analyses, pos)
            facts = age_person(seg, an, facts, segs, analyses, pos)
            facts = number_answer(seg, an, facts, segs, analyses, pos)
            facts = side_answer(seg, an, facts, segs, analyses, pos)
            facts = allergy_answer(seg, an, facts, segs, analyses, pos)
            self.segments.append(IndexedSegment(pos, seg, kind, an, facts))
        self.by_id = {s.segment.id: s for s in self.segments}
        self.by_key: dict[tuple[str, str], list[tuple[IndexedSegment, Fact]]] = defaultdict(list)
        self.quantities: list[tuple[IndexedSegment, Fact]] = []
        for s in self.segments:
            for f in s.facts:
                if f.kind == "quantity":
                    self.quantities.append((s, f))
                else:
                    self.by_key[(f.kind, f.key)].append((s, f))
        self._build_bm25()

    @cached_property
    def sided_sites(self) -> frozenset[str]:
        """Body sites the sources give a side anywhere (stated, asked or denied); a finding
        with a side is its own site too ("left kidney stone")."""
        out: set[str] = set()
        for (kind, key), ms in self.by_key.items():
            if kind not in ("anatomy", "finding", "order"):
                continue
            for _, f in ms:
                if f.laterality:
                    out.add(key if kind == "anatomy" else f.site)
                    if kind == "finding":
                        out.add(key)
        out.discard("")
        return frozenset(out)

    @property
    def kind_label(self) -> str:
        """How to name the source in a reason: ``transcript``, ``note`` or ``source``."""
        kinds = {s.source_kind for s in self.segments}
        if kinds == {"transcript"}:
            return "transcript"
        if kinds == {"note"}:
            return "source note"
        return "source"

    def _build_bm25(self) -> None:
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for s in self.segments:
            counts: dict[str, int] = defaultdict(int)
            for t in s.analysis.terms:
                counts[t] += 1
            self._lengths.append(max(1, len(s.analysis.terms)))
            for t, c in counts.items():
                self._postings[t].append((s.pos, c))
        n = max(1, len(self.segments))
        self._avg = sum(self._lengths) / n if self._lengths else 1.0
        self._idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()
        }

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (unseen terms get the maximum)."""
        if term in self._idf:
            return self._idf[term]
        n = max(1, len(self.segments))
        return math.log(1 + (n + 0.5) / 0.5)

    def search(self, terms: Sequence[str], k: int = 5) -> list[tuple[int, float]]:
        """BM25 top-``k`` segment positions for ``terms``, best first.

        Segments with the same text ("any chest pain?" asked again) fill one of the ``k``
        places: a second copy is kept beside the first (its answer may differ), further
        copies are left out, so repeats never crowd out the answer that follows them.
        """
        scores: dict[int, float] = defaultdict(float)
        for t in sorted(set(terms)):  # a fixed order: the same float sums in every process
            idf = self._idf.get(t)
            if idf is None:
                continue
            for pos, tf in self._postings[t]:
                norm = tf + _K1 * (1 - _B + _B * self._lengths[pos] / self._avg)
                scores[pos] += idf * tf * (_K1 + 1) / norm
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        out: list[tuple[int, float]] = []
        copies: dict[str, int] = {}
        for pos, score in ranked:
            text = self.segments[pos].segment.text
            seen = copies.get(text, 0)
            if seen >= _COPIES or (not seen and len(copies) >= k):
                continue
            copies[text] = seen + 1
            out.append((pos, score))
        return out

    def says_any(self, terms: Iterable[str]) -> bool:
        """Whether any segment of the sources has one of these index terms."""
        return any(t in self._postings for t in terms)

    def neighbours(self, pos: int, radius: int = 2) -> range:
        """Positions within ``radius`` segments of ``pos``."""
        return range(max(0, pos - radius), min(len(self.segments), pos + radius + 1))
