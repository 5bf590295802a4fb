"""Retrieval measured on its own: is the segment that proves or refutes a statement
among the verifier's candidates (recall@k)?

The verifier retrieves with BM25 over its own analysis terms (``SourceIndex.search``; a
statement's candidates are its top five). The gold segment is labelled another way, so
the measure does not share the index's blind spots:

- an answer flip's gold is the question and the flipped answer (either counts);
- a note sentence's gold (and that of every item rewritten from it) is the source segment
  whose content lemmas (spaCy, nouns/verbs/adjectives/numbers) overlap the sentence's most
  by the Dice coefficient, together with the next segment when that one is the answer to a
  question; sentences whose best overlap is under ``MIN_DICE`` have no gold and are
  counted apart;
- sentences of other visits have no gold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evident.errorgen import Item
from evident.types import Source
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex

__all__ = ["KS", "MIN_DICE", "Recall", "gold_segments", "ranks"]

KS = (1, 3, 5, 10)
MIN_DICE = 0.2
_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


@dataclass
class Recall:
    """Ranks of the gold segment per type (None: not in the top ``max(KS)``)."""

    ranks: dict[str, list[int | None]] = field(default_factory=dict)
    no_gold: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, rank: int | None, has_gold: bool) -> None:
        """Record one statement's rank (or that it had no gold)."""
        if not has_gold:
            self.no_gold[kind] = self.no_gold.get(kind, 0) + 1
            return
        self.ranks.setdefault(kind, []).append(rank)

    def at(self, kind: str, k: int) -> float | None:
        """Share of statements of ``kind`` whose gold is in the top ``k``."""
        rs = self.ranks.get(kind, [])
        return sum(r is not None and r <= k for r in rs) / len(rs) if rs else None


def _lemmas(docs: Sequence[object]) -> list[set[str]]:
    return [
        {t.lemma_.lower() for t in d if t.pos_ in _POS and not t.is_stop}  # type: ignore[attr-defined]
        for d in docs
    ]


def gold_segments(source: Source, sentences: Sequence[str]) -> list[frozenset[str]]:
    """For each sentence, the ids of the segments that prove or refute it (may be empty)."""
    from evident.nlp import load_english

    nlp = load_english(("parser", "lemmatizer"))
    segs = list(source)
    seg_lemmas = _lemmas(list(nlp.pipe([s.text for s in segs], batch_size=256)))
    sent_lemmas = _lemmas(list(nlp.pipe(list(sentences), batch_size=256)))
    out: list[frozenset[str]] = []
    for lem in sent_lemmas:
        best, at = 0.0, -1
        for j, sl in enumerate(seg_lemmas):
            if lem and sl:
                d = 2 * len(lem & sl) / (len(lem) + len(sl))
                if d > best:
                    best, at = d, j
        if best < MIN_DICE:
            out.append(frozenset())
            continue
        gold = {segs[at].id}
        nxt = segs[at + 1] if at + 1 < len(segs) else None
        if segs[at].text.rstrip().endswith("?") and nxt is not None:
            gold.add(nxt.id)
        out.append(frozenset(gold))
    return out


def rank_of(index: SourceIndex, text: str, gold: frozenset[str]) -> int | None:
    """1-based rank of the first gold segment among the verifier's BM25 candidates."""
    hits = index.search(analyze(text).terms, k=max(KS))
    for r, (pos, _) in enumerate(hits, 1):
        if index.segments[pos].segment.id in gold:
            return r
    return None


def ranks(
    index: SourceIndex,
    sentences: Sequence[str],
    golds: Sequence[frozenset[str]],
    items: Sequence[tuple[Item, SourceIndex]],
    out: Recall,
    item_golds: Sequence[frozenset[str]] = (),
) -> None:
    """Add the ranks of clean sentences (with their golds) and of items (each with the
    index it is checked against; ``item_golds`` by note sentence) to ``out``."""
    for text, gold in zip(sentences, golds, strict=True):
        out.add("clean", rank_of(index, text, gold) if gold else None, bool(gold))
    for item, idx in items:
        if item.type == "answer_flip":
            gold = frozenset({item.question, item.segment})
        elif item.index >= 0:
            gold = item_golds[item.index]
        else:
            continue
        out.add(item.type, rank_of(idx, item.text, gold) if gold else None, bool(gold))
