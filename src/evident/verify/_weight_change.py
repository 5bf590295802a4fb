"""A change of weight said with its unit ("I've lost about ten pounds", "gained a few
pounds", "dropped 5 kg"): the weight loss or gain the findings lexicon names in other
words ("lost weight"). Read over the tokens: a verb of ``words.json``'s
``weight_change`` map, then within a few tokens, in the same clause, a unit of body
weight (``quantities.json``'s units of dimension ``bodyweight``). The number itself stays
a quantity; this adds the finding its verb says, with the verb's context (denied,
asked, historical). The quantities are read first, so a number that takes the unit of
the weight beside it counts too ("182 pounds this morning, down from 188"), and so does
the word "weight" itself a few words on ("lost a bit of weight")."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from evident.verify._resources import load_lexicons
from evident.verify._words import mapping
from evident.verify.lexicon import Entry

if TYPE_CHECKING:
    from evident.verify._extract_core import ExtractorCore
    from evident.verify.facts import Fact

__all__ = ["weight_change_facts"]

_WINDOW = 4  # "lost about ten pounds", "gained a few more pounds"
_ENDS = frozenset({".", "?", "!", ";", ",", "and", "but", "or"})


@cache
def _units() -> frozenset[str]:
    return frozenset(
        a
        for u in load_lexicons().quantities.units.values()
        if u.dimension == "bodyweight"
        for a in u.aliases
    )


@cache
def _verbs() -> dict[str, str]:
    return mapping("weight_change")


def weight_change_facts(core: ExtractorCore) -> list[Fact]:
    """The weight gains and losses the text says with a unit of weight, as findings at
    their verb; none where the findings lexicon already named one there."""
    verbs, units = _verbs(), _units()
    # a weight said in its unit, or a bare number that takes the unit of the weight it
    # stands beside ("182 pounds, down from 188")
    weights = {f.position for f in core.facts if f.kind == "quantity" and f.key == "bodyweight"}
    if not weights and not units.intersection(core.tokens) and "weight" not in core.tokens:
        return []
    named = {f.position for f in core.facts if f.key in {"weight gain", "weight loss"}}
    toks = core.tokens
    out: list[Fact] = []
    for i, tok in enumerate(toks):
        name = verbs.get(tok)
        if name is None or i in named:
            continue
        for j in range(i + 1, min(len(toks), i + 1 + _WINDOW)):
            if toks[j] in units or j in weights or toks[j] == "weight":
                out.append(core._base(i, 1, Entry("finding", name), category="symptom"))
                break
            if toks[j] in _ENDS:
                break
    return out
