"""What every fact check returns (:class:`Check`) and the helpers the checks share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evident.verify._words import mapping
from evident.verify.facts import Fact
from evident.verify.index import IndexedSegment

__all__ = ["Check", "other_side"]

_HARD = frozenset({"medication", "vital", "lab", "allergy", "quantity", "level"})


@dataclass(frozen=True)
class Check:
    """Outcome of one fact check."""

    status: str  # ok | conflict | missing
    fact: Fact
    segments: tuple[str, ...] = ()
    reason: str = ""
    strict: bool = False  # missing makes the statement unsupported whatever the fact's kind
    checker: str = ""  # which checker, when the fact's kind does not say (dose, frequency...)

    @property
    def hard(self) -> bool:
        """Whether a missing fact of this kind makes the statement unsupported on its own."""
        return self.strict or self.fact.kind in _HARD


def _ids(items: Iterable[IndexedSegment]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for s in items:
        seen.setdefault(s.segment.id, None)
    return tuple(seen)[:5]


def _name(f: Fact) -> str:
    if f.key.startswith("pain@"):
        site = f.key.split("@", 1)[1]
        return f"{site} pain" if site else "pain"
    return f.key


def other_side(stf: Fact, f: Fact) -> bool:
    """A mention given the other side than the statement's (left against right)."""
    return stf.laterality in _SIDES and f.laterality in _SIDES and f.laterality != stf.laterality


# left and right (the laterality map's sides; "bilateral" speaks of both)
_SIDES = frozenset(v for v in mapping("laterality").values() if v != "bilateral")
