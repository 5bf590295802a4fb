"""Omissions: clinically important source facts that no statement covers."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from evident.types import Omission, Statement
from evident.verify._resources import load_lexicons
from evident.verify.facts import Fact, analyze
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["IMPORTANCE", "find_omissions", "omission_kind"]

#: Ranking weight per omission kind (higher matters more).
IMPORTANCE = {
    "allergy": 0.95,
    "medication_change": 0.9,
    "abnormal_lab": 0.85,
    "abnormal_vital": 0.8,
    "medication": 0.75,
    "order": 0.7,
    "referral": 0.7,
    "diagnosis": 0.65,
    "follow_up": 0.6,
    "symptom": 0.5,
}


@cache
def _change_cues() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.change_cues)


def omission_kind(fact: Fact, seg: IndexedSegment) -> str | None:
    """The omission kind of a source fact, or None when its absence does not matter."""
    if fact.family or fact.polarity in {"negated", "asked"}:
        return None
    if fact.kind == "allergy":
        return "allergy"
    if fact.kind == "medication" and fact.polarity != "uncertain":
        cues = _change_cues()
        changed = any(t in cues for t in seg.analysis.tokens)
        return "medication_change" if changed else "medication"
    if fact.kind in {"lab", "vital"} and fact.abnormal:
        return f"abnormal_{fact.kind}"
    if fact.kind == "order" and fact.plan and not fact.historical:
        if fact.category == "referral":
            return "referral"
        return "follow_up" if fact.category == "follow_up" else "order"
    if fact.kind == "finding" and fact.polarity == "affirmed":
        if fact.category == "diagnosis":  # past history counts: it belongs in the note
            return "diagnosis"
        if fact.category == "symptom" and fact.key != "pain@" and not fact.historical:
            return "symptom"
    return None


def _covered_keys(statements: Sequence[Statement]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for st in statements:
        for f in analyze(st.text).facts:
            if f.kind == "quantity":
                continue
            keys.add((f.kind, f.key))
            if f.kind == "allergy":
                keys.add(("medication", f.key))
            if f.kind == "medication":
                keys.add(("allergy", f.key))
            if f.key.startswith("pain@"):
                keys.add(("finding", "pain@"))
    return keys


def find_omissions(
    statements: Sequence[Statement], index: SourceIndex, limit: int = 25
) -> tuple[Omission, ...]:
    """Important source facts that no statement mentions, most important first.

    Args:
        statements: The draft's statements.
        index: The analysed sources.
        limit: At most this many omissions are returned.

    Returns:
        One omission per fact (the first segment that carries it), ranked by importance.
    """
    covered = _covered_keys(statements)
    best: dict[tuple[str, str], Omission] = {}
    for seg in index.segments:
        for fact in seg.facts:
            if fact.kind == "quantity" or (fact.kind, fact.key) in covered:
                continue
            kind = omission_kind(fact, seg)
            if kind is None:
                continue
            importance = IMPORTANCE[kind]
            key = (fact.kind, fact.key)
            if key in best and best[key].importance >= importance:
                continue
            best[key] = Omission(
                segment=seg.segment.id,
                text=seg.segment.text[:300],
                kind=kind,
                importance=importance,
            )
    ranked = sorted(best.values(), key=lambda o: (-o.importance, _order(o.segment, index)))
    return tuple(ranked[:limit])


def _order(segment_id: str, index: SourceIndex) -> int:
    seg = index.by_id.get(segment_id)
    return seg.pos if seg else 0
