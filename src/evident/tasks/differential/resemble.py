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

With a cutoff of evidence in ``ranker.json`` (:mod:`.strength`), the resemblance is
not a cutoff of its own: it is added to the evidence of the emergency's terms, and
``top`` (older ranker files) is unused.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from evident.tasks.differential.case import Case
from evident.tasks.differential.mustnotmiss import (
    Emergency,
    demographics_fit,
    emergencies,
    stem,
)
from evident.tasks.differential.terms import Mention

__all__ = ["emergency_text", "nearer_counts", "quotes", "resembling"]


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


def quotes(case: Case, e: Emergency) -> list[Mention]:
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
        (e, quotes(case, e))
        for e, n in zip(emergencies(), counts, strict=True)
        if n is not None and n < top and e.name not in skip
    ]
