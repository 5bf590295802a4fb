"""Directions within a part (medial and lateral, upper and lower, proximal and distal):
a finding denied of one aspect is not contradicted by the same finding told of the
opposite aspect ("no lateral joint line tenderness" beside "tenderness over the medial
joint line"), as a denial on one side is not by a finding on the other side. The pairs
are anatomical terminology, a closed class (``words.json``'s ``direction_pairs``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from evident.verify._polarity_cues import norm
from evident.verify._words import sequences

__all__ = ["directions", "opposed_directions", "opposite_aspect"]

_REACH = 5  # words on either side of a mention that may place it


@cache
def _opposites(reader: str = "stem") -> dict[str, frozenset[str]]:
    """Each direction's stem to the stems of its opposites, as the fact extractor
    (``stem``) or the polarity reader (``norm``) stems words."""
    from evident.verify.facts import stem  # facts reads polarity, which reads us

    fn = stem if reader == "stem" else norm
    out: dict[str, set[str]] = {}
    for a, b in sequences("direction_pairs"):
        out.setdefault(fn(a), set()).add(fn(b))
        out.setdefault(fn(b), set()).add(fn(a))
    return {k: frozenset(v) for k, v in out.items()}


def directions(stems: Iterable[str], reader: str = "stem") -> frozenset[str]:
    """The direction stems among ``stems``."""
    table = _opposites(reader)
    return frozenset(s for s in stems if s in table)


def opposed_directions(
    mine: Iterable[str], theirs: Iterable[str], reader: str = "stem", strict: bool = True
) -> bool:
    """Whether ``theirs`` names a direction opposite to one of ``mine`` (and, ``strict``,
    none of them: a whole clause, "tender along the medial joint line, not the lateral
    side", names both)."""
    a, b = directions(mine, reader), directions(theirs, reader)
    table = _opposites(reader)
    return bool(a) and not (strict and a & b) and any(b & table[d] for d in a)


def opposite_aspect(
    mine: frozenset[str], tokens: tuple[str, ...], position: int, bounds: tuple[int, int]
) -> bool:
    """Whether the words around a source mention (within its sentence, ``bounds``) place
    it on the aspect opposite to the statement's directions ``mine``, and on none of
    them."""
    from evident.verify.facts import stem

    lo, hi = max(bounds[0], position - _REACH), min(bounds[1], position + _REACH + 1)
    return opposed_directions(mine, (stem(t) for t in tokens[lo:hi]))
