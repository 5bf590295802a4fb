"""Conditions MedQuAD names inside other pages but gives no page of their own.

General-health pages about a group of conditions list their kinds, each with a short
description (``- Stye - a bump on the eyelid that ...``), and pages about a symptom name
the conditions behind it (``a condition called labyrinthitis -- it is typically
accompanied by vertigo``). Each such name becomes a table entry whose findings are the
terms of its description (counted ``desc_weight`` times) and the findings of the page
that names it (once): the page's own topic is what the named condition presents with.

Only names that read as a condition are kept, judged from the table itself rather than
from a word list: the name's head word (its last, singular) heads conditions of the
table already (``disease``, ``syndrome``, ``stones``), or ends like the heads of many of
them (``-itis``, ``-oma``, ``-osis``). Names of existing conditions are never added
again. Only general-health sources are read: rare-disease pages list phenotype terms
(``- Hydrocele testis - High palate``) whose findings are the syndrome's, not theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from evident.tasks.differential.lexicon import Lexicon
from evident.tasks.differential.terms import mentions, normalise_name, parse_all

__all__ = ["Named", "condition_like", "find_named", "head_shapes", "named_terms"]

_BULLET = re.compile(
    r"(?:^|\n|\s{2})\s*-\s+([A-Z][A-Za-z'’ ]{2,48}?)\s+[-–:]\s+"
    r"((?:an?|the|[a-z])[^\n]{8,300}?)(?=\s{2,}-\s|\n|$)"
)
_CALLED = re.compile(
    r"\b(?:condition|disorder|disease|infection|problem)s?,?\s+(?:is\s+)?"
    r"(?:called|known as)\s+([a-z][a-z'’ -]{3,40}?)(?=\s*(?:[,.;:)]|--|\s-\s|$))"
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
MAX_WORDS = 4
_ARTICLES = frozenset({"a", "an", "the", "this", "these", "other", "some", "many", "most"})
_CLASSES = frozenset({"disease", "disorder", "syndrome", "infection"})
HEAD_SHAPE = 4


@dataclass(frozen=True)
class Named:
    """A condition named in another page's answer.

    Attributes:
        name: The name as written (display form).
        parent: The table key (normalised name) of the page that names it.
        description: The words that describe it there.
    """

    name: str
    parent: str
    description: str


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
        return word[:-1]
    return word


def head_shapes(keys: Iterable[str], min_heads: int = 3, min_shape: int = 8) -> set[str]:
    """Head words shared by ``min_heads`` table names, and word endings (``=itis``) shared
    by ``min_shape`` distinct heads: what a condition's name ends with, read from the table."""
    heads: Counter[str] = Counter()
    for key in keys:
        words = key.split()
        if words:
            heads[_singular(words[-1])] += 1
    ends: Counter[str] = Counter(h[-HEAD_SHAPE:] for h in heads if len(h) > HEAD_SHAPE + 2)
    out = {h for h, n in heads.items() if n >= min_heads}
    return out | {f"={e}" for e, n in ends.items() if n >= min_shape}


def condition_like(name: str, shapes: set[str], lex: Lexicon) -> bool:
    """Whether a normalised name reads as a condition by the table's ``shapes``."""
    words = name.split()
    if not words or len(words) > MAX_WORDS or words[-1] in lex.not_conditions:
        return False
    if words[0] in _ARTICLES or set(words) & lex.generic - _CLASSES:
        return False
    head = _singular(words[-1])
    shaped = len(head) > HEAD_SHAPE + 2 and f"={head[-HEAD_SHAPE:]}" in shapes
    if len(words) == 1:
        # One word that heads many names is a class of them (``infections``, ``cysts``).
        return shaped and head not in shapes
    return head in shapes or shaped


def _after(answer: str, end: int, chars: int = 240) -> str:
    """The rest of the sentence after ``end`` and the next one (at most ``chars``)."""
    rest = answer[end : end + chars]
    stops = [m.end() for m in _SENTENCE_END.finditer(rest)]
    return rest[: stops[1]] if len(stops) > 1 else rest


def find_named(rows: Iterable[tuple[str, str]], known: set[str]) -> Iterator[Named]:
    """Names given in ``(parent key, answer)`` rows that are not ``known`` keys."""
    for parent, answer in rows:
        for m in _BULLET.finditer(answer):
            name = " ".join(m.group(1).split())
            if normalise_name(name) not in known:
                yield Named(name, parent, m.group(2).strip())
        for m in _CALLED.finditer(answer):
            name = " ".join(m.group(1).split())
            if normalise_name(name) not in known:
                yield Named(name, parent, _after(answer, m.end()).strip(" -,.;:"))


def named_terms(descriptions: list[str]) -> list[list[str]]:
    """The affirmed finding terms of each description (the table's reader)."""
    docs = parse_all(descriptions, batch_size=64)
    return [sorted({m.term for m in mentions(doc) if not m.negated}) for doc in docs]
