"""The value both halves of the privacy stage share: a typed span of PHI.

Detection (:mod:`evident.privacy.detect`) produces :class:`PhiSpan` values and the
operators (:mod:`evident.privacy.operators`) consume them; neither imports the other.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["PHI_TYPES", "PhiSpan", "PhiType", "resolve_overlaps"]

PhiType = Literal[
    "NAME",
    "ADDRESS",
    "CITY",
    "COUNTY",
    "ZIP",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "SSN",
    "MRN",
    "ACCOUNT",
    "HEALTH_PLAN",
    "LICENSE",
    "DEVICE",
    "VEHICLE",
    "URL",
    "IP",
    "ID",
    "HOSPITAL",
]
PHI_TYPES: tuple[str, ...] = get_args(PhiType)


@dataclass(frozen=True, order=True)
class PhiSpan:
    """One piece of PHI found in a text.

    Attributes:
        start: Character offset where it starts.
        end: Offset where it ends (exclusive).
        type: The Safe Harbor category (one of :data:`PHI_TYPES`).
        score: Confidence in [0, 1].
        text: The covered text (kept so operators need not slice again).
    """

    start: int
    end: int
    type: str
    score: float = 1.0
    text: str = ""

    def shifted(self, delta: int) -> PhiSpan:
        """The same span moved by ``delta`` characters (used when scanning chunks)."""
        return PhiSpan(self.start + delta, self.end + delta, self.type, self.score, self.text)


def resolve_overlaps(spans: list[PhiSpan]) -> list[PhiSpan]:
    """Keep non-overlapping spans: higher score first, then the longer one, then earlier.

    Args:
        spans: Candidate spans in any order.

    Returns:
        Non-overlapping spans sorted by start.
    """
    ranked = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start))
    starts: list[int] = []  # sorted starts of taken spans; taken spans never overlap
    by_start: dict[int, PhiSpan] = {}
    for span in ranked:
        if span.end <= span.start:
            continue
        i = bisect_left(starts, span.start)
        if i < len(starts) and starts[i] < span.end:
            continue
        if i > 0 and by_start[starts[i - 1]].end > span.start:
            continue
        starts.insert(i, span.start)
        by_start[span.start] = span
    return [by_start[s] for s in starts]
