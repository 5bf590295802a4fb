"""Readings of a whole text made after the extractor's: an order that a condition
governs is a conditional plan, and an allergen no drug lexicon holds is an allergy fact
(:func:`evident.verify.facts.analyze` applies both)."""

from __future__ import annotations

from dataclasses import replace

from evident.verify._words import words
from evident.verify.facts import Fact

__all__ = ["allergen_facts", "conditional_orders"]

_CONDITION = words("condition_subordinators")
_WHETHER = words("whether_verbs")
_COORDINATORS = frozenset({"and", "but", "so", "then"})
# a sentence longer than this is a run of dictation: its opening condition holds its own
# clause only
_CONDITION_SPAN = 30


def conditional_orders(
    tokens: list[str], sentences: tuple[tuple[int, int, bool], ...], facts: tuple[Fact, ...]
) -> tuple[Fact, ...]:
    """An order or test that a condition governs ("if it's not better in two weeks, come
    back and we'll get an x-ray", "an x-ray if not improved") is a conditional plan, not
    an order made. The condition governs its sentence from the clause that holds it on
    ("i can send you for physical therapy, and if nothing helps, a surgery consult": the
    consult only); only a short sentence (in a run of dictation a condition holds its own
    clause, not the orders around it); "if" after a verb of finding out ("see if it
    shows a tear") asks whether."""
    if not any(f.kind == "order" for f in facts) or not _CONDITION.intersection(tokens):
        return facts
    spans = []
    for a, b, _ in sentences:
        if b - a > _CONDITION_SPAN:
            continue
        at = next(
            (
                i
                for i in range(a, b)
                if tokens[i] in _CONDITION and not (i > a and tokens[i - 1] in _WHETHER)
            ),
            None,
        )
        if at is not None:
            spans.append((_clause_start(tokens, a, at), b))
    return tuple(
        replace(f, conditional=True)
        if f.kind == "order" and any(a <= f.position < b for a, b in spans)
        else f
        for f in facts
    )


def _clause_start(tokens: list[str], start: int, at: int) -> int:
    """Where the clause holding token ``at`` opens: after the last ", and" (", but",
    ", so") or ";" before it, else the sentence's start."""
    for i in range(at - 1, start, -1):
        if tokens[i] == ";" or (tokens[i] in _COORDINATORS and tokens[i - 1] == ","):
            return i + 1
    return start


def allergen_facts(tokens: list[str], facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The facts with an allergy fact for each allergen an allergy frame names and no
    drug fact does ("allergic to sulfa", "Allergies: latex";
    :mod:`evident.verify.allergens`): a substance the drug lexicon lacks is still an
    allergy the source must bear out. The word before "allergy" is as often a modifier
    ("fall allergies") as a substance: only where it opens a sentence ("Sulfa allergy
    causing rash.") is it taken for one here; elsewhere it is left to the omission list."""
    from evident.verify.allergens import allergen_positions

    framed = set(allergen_positions(tokens, modifiers=False))
    found = [
        (word, pos)
        for word, pos in allergen_positions(tokens)
        if (word, pos) in framed or pos == 0 or tokens[pos - 1] in {".", ";", ":", "?", "!"}
    ]
    if not found:
        return facts
    named = {f.key for f in facts if f.kind in ("allergy", "medication")}
    at = {f.position for f in facts if f.kind in ("allergy", "medication")}
    extra = tuple(
        Fact(kind="allergy", key=word, text=tokens[pos], category="allergen", position=pos)
        for word, pos in found
        if word not in named and pos not in at
    )
    return facts + extra
