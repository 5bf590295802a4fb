"""The fact checkers: each fact of a statement checked against the source.

Drugs with dose, route and frequency, vitals, labs, allergies, numbers and dates, ranges,
sides and findings (:mod:`evident.verify.compare`, :mod:`evident.verify.sides`), each
check turned into the :class:`~evident.verify.decide.CheckResult` the decision table reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evident.verify._borne_out import FACT_READERS, fact_stems
from evident.verify._words import words
from evident.verify.clause import statement_context
from evident.verify.compare import Check, check_fact, fmt_quantity
from evident.verify.decide import CheckResult
from evident.verify.drug_classes import is_class
from evident.verify.facts import Analysis, Fact, elsewhere
from evident.verify.index import IndexedSegment, SourceIndex
from evident.verify.sides import laterality_checks

__all__ = ["fact_results"]

# "no pain *with* movement", "not snoring *on* CPAP": a denial under one circumstance
_CIRCUMSTANCE = words("circumstance")


def fact_results(
    an: Analysis, index: SourceIndex, cands: list[IndexedSegment], review: bool = False
) -> list[CheckResult]:
    """Every fact of a statement checked against the source, as checker results.

    Args:
        an: The statement's analysis.
        index: The source index.
        cands: The statement's candidate segments, most relevant first.
        review: The statement belongs to a review of systems.

    Returns:
        One result per fact check, in order (fact checks, ranges, sides).
    """
    facts = _checkable(an.facts, an.text)
    checks = [
        check_fact(
            f,
            index,
            cands,
            context=statement_context(an, f),
            review=review,
            other=elsewhere(an.tokens, f.position),
            circumstance=_circumstance(f, an.tokens),
        )
        for f in facts
        if f.kind != "quantity"
    ]
    local: set[int] = set()
    for pos in [c.pos for c in cands] + [
        index.by_id[i].pos for c in checks if c.status == "ok" for i in c.segments[:3]
    ]:
        # one segment back, three forward: answers follow the question that retrieved them
        local.update(range(max(0, pos - 1), min(len(index.segments), pos + 4)))
    measured = _measured_values(checks)
    doses = _dose_spans(checks)
    spans = _range_bounds(an)
    checks.extend(
        check_fact(f, index, cands, local, span=spans.get(f.position))
        for f in facts
        if f.kind == "quantity"
        and f.value not in measured
        and not (
            f.key in _DOSE_DIMENSIONS
            and any(a < f.position <= b for a, b in doses)
            and not _changed_to(an.tokens, f.position)
        )
    )
    # an ordinal ("in 3rd grade", "the third problem"), a drug class ("antibiotics":
    # the source may name its drug in words no table holds), a spinal level (it may be
    # said in words the reader does not take for one) and what a normal exam implies
    # ("lungs clear": no wheezing) count where found, never missing
    checks = [
        c
        for c in checks
        if not (
            c.status == "missing"
            and (
                c.fact.key == "ordinal"
                or c.fact.implied
                or c.fact.kind == "level"
                or is_class(c.fact.key)
                or _past_unit(an.tokens, c.fact)
            )
        )
    ]
    checks.extend(_range_checks(an, index, local))
    checks.extend(laterality_checks(an, index, local))
    return [_as_result(c) for c in _sites_of_missing_findings_dropped(checks)]


def _past_unit(tokens: Sequence[str], f: Fact) -> bool:
    """A duration of one read from "for the past year" (``normalize``): the phrase
    says when as often as how long, so the source need not give it; where it does, it
    counts."""
    before = tuple(tokens[max(0, f.position - 2) : f.position])
    return f.key == "duration" and before in {("the", "past"), ("the", "last")}


_CHECKER_OF_KIND = {"medication": "drug", "quantity": "number"}
_OUTCOME = {"ok": "agree", "conflict": "conflict", "missing": "missing"}


def _as_result(c: Check) -> CheckResult:
    """A fact check as the decision table reads it; the checker is named by the check
    (dose, frequency, side, denial) or else by the fact's kind."""
    name = c.checker or _CHECKER_OF_KIND.get(c.fact.kind, c.fact.kind)
    if name == "number" and c.fact.key == "date":
        name = "date"
    outcome = _OUTCOME[c.status]
    about = fact_stems(c.fact.text) if name in FACT_READERS else frozenset()
    strict = c.strict and name == "finding"  # the other strict checks are hard checkers
    return CheckResult(name, outcome, c.reason, c.segments, about, strict)  # type: ignore[arg-type]


def _measured_values(checks: list[Check]) -> frozenset[float]:
    """Values of the statement's vitals, labs and doses the source confirmed: the same
    number is not checked again as a bare quantity ("respiratory rate is fourteen"
    confirms the 14 of "Respirations: 14" whatever words stand next to it). A drug's
    dose is judged by the drug's own check whatever it found: "benicar 40 mg" is not
    contradicted by another drug's "10 milligrams" nearby."""
    out: set[float] = set()
    for c in checks:
        judged = c.status == "ok" or (c.fact.kind == "medication" and c.status == "missing")
        if judged and c.fact.kind in {"vital", "lab", "medication"}:
            out.update(v for v in (c.fact.value, c.fact.value2) if v is not None)
    return frozenset(out)


_DOSE_DIMENSIONS = frozenset({"mass", "volume", "units"})


def _dose_spans(checks: list[Check]) -> list[tuple[int, int]]:
    """Token spans just after each drug whose dose its own check judged: a combination
    dose ("Benicar HCT 40-25 mg") belongs to the drug, not to the bare numbers."""
    return [
        (c.fact.position, c.fact.position + 6)
        for c in checks
        if c.fact.kind == "medication" and c.fact.value is not None and c.status != "conflict"
    ]


def _changed_to(tokens: tuple[str, ...], position: int) -> bool:
    """The new dose of a change ("increase sertraline from 50 mg *to 150 mg*"): the drug's
    check judged the dose it read first, so this one is checked as a number."""
    before = tokens[max(0, position - 5) : position]
    return before[-1:] == ("to",) and "from" in before


def _circumstance(f: Fact, tokens: tuple[str, ...]) -> str:
    """The circumstance a denied finding is denied under, as written ("with movement"
    in "no pain with movement"; ``words.json``'s ``circumstance``), else ``""``. What a
    normal exam implies has none: "clear *to auscultation*" says how the lungs were
    examined, not when the wheezing is absent."""
    if f.kind != "finding" or f.polarity != "negated" or f.implied:
        return ""
    end = f.end
    if tokens[end : end + 1] and tokens[end] in _CIRCUMSTANCE and end + 1 < len(tokens):
        return " ".join(tokens[end : end + 3])
    return ""


def _checkable(facts: tuple[Fact, ...], text: str) -> list[Fact]:
    out = []
    for f in facts:
        if _list_number(f, text):
            continue  # list numbering ("1. Hypertension"), not "Four exacerbations last year"
        if f.key == "per_day" and not f.text[0].isdigit():
            continue  # "twice a day" is checked with its drug; "2 times a day" is a number
        if f.key == "count":
            continue  # "a daughter" is evidence for "one daughter", no claim of a number
        out.append(f)
    return out


_RANGE_WORDS = frozenset({"to", "-", "or", "and"})
_SIZE_WORDS = frozenset({"x", "by"})


def _list_number(f: Fact, text: str) -> bool:
    """A small number opening the statement as a list mark ("1.", "2)", "3:"), or a
    "one" that opens it as an article would ("One prior UTI": "a UTI" bears it out)."""
    if f.kind != "quantity" or f.position != 0 or f.value is None or f.value >= 20:
        return False
    return f.value == 1 or _LIST_MARK.match(text) is not None


_LIST_MARK = re.compile(r"\s*\(?\d{1,2}\s*[.):](?!\d)")


def _ranges(an: Analysis) -> list[tuple[Fact, Fact, str]]:
    """Number ranges and sizes: "6 to 8 hours", "3-5 miles", "two or three times", "2 x 3
    cm" (with " to " or " x " between them, as a clinician writes the pair)."""
    qs = {
        f.position: f
        for f in an.facts
        if f.kind == "quantity" and f.unit != "ratio" and f.text[0].isdigit()  # not "may 2020"
    }
    out = []
    for pos, lo in qs.items():
        hi = qs.get(pos + 1)
        sep = " to "
        if hi is None and pos + 2 in qs:
            word = an.tokens[pos + 1]
            if word in _RANGE_WORDS or word in _SIZE_WORDS:
                hi = qs[pos + 2]
                sep = " x " if word in _SIZE_WORDS else sep
        if hi is not None and (lo.key == hi.key or not lo.key or not hi.key):
            out.append((lo, hi, sep))
    return out


def _range_bounds(an: Analysis) -> dict[int, tuple[float, float]]:
    """Each range's bounds (in base units) by the position of either bound's number."""
    out: dict[int, tuple[float, float]] = {}
    for lo, hi, sep in _ranges(an):
        if sep == " to " and lo.base is not None and hi.base is not None:
            out[lo.position] = out[hi.position] = (lo.base, hi.base)
    return out


def _range_checks(an: Analysis, index: SourceIndex, local: set[int]) -> list[Check]:
    """A range one of whose bounds the source gives with a different other bound: "every
    6 to 8 hours" said, "every 8 to 8 hours" written (so too a size: "2 by 3 centimeters"
    said, "3 x 3 cm" written). Each number alone is found; the pair is not."""
    mine = _ranges(an)
    if not mine:
        return []
    segments = (index.segments[p] for p in sorted(local))
    theirs = [(s, lo.value, hi.value, sep) for s in segments for lo, hi, sep in _ranges(s.analysis)]
    out = []
    for lo, hi, sep in mine:
        pair = (lo.value, hi.value)
        if any((a, b) == pair for _, a, b, _ in theirs):
            continue
        for s, a, b, their_sep in theirs:
            if (a == lo.value) != (b == hi.value) and sep == their_sep:
                said = f"{fmt_quantity(a)}{their_sep}{fmt_quantity(b, hi.unit)}"
                wrote = f"{fmt_quantity(lo.value)}{sep}{fmt_quantity(hi.value, hi.unit)}"
                reason = f"{index.kind_label} says {said}, note says {wrote}"
                out.append(Check("conflict", lo, (s.segment.id,), reason))
                return out
    return out


def _sites_of_missing_findings_dropped(checks: list[Check]) -> list[Check]:
    """ "Denies knee pain" where the source never speaks of knee pain: the knee, found
    wherever the knee is talked of, does not support the statement on its own."""
    missing = {
        c.fact.site or c.fact.key.partition("@")[2]
        for c in checks
        if c.status == "missing" and c.fact.kind == "finding"
    }
    return [
        c
        for c in checks
        if not (c.status == "ok" and c.fact.kind == "anatomy" and c.fact.key in missing)
    ]
