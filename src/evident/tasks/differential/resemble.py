"""The must-not-miss flag's second arm: emergencies the case resembles (the bridge).

The first arm (:func:`.mustnotmiss.fitting`) raises a flag when the case affirms a term
of every group of an emergency's presentation: it reads the words the list names and
misses a presentation told in other words. The embeddings bridge already places the
case and every condition of the table in one space; this arm places the emergencies
there too (each one's name and the terms of its presentations, encoded once: the
words of ``must_not_miss.json``, nothing more) and raises the flag for an emergency the
case is nearer to than to all but a few of the table's conditions: it would be among
the case's ``top`` most similar conditions. Ranking against the whole table, not a
fixed cosine, keeps the cutoff the same for a case told in many words or in few.

``top`` is not written by hand: :func:`choose_top` picks it on development vignettes
by cross-validation (folds by diagnosis), weighing a missed emergency as
``miss_cost`` false alarms (``evident train differential-ranker``), and ``ranker.json``
ships it; 0 turns the arm off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from evident.tasks.differential.case import Case
from evident.tasks.differential.mustnotmiss import (
    Emergency,
    demographics_fit,
    emergencies,
    stem,
)
from evident.tasks.differential.terms import Mention

__all__ = [
    "Choice",
    "Sample",
    "choose_top",
    "emergency_text",
    "nearer_counts",
    "outcome",
    "resembling",
]


def emergency_text(e: Emergency) -> str:
    """An emergency in words, as the bridge's condition profiles are written."""
    return f"{e.name}: " + ", ".join(e.terms)


_VECTORS: dict[int, tuple[Any, Any]] = {}


def _vectors(profiles: Any) -> Any:
    """The emergencies' vectors in the space of ``profiles``, encoded once per profiles."""
    hit = _VECTORS.get(id(profiles))
    if hit is None or hit[0] is not profiles:
        hit = (profiles, profiles.encode([emergency_text(e) for e in emergencies()]))
        _VECTORS[id(profiles)] = hit
    return hit[1]


def nearer_counts(
    case: Case, case_vector: Any, similarity: Any, profiles: Any
) -> tuple[int | None, ...]:
    """For each emergency, how many table conditions are more similar to the case than
    it is (None where the case's sex or age rules it out).

    Args:
        case: The case read.
        case_vector: The case's vector (:meth:`~.dense.Profiles.case_vector`).
        similarity: The case's similarity to each table condition.
        profiles: The bridge (its encoder places the emergencies).
    """
    import numpy as np

    sims = np.sort(np.asarray(similarity, dtype=np.float32))
    own = np.asarray(_vectors(profiles), dtype=np.float32) @ np.asarray(case_vector)
    nearer = len(sims) - np.searchsorted(sims, own, side="right")
    return tuple(
        int(n) if demographics_fit(e, case) else None
        for e, n in zip(emergencies(), nearer, strict=True)
    )


def _quotes(case: Case, e: Emergency) -> list[Mention]:
    """The case's mentions of the emergency's terms, else of its chief complaint."""
    stems = {stem(t) for t in e.terms if " " not in t}
    found = [
        m for t, m in case.present.items() if t in e.terms or (" " not in t and stem(t) in stems)
    ]
    if not found:
        found = [m for t, m in case.present.items() if t in case.chief]
    return sorted(found, key=lambda m: (m.start, m.term))


def resembling(
    case: Case, counts: Sequence[int | None], top: int, skip: Collection[str] = ()
) -> list[tuple[Emergency, list[Mention]]]:
    """Emergencies the case resembles (fewer than ``top`` conditions nearer), not in
    ``skip`` (names), with the mentions to quote."""
    return [
        (e, _quotes(case, e))
        for e, n in zip(emergencies(), counts, strict=True)
        if n is not None and n < top and e.name not in skip
    ]


@dataclass(frozen=True)
class Sample:
    """One development vignette as the cutoff's choice sees it.

    Attributes:
        key: Its correct diagnosis (folds never split one).
        truth: Index of its emergency in :func:`emergencies`, None when it is not one.
        rules: Indices of the emergencies the first arm flags.
        counts: :func:`nearer_counts` of the case.
    """

    key: str
    truth: int | None
    rules: frozenset[int]
    counts: tuple[int | None, ...]


def outcome(s: Sample, top: int) -> tuple[bool, bool]:
    """(missed, false alarm) of a sample with the arm's cutoff at ``top``."""
    flagged = set(s.rules) | {k for k, n in enumerate(s.counts) if n is not None and n < top}
    if s.truth is None:
        return False, bool(flagged)
    return s.truth not in flagged, False


@dataclass(frozen=True)
class Choice:
    """The chosen cutoff and what cross-validation says of choosing it that way.

    Attributes:
        top: Cutoff chosen on every sample given.
        folds: The cutoff each fold's training part chose.
        missed: Emergencies missed, each fold scored with its own training part's cutoff.
        emergencies: Samples whose diagnosis is an emergency.
        false_alarms: Other samples flagged, counted the same way.
        others: Other samples.
    """

    top: int
    folds: tuple[int, ...]
    missed: int
    emergencies: int
    false_alarms: int
    others: int


def _best(samples: Sequence[Sample], miss_cost: float, limit: int) -> int:
    def cost(top: int) -> tuple[float, int]:
        missed = alarms = 0
        for s in samples:
            m, a = outcome(s, top)
            missed += m
            alarms += a
        return miss_cost * missed + alarms, top  # ties: the smaller cutoff

    return min(range(limit + 1), key=cost)


def _fold(key: str, folds: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def choose_top(
    samples: Sequence[Sample], miss_cost: float = 10.0, folds: int = 5, limit: int = 60
) -> Choice:
    """The cutoff minimising ``miss_cost`` x missed emergencies + false alarms.

    Cross-validation (folds by diagnosis, like the ranker's) scores the choice itself:
    each fold is flagged with the cutoff its training part chose.
    """
    chosen, missed, alarms = [], 0, 0
    for f in range(folds):
        train = [s for s in samples if _fold(s.key, folds) != f]
        top = _best(train, miss_cost, limit)
        chosen.append(top)
        for s in samples:
            if _fold(s.key, folds) == f:
                m, a = outcome(s, top)
                missed += m
                alarms += a
    n_em = sum(s.truth is not None for s in samples)
    return Choice(
        top=_best(samples, miss_cost, limit),
        folds=tuple(chosen),
        missed=missed,
        emergencies=n_em,
        false_alarms=alarms,
        others=len(samples) - n_em,
    )
