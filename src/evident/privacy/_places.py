"""Place recognizer: cities (lexicon and "City, ST"), ZIP codes after a state."""

from __future__ import annotations

import re
from functools import cache

from evident.privacy._data import FastRegex, Lexicon, load_lexicon, lower, word_set
from evident.privacy.spans import PhiSpan

__all__ = ["place_spans"]

_ZIP = FastRegex.build(r"\b\d{5}(?:-\d{4})?\b")
_COUNTY = re.compile(r"(?:county|parish)\b")
_COUNTY_NAME = re.compile(r"(?:\b([A-Za-z][a-z]+)[ \t]+)?\b([A-Za-z][a-z]+)[ \t]+$")
_CUE = re.compile(
    r"(?:\b(?:in|from|to|near|at|of|outside|visiting|visited|born in|lives in|moved to)"
    r"[ \t]+)$",
    re.IGNORECASE,
)


@cache
def _compiled() -> tuple[Lexicon, re.Pattern[str], re.Pattern[str], dict[str, list[str]]]:
    """(lexicon, "City, ST 12345" regex, state-before-ZIP regex, city first words)."""
    lex = load_lexicon()
    # MD, PA and MS are also credentials ("Jane Doe, MD"): only with a ZIP after them.
    abbrevs = "|".join(sorted(a for a in lex.states if a not in {"MD", "PA", "MS"}))
    names = "|".join(sorted((n.title() for n in lex.states.values()), key=len, reverse=True))
    city = r"([A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|St\.)){0,2})"
    zip_ = r"(\d{5}(?:-\d{4})?)"
    city_state = re.compile(
        rf"\b{city},[ \t]*(?:(?:{abbrevs})\b\.?|(?:MD|PA|MS)(?=,?[ \t]+\d{{5}})|(?:{names})\b)"
        rf"(?:,?[ \t]+{zip_}\b)?"
    )
    abbrevs_lower = "|".join(sorted(a.lower() for a in lex.states))
    state_zip = re.compile(
        rf"(?:\b(?:{abbrevs}|MD|PA|MS)|,[ \t]*(?:{abbrevs_lower})|(?i:\b(?:{names})))\.?,?[ \t]+$"
    )
    first_words: dict[str, list[str]] = {}
    for c in lex.cities:
        first_words.setdefault(re.split(r"[^a-z]", c)[0], []).append(c)
    return lex, city_state, state_zip, first_words


def _city_ok(lex: Lexicon, city: str, text: str, start: int, caseless: bool) -> float:
    cue = _CUE.search(text, max(0, start - 14), start) is not None
    risky = city in lex.city_ambiguous or lex.is_name(city) or city in lex.not_names
    if caseless:
        return 0.75 if cue and city not in lex.city_ambiguous else 0.0
    if cue:
        return 0.8
    return 0.0 if risky else 0.65


@cache
def _caseless_regex() -> re.Pattern[str]:
    lex = load_lexicon()
    states = "|".join(sorted([a.lower() for a in lex.states] + list(lex.states.values())))
    return re.compile(
        rf"(?<![a-z])([a-z][a-z.'-]*(?: [a-z][a-z.'-]*){{0,2}}),[ \t]*(?:{states})\.?,?"
        rf"[ \t]+(\d{{5}}(?:-\d{{4}})?)\b"
    )


def _caseless_city_state(text: str, low: str, lex: Lexicon) -> list[PhiSpan]:
    """ "walla walla, wa 99362" in lower-case transcripts (a ZIP is required)."""
    out = []
    regex = _caseless_regex()
    for z in _ZIP.finditer(text):  # a ZIP is required: only look right before one
        m = regex.search(low, max(0, z.start() - 90), z.end())
        if m is None or m.end(2) != z.end():
            continue
        if text[m.start() : m.end()] != m.group():
            continue  # cased text is handled by the "City, ST" regex
        words = m.group(1).split(" ")
        chosen = next(
            (words[i:] for i in range(len(words)) if " ".join(words[i:]) in lex.cities), None
        )
        if chosen is None:
            chosen = []
            for w in reversed(words):
                if w in lex.not_names:
                    break
                chosen.insert(0, w)
        if chosen:
            start = m.end(1) - len(" ".join(chosen))
            out.append(PhiSpan(start, m.end(1), "CITY", 0.8, text[start : m.end(1)]))
        out.append(PhiSpan(m.start(2), m.end(2), "ZIP", 0.9, m.group(2)))
    return out


def _counties(text: str, low: str, lex: Lexicon) -> list[PhiSpan]:
    """ "Orange County", "orange county" (not "the county", "this county")."""
    out = []
    for m in _COUNTY.finditer(low):
        if m.start() and low[m.start() - 1].isalnum():
            continue
        before = _COUNTY_NAME.search(text, max(0, m.start() - 30), m.start())
        if before is None:
            continue
        first, second = before.group(1), before.group(2)
        cased = text[m.start()].isupper()
        if second.lower() in lex.not_names or (cased and not second[0].isupper()):
            continue
        start = before.start(2)
        if (
            first
            and first.lower() not in lex.not_names
            and first[0].isupper() == second[0].isupper()
        ):
            start = before.start(1)
        out.append(PhiSpan(start, m.end(), "COUNTY", 0.8 if cased else 0.7, text[start : m.end()]))
    return out


def _lexicon_cities(
    text: str, low: str, lex: Lexicon, first_words: dict[str, list[str]]
) -> list[PhiSpan]:
    out: list[PhiSpan] = []
    hits = first_words.keys() & word_set(low)
    if not hits:
        return out
    finder = re.compile(r"\b(?:" + "|".join(sorted(hits, key=len, reverse=True)) + r")\b")
    for m in finder.finditer(low):
        for city in sorted(first_words[m.group()], key=len, reverse=True):
            stop = m.start() + len(city)
            if low[m.start() : stop] != city or (stop < len(text) and text[stop].isalnum()):
                continue
            piece = text[m.start() : stop]
            caseless = piece.lower() == piece
            if not caseless and not all(w[:1].isupper() for w in piece.split()):
                continue
            score = _city_ok(lex, city, text, m.start(), caseless)
            if score:
                out.append(PhiSpan(m.start(), stop, "CITY", score, piece))
            break
    return out


def place_spans(text: str, low: str | None = None) -> list[PhiSpan]:
    """Find cities and ZIP codes (states are not PHI under Safe Harbor).

    Args:
        text: Any text.
        low: ``text.lower()`` when the caller has it.

    Returns:
        Candidate CITY, COUNTY and ZIP spans.
    """
    lex, city_state, state_zip, first_words = _compiled()
    out: list[PhiSpan] = []
    for m in city_state.finditer(text):
        words = m.group(1).lower().split()
        if not any(w in lex.not_names for w in words):
            out.append(PhiSpan(m.start(1), m.end(1), "CITY", 0.85, m.group(1)))
        if m.group(2):
            out.append(PhiSpan(m.start(2), m.end(2), "ZIP", 0.9, m.group(2)))
    for m in _ZIP.finditer(text):
        if state_zip.search(text, max(0, m.start() - 24), m.start()):
            out.append(PhiSpan(m.start(), m.end(), "ZIP", 0.85, m.group()))
    low = lower(text) if low is None else low
    out.extend(_caseless_city_state(text, low, lex))
    out.extend(_counties(text, low, lex))
    out.extend(_lexicon_cities(text, low, lex, first_words))
    return out
