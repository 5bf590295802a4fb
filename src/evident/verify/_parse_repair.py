"""Repairs of the small English parser's known misreadings, made once on each parse the
polarity readers keep (:func:`evident.verify.polarity.claims_of`), before any reader
looks at it: a structural fix for a class of sentences, not a rule for one."""

from __future__ import annotations

from typing import Any

__all__ = ["repair_parse"]


def repair_parse(doc: Any) -> None:
    """Repair a parse in place."""
    _join_gerund_compounds(doc)


def _join_gerund_compounds(doc: Any) -> None:
    """Repair a parse that split a noun + gerund compound into two list items ("... but
    no leg swelling or calf pain": "leg" and "swelling" both conjuncts of "problem"): the
    noun becomes the gerund's compound, so what governs the noun ("no") governs the
    phrase. Only for a bare noun (no dependents but determiners and modifiers) right
    before a gerund with no subject or auxiliary of its own."""
    for g in doc:
        if g.i == 0 or g.tag_ != "VBG" or g.dep_ != "conj":
            continue
        n = doc[g.i - 1]
        if (
            n.pos_ == "NOUN"
            and n.dep_ == "conj"
            and n.head.i == g.head.i
            and all(ch.dep_ in {"det", "amod", "compound"} for ch in n.children)
            and not any(ch.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for ch in g.children)
        ):
            n.head, n.dep_ = g, "compound"
