"""Document-level consistency: a value found as PHI once is PHI everywhere.

A name found in one sentence ("Ms. Quenneville") must be masked where no rule fires
("it's Marisol Quenneville", "quenneville's daughter"): every detected value, and each
word of a name (surname alone, first name alone), is looked for again in the whole text,
in any casing, possessives included. The caller passes values found in the other
documents of the same run too, so every source sent to a model is masked alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from evident.privacy._data import load_lexicon
from evident.privacy.spans import PhiSpan

__all__ = ["known_values", "propagate"]

_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
_SKIP_TYPES = frozenset({"AGE"})  # "94" alone is not an identifier
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "del",
        "della",
        "der",
        "den",
        "da",
        "di",
        "dos",
        "du",
        "la",
        "le",
        "ter",
        "bin",
        "al",
        "el",
        "st",
    ]
)


def known_values(spans: Iterable[PhiSpan]) -> dict[str, str]:
    """Value → type of the spans (the values to look for in other documents)."""
    return {s.text: s.type for s in spans if s.text and s.type not in _SKIP_TYPES}


def _terms(values: Mapping[str, str]) -> dict[str, tuple[str, bool]]:
    """Lower-cased search term → (type, whether only a capitalised occurrence counts)."""
    from evident.privacy._statistical import clinical_words

    lex, clinical = load_lexicon(), clinical_words()
    terms: dict[str, tuple[str, bool]] = {}
    for value, phi_type in values.items():
        value = value.strip()
        if phi_type in _SKIP_TYPES or len(value) < 2:
            continue
        if phi_type == "DATE" and (len(value) < 6 or not any(c.isdigit() for c in value)):
            continue  # "March", "the 14th": too common to mean this date everywhere
        if phi_type not in ("NAME", "HOSPITAL", "CITY", "COUNTY") and len(value) < 4:
            continue
        terms.setdefault(value.lower(), (phi_type, False))
        if phi_type != "NAME":
            continue
        for word in _NAME_WORD.findall(value):
            low = word.lower()
            if len(low) < 2 or low in _PARTICLES or low in lex.not_names:
                continue
            strict = low in lex.ambiguous or low in clinical or low in lex.titles
            if low not in terms or terms[low][1]:
                terms[low] = ("NAME", strict)
    return terms


def propagate(
    text: str, spans: list[PhiSpan], known: Mapping[str, str] | None = None
) -> list[PhiSpan]:
    """Add the other occurrences of every detected (or ``known``) value to ``spans``.

    Args:
        text: The document.
        spans: Non-overlapping spans found in it.
        known: Values found in other documents of the same run (value → type).

    Returns:
        The spans and the new, non-overlapping occurrences, sorted by start.
    """
    values = dict(known or {})
    values.update(known_values(spans))
    terms = _terms(values)
    if not terms:
        return spans
    keys = sorted(terms, key=len, reverse=True)
    regex = re.compile(
        r"(?<![\w'’-])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", re.IGNORECASE
    )
    taken = sorted((s.start, s.end) for s in spans)
    added: list[PhiSpan] = []
    i = 0
    for m in regex.finditer(text):
        start, end = m.span()
        while i < len(taken) and taken[i][1] <= start:
            i += 1
        if i < len(taken) and taken[i][0] < end:
            continue  # already part of a span
        phi_type, strict = terms[m.group().lower()]
        if strict and not m.group()[:1].isupper():
            continue  # "Wood" is a surname here; "wood" elsewhere is wood
        added.append(PhiSpan(start, end, phi_type, 0.7, m.group()))
    return sorted(spans + added) if added else spans
