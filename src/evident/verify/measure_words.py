"""The measure-word checker: a statement that places a vital sign or a lab against its
normal range without giving its value ("Glucose normal.", "Blood pressure elevated.",
"Potassium is low.") against the values the source gives it ("transcript says glucose
250, note says normal").

The names, units and normal ranges are ``measurements.json``'s (the ranges the omission
list reads); the words that place a value (``qualifiers``: high, low, normal) and the
words that may stand between the name and them ("is", "was", "slightly", "level") are
its closed-class ``qualifiers``. Only a qualifier said *of* the name is read ("glucose
is normal"), not one before it: "high blood pressure" and "low thyroid" name diagnoses,
not today's value. A statement that gives a number there, a negated qualifier ("not
elevated") and a comparative ("increased", a change) are left to the other checkers.

A conflict needs every value the source gives that measure (questions aside) to lie
clearly on the other side, so a value near a limit decides nothing:

- *normal* conflicts with a value beyond a limit by a tenth of the range;
- *high* with a value in the lower three quarters of the range (blood pressure: under
  120/80), *low* with one in the upper three quarters (systolic 110 or more);
- a side of a range the table does not bound (LDL's lower limit 0, weight) is not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from evident.types import Segment, Source
from evident.verify._polarity_cues import is_cue
from evident.verify._resources import MeasureDef, load_lexicons
from evident.verify._sources import source_label
from evident.verify._words import words
from evident.verify.decide import CheckResult
from evident.verify.facts import Fact, analyze
from evident.verify.normalize import tokenize
from evident.verify.side_words import _asks

__all__ = ["Placed", "check_measure_words", "placed"]

T = TypeVar("T")
_NUMBER = re.compile(r"\d")
_REACH = 6  # tokens after the name a qualifier may stand
_CONDITIONS = words("condition_subordinators") | {"until", "once", "when", "while"}
_BP = "blood pressure"
_SPREAD_NORMAL = 0.1  # beyond a limit by this share of the range: not normal
_SPREAD_SIDE = 0.25  # within this share of the range from the far limit: not high / not low


@dataclass(frozen=True)
class Placed:
    """A measure the statement places against its range, without a value.

    Attributes:
        kind: ``vital`` or ``lab``.
        name: The measure's name in ``measurements.json``.
        place: ``high``, ``low`` or ``normal``.
        words: The qualifier as written.
    """

    kind: str
    name: str
    place: str
    words: str


@cache
def _names() -> dict[tuple[str, ...], tuple[str, str]]:
    """Every spelling of a measure, as tokens, to (kind, name)."""
    m = load_lexicons().measurements
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for kind, defs in (("lab", m.labs), ("vital", m.vitals)):
        for d in defs:
            for a in (d.name, *d.aliases):
                out[tuple(a.split())] = (kind, d.name)
    for a in m.blood_pressure.aliases:
        out[tuple(a.split())] = ("vital", _BP)
    return out


@cache
def _qualifiers() -> tuple[dict[tuple[str, ...], str], frozenset[str]]:
    q = load_lexicons().measurements.qualifiers
    places = ("high", "low", "normal", "controlled", "uncontrolled")
    words = {tuple(w.split()): place for place in places for w in getattr(q, place)}
    return words, frozenset(q.between)


_CONTROL = {"controlled": "normal", "uncontrolled": "high"}


def _at(
    tokens: list[str], i: int, table: Mapping[tuple[str, ...], T]
) -> tuple[tuple[str, ...], T | None]:
    """The longest entry of ``table`` starting at ``tokens[i]``: (its tokens, value)."""
    for n in range(min(4, len(tokens) - i), 0, -1):
        key = tuple(tokens[i : i + n])
        if key in table:
            return key, table[key]
    return (), None


def placed(statement: str) -> list[Placed]:
    """The measures a statement places against their ranges without giving a value."""
    tokens = tokenize(statement.lower())
    quals, between = _qualifiers()
    out: list[Placed] = []
    i = 0
    states = load_lexicons().measurements.states
    while i < len(tokens):
        name, measure = _at(tokens, i, _names())
        if measure is None:
            state = states.get(tokens[i])
            if state is not None and not _state_qualified(tokens, i):
                kind = "vital" if _is_vital(state[0]) else "lab"
                out.append(Placed(kind, state[0], state[1], tokens[i]))  # "afebrile"
            i += 1
            continue
        j = i + len(name)
        while j < len(tokens) and j - i <= _REACH and tokens[j] in between:
            j += 1
        words, place = _at(tokens, j, quals) if j < len(tokens) else ((), None)
        after = tokens[j + len(words) : j + len(words) + 3]
        valued = any(_NUMBER.search(t) for t in tokens[i:j] + after)
        negated = any(is_cue(t) for t in tokens[max(0, i - 2) : j])
        if place in _CONTROL:  # blood pressure's goal is its range; a lab's is not
            place = _CONTROL[place] if measure[1] == _BP else None
        if place is not None and not valued and not negated:
            out.append(Placed(measure[0], measure[1], place, " ".join(words)))
        i = j if j > i else i + 1
    return out


def _state_qualified(tokens: list[str], i: int) -> bool:
    """Whether a state word is negated, a condition or given a value ("not tachycardic",
    "if afebrile", "febrile to 102"): those are left to the other readers."""
    near, before = tokens[i + 1 : i + 4], tokens[max(0, i - 2) : i]
    return (
        any(is_cue(t) for t in before)
        or bool(_CONDITIONS.intersection(before))  # "return to school if afebrile"
        or any(_NUMBER.search(t) for t in near)
    )


def _is_vital(name: str) -> bool:
    return name == _BP or any(d.name == name for d in load_lexicons().measurements.vitals)


def _spec(name: str) -> MeasureDef | None:
    m = load_lexicons().measurements
    return next((d for d in (*m.labs, *m.vitals) if d.name == name), None)


def _bounds(spec: MeasureDef, value: float) -> tuple[float | None, float | None]:
    """The normal range of the scale the value is given in; a side the table does not
    bound (its limit outside the plausible values) is None."""
    low, high, lo_ok, hi_ok = spec.low, spec.high, spec.min, spec.max
    for scale in spec.other_scales:
        if scale.min <= value <= scale.max:
            low, high, lo_ok, hi_ok = scale.low, scale.high, scale.min, scale.max
    return (low if low > lo_ok else None), (high if high < hi_ok else None)


def _against(place: str, name: str, value: float, value2: float | None) -> bool:
    """Whether a value lies clearly on the other side of the place said of it."""
    if name == _BP:
        dia = value2 if value2 is not None else 0.0
        if place == "normal":
            return value >= 150 or dia >= 95 or value < 85
        if place == "high":
            return value < 120 and dia < 80
        return value >= 110
    spec = _spec(name)
    if spec is None:
        return False
    low, high = _bounds(spec, value)
    if low is None and high is None:
        return False
    span = (high if high is not None else value) - (low if low is not None else value)
    if place == "normal":
        return (high is not None and value > high + _SPREAD_NORMAL * span) or (
            low is not None and value < low - _SPREAD_NORMAL * span
        )
    if low is None or high is None:
        return False
    if place == "high":
        return value <= high - _SPREAD_SIDE * (high - low)
    return value >= low + _SPREAD_SIDE * (high - low)


def _values(source: Source, kind: str, name: str) -> list[tuple[Fact, str]]:
    """Each value the source gives the measure, with its segment id; a question's
    ("was your sugar 250?") is not given."""
    out: list[tuple[Fact, str]] = []
    for seg in source.segments:
        if _asks(seg.text):
            continue
        out.extend(
            (f, seg.id)
            for f in analyze(seg.text).facts
            if f.kind == kind and f.key == name and f.value is not None
        )
    return out


def _borne_out(place: str, name: str, value: float, value2: float | None) -> bool:
    """Whether a value lies where the statement places it (beyond a limit, or within both)."""
    if name == _BP:
        bp = load_lexicons().measurements.blood_pressure
        dia = value2 if value2 is not None else 0.0
        high = value > bp.systolic_high or dia > bp.diastolic_high
        low = value < bp.systolic_low or (value2 is not None and dia < bp.diastolic_low)
    else:
        spec = _spec(name)
        if spec is None:
            return False
        lo, hi = _bounds(spec, value)
        if lo is None and hi is None:
            return False  # no range to place it in (weight)
        high, low = hi is not None and value > hi, lo is not None and value < lo
    return {"high": high, "low": low, "normal": not (high or low)}[place]


def _said(f: Fact) -> str:
    return f"{f.value:g}/{f.value2:g}" if f.value2 is not None else f"{f.value:g}"


def check_measure_words(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether the source's values of a measure lie where the statement places it.

    Args:
        statement: The statement's text.
        candidates: Unused: the values may stand anywhere in the source.
        source: The source.

    Returns:
        A ``vital`` or ``lab`` conflict naming the value and the word when every value
        lies clearly elsewhere; an agreement when every value lies there; else None.
    """
    agreed: CheckResult | None = None
    for p in placed(statement):
        given = _values(source, p.kind, p.name)
        if not given:
            continue
        segs = tuple(dict.fromkeys(s for _, s in given))[:3]
        f, seg = given[0]
        if all(_against(p.place, p.name, g.value or 0.0, g.value2) for g, _ in given):
            reason = f"{source_label(source)} says {p.name} {_said(f)} ({seg}), note says {p.words}"
            return CheckResult(p.kind, "conflict", reason, segs)
        if agreed is None and all(
            _borne_out(p.place, p.name, g.value or 0.0, g.value2) for g, _ in given
        ):
            agreed = CheckResult(p.kind, "agree", f"{p.name} {_said(f)} is {p.place}", segs)
    return agreed
