"""The offline engine: an extractive answer quoted from the best retrieved passages.

No model is involved. The question's content terms are matched (lightly stemmed) against
each sentence of the retrieved passages, and the sentence's structure is weighed against
the question's type (:mod:`evident.tasks.evidence_qa.cues`: a condition or threshold
answers "when", a finding answers a yes/no question; a restated question or study aim
answers nothing; the document holding most of the question is preferred); the best
sentences are quoted verbatim, each citing its passage. The engine abstains when the
passages do not cover enough of the question. Certainty is a statement about how well
the retrieved text matches the question, not a grading of the evidence's quality.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evident.kb.query import query_terms
from evident.kb.text import split_sentences, words
from evident.tasks.evidence_qa.cues import load_cues
from evident.tasks.evidence_qa.settings import Settings
from evident.types import Segment

__all__ = ["Choice", "OfflineAnswer", "answer_offline", "stem"]

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")
_NUMBER = re.compile(r"^\d+$")
# A consonant doubled before -ed/-ing (stopped, planning) is one in the base word.
_DOUBLED = re.compile(r"([bdfgmnprt])\1$")


def stem(word: str) -> str:
    """A crude suffix-stripping stem: ``treatments``/``treated``, ``stopped``/``stop``."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            base = w[: -len(suffix)]
            if suffix in ("ed", "ing", "ings"):
                base = _DOUBLED.sub(r"\1", base)
            return base
    return w


@dataclass(frozen=True)
class Choice:
    """A sentence chosen for the answer and the passage it is quoted from."""

    text: str
    passage_id: str
    score: float
    coverage: float = 0.0


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


# "long form (ABBR)": a passage that defines an abbreviation and then uses it.
_DEFINED = re.compile(r"((?:[\w-]+\s+){1,8})\(([A-Za-z][A-Za-z0-9-]{1,9})\)")


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines, ``{"AF": "atrial fibrillation"}``.

    The long form is the shortest run of words before the parenthesis with as many words
    as the abbreviation has letters, or fewer, whose first word starts with its letter.
    """
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        abbr, before = m.group(2), m.group(1).split()
        letters = sum(ch.isalpha() for ch in abbr)
        if not any(ch.isupper() for ch in abbr) or letters < 2:
            continue
        for n in range(min(letters, len(before)), 0, -1):
            if before[-n][0].lower() == abbr[0].lower():
                found.setdefault(abbr, " ".join(before[-n:]))
                break
    return found


def _sentence_stems(sentence: str, defined: dict[str, str]) -> set[str]:
    """The sentence's stems, with the long form of every abbreviation it uses."""
    out = _stems(sentence)
    for token in set(re.findall(r"[A-Za-z][A-Za-z0-9-]{1,9}", sentence)) & defined.keys():
        out |= _stems(defined[token])
    return out


def _document_coverage(terms: set[str], passages: Sequence[Segment]) -> dict[str, float]:
    """Share of the question's terms each source document's retrieved passages hold."""
    held: dict[str, set[str]] = {}
    for seg in passages:
        doc = seg.meta.get("doc_id", seg.id)
        text = f"{seg.meta.get('title', '')} {seg.text}"
        held.setdefault(doc, set()).update(_sentence_stems(text, abbreviations(seg.text)))
    return {doc: len(terms & got) / len(terms) if terms else 0.0 for doc, got in held.items()}


def _candidates(
    question: str, terms: set[str], passages: Sequence[Segment], settings: Settings
) -> list[Choice]:
    cues = load_cues()
    qtype = cues.question_type(question)
    needed = min(settings.min_sentence_terms, len(terms))
    found: list[Choice] = []
    doc_cover = _document_coverage(terms, passages)
    for rank, seg in enumerate(passages):
        defined = abbreviations(seg.text)
        in_doc = doc_cover[seg.meta.get("doc_id", seg.id)] * cues.weights.document
        sentences = split_sentences(seg.text)
        for n, sentence in enumerate(sentences):
            shared = terms & _sentence_stems(sentence, defined)
            if len(shared) < needed:
                continue
            # Term coverage, raised when the sentence is shaped like an answer to this
            # kind of question and when its document holds the question; retrieval rank
            # breaks ties.
            coverage = len(shared) / len(terms)
            place = n / (len(sentences) - 1) if len(sentences) > 1 else 1.0
            score = coverage + cues.cue(qtype, sentence) + in_doc + 0.05 / (rank + 1)
            score += cues.context(qtype, sentence, place)
            # A restated question, aim or resource list is never quoted as the answer.
            if not cues.restates(sentence):
                found.append(Choice(sentence, seg.id, round(score, 4), round(coverage, 4)))
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
    best = chosen[0].coverage if chosen else 0.0
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
    chosen = _select(_candidates(question, terms, passages, settings), settings)
    if not chosen:
        return OfflineAnswer((), True, "low", coverage, "no sentence answers the question")
    doc_of = {p.id: p.meta.get("doc_id", p.id) for p in passages}
    docs = len({doc_of[c.passage_id] for c in chosen})
    return OfflineAnswer(
        tuple(chosen), False, _certainty(coverage, chosen, docs, settings), coverage
    )
