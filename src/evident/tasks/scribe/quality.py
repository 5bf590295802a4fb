"""How a note reads, measured: section placement against a reference note, and style.

- **Placement.** For each statement, the reference note's sentence sharing the most
  content words (at least ``min_shared``) names the section that holds its content; its
  heading type maps to a part of the note (``history``: chief complaint, HPI, review of
  systems, past/family/social history; ``exam``: examination, vitals, results;
  ``assessment_plan``). A statement is placed right when its own section collects the
  same part. Statements matching no reference sentence are not counted.
- **Style.** A statement fails when it keeps a first- or second-person word ("I", "we",
  "you", "my", "your", ...) or conversational filler (a filler word of
  ``resources/rewrite.yaml``, or a sentence the engine's drop patterns name as talk).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from evident.tasks.scribe.prose import person_words
from evident.tasks.scribe.rules import rewrite_rules, section_rules
from evident.types import Source, Statement

__all__ = [
    "Placement",
    "content_words",
    "has_filler",
    "part_of",
    "placement",
    "reference_parts",
    "style_failures",
]

_WORDS = re.compile(r"[a-z0-9]+")
_PARTS = {
    "chief_complaint": "history",
    "hpi": "history",
    "ros": "history",
    "exam": "exam",
    "results": "exam",
    "assessment": "assessment_plan",
    "plan": "assessment_plan",
}


@dataclass(frozen=True)
class Placement:
    """Statements matched to a reference section, and how many sit in the same part."""

    matched: int
    right: int
    confusion: Mapping[tuple[str, str], int]


def part_of(categories: Sequence[str]) -> str | None:
    """The note part ("history", "exam", "assessment_plan") a set of categories belongs to."""
    parts = {_PARTS[c] for c in categories if c in _PARTS}
    return parts.pop() if len(parts) == 1 else None


@cache
def _stop() -> frozenset[str]:
    return frozenset(section_rules().stopwords)


def content_words(text: str) -> set[str]:
    """The content words of a text (lowercase, no stopwords, longer than two letters)."""
    return {w for w in _WORDS.findall(text.lower()) if w not in _stop() and len(w) > 2}


_content = content_words


def placement(
    statements: Sequence[Statement],
    sections: Mapping[str, Sequence[str]],
    reference: Source,
    min_shared: int = 3,
) -> Placement:
    """Compare each statement's section with the reference section holding its content.

    Args:
        statements: The draft's statements.
        sections: Section name -> categories (as from ``resolve_sections``).
        reference: The reference note, parsed with ``kind="note"``.
        min_shared: Content words a reference sentence must share to count as a match.
    """
    ref = reference_parts(reference)
    matched = right = 0
    confusion: dict[tuple[str, str], int] = {}
    for st in statements:
        mine = part_of(sections.get(st.section, []))
        words = _content(st.text)
        best = max(ref, key=lambda r: len(words & r[1]), default=None)
        if mine is None or best is None or len(words & best[1]) < min_shared:
            continue
        matched += 1
        right += mine == best[0]
        confusion[(best[0], mine)] = confusion.get((best[0], mine), 0) + 1
    return Placement(matched, right, confusion)


def reference_parts(reference: Source) -> list[tuple[str, set[str]]]:
    """(note part, content words) of each sentence of a reference note under a known heading."""
    types = section_rules().heading_types
    out = []
    for seg in reference.segments:
        part = part_of(types.get(seg.meta.get("section_type", ""), []))
        if part:
            out.append((part, content_words(seg.text)))
    return out


@cache
def _filler_re() -> re.Pattern[str]:
    words = sorted(rewrite_rules().fillers, key=len, reverse=True)
    return re.compile(r"(?<![\w'-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'-])")


@cache
def _drops() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in section_rules().drop_patterns)


def has_filler(text: str) -> bool:
    """Whether a statement keeps a filler word or is conversation the note should drop."""
    low = text.lower()
    return bool(_filler_re().search(low)) or any(p.search(low) for p in _drops())


def style_failures(statements: Sequence[Statement]) -> tuple[int, int]:
    """(statements with a first/second-person word, statements with filler)."""
    person = sum(1 for st in statements if person_words(st.text))
    filler = sum(1 for st in statements if has_filler(st.text))
    return person, filler
