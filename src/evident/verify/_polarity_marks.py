"""What a sentence says of its claims (for ``_polarity_read.py``): the marks every claim
shares (relatives, hedges, time words, negations), where a semicolon splits it, and the
objects a negating determiner holds ("with *no* ST changes")."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from evident.verify._polarity_cues import cues
from evident.verify._polarity_scope import _cue_root, _denied_change

__all__ = [
    "Marks",
    "negated_object",
    "part_of",
    "relatives_of",
    "semicolons",
    "time_or_place",
]


@dataclass(frozen=True)
class Marks:
    """What a sentence says of all its claims."""

    family: tuple[tuple[int, str], ...]  # (where, person) of each relative named
    hedged: bool
    present: tuple[Any, ...]
    past: tuple[Any, ...]
    clausal: bool
    npi: bool
    concord: dict[int, int]
    counts: dict[int, int]
    cue_of: dict[int, frozenset[int]]
    held: dict[int, frozenset[str]]
    tested: frozenset[int] = frozenset()
    semis: tuple[int, ...] = ()  # where the sentence's semicolons are


def time_or_place(g: Any) -> bool:
    """A light noun that is itself the object of a preposition and denies nothing ("at
    the *time* of the injury", "in the middle of the night"): what follows its "of" is
    a circumstance, not a claim ("no *history* of asthma", "with no *history* of" are)."""
    negators = cues().negators
    return g.dep_ == "pobj" and not any(ch.lower_ in negators for ch in g.children)


def negated_object(t: Any) -> bool:
    """An object a negating determiner holds ("with *no* ST changes", "in *no* distress"):
    it is denied like the object of "without", not a circumstance of its governor."""
    negators = cues().negators
    return not time_or_place(t) and any(
        ch.dep_ == "det"
        and ch.lower_ in negators
        and (_cue_root(ch) is not None or _denied_change(ch) is not None)
        for ch in t.children
    )


def semicolons(sent: Any) -> tuple[int, ...]:
    """Where a sentence's semicolons are: a semicolon joins two clauses whatever the
    parser attached."""
    return tuple(x.i for x in sent if x.text == ";")


def part_of(semis: tuple[int, ...], i: int) -> int:
    """Which semicolon-separated part of its sentence token ``i`` is in."""
    return bisect_right(semis, i)


def relatives_of(
    t: Any, family: tuple[tuple[int, str], ...], semis: tuple[int, ...]
) -> frozenset[str]:
    """The relatives a claim is said of: those its sentence names, but not across a
    semicolon ("No personal history of stroke; her sister had a stroke": the sister's
    is the second)."""
    part = part_of(semis, t.i)
    return frozenset(p for i, p in family if part_of(semis, i) == part)
