"""The allergy and order checks (:func:`evident.verify.compare.check_fact` dispatches
to them): an allergy the source names, denies or never names, an allergen no lexicon
holds named in any words; an order or test named otherwise than only as a condition."""

from __future__ import annotations

from evident.verify._compare_base import Check, _ids
from evident.verify.clause import answered
from evident.verify.facts import Fact
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["check_allergy", "check_order"]


def check_order(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    """An order or test the note affirms must be named in the source otherwise than only
    as a condition ("if it's not better, we'll get an x-ray" bears out no "x-ray
    ordered"). Other polarities count any mention, as before."""
    mentions = index.by_key.get((stf.kind, stf.key), [])
    if not mentions:
        return Check("missing", stf, reason=f"no source mentions {stf.key}")
    said = [s for s, f in mentions if not f.conditional]
    if stf.polarity == "affirmed" and not stf.conditional and not said:
        only = f"{index.kind_label} names {stf.key} only as a condition"
        return Check("missing", stf, reason=only)
    return Check("ok", stf, _ids(s for s, _ in mentions))


def _named_allergies(index: SourceIndex) -> list[tuple[IndexedSegment, Fact]]:
    """Every allergy the source names (to a drug, or "drug allergies" alone)."""
    return [
        m for (k, key), ms in index.by_key.items() if k == "allergy" and key != "none" for m in ms
    ]


def check_allergy(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    if stf.key == "none":
        known = _named_allergies(index)
        if known:
            s, f = known[0]
            reason = f"{index.kind_label} says allergic to {f.key}, note says no known allergies"
            return Check("conflict", stf, (s.segment.id,), reason)
        # "it's not her allergies" also bears out "no allergies"; a "no" to "any allergies?"
        # does so only as "no known allergies" (not when the reply names a drug)
        said = index.by_key.get(("allergy", "none"), []) or [
            (s, f)
            for s, f in index.by_key.get(("finding", "allergic rhinitis"), [])
            if f.polarity == "negated"
            and f.text.lower() in {"allergies", "allergy"}
            and not answered(s, f)
        ]
        if said:
            return Check("ok", stf, _ids(s for s, _ in said))
        reason = f"{index.kind_label} never says there are no known allergies"
        return Check("missing", stf, reason=reason)
    # "known drug allergies": any allergy the source names bears it out
    mentions = (
        _named_allergies(index) if stf.key == "any" else index.by_key.get(("allergy", stf.key), [])
    )
    if mentions:
        return Check("ok", stf, _ids(s for s, _ in mentions))
    none = index.by_key.get(("allergy", "none"), [])
    if none:
        what = "has allergies" if stf.key == "any" else f"allergic to {stf.key}"
        reason = f"{index.kind_label} says no known allergies, note says {what}"
        return Check("conflict", stf, (none[0][0].segment.id,), reason)
    named = _substance_said(stf, index)
    if named:  # an allergen no lexicon holds, named in words no frame reads
        return Check("ok", stf, _ids(named))
    return Check("missing", stf, reason=f"no source mentions an allergy to {stf.key}")


def _substance_said(stf: Fact, index: SourceIndex) -> list[IndexedSegment]:
    """Segments that name an allergen the drug lexicon lacks ("sulfa gives me a rash"
    after "any allergies?"): where it is said at all, the note's allergy is not
    invented."""
    if stf.category != "allergen" or index.by_key.get(("medication", stf.key)):
        return []
    return [s for s in index.segments if any(t.startswith(stf.key) for t in s.analysis.tokens)]
