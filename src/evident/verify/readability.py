"""Reading level of patient-facing drafts (Flesch-Kincaid grade, no dependency)."""

from __future__ import annotations

import re

from evident.types import Draft, Finding

__all__ = ["PATIENT_TASKS", "TARGET_GRADE", "fk_grade", "reading_level_finding"]

#: Tasks whose drafts patients read; ``Draft.meta["audience"] == "patient"`` also counts.
PATIENT_TASKS = frozenset({"patient_message", "patient_education", "patient_summary", "teach"})
#: Health-literacy guidance commonly asks for grade 8 or below (often 6).
TARGET_GRADE = 8.0

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_SENT = re.compile(r"[.!?]+(?:\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")


def _syllables(word: str) -> int:
    w = word.lower()
    n = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
        n -= 1
    return max(1, n)


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade level of ``text``, or None when it has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len(_SENT.findall(text.strip() + " ")))
    syllables = sum(_syllables(w) for w in words)
    return round(0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59, 1)


def reading_level_finding(draft: Draft, patient_facing: bool | None = None) -> Finding | None:
    """A ``reading_level`` finding for patient-facing drafts, else None.

    Args:
        draft: The draft.
        patient_facing: Force on/off; None decides from the task name and
            ``draft.meta["audience"]``.
    """
    if patient_facing is None:
        patient_facing = draft.task in PATIENT_TASKS or draft.meta.get("audience") == "patient"
    if not patient_facing:
        return None
    grade = fk_grade(" ".join(st.text for st in draft.statements))
    if grade is None:
        return None
    over = grade > TARGET_GRADE
    return Finding(
        kind="reading_level",
        severity="warning" if over else "info",
        where="draft",
        message=f"Flesch-Kincaid grade {grade:g}"
        + (f"; above grade {TARGET_GRADE:g} for patients" if over else ""),
    )
