"""Fact-level comparison of one statement fact against the source index.

Each check returns a :class:`Check`: ``ok`` with the supporting segments, ``conflict``
with the conflicting segment and a one-line reason a clinician reads ("transcript says
20 mg, note says 200 mg"), or ``missing`` when no segment carries the fact.
"""

from __future__ import annotations

from collections.abc import Iterator

from evident.verify._compare_base import Check, _ids
from evident.verify._compare_history import check_history
from evident.verify._compare_plans import check_allergy, check_order
from evident.verify._compare_values import (
    AGE_UNITS,
    decimal,
    is_year_fact,
    quantity_matches,
    same_person,
    same_value,
    thing,
)
from evident.verify._resources import load_lexicons
from evident.verify._words import phrases
from evident.verify.compare_findings import check_finding
from evident.verify.drug_classes import class_name, is_class, narrower
from evident.verify.facts import Fact, decode_date
from evident.verify.index import IndexedSegment, SourceIndex
from evident.verify.spine_levels import check_level

__all__ = ["Check", "check_fact", "fmt_quantity"]


def fmt_quantity(value: float | None, unit: str = "") -> str:
    """``40 mg``, ``7.2%``, ``2 week``: a number as a clinician reads it."""
    if value is None:
        return "?"
    v = f"{value:g}"
    if not unit:
        return v
    if unit in AGE_UNITS:
        return f"age {v}" if unit != "decade" else f"age {v}s"
    return f"{v}{unit}" if unit == "%" else f"{v} {unit}"


def fmt_date(value: float | None) -> str:
    """``1/18/2008``, ``3/2008``, ``6/21``: a date as written in a note."""
    if value is None:
        return "?"
    y, m, d = decode_date(value)
    parts = [str(m)] + ([str(d)] if d else []) + ([str(y)] if y else [])
    return "/".join(parts)


def _same_thing_otherwise(
    stf: Fact,
    index: SourceIndex,
    cands: list[IndexedSegment],
    matched: list[tuple[IndexedSegment, Fact]],
) -> Check | None:
    """A conflict where the value is matched only by a number of something else while the
    evidence gives the statement's own thing another value: "repeat potassium in 4
    weeks" against "repeat the potassium in two weeks and see you back in one month"
    (the month is four weeks, but of the visit). The thing is the number's near words;
    only numbers with a unit and near words of their own are read so ("went to twenty
    two point five", said without its unit, may be the statement's 22.5 mg)."""
    if not (stf.unit and stf.key and stf.near and matched):
        return None
    if any(not (f.unit and f.near) or thing(stf) & thing(f) for _, f in matched):
        return None  # a bare number said without its unit may be the statement's own
    for c, f in _rivals(stf, cands):
        if len(thing(stf) & thing(f)) >= 2 and not quantity_matches(stf, f):
            return _said_otherwise(stf, f, c, index)
    return None


def _rivals(stf: Fact, cands: list[IndexedSegment]) -> Iterator[tuple[IndexedSegment, Fact]]:
    """The first candidates' numbers that count what the statement's number counts: the
    same key, a unit comparable with its own, the same person."""
    for c in cands[:3]:
        for f in c.facts:
            if (
                f.kind == "quantity"
                and f.key == stf.key
                and f.unit
                and _comparable(stf, f)
                and same_person(stf, f)
            ):
                yield c, f


def _said_otherwise(stf: Fact, f: Fact, c: IndexedSegment, index: SourceIndex) -> Check:
    said, wrote = fmt_quantity(f.value, f.unit), fmt_quantity(stf.value, stf.unit)
    reason = f"{index.kind_label} says {said}, note says {wrote}"
    return Check("conflict", stf, (c.segment.id,), reason)


def check_fact(
    stf: Fact,
    index: SourceIndex,
    candidates: list[IndexedSegment],
    local: set[int] | None = None,
    context: frozenset[str] = frozenset(),
    review: bool = False,
    other: bool = False,
    span: tuple[float, float] | None = None,
    circumstance: str = "",
) -> Check:
    """Compare one statement fact with the sources (dispatch on its kind).

    Args:
        stf: The statement's fact.
        index: The analysed sources.
        candidates: Retrieved segments for the statement, best first.
        local: Segment positions where a number must be found (the statement's
            candidates and the segments that support its other facts, with
            neighbours); None searches the whole source.
        context: The statement's other content stems; for findings, the mention whose
            clause best matches them decides the polarity
            (:func:`evident.verify.clause.best_by_context`).
        review: The statement belongs to a review of systems: a finding's polarity is
            what the patient answered when asked, where the answers agree.
        other: The statement speaks of other such findings ("no other joint pain"); only
            then do the source's "any other joint pain?" mentions count.
        span: For a number that bounds a range of the statement ("3 to 3.5 pounds"),
            the range's bounds (in base units): a source value equal to either bound
            bears it out ("3.5 pounds" said), no conflict.
        circumstance: For a denied finding, what it is denied under ("with movement" in
            "no pain with movement"): the finding told of at all ("my knee hurts") does
            not contradict it, only a mention whose clause matches the statement's.
    """
    if stf.kind == "quantity":
        return _check_quantity(stf, index, candidates, local, span)
    if stf.kind == "finding":
        return check_finding(stf, index, candidates, context, review, other, circumstance)
    handler = _HANDLERS.get(stf.kind)
    if handler is None:
        return Check("ok", stf)
    return handler(stf, index, candidates)


def _check_quantity(
    stf: Fact,
    index: SourceIndex,
    cands: list[IndexedSegment],
    local: set[int] | None = None,
    span: tuple[float, float] | None = None,
) -> Check:
    cand_pos = {c.pos for c in cands}
    matched = [
        (s, f)
        for s, f in index.quantities
        if (local is None or s.pos in local) and quantity_matches(stf, f)
    ]
    other = _same_thing_otherwise(stf, index, cands, matched) or _other_bound(stf, matched, index)
    if other is not None:
        return other
    hits = [s for s, _ in matched]
    if not hits and local is not None:
        # far from the evidence, a number must count the same named thing ("type 2
        # diabetes" said once at the end for "Diabetes type 2"); the patient's age is
        # one anywhere, however it is said
        hits = [
            s
            for s, f in index.quantities
            if f.key == stf.key
            and (f.unit == stf.unit or stf.key == "age")
            and (
                len(stf.near & f.near) >= 2
                or decimal(stf.value)
                or stf.key == "date"
                or is_year_fact(stf)
                or (stf.key == "age" and (not stf.family or stf.person == f.person))
            )
            and quantity_matches(stf, f)
        ]
    if not hits and span:
        hits = _range_said(index, span)
    if hits:
        hits.sort(key=lambda s: (s.pos not in cand_pos, s.pos))
        return Check("ok", stf, _ids(hits))
    if stf.key:
        for c, f in _rivals(stf, cands):
            if _bound(c.analysis.tokens, f.position):
                continue
            if span and any(same_value(f.base, b) for b in span):
                return Check("ok", stf, (c.segment.id,))  # the range's other end
            return _said_otherwise(stf, f, c, index)
    what = fmt_date(stf.value) if stf.key == "date" else fmt_quantity(stf.value, stf.unit)
    return Check("missing", stf, reason=f"no source mentions {what}")


_BOUND_WORDS = {"above": "more than", "below": "less than"}


def _other_bound(
    stf: Fact, matched: list[tuple[IndexedSegment, Fact]], index: SourceIndex
) -> Check | None:
    """The same number bounded from the other side ("more than 3 seconds" where the
    source says only "less than three seconds"): a conflict. A source number said with
    no bound, or with the same, bears the statement's out."""
    if not stf.bound or not matched or any(f.bound in ("", stf.bound) for _, f in matched):
        return None
    c, f = matched[0]
    said = fmt_quantity(f.value, f.unit)
    reason = (
        f"{index.kind_label} says {_BOUND_WORDS[f.bound]} {said}, "
        f"note says {_BOUND_WORDS[stf.bound]} {fmt_quantity(stf.value, stf.unit)}"
    )
    return Check("conflict", stf, (c.segment.id,), reason)


def _range_said(index: SourceIndex, span: tuple[float, float]) -> list[IndexedSegment]:
    """Segments that say both ends of a statement's range ("160-180" for "usually around
    160, sometimes 180"): numbers said together count the same thing, whatever words
    stand beside each."""
    by_seg: dict[int, tuple[IndexedSegment, set[float]]] = {}
    for s, f in index.quantities:
        if f.key not in ("date", "per_day") and f.base is not None:
            by_seg.setdefault(s.pos, (s, set()))[1].add(f.base)
    return [
        s
        for s, values in by_seg.values()
        if all(any(same_value(b, v, 0.001) for v in values) for b in span)
    ]


def _comparable(stf: Fact, src: Fact) -> bool:
    """Two amounts of one dimension close enough to be the same thing said differently:
    "swims 60 minutes" is not "trains 5 days a week"."""
    if not stf.base or not src.base:
        return True
    ratio = max(stf.base, src.base) / min(stf.base, src.base)
    return ratio <= 10


_BOUNDS = phrases("bounds")


def _bound(tokens: tuple[str, ...], position: int) -> bool:
    """ "more than 0.5 year", "a half day or more" bound the number: "8 months" does not
    contradict it."""
    after = tokens[position + 1 : position + 4]
    return (
        tuple(tokens[max(0, position - 2) : position]) in _BOUNDS
        or (position > 0 and tokens[position - 1] in {"over", "under", "almost", "nearly"})
        or any(after[i : i + 2] in {("or", "more"), ("or", "longer")} for i in range(2))
    )


def _check_medication(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    if stf.key == "none":  # "no current medications": the source must say so
        said = index.by_key.get(("medication", "none"), [])
        if said:
            return Check("ok", stf, _ids(s for s, _ in said))
        return Check("missing", stf, reason=f"{index.kind_label} never says no medications")
    if is_class(stf.key):
        return _check_class(stf, index)
    mentions = index.by_key.get(("medication", stf.key), []) + index.by_key.get(
        ("allergy", stf.key), []
    )
    if not mentions:
        return _different_medication(stf, index, cands)
    segs = [s for s, _ in mentions]
    if stf.value is not None:
        dose = _check_dose(stf, index, mentions)
        if dose is not None:
            return dose
    if stf.frequency:
        # a frequency asked about ("every day?") or denied is not what the source states
        freqs = [(s, f) for s, f in mentions if f.frequency and f.polarity == "affirmed"]
        if (
            freqs
            and not any(f.frequency == stf.frequency for _, f in freqs)
            and not _frequency_near(stf, index, mentions)
        ):
            s, f = freqs[0]
            reason = f"{index.kind_label} says {stf.key} {f.frequency}, note says {stf.frequency}"
            return Check("conflict", stf, (s.segment.id,), reason, checker="frequency")
    return Check("ok", stf, _ids(segs))


def _frequency_near(stf: Fact, index: SourceIndex, mentions: list) -> bool:
    """Whether the note's frequency is said next to the source's mentions of the drug:
    "missing her evening metformin dose twice weekly" against "are you taking the
    metformin every day?" - "... i forget the evening one, maybe twice a week" counts
    something else about the drug (missed doses), not a dosing it conflicts with."""
    rate = _per_day(stf.frequency)
    near = {p for s, _ in mentions for p in index.neighbours(s.pos, 1)}
    for pos in near:
        for f in index.segments[pos].facts:
            if f.frequency == stf.frequency and f.polarity == "affirmed":
                return True
            if rate and f.key == "per_day" and f.value and _same_period(f.value, rate):
                return True
    return False


def _same_period(value: float, rate: float) -> bool:
    """Whether a rate said is the code's rate, or a whole count of its period where the
    period is longer than a day ("twice a week" is said per week, as "weekly" is)."""
    if abs(value - rate) < 1e-3:
        return True
    count = value / rate
    return rate < 1 and count > 1 and abs(count - round(count)) < 1e-3


def _per_day(code: str) -> float:
    """Doses a day of a frequency code (``quantities.json``; 0 when unknown or PRN)."""
    entry = load_lexicons().quantities.frequencies.get(code)
    return float(entry.per_day) if entry is not None and entry.per_day else 0.0


def _check_dose(stf: Fact, index: SourceIndex, mentions: list) -> Check | None:
    for _, f in mentions:
        if f.value is not None and _dose_equal(stf, f):
            return None
    near = {p for s, _ in mentions for p in index.neighbours(s.pos)}
    dose = _as_quantity(stf)
    dosed = [(s, f) for s, f in mentions if f.value is not None]
    for s, q in index.quantities:
        # a count without a unit ("3 puffs") is checked against the source's doses of the
        # drug, not against any 3 nearby ("three times a day")
        usable = bool(q.unit) if stf.unit else not dosed
        if usable and s.pos in near and quantity_matches(dose, q):
            return None
    if dosed:
        # the reason names a dose with a unit where there is one ("3000 mg", not "2")
        s, f = min(dosed, key=lambda m: (not m[1].unit, m[0].pos))
        said = f"{stf.key} {fmt_quantity(f.value, f.unit)}"
        reason = f"{index.kind_label} says {said}, note says {fmt_quantity(stf.value, stf.unit)}"
        return Check("conflict", stf, (s.segment.id,), reason, checker="dose")
    if any(quantity_matches(_as_quantity(stf), q) for _, q in index.quantities):
        return None
    return Check(
        "missing",
        stf,
        reason=f"no source gives the dose {fmt_quantity(stf.value, stf.unit)} of {stf.key}",
        checker="dose",
    )


def _as_quantity(f: Fact) -> Fact:
    dim = {"mg": "mass", "g": "mass", "mcg": "mass", "ml": "volume", "unit": "units"}
    return Fact("quantity", dim.get(f.unit, ""), f.text, f.value, unit=f.unit, base=f.base)


def _dose_equal(a: Fact, b: Fact) -> bool:
    if a.unit and b.unit:
        return same_value(a.base, b.base)
    said_unit = b.unit or a.unit
    if said_unit in _MASS_UNITS and said_unit != _usual_unit(a if a.unit else b):
        # "500 of metformin" said is 500 mg, not 500 mcg
        return False
    return same_value(a.value, b.value)


_MASS_UNITS = frozenset({"mg", "mcg", "g"})


def _usual_unit(f: Fact) -> str:
    """The unit a dose said without one is taken in: mcg for thyroid hormone, else mg."""
    return "mcg" if f.category == "thyroid" else "mg"


def _check_class(stf: Fact, index: SourceIndex) -> Check:
    """A drug class ("antibiotics") is borne out by the class named, or by any drug of it
    or of a narrower class (:mod:`evident.verify.drug_classes`)."""
    wanted = narrower(class_name(stf.key))
    said = [
        s
        for (kind, key), mentions in index.by_key.items()
        if kind == "medication" and key != "none"
        for s, f in mentions
        if f.category in wanted
    ]
    if said:
        return Check("ok", stf, _ids(said))
    # dropped by the fact checks: a class counts where found, never missing
    return Check("missing", stf, reason=f"no source mentions a drug of the class {stf.key}")


def _different_medication(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    for c in cands[:2]:
        for f in c.facts:
            if f.kind == "medication" and f.key != stf.key and not is_class(f.key):
                reason = f"{index.kind_label} says {f.key}, note says {stf.key}"
                return Check("conflict", stf, (c.segment.id,), reason)
    return Check("missing", stf, reason=f"no source mentions {stf.key}")


def _check_simple(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    mentions = index.by_key.get((stf.kind, stf.key), [])
    if mentions:
        return Check("ok", stf, _ids(s for s, _ in mentions))
    return Check("missing", stf, reason=f"no source mentions {stf.key}")


def _check_measure(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    mentions = index.by_key.get((stf.kind, stf.key), [])
    valued = [(s, f) for s, f in mentions if f.value is not None]
    tol = 0.006 if stf.key == "temperature" else 0.001
    match = [
        s
        for s, f in valued
        if same_value(f.value, stf.value, tol)
        and (stf.value2 is None or same_value(f.value2, stf.value2, tol))
    ]
    if match:
        return Check("ok", stf, _ids(match))
    # the value said bare near the evidence ("any fever?" - "she had 100.8 on Sunday"):
    # a reading of another time than the one the source names as the measure
    q = _check_quantity(Fact("quantity", "", stf.text, stf.value, base=stf.value), index, cands)
    if q.status == "ok" and stf.value2 is not None:
        q2 = Fact("quantity", "", stf.text, stf.value2, base=stf.value2)
        q = _check_quantity(q2, index, cands)
    if q.status == "ok" and not _another_measure(stf, index, q.segments):
        return Check("ok", stf, q.segments)
    if valued:
        s, f = valued[0]
        reason = f"{index.kind_label} says {stf.key} {_measure(f)}, note says {_measure(stf)}"
        return Check("conflict", stf, (s.segment.id,), reason)
    return Check("missing", stf, reason=f"no source gives {stf.key} {_measure(stf)}")


def _another_measure(stf: Fact, index: SourceIndex, segments: tuple[str, ...]) -> bool:
    """Whether the value is another measure's in those segments ("temperature 88"
    against "pulse 88"): a bare number borne out only by it is no reading of this one."""
    values = {stf.value, stf.value2} - {None}
    return any(
        f.value in values or (f.value2 is not None and f.value2 in values)
        for (kind, key), ms in index.by_key.items()
        if kind in {"vital", "lab"} and key != stf.key
        for s, f in ms
        if s.segment.id in segments
    )


def _measure(f: Fact) -> str:
    if f.value2 is not None:
        return f"{f.value:g}/{f.value2:g}"
    return fmt_quantity(f.value, f.unit if f.unit == "%" else "")


_HANDLERS = {
    "level": check_level,
    "medication": _check_medication,
    "finding": check_finding,
    "order": check_order,
    "anatomy": _check_simple,
    "vital": _check_measure,
    "lab": _check_measure,
    "allergy": check_allergy,
    "history": check_history,
}
