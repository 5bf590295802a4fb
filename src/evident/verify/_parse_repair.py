"""Repairs of the small English parser's known misreadings, made once on each parse the
polarity readers keep (:func:`evident.verify.polarity.claims_of`), before any reader
looks at it: a structural fix for a class of sentences, not a rule for one."""

from __future__ import annotations

from typing import Any

__all__ = ["repair_parse"]


def repair_parse(doc: Any) -> None:
    """Repair a parse in place."""
    _join_gerund_compounds(doc)
    _object_read_as_adverb(doc)


# what "a" + noun names as a measure of the verb, not its object ("hurts a lot")
_MEASURES = frozenset(
    {"lot", "bit", "little", "while", "couple", "time", "day", "week", "month", "year"}
    | {"hour", "minute", "night", "morning", "evening", "ton", "few"}
)


def _object_read_as_adverb(doc: Any) -> None:
    """Repair a verb's object the parser read as an adverbial noun ("Reports *a fall*
    last week": "fall" an npadvmod of "reports"): a noun with an indefinite article,
    the verb having no object of its own and the noun no measure of time or amount,
    becomes the object, so that the claim readers see what is reported."""
    for t in doc:
        v = t.head
        if (
            t.dep_ != "npadvmod"
            or t.pos_ != "NOUN"
            or v.pos_ != "VERB"
            or t.i < v.i
            or t.lemma_.lower() in _MEASURES
            or not any(ch.dep_ == "det" and ch.lower_ in {"a", "an"} for ch in t.children)
            or any(ch.dep_ in {"dobj", "attr", "ccomp", "xcomp"} for ch in v.children)
        ):
            continue
        t.dep_ = "dobj"


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
