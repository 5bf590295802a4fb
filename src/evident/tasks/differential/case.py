"""Read a case: the findings it affirms and denies, the patient's age, sex and time course."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evident.errors import InputError
from evident.tasks.differential.lexicon import load_lexicon
from evident.tasks.differential.terms import Mention, mentions, parse
from evident.verify.advice import warns

__all__ = ["Case", "read_case"]

_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "few": 3,
}
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_AGE = re.compile(
    r"\b(\d{1,3})(?:\s*|-)(?:years?|yrs?|y)(?:\s*|-)(?:old|o\b|/o)|\baged?\s+(\d{1,3})\b"
    r"|\b(\d{1,2})(?:\s*|-)months?(?:\s*|-)old",
    re.I,
)
_DURATION = re.compile(
    r"\b(?:for|since|past|last|over)\s+(?:the\s+)?(?:past\s+|last\s+)?(\d+|an?|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|several|few)\s+(hour|day|week|month|year)s?"
    r"|\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+"
    r"(hour|day|week|month|year)s?\s+ago",
    re.I,
)
_CHIEF = ("chief complaint", "cc:", "reason for visit", "presenting complaint", "complaint:")
_SEX_WORDS = {
    "female": {"female", "woman", "girl", "lady", "she", "her", "hers", "pregnant", "mrs", "ms"},
    "male": {"male", "man", "boy", "gentleman", "he", "him", "his", "mr"},
}


@dataclass(frozen=True)
class Case:
    """What the offline engine knows about a case.

    Attributes:
        text: The case text, as given (quotes are substrings of it).
        present: Term -> first mention the case affirms for the patient.
        denied: Term -> first mention the case denies (and never affirms).
        family: Term -> first mention given to a relative.
        age: Age in years, when stated.
        sex: ``female`` or ``male`` when the case says so.
        duration_days: How long the complaint has lasted, when stated.
        mentions: Every mention read, in text order (for checking quotes).
        chief: Terms of the chief complaint (a sentence opening with its heading).
    """

    text: str
    present: dict[str, Mention] = field(default_factory=dict)
    denied: dict[str, Mention] = field(default_factory=dict)
    family: dict[str, Mention] = field(default_factory=dict)
    age: float | None = None
    sex: str | None = None
    duration_days: float | None = None
    mentions: tuple[Mention, ...] = ()
    chief: frozenset[str] = frozenset()


def _age(text: str) -> float | None:
    m = _AGE.search(text)
    if not m:
        return None
    if m.group(3):
        return int(m.group(3)) / 12
    return float(m.group(1) or m.group(2))


def _duration(text: str) -> float | None:
    m = _DURATION.search(text)
    if not m:
        return None
    count, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    n = int(count) if count.isdigit() else _NUM_WORDS.get(count.lower(), 1)
    return n * _UNIT_DAYS[unit.lower()]


def _sex(words: list[str]) -> str | None:
    counts = {k: sum(w in v for w in words) for k, v in _SEX_WORDS.items()}
    if counts["female"] == counts["male"]:
        return None
    return "female" if counts["female"] > counts["male"] else "male"


def _unclaimed_spans(doc: Any) -> list[tuple[int, int]]:
    """Character spans of the sentences that claim nothing of the patient: questions
    ("Any headaches, chest pain, or shortness of breath?" in a transcript: the answer
    says what is there) and advice on what to watch for ("Return precautions for fever,
    flank pain or vomiting.", "Call if the pain worsens.", read as verify reads advice,
    :func:`evident.verify.advice.warns`)."""
    return [
        (s.start_char, s.end_char)
        for s in doc.sents
        if s.text.rstrip().endswith("?") or warns(s.text)
    ]


def read_case(text: str) -> Case:
    """Parse a case description, note or transcript text.

    Raises:
        InputError: The text is empty.
    """
    if not text.strip():
        raise InputError("the case is empty")
    load_lexicon()
    doc = parse(text)
    present: dict[str, Mention] = {}
    denied: dict[str, Mention] = {}
    family: dict[str, Mention] = {}
    unclaimed = _unclaimed_spans(doc)
    found = [
        m
        for m in mentions(doc, adverbs=True, notes=True)
        if not any(a <= m.start < b for a, b in unclaimed)
    ]
    chief = _chief_spans(doc)
    for m in found:
        if m.family:
            family.setdefault(m.term, m)
        elif m.negated:
            denied.setdefault(m.term, m)
        else:
            present.setdefault(m.term, m)
    for term in present:
        denied.pop(term, None)
    return Case(
        text=text,
        present=present,
        denied=denied,
        family=family,
        age=_age(text),
        sex=_sex([t.lower_ for t in doc]),
        duration_days=_duration(text),
        mentions=tuple(sorted(found, key=lambda m: (m.start, m.end))),
        chief=frozenset(
            m.term for m in found if not m.negated and any(a <= m.start < b for a, b in chief)
        ),
    )


def _chief_spans(doc: Any) -> list[tuple[int, int]]:
    spans = []
    for sent in doc.sents:
        head = sent.text.lower().lstrip()
        if head.startswith(_CHIEF):
            spans.append((sent.start_char, sent.end_char))
    return spans
