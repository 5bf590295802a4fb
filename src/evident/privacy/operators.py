"""Transformation operators: consume PHI spans, rewrite the text.

Two operators: :class:`Redactor` (``[NAME]``, ``[DATE]``, ...) and :class:`Surrogator`
(realistic replacements, the same original always giving the same surrogate for a
patient, dates shifted by a per-patient number of days, ages over 89 as ``90+``). Both
return a :class:`Transformed` that records where each replacement went, so offsets can be
mapped from the original text to the new one. This module never detects PHI itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from evident.privacy._data import Lexicon, load_lexicon, load_pools
from evident.privacy._dateshift import shift_date_text
from evident.privacy.spans import PhiSpan

__all__ = ["Operator", "Redactor", "Replacement", "Surrogator", "Transformed", "transform"]

_NAME_PART = re.compile(r"[A-Za-z][A-Za-z'’]*|[^A-Za-z]+")
_DIRECTIONS = frozenset(
    {"n", "s", "e", "w", "north", "south", "east", "west", "ne", "nw", "se", "sw"}
)


@dataclass(frozen=True)
class Replacement:
    """One replaced span: where it was, where its replacement is, and both values."""

    start: int
    end: int
    new_start: int
    new_end: int
    type: str
    original: str
    replacement: str


@dataclass(frozen=True)
class Transformed:
    """A transformed text and the replacements made in it (sorted by position)."""

    text: str
    replacements: tuple[Replacement, ...] = ()

    def map_offset(self, offset: int, *, end: bool = False) -> int:
        """Map an offset of the original text to the transformed text.

        Args:
            offset: Offset into the original text.
            end: True for an exclusive end offset (it then maps to a replacement's end).
        """
        delta = 0
        for r in self.replacements:
            if offset <= r.start:
                break
            if offset < r.end or (end and offset == r.end):
                return r.new_end if end else r.new_start
            delta = r.new_end - r.end
        return offset + delta


class Operator(Protocol):
    """Something that turns a PHI span into its replacement text."""

    def replace(self, span: PhiSpan) -> str:
        """The replacement for ``span``."""
        ...


def transform(text: str, spans: Iterable[PhiSpan], operator: Operator) -> Transformed:
    """Replace every span of ``text`` with the operator's replacement.

    Args:
        text: The original text.
        spans: Non-overlapping spans (as a detector returns them).
        operator: A :class:`Redactor`, :class:`Surrogator` or any :class:`Operator`.

    Returns:
        The new text and where each replacement went.
    """
    parts: list[str] = []
    out: list[Replacement] = []
    pos = new_pos = 0
    for span in sorted(spans):
        if span.start < pos:
            continue  # overlapping input: keep the first
        original = text[span.start : span.end]
        value = operator.replace(PhiSpan(span.start, span.end, span.type, span.score, original))
        parts.append(text[pos : span.start])
        new_pos += span.start - pos
        parts.append(value)
        out.append(
            Replacement(
                span.start, span.end, new_pos, new_pos + len(value), span.type, original, value
            )
        )
        new_pos += len(value)
        pos = span.end
    parts.append(text[pos:])
    return Transformed("".join(parts), tuple(out))


class Redactor:
    """Replace PHI with its type in brackets: ``[NAME]``, ``[DATE]``; ages over 89 → ``90+``."""

    def replace(self, span: PhiSpan) -> str:
        """The replacement for ``span``."""
        return "90+" if span.type == "AGE" else f"[{span.type}]"


@dataclass
class Surrogator:
    """Realistic replacements, consistent per patient and key.

    The surrogate of a value is chosen by HMAC-SHA256 over (patient key, type, normalised
    value) under a secret key, so the same name maps to the same surrogate in every
    document and run of that patient, and nobody without the key can recompute the map.

    Attributes:
        key: Secret HMAC key (derive it from ``EVIDENT_PRIVACY_KEY``; see the vault).
        patient: The patient key the mapping belongs to.
        keep_weekday: Shift dates by whole weeks (weekdays stay the same).
        keep_season: Shift dates by about a year (52 weeks ± two weeks), keeping the season.
        genders: Lower-cased first name → "F" or "M" (:func:`~evident.privacy.gender.
            infer_genders`): its surrogate is a woman's or a man's name; first names
            without a known gender get a name used for both.
    """

    key: bytes
    patient: str = "default"
    keep_weekday: bool = False
    keep_season: bool = False
    genders: dict[str, str] = field(default_factory=dict)
    _used: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def _digest(self, kind: str, value: str, salt: int = 0) -> bytes:
        message = f"{self.patient}\x1f{kind}\x1f{value}\x1f{salt}".encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()

    def _pick(self, kind: str, value: str, pool: Sequence[str]) -> str:
        """A pool entry for ``value``, never the value itself nor another value's choice."""
        for salt in range(64):
            choice = pool[int.from_bytes(self._digest(kind, value, salt)[:8], "big") % len(pool)]
            owner = self._used.get((kind, choice.lower()))
            if choice.lower() != value and owner in (None, value):
                self._used[(kind, choice.lower())] = value
                return choice
        return pool[0]

    @property
    def date_shift(self) -> int:
        """This patient's date shift in days (negative: dates move back)."""
        n = int.from_bytes(self._digest("DATESHIFT", "")[:8], "big")
        if self.keep_season:
            small = n % 29 - 14
            days = -(364 * (1 + n % 2) + (7 * round(small / 7) if self.keep_weekday else small))
        else:
            days = -(30 + n % 700)
            if self.keep_weekday:
                days = 7 * round(days / 7)
        return days

    def replace(self, span: PhiSpan) -> str:
        """The surrogate for ``span`` (same format and case as the original)."""
        value = span.text
        kind = span.type
        if kind == "AGE":
            return "90+"
        if kind == "NAME":
            return self._name(value)
        if kind == "DATE":
            shifted = shift_date_text(value, self.date_shift)
            return shifted if shifted is not None else "[DATE]"
        pools = load_pools()
        if kind in ("CITY", "COUNTY", "HOSPITAL"):
            pool = {"CITY": "cities", "COUNTY": "counties", "HOSPITAL": "hospitals"}[kind]
            return _case_like(self._pick(kind, value.lower(), pools[pool]), value)
        if kind == "ADDRESS":
            return self._address(value)
        if kind == "EMAIL":
            local = self._pick("NAME", value.lower(), pools["surnames"]).lower()
            return f"{local}@{self._pick('DOMAIN', value.lower(), pools['domains'])}"
        if kind == "URL":
            scheme = re.match(r"(?i)(?:https?://|ftp://)?", value).group()  # type: ignore[union-attr]
            return f"{scheme or 'www.'}{self._pick('DOMAIN', value.lower(), pools['domains'])}"
        if kind == "IP" and "." in value:
            d = self._digest(kind, value)
            return f"10.{d[0]}.{d[1]}.{d[2] or 1}"
        return self._scramble(kind, value)

    def _name(self, value: str) -> str:
        lex = load_lexicon()
        pools = load_pools()
        out = []
        parts = _NAME_PART.findall(value)
        words = [p for p in parts if p[:1].isalpha()]
        comma = "," in value  # "Last, First"
        for part in parts:
            if not part[:1].isalpha():
                out.append(part)
                continue
            low = part.lower()
            if len(low) == 1:
                out.append(self._scramble("INITIAL", part))
                continue
            first = _is_first(low, part, words, comma, lex)
            pool = self._first_pool(low) if first else pools["surnames"]
            out.append(_case_like(self._pick("NAME", low, pool), part))
        return "".join(out)

    def _first_pool(self, low: str) -> tuple[str, ...]:
        pools = load_pools()
        gender = self.genders.get(low)
        if gender == "F":
            return pools["female_first_names"]
        if gender == "M":
            return pools["male_first_names"]
        return pools["unisex_first_names"]

    def _address(self, value: str) -> str:
        main, sep, unit = value.partition(",")
        words = main.split()
        if len(words) < 3 or not words[0][:1].isdigit():
            return self._scramble("ADDRESS", value)
        direction = [w for w in words[1:-1] if w.rstrip(".").lower() in _DIRECTIONS]
        name = _case_like(
            self._pick("STREET", main.lower(), load_pools()["streets"]), " ".join(words[1:-1])
        )
        number = self._scramble("ADDRESS_NO", words[0])
        street = " ".join([number, *direction, name, words[-1]])
        if sep:
            label = re.match(r"\s*[A-Za-z#.]*\s*", unit).group()  # type: ignore[union-attr]
            street += sep + label + self._scramble("ADDRESS_UNIT", unit[len(label) :])
        return street

    def _scramble(self, kind: str, value: str) -> str:
        """Replace digits with digits and letters with letters, keeping everything else."""
        stream = self._digest(kind, value.lower()) + self._digest(kind, value.lower(), 1)
        out = []
        for i, ch in enumerate(value):
            b = stream[i % len(stream)] ^ (i // len(stream))
            if ch.isdigit():
                out.append(str(b % 10))
            elif ch.isalpha() and ch.isascii():
                letter = string.ascii_lowercase[b % 26]
                out.append(letter.upper() if ch.isupper() else letter)
            else:
                out.append(ch)
        result = "".join(out)
        if result == value and any(c.isalnum() for c in value) and len(kind) < 40:
            return self._scramble(kind + "+", value)
        return result


def _is_first(low: str, part: str, words: list[str], comma: bool, lex: Lexicon) -> bool:
    """Is this word of a name a first name? By the lexicon when it knows the word; by
    position otherwise (the first of several words, or the last after "Last, First")."""
    if comma and part is words[0]:
        return False
    if lex.is_name(low):
        return low in lex.first_names and not (
            low in lex.surnames and (part is words[-1] and not comma)
        )
    long_words = [w for w in words if len(w) > 1]
    if len(long_words) < 2:
        return False
    return part is (long_words[-1] if comma else long_words[0])


def _case_like(new: str, old: str) -> str:
    letters = [c for c in old if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return new.upper()
    if letters and all(c.islower() for c in letters):
        return new.lower()
    return new
