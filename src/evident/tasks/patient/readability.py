"""Reading grade of patient-facing text: Flesch-Kincaid and SMOG, with our own syllable
counter (no dictionary download; see ``count_syllables``)."""

from __future__ import annotations

import math
import re
from statistics import median

__all__ = ["count_syllables", "fk_grade", "grades", "median_grade", "smog_grade", "text_stats"]

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_SENT = re.compile(r"[.!?]+(?=\s|$)|\n+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs spoken as two syllables ("di-a-be-tes", "ra-di-o", "cre-ate"), not "-tion".
_SPLIT_PAIRS = re.compile(r"ia(?!n\b)|(?<![tscxg])io(?!u)|ua|uo|ea(?=t)|ie(?=t)")


def _silent_ending(w: str) -> int:
    """1 when the word ends in a silent ``-e``, ``-ed`` or ``-es``, else 0."""
    if w.endswith("e") and not w.endswith(("ee", "ie", "ye")):
        return 0 if re.search(r"[^aeiouy]le$", w) else 1
    if w.endswith("ed") and w[-3] not in "tdaeiouy":
        return 1
    if w.endswith("es") and not re.search(r"(?:[sxz]|[cs]h|[cg])es$", w):
        return 1
    return 0


def count_syllables(word: str) -> int:
    """Syllables of an English word by spelling rules (vowel groups, silent endings).

    Counts vowel groups (``y`` after a consonant counts), drops a silent final ``e``
    (but not ``-le`` after a consonant), a silent ``-ed`` or ``-es``, and splits vowel
    pairs usually spoken apart (``ia``, ``io``, ``ua``). About as good as the common
    heuristic tools, with no dictionary.
    """
    w = word.lower().strip("'’")
    w = re.sub(r"['’]s$", "", w)
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    n = len(_VOWEL_GROUPS.findall(w[0].replace("y", "b") + w[1:]))
    n += len(_SPLIT_PAIRS.findall(w))
    n -= _silent_ending(w)
    return max(1, n)


def text_stats(text: str) -> tuple[int, int, int, int]:
    """Sentences, words, syllables and words of three or more syllables in ``text``."""
    words = _WORD.findall(text)
    sentences = max(1, len([s for s in _SENT.split(text) if _WORD.search(s)]))
    syl = [count_syllables(w) for w in words]
    return sentences, len(words), sum(syl), sum(1 for s in syl if s >= 3)


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade level, or None for text without words."""
    sentences, words, syllables, _ = text_stats(text)
    if not words:
        return None
    return round(0.39 * words / sentences + 11.8 * syllables / words - 15.59, 1)


def smog_grade(text: str) -> float | None:
    """SMOG grade (McLaughlin 1969, the formula health-literacy guides use), or None."""
    sentences, words, _, poly = text_stats(text)
    if not words:
        return None
    return round(1.0430 * math.sqrt(poly * 30 / sentences) + 3.1291, 1)


def grades(text: str) -> dict[str, float | None]:
    """Both grades of ``text``: ``flesch_kincaid`` and ``smog``."""
    return {"flesch_kincaid": fk_grade(text), "smog": smog_grade(text)}


def median_grade(values: list[float]) -> float | None:
    """The median of grades, or None for none."""
    return round(median(values), 1) if values else None
