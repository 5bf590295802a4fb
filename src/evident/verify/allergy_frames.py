"""Allergy frames: where a drug named is an allergen and a finding its reaction.

Two frames, read from where the words stand rather than from the substance: the reply to
a question that asks about allergies ("any allergies?" - "penicillin gives me hives"),
and an allergy field ("Allergies: penicillin (hives)"). Inside a frame an affirmed drug
is an allergy to it, and an affirmed symptom is its reaction (category ``reaction``), not
a complaint of the visit: the omission list then holds one allergy, not a medication and
a symptom, and "allergic to penicillin" finds the allergy the reply named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from evident.verify._words import words

if TYPE_CHECKING:
    from evident.verify.facts import Fact

__all__ = ["asks_allergies", "field_frames", "field_labels", "in_frame"]

_FIELD_END = words("field_end")
_LABELS = frozenset({"allergies", "allergy"})
# "is the congestion from allergies?", "how are your allergies?": the condition, not
# whether something gives the patient a reaction
_CONDITION = words("allergy_as_condition") | words("possessive")


def asks_allergies(tokens: Sequence[str], at: int | None) -> bool:
    """Whether a question whose allergy word is at ``at`` asks what the patient is
    allergic to (not about allergies as a condition)."""
    return at is not None and (at == 0 or tokens[at - 1] not in _CONDITION)


def in_frame(facts: Sequence[Fact], lo: int, hi: int) -> tuple[Fact, ...]:
    """``facts`` with those at token positions ``[lo, hi)`` read inside an allergy frame."""
    out = []
    for f in facts:
        if lo <= f.position < hi and f.polarity == "affirmed" and not f.family:
            if f.kind == "medication":
                f = replace(f, kind="allergy", category="allergen")
            elif f.kind == "finding" and f.category == "symptom":
                f = replace(f, category="reaction")
        out.append(f)
    return tuple(out)


def field_labels(tokens: Sequence[str]) -> list[int]:
    """Positions of each "Allergies:" field label (at the text's start or after a stop);
    the field's items follow its colon."""
    return [
        i
        for i in range(len(tokens) - 2)
        if tokens[i] in _LABELS and tokens[i + 1] == ":" and (i == 0 or tokens[i - 1] in ".;:")
    ]


def field_frames(tokens: Sequence[str], facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """Facts of a text with each "Allergies:" field read as an allergy frame; the label
    itself names no condition (it is not allergic rhinitis)."""
    for at in field_labels(tokens):
        end = next((j for j in range(at + 2, len(tokens)) if tokens[j] in _FIELD_END), len(tokens))
        kept = tuple(f for f in facts if not (f.position == at and f.kind == "finding"))
        facts = in_frame(kept, at + 2, end)
    return facts
