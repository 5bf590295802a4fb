"""The offline engine: an extractive answer quoted from the best retrieved passages.

No model is involved. The question's content terms are matched (lightly stemmed) against
each sentence of the retrieved passages; the best sentences are quoted verbatim, each
citing its passage. The engine abstains when the passages do not cover enough of the
question. Certainty is a statement about how well the retrieved text matches the
question, not a grading of the evidence's quality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evident.kb.query import query_terms
from evident.kb.text import split_sentences, words
from evident.tasks.evidence_qa.settings import Settings
from evident.types import Segment

__all__ = ["Choice", "OfflineAnswer", "answer_offline", "stem"]

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")
_NUMBER = re.compile(r"^\d+$")


def stem(word: str) -> str:
    """A crude suffix-stripping stem, enough to match ``treatments`` with ``treated``."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True)
class Choice:
    """A sentence chosen for the answer and the passage it is quoted from."""

    text: str
    passage_id: str
    score: float


@dataclass(frozen=True)
class OfflineAnswer:
    """What the offline engine decided.

    Attributes:
        choices: The quoted sentences, best first (empty when abstaining).
        abstained: True when the evidence does not answer the question.
        certainty: ``high``, ``moderate`` or ``low``.
        coverage: Share of the question's content terms found in the passages.
        reason: Why the engine abstained (empty otherwise).
    """

    choices: tuple[Choice, ...]
    abstained: bool
    certainty: str
    coverage: float
    reason: str = ""


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if len(w) > 1 or _NUMBER.match(w)}


def _candidates(terms: set[str], passages: Sequence[Segment], settings: Settings) -> list[Choice]:
    needed = min(settings.min_sentence_terms, len(terms))
    found: list[Choice] = []
    for rank, seg in enumerate(passages):
        for sentence in split_sentences(seg.text):
            shared = terms & _stems(sentence)
            if len(shared) < needed:
                continue
            # Term coverage first; retrieval rank breaks ties toward better passages.
            score = len(shared) / len(terms) + 0.05 / (rank + 1)
            found.append(Choice(sentence, seg.id, round(score, 4)))
    return sorted(found, key=lambda c: -c.score)


def _select(found: list[Choice], settings: Settings) -> list[Choice]:
    if not found:
        return []
    floor = found[0].score * settings.relative_sentence_score
    chosen: list[Choice] = []
    per_passage: dict[str, int] = {}
    seen: set[str] = set()
    for c in found:
        key = " ".join(words(c.text))
        if (
            c.score < floor
            or key in seen
            or per_passage.get(c.passage_id, 0) >= (settings.max_per_passage)
        ):
            continue
        chosen.append(c)
        seen.add(key)
        per_passage[c.passage_id] = per_passage.get(c.passage_id, 0) + 1
        if len(chosen) >= settings.max_sentences:
            break
    return chosen


def _certainty(coverage: float, chosen: list[Choice], docs: int, settings: Settings) -> str:
    best = chosen[0].score if chosen else 0.0
    if coverage >= settings.high_coverage and docs >= 2 and best >= settings.moderate_coverage:
        return "high"
    if coverage >= settings.moderate_coverage:
        return "moderate"
    return "low"


def answer_offline(question: str, passages: Sequence[Segment], settings: Settings) -> OfflineAnswer:
    """Answer extractively from passages in retrieval order, or abstain.

    Args:
        question: The question.
        passages: Retrieved passage segments, best first (meta ``score`` optional).
        settings: Thresholds.
    """
    terms = {stem(t) for t in query_terms(question)}
    if not passages:
        return OfflineAnswer((), True, "low", 0.0, "no passage was retrieved")
    top = float(passages[0].meta.get("score", "inf") or "inf")
    if top < settings.min_top_score:
        return OfflineAnswer((), True, "low", 0.0, "the best passage scores too low")
    present = set().union(*(_stems(p.text + " " + p.meta.get("title", "")) for p in passages))
    coverage = len(terms & present) / len(terms) if terms else 0.0
    if coverage < settings.min_coverage:
        return OfflineAnswer(
            (), True, "low", coverage, "the passages do not cover the question's terms"
        )
    chosen = _select(_candidates(terms, passages, settings), settings)
    if not chosen:
        return OfflineAnswer((), True, "low", coverage, "no sentence matches the question")
    doc_of = {p.id: p.meta.get("doc_id", p.id) for p in passages}
    docs = len({doc_of[c.passage_id] for c in chosen})
    return OfflineAnswer(
        tuple(chosen), False, _certainty(coverage, chosen, docs, settings), coverage
    )
