"""Noteworthy turns: a learned reading of which dialogue turns a note would carry.

The omission search by fact kinds (:mod:`evident.verify.omissions`) knows medications,
allergies, abnormal values, orders and diagnoses; a note also carries a surgery the
patient had, where they live, what they do for work, what they answered "no" to. Rather
than a word list per kind, a logistic regression reads how a turn stands in the dialogue:
who says it (a clinician's question is no fact; its answer carries the question's
content), whether it answers yes or no, how many content words and facts it and the
question it answers hold, the facts a clinician dictates (an exam, a result), how rare
its words are in the source and whether they come back, where it falls. It is trained by
``evident train omissions`` on the development half of dialogues whose reference notes
say which turns a note carries: a turn is noteworthy when a supported sentence of the
note cites it (or the question it answers).

A turn is an omission when the model's probability reaches the file's ``cutoff`` and the
draft has less than the file's ``coverage`` share of its content words (by stem or
five-letter prefix) and numbers; it is listed after the fact kinds' omissions (kind
``noteworthy``, importance 0.3-0.4), never where they already cite a turn, and of two
neighbouring turns that say mostly the same words only the more probable. Only spoken sources are
read (turns with speakers): the model learnt dialogues, not notes or records.

The weights, cutoff and coverage are a data file (``resources/noteworthy_model.json``),
validated when loaded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from evident.types import Omission, Statement
from evident.verify._logistic import LogisticWeights, read_weights
from evident.verify._polarity_views import answer_polarity
from evident.verify.facts import Analysis, analyze
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = [
    "FEATURES",
    "KIND",
    "NoteworthyWeights",
    "Turn",
    "load_weights",
    "noteworthy_omissions",
    "shipped_path",
    "turns",
]

FEATURES = (
    "clinician",
    "answer",
    "answer_yes",
    "answer_no",
    "own_terms",
    "question_terms",
    "facts",
    "quantities",
    "question_facts",
    "idf_max",
    "idf_mean",
    "repeated",
    "position",
    "asks",
    "clinician_facts",
)
KIND = "noteworthy"
_PREFIX = 5
_IMPORTANCE = (0.3, 0.1)  # base and span: below every fact kind's weight


class NoteworthyWeights(LogisticWeights):
    """The trained model as stored: standardisation, weights, bias, the probability from
    which a turn is noteworthy, the draft coverage under which it is omitted, provenance."""

    FEATURE_NAMES = FEATURES

    cutoff: float = Field(gt=0.0, lt=1.0)
    coverage: float = Field(gt=0.0, le=1.0)
    meta: dict[str, Any] = Field(default_factory=dict)


def shipped_path() -> Path:
    """Where the shipped model file lives in the package."""
    return Path(
        str(resources.files("evident.verify").joinpath("resources", "noteworthy_model.json"))
    )


def load_weights(path: Path | None = None) -> NoteworthyWeights:
    """Read and validate a model file (the shipped one by default).

    Raises:
        ConfigError: The file is missing, not JSON, or not a valid model.
    """
    return _shipped() if path is None else _read(path)


@cache
def _shipped() -> NoteworthyWeights:
    return _read(shipped_path())


def _read(path: Path) -> NoteworthyWeights:
    return read_weights(NoteworthyWeights, path, "omission model")


@dataclass(frozen=True)
class Turn:
    """A turn that may carry a fact: its segment, the question it answers (or None), the
    content words of both, and its features (:data:`FEATURES`); the numbers it says
    ("130", "18") count for its coverage by a draft."""

    segment: str
    question: str | None
    terms: frozenset[str]
    features: tuple[float, ...]
    numbers: frozenset[str] = frozenset()


def _content(an: Analysis) -> set[str]:
    return {t for t in an.terms if not t.startswith("#")}


def _numbers(an: Analysis) -> set[str]:
    return {t for t in an.tokens if t[:1].isdigit()}


def _asks(seg: IndexedSegment) -> bool:
    """A question: by its punctuation, or, in a turn written without any, one that opens
    like a question after a preamble ("okay have you noticed any bruising ...")."""
    if seg.analysis.is_question:
        return True
    words = [t for t in seg.analysis.tokens if t not in {",", "."}]
    if "?" in words:
        return False
    from evident.verify._polarity_cues import cues
    from evident.verify.context import question_openers

    openers, preambles = question_openers(), cues().question_preambles
    for k, w in enumerate(words):
        if tuple(words[k : k + 1]) in openers or tuple(words[k : k + 2]) in openers:
            return True
        if w not in preambles:
            return False
    return False


def _speaker(seg: IndexedSegment) -> str:
    return (seg.segment.speaker or "").lower()


def turns(index: SourceIndex, clinicians: frozenset[str]) -> list[Turn]:
    """Every spoken turn but a clinician's question (also one written without a question
    mark), with its features.

    Args:
        index: The analysed sources.
        clinicians: Speakers whose questions are no facts (lower case).
    """
    segs = [s for s in index.segments if s.segment.speaker]
    if not segs:
        return []
    seen: dict[str, int] = {}
    for s in segs:
        for t in _content(s.analysis):
            seen[t] = seen.get(t, 0) + 1
    top = max((index.idf(t) for t in seen), default=1.0) or 1.0
    rarity = {t: index.idf(t) / top for t in seen}
    out: list[Turn] = []
    for k, s in enumerate(segs):
        clin = _speaker(s) in clinicians
        if clin and _asks(s):
            continue
        prev = segs[k - 1] if k else None
        asked = prev if prev and not clin and _speaker(prev) in clinicians else None
        asked = asked if asked and _asks(asked) else None
        own = _content(s.analysis)
        q = _content(asked.analysis) if asked else set()
        terms = own | q
        if terms:
            where = k / max(1, len(segs) - 1)
            feats = _features(s, asked, (own, q), clin, rarity, seen, where)
            qid = asked.segment.id if asked else None
            numbers = frozenset(
                _numbers(s.analysis) | (_numbers(asked.analysis) if asked else set())
            )
            out.append(Turn(s.segment.id, qid, frozenset(terms), feats, numbers))
    return out


def _features(
    s: IndexedSegment,
    asked: IndexedSegment | None,
    words: tuple[set[str], set[str]],
    clin: bool,
    rarity: dict[str, float],
    seen: dict[str, int],
    position: float,
) -> tuple[float, ...]:
    own, q = words
    terms = own | q
    said = answer_polarity(s.segment.text) if asked else None
    idf = [rarity[t] for t in terms]
    facts = sum(f.kind != "quantity" for f in s.facts)
    asked_facts = sum(f.kind != "quantity" for f in asked.facts) if asked else 0
    return (
        float(clin),
        float(asked is not None),
        float(said == "yes"),
        float(said == "no"),
        math.log1p(len(own)),
        math.log1p(len(q)),
        math.log1p(facts),
        math.log1p(sum(f.kind == "quantity" for f in s.facts)),
        math.log1p(asked_facts),
        max(idf),
        sum(idf) / len(idf),
        sum(seen.get(t, 0) > 1 for t in terms) / len(terms),
        position,
        float(s.analysis.is_question),
        float(clin) * math.log1p(len(s.facts)),  # a clinician's dictated exam or result
    )


def _covered(turn: Turn, draft: set[str], prefixes: set[str], numbers: set[str]) -> float:
    words = sum(t in draft or t[:_PREFIX] in prefixes for t in turn.terms)
    return (words + len(turn.numbers & numbers)) / (len(turn.terms) + len(turn.numbers))


def _repeats(turn: Turn, pos: int, kept: list[tuple[int, frozenset[str]]]) -> bool:
    """Whether a neighbouring turn already listed says mostly the same words ("it was a
    total knee replacement" - "a total knee replacement in 2018, is that what you said")."""
    return any(
        abs(pos - p) <= 1 and len(turn.terms & terms) >= 0.5 * min(len(turn.terms), len(terms))
        for p, terms in kept
    )


def noteworthy_omissions(
    statements: Sequence[Statement],
    index: SourceIndex,
    taken: set[int],
    clinicians: frozenset[str],
    weights: NoteworthyWeights | None = None,
) -> list[Omission]:
    """Noteworthy turns the draft does not cover, most probable first; of two neighbours
    that say mostly the same words, the more probable.

    Args:
        statements: The draft's statements.
        index: The analysed sources.
        taken: Positions already cited by an omission, and their neighbours: skipped.
        clinicians: Speakers whose questions are no facts (lower case).
        weights: The model (the shipped one by default).
    """
    model = weights or load_weights()
    analyses = [analyze(st.text) for st in statements]
    draft = {t for an in analyses for t in an.terms}
    numbers = {t for an in analyses for t in _numbers(an)}
    prefixes = {t[:_PREFIX] for t in draft if len(t) >= _PREFIX}
    found: list[tuple[float, int, Turn]] = []
    for turn in turns(index, clinicians):
        pos = index.by_id[turn.segment].pos
        if pos in taken or _covered(turn, draft, prefixes, numbers) >= model.coverage:
            continue
        p = model.probability(turn.features)
        if p >= model.cutoff:
            found.append((p, pos, turn))
    out: list[Omission] = []
    kept: list[tuple[int, frozenset[str]]] = []
    for p, pos, turn in sorted(found, key=lambda x: (-x[0], x[1])):
        if _repeats(turn, pos, kept):
            continue
        kept.append((pos, turn.terms))
        out.append(_omission(turn, index, p))
    return out


def _omission(turn: Turn, index: SourceIndex, p: float) -> Omission:
    cite, text = turn.segment, index.by_id[turn.segment].segment.text
    if turn.question is not None:
        asked = index.by_id[turn.question].segment
        cite, text = asked.id, f"{text} (asked: {asked.text})"
    importance = round(_IMPORTANCE[0] + _IMPORTANCE[1] * p, 3)
    return Omission(segment=cite, text=text[:300], kind=KIND, importance=importance)
