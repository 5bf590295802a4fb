"""Which names in a document belong to a woman or a man, read from the document itself.

Surrogates must keep the text coherent: "Sabine Davenport is a 54-year-old man" or "his
wife, Desmond" tell a reader (and a model) that something was replaced. The cues are
the document's own words around each mention of a name: titles (``Mr.``, ``Ms.``),
relations (``his wife``, ``her son``), ``is a 54-year-old woman``, and the first
personal pronoun after the mention. Votes are summed per name word over the whole text
(or the texts of one run) and the majority wins; no cue means no gender (a unisex
surrogate). The vocabulary is data (``resources/gender.yaml``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import yaml

from evident.privacy._data import _fail, _read
from evident.privacy.spans import PhiSpan

__all__ = ["infer_genders"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PRONOUN = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Cues:
    before: tuple[tuple[re.Pattern[str], str], ...]
    after: tuple[tuple[re.Pattern[str], str], ...]


@cache
def _cues() -> _Cues:
    name = "gender.yaml"
    data = yaml.safe_load(_read(name))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail(name, "expected a mapping with version: 1")
    out: dict[str, list[tuple[re.Pattern[str], str]]] = {"before": [], "after": []}
    for side in ("before", "after"):
        for gender in ("F", "M"):
            words = (data.get(side) or {}).get(gender)
            if not isinstance(words, list) or not words:
                raise _fail(name, f"'{side}.{gender}' must be a non-empty list")
            alternation = "|".join(str(w) for w in words)
            try:
                if side == "before":
                    regex = re.compile(rf"\b(?:{alternation})\.?,?[ \t]+$", re.IGNORECASE)
                else:
                    regex = re.compile(rf"^,?[ \t]+(?:{alternation})\b", re.IGNORECASE)
            except re.error as exc:
                raise _fail(name, f"pattern does not compile ({exc})") from None
            out[side].append((regex, gender))
    return _Cues(tuple(out["before"]), tuple(out["after"]))


def _vote(text: str, span: PhiSpan) -> str | None:
    cues = _cues()
    left = text[max(0, span.start - 40) : span.start]
    for regex, gender in cues.before:
        if regex.search(left):
            return gender
    right = text[span.end : span.end + 120]
    for regex, gender in cues.after:
        if regex.search(right):
            return gender
    sentence = re.split(r"(?<=[.!?])\s+(?=\S)", right, maxsplit=2)
    window = " ".join(sentence[:2])
    m = _PRONOUN.search(window)
    if m is None:
        return None
    return "F" if m.group(1).lower() in ("she", "her", "hers", "herself") else "M"


def infer_genders(texts: Iterable[tuple[str, Iterable[PhiSpan]]]) -> dict[str, str]:
    """Gender ("F" or "M") of name words, by the majority of the cues around their
    mentions in the given texts.

    Args:
        texts: (text, its spans) pairs; only NAME spans are read.

    Returns:
        Lower-cased name word → "F" or "M" (words without cues, or with a tie, are left out).
    """
    votes: dict[str, Counter[str]] = {}
    for text, spans in texts:
        for span in spans:
            if span.type != "NAME":
                continue
            gender = _vote(text, span)
            if gender is None:
                continue
            for word in _WORD.findall(span.text):
                votes.setdefault(word.lower(), Counter())[gender] += 1
    out = {}
    for word, count in votes.items():
        (top, n), *rest = count.most_common()
        if not rest or rest[0][1] < n:
            out[word] = top
    return out
