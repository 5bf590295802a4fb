"""Name recognizer without a model: titles, context cues, a name lexicon, "Last, First".

Case is evidence only where a line uses it: a line with no capitals (ASR transcripts) or
only capitals (headers) is *caseless*, and there a word counts as a name only through the
lexicon or a strong cue.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from evident.privacy._data import FastRegex, Lexicon, load_lexicon, lower, word_set
from evident.privacy.spans import PhiSpan

__all__ = ["name_spans"]

_TOKEN = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_LOWER_WORD = re.compile(r"[a-z]+")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_GAP = re.compile(r"[ \t]+|[ \t]*-[ \t]*")
_PARTICLES = frozenset(
    {"de", "la", "del", "van", "von", "der", "da", "di", "le", "st", "mc", "bin"}
)
_STRONG_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof"})
_LABEL_CUES = FastRegex.build(
    r"\b(?:my name is|name is|patient name|name|signed by|electronically signed(?: by)?|"
    r"dictated by|transcribed by|cc|attending(?: physician)?|resident|pcp|"
    r"primary care(?: physician| provider)?|referring(?: physician| provider)?|provider|"
    r"surgeon|emergency contact|next of kin|guardian|nok|contact person|author)"
    r"\s*[:,-]?[ \t]+",
    ignore_case=True,
)
_RELATIVE_CUES = FastRegex.build(
    r"\b(?:wife|husband|son|daughter|mother|father|mom|dad|brother|sister|spouse|partner|"
    r"friend|caregiver|grandson|granddaughter|grandmother|grandfather|niece|nephew|aunt|"
    r"uncle|cousin|fianc[eé]e?|roommate|neighbor)\s*,?[ \t]+",
    ignore_case=True,
)
_SOFT_CUES = FastRegex.build(
    r"\b(?:this is|i'm|i am|call me|called|named|goes by|hi|hello|hey|thanks|thank you|dear|"
    r"bye|morning|afternoon|evening|meet)\s*,?[ \t]+",
    ignore_case=True,
)
_TITLE = FastRegex.build(
    r"\b(dr|mr|mrs|ms|mx|prof|miss|doctor|professor|nurse)((?: ?\.)?)[ \t]+(?=[A-Za-z])",
    ignore_case=True,
)
# Credential first (a fast literal scan), then the ", " before it is checked in Python.
_CREDENTIAL = re.compile(
    r"(?:MD|M\.D\.|DO|D\.O\.|RN|NP|PA-C|PhD|DDS|DPM|LPN|CNP|APRN|MBBS|FNP|CRNA|PharmD)\b"
)
_BEFORE_CREDENTIAL = re.compile(r",?[ \t]+$")
_PHRASES = ("my name", "name is", "signed", "electronically", "dictated", "transcribed")
_COMMA = re.compile(r",[ \t]*(?=[A-Za-z])")
_PATIENT_CUE = FastRegex.build(r"\b(?:patient|pt)[ \t]*:[ \t]*", ignore_case=True)
_LINE_END = re.compile(r"[ \t]*(?:\r?\n|$)")
_PLACE_PREFIX = re.compile(
    r"(?:\b(?:new|san|los|las|santa|st|saint|fort|mount|el)\.?[ \t]+)$", re.I
)
_LAST_FIRST = re.compile(r"\b([A-Za-z][A-Za-z'’-]+),[ \t]*([A-Za-z][A-Za-z'’-]+)\b")


@dataclass(frozen=True)
class _Word:
    start: int
    end: int  # without a possessive 's
    low: str
    cap: bool
    caseless: bool
    dot: bool = False  # a full stop follows (initials: "J.")
    label: bool = False  # a colon follows ("MRN:"): a field label, not a name
    acronym: bool = False  # all capitals, at most four letters, in a cased line


class _Text:
    """Tokens of a text with per-line case information."""

    def __init__(self, text: str, low: str) -> None:
        self.text = text
        self.low = low
        self.line_starts: list[int] = []
        self.line_caseless: list[bool] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            self.line_starts.append(pos)
            self.line_caseless.append(line.lower() == line or line.upper() == line)
            pos += len(line)
        if not self.line_starts:
            self.line_starts, self.line_caseless = [0], [True]

    def caseless_at(self, pos: int) -> bool:
        return self.line_caseless[bisect_right(self.line_starts, pos) - 1]

    def word_at(self, pos: int) -> _Word | None:
        m = _TOKEN.match(self.text, pos)
        if not m:
            return None
        return self._word(m.start(), m.end())

    def _word(self, start: int, end: int) -> _Word:
        raw = self.text[start:end]
        p = _POSSESSIVE.search(raw)
        if p:
            end -= len(p.group())
            raw = raw[: p.start()]
        after = self.text[end : end + 1]
        caseless = self.caseless_at(start)
        acronym = not caseless and len(raw) <= 4 and raw.isupper()
        return _Word(
            start,
            end,
            raw.lower(),
            raw[:1].isupper(),
            caseless,
            after == ".",
            after == ":",
            acronym,
        )

    def next_word(self, w: _Word) -> _Word | None:
        """The word right after ``w`` on the same line (separated by blanks or a hyphen)."""
        if self.text[w.end : w.end + 1] in ("'", "’"):
            return None
        pos = w.end + 1 if self.text[w.end : w.end + 1] == "." and len(w.low) <= 2 else w.end
        gap = _GAP.match(self.text, pos)
        if not gap:
            return None
        return self.word_at(gap.end())


def _namelike(w: _Word, lex: Lexicon, *, strong: bool, oov: bool = False) -> bool:
    """Could ``w`` be part of a name? Strong context accepts more; ``oov`` (a label or
    title right before) accepts words outside the lexicon in caseless lines too."""
    if len(w.low) == 1:
        return (w.cap or (w.caseless and oov)) and w.dot
    if w.low in lex.not_names or w.label:
        return False
    in_lex = lex.is_name(w.low)
    if w.acronym and not in_lex:
        return False
    if w.caseless:
        return (in_lex and (strong or w.low not in lex.ambiguous)) or (oov and not in_lex)
    return w.cap and (strong or in_lex or w.low not in lex.ambiguous)


def _eponym(t: _Text, w: _Word, lex: Lexicon) -> bool:
    """True for "Parkinson's disease", "Graves disease", "Fitzpatrick skin type"."""
    if w.low not in lex.eponyms:
        return False
    following = _TOKEN.findall(t.text, _skip_possessive(t.text, w.end), w.end + 30)[:2]
    return any(word.lower() in lex.eponym_followers for word in following)


def _skip_possessive(text: str, end: int) -> int:
    if text[end : end + 2].lower() in ("'s", "’s"):
        return end + 2
    return end


def _extend(
    t: _Text,
    first: _Word,
    lex: Lexicon,
    *,
    limit: int = 4,
    oov: bool = False,
    label: bool = False,
    title: bool = False,
) -> _Word:
    """Extend a name to the right over name-like words, initials and particles.

    A surname (even one that is also a common word) may follow a first name or an
    initial: "amanda taylor". With ``oov``, a caseless word outside the lexicon may follow
    a first name or initial ("dr. rebecca iwasaki"), never a surname ("mr. lee returns");
    with ``label`` ("Name: siobhan przybylski") it may also follow the first word.
    """
    last, count = first, 1
    while count < limit and t.text[last.end : last.end + 1] not in ("'", "’"):
        nxt = t.next_word(last)
        if nxt is None:
            break
        after_first = len(last.low) == 1 or (
            last.low in lex.first_names and last.low not in lex.surnames
        )
        if (
            (after_first or ((label or title) and count == 1))
            and nxt.low in lex.surnames
            and nxt.low not in lex.not_names
            and not nxt.label
            and (nxt.caseless or nxt.cap)
            and not _eponym(t, nxt, lex)
        ):
            last, count = nxt, count + 1
            continue
        unknown_ok = oov and (after_first or (label and count == 1))
        if nxt.low in _PARTICLES and (not nxt.caseless or oov):
            after: _Word | None = nxt
            while after is not None and after.low in _PARTICLES:
                after = t.next_word(after)
            if after is None or not (after.cap or (after.caseless and oov)):
                break
            nxt = after
        elif _eponym(t, nxt, lex) or not _namelike(nxt, lex, strong=False, oov=unknown_ok):
            break
        last, count = nxt, count + 1
    return last


def _span(t: _Text, first: _Word, last: _Word, score: float) -> PhiSpan:
    return PhiSpan(first.start, last.end, "NAME", score, t.text[first.start : last.end])


def _after_cue(
    t: _Text,
    pos: int,
    lex: Lexicon,
    *,
    strong: bool,
    score: float,
    oov: bool = False,
    label: bool = False,
    title: bool = False,
) -> PhiSpan | None:
    w = t.word_at(pos)
    if w is None or not _namelike(w, lex, strong=strong, oov=oov) or _eponym(t, w, lex):
        return None
    ambiguous = w.low in lex.ambiguous and w.low not in _PARTICLES  # "ms. van der berg"
    if strong and w.caseless and not lex.is_name(w.low) and ambiguous:
        return None
    last = _extend(t, w, lex, oov=oov, label=label, title=title)
    comma = _COMMA.match(t.text, last.end)
    if oov and comma:  # "Name: Okafor, Kwame"
        first = t.word_at(comma.end())
        if (
            first is not None
            and first.low not in lex.credentials
            and _namelike(first, lex, strong=True, oov=True)
        ):
            last = _extend(t, first, lex, limit=2, oov=True)
    return _span(t, w, last, score)


def _title_spans(t: _Text, lex: Lexicon) -> list[PhiSpan]:
    out = []
    for m in _TITLE.finditer(t.text, t.low):
        title, dot = m.group(1).lower(), m.group(2)
        strong = title in _STRONG_TITLES and (bool(dot) or not t.caseless_at(m.start()))
        if title == "doctor" and t.text[m.end(1) : m.end(1) + 1] == ":":
            continue
        w = t.word_at(m.end())
        if title in ("miss", "doctor") and w and w.low in lex.surnames:
            strong = w.low not in lex.not_names  # "miss taylor" (but not "miss work")
        oov = strong and bool(dot)
        score = 0.95 if strong else 0.85
        span = _after_cue(t, m.end(), lex, strong=strong, score=score, oov=oov, title=oov)
        if span:
            out.append(span)
    return out


def _cue_spans(t: _Text, lex: Lexicon) -> list[PhiSpan]:
    out = []
    for m in _LABEL_CUES.finditer(t.text, t.low):
        cue = m.group().lower()
        labelled = ":" in cue or cue.startswith(_PHRASES)
        span = _after_cue(t, m.end(), lex, strong=True, score=0.9, oov=labelled, label=labelled)
        if span:
            out.append(span)
    for m in _PATIENT_CUE.finditer(t.text, t.low):
        peek = _LOWER_WORD.match(t.low, m.end())
        initial = (
            peek is not None
            and len(peek.group()) == 1
            and t.low[peek.end() : peek.end() + 1] == "."
        )
        if peek is None or (peek.group() in lex.not_names and not initial):
            continue  # "Patient: I ...", "Patient: Yes." (dialogue turns), not "A. Zhou"
        # "Patient: Kwame Okafor" is a header; "Patient: Absolutely." is a dialogue turn.
        span = _after_cue(t, m.end(), lex, strong=True, score=0.85, oov=True, label=True)
        w = t.word_at(m.end())
        if (
            span
            and w
            and (
                (lex.is_name(w.low) and w.low not in lex.ambiguous)
                or _LINE_END.match(t.text, span.end)
            )
        ):
            out.append(span)
    for m in _RELATIVE_CUES.finditer(t.text, t.low):
        w = t.word_at(m.end())
        if w is None:
            continue
        appositive = "," in m.group()  # "his son, reinaldo flores"
        if w.caseless and not appositive and not lex.is_name(w.low):
            continue
        if not w.caseless and not w.cap:
            continue
        span = _after_cue(t, m.end(), lex, strong=True, score=0.8, oov=appositive, label=appositive)
        if span:
            out.append(span)
    for m in _SOFT_CUES.finditer(t.text, t.low):
        peek = _LOWER_WORD.match(t.low, m.end())
        if peek is None or not lex.is_name(peek.group()):
            continue  # most "i'm ..." are not followed by a name: skip the word object
        w = t.word_at(m.end())
        if w is None or not lex.is_name(w.low) or (not w.caseless and not w.cap):
            continue
        if w.low in lex.ambiguous and m.group().lower().startswith(("i'm", "i am")):
            continue  # "i'm short of breath"
        span = _after_cue(t, m.end(), lex, strong=True, score=0.8)
        if span:
            out.append(span)
    return out


def _credential_spans(t: _Text, lex: Lexicon) -> list[PhiSpan]:
    out = []
    for m in _CREDENTIAL.finditer(t.text):
        words: list[_Word] = []
        before = _BEFORE_CREDENTIAL.search(t.text, max(0, m.start() - 4), m.start())
        if before is None:
            continue
        pos = before.start()
        for tok in reversed(list(_TOKEN.finditer(t.text, max(0, pos - 60), pos))):
            gap = t.text[tok.end() : words[0].start if words else pos]
            if gap.strip(" \t.") or len(words) == 3:
                break
            w = t._word(tok.start(), tok.end())
            if not (w.cap and w.low not in lex.not_names):
                break
            words.insert(0, w)
        if words:
            out.append(_span(t, words[0], words[-1], 0.9))
    return out


def _last_first_spans(t: _Text, lex: Lexicon) -> list[PhiSpan]:
    out = []
    for m in _LAST_FIRST.finditer(t.text):
        last, first = m.group(1).lower(), m.group(2).lower()
        if first not in lex.first_names or last in lex.not_names:
            continue
        if last not in lex.surnames and (first in lex.ambiguous or last in lex.ambiguous):
            continue
        if not (m.group(1)[0].isupper() and m.group(2)[0].isupper()):
            continue
        a, b = t._word(m.start(1), m.end(1)), t._word(m.start(2), m.end(2))
        out.append(_span(t, a, _extend(t, b, lex, limit=2), 0.85))
    return out


def _occurrences(low: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``words`` in ``low``, sorted (str.find beats a regex here)."""
    found = []
    size = len(low)
    for word in words:
        i = low.find(word)
        while i >= 0:
            e = i + len(word)
            if (i == 0 or not low[i - 1].isalpha()) and (e == size or not low[e].isalpha()):
                found.append((i, e))
            i = low.find(word, e)
    found.sort()
    return found


def _lexicon_spans(t: _Text, lex: Lexicon) -> list[PhiSpan]:
    out: list[PhiSpan] = []
    # Find the distinct words of the text that are names (a C-speed set intersection),
    # then scan only for those: a Python loop over every word would cost 3x more.
    hits = set(_all_names() & word_set(t.low))
    if not hits:
        return out
    covered = -1
    for start, end in _occurrences(t.low, hits):
        if start < covered or (start and t.text[start - 1] in "-'’"):
            continue
        w = t._word(start, end)
        if (not w.caseless and not w.cap) or _eponym(t, w, lex):
            continue
        if w.caseless and w.low in lex.ambiguous:
            nxt = t.next_word(w)
            if not (w.low in lex.first_names and nxt and nxt.low in lex.surnames):
                continue  # "two weeks carolyn": start at "carolyn"
        if _PLACE_PREFIX.search(t.text, max(0, start - 8), start):
            continue  # "New York", "San Francisco"
        last = _extend(t, w, lex)
        covered = last.end
        words = [w]
        while words[-1].end < last.end:
            nxt = t.next_word(words[-1])
            if nxt is None:
                break
            words.append(nxt)
        known = [x for x in words if lex.is_name(x.low) and len(x.low) > 1]
        if all(x.low in lex.ambiguous for x in known) and (w.caseless or len(known) < 2):
            continue
        score = 0.85 if len(known) >= 2 else (0.6 if w.caseless else 0.7)
        out.append(_span(t, w, last, score))
    return out


@cache
def _all_names() -> frozenset[str]:
    lex = _lexicon()
    return (lex.first_names | lex.surnames) - lex.not_names


@cache
def _lexicon() -> Lexicon:
    return load_lexicon()


def name_spans(text: str, low: str | None = None) -> list[PhiSpan]:
    """Find person names (patients, relatives, clinicians); titles are not included.

    Args:
        text: Any text.
        low: ``text.lower()`` when the caller has it.

    Returns:
        Candidate NAME spans (they may overlap; the detector resolves overlaps).
    """
    lex = _lexicon()
    t = _Text(text, lower(text) if low is None else low)
    out: list[PhiSpan] = []
    out.extend(_title_spans(t, lex))
    out.extend(_cue_spans(t, lex))
    out.extend(_credential_spans(t, lex))
    out.extend(_last_first_spans(t, lex))
    out.extend(_lexicon_spans(t, lex))
    return _merge(out)


def _merge(spans: list[PhiSpan]) -> list[PhiSpan]:
    """Union of overlapping name candidates ("Marisol" + "Montgomery-Hale")."""
    merged: list[PhiSpan] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            prev = merged[-1]
            end = max(prev.end, span.end)
            text = prev.text + span.text[prev.end - span.start :] if end > prev.end else prev.text
            merged[-1] = PhiSpan(prev.start, end, "NAME", max(prev.score, span.score), text)
        else:
            merged.append(span)
    return merged
