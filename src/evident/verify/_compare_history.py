"""A note's "noncontributory" or "otherwise negative" history (family, medical,
surgical, review of systems) held against the source: said so, or borne out by what was
asked and denied; what the source gives instead is named in the reason."""

from __future__ import annotations

from evident.verify._compare_base import Check, _ids
from evident.verify._polarity_views import nothing_else
from evident.verify.facts import Fact
from evident.verify.index import IndexedSegment, SourceIndex

__all__ = ["check_history"]


def check_history(stf: Fact, index: SourceIndex, cands: list[IndexedSegment]) -> Check:
    """An unremarkable family, medical or surgical history must be said so, or borne out
    by diagnoses asked about and denied while none is given. What the source gives
    instead (a relative's or the patient's diagnoses, past surgeries) is named in the
    reason: unsupported, not contradicted, since "noncontributory" may mean "not
    relevant"."""
    said = index.by_key.get(("history", stf.key), [])
    if said:
        return Check("ok", stf, _ids(s for s, _ in said))
    if stf.key == "review":
        return _check_review(stf, index)
    given = sorted(
        {
            f.key
            for (kind, _), ms in index.by_key.items()
            if kind in {"finding", "order"}
            for _, f in ms
            if _in_history(stf.key, f)
        }
    )
    if given:
        reason = (
            f"{index.kind_label} gives a {stf.key} history ({', '.join(given[:3])}), note says none"
        )
    elif stf.key in {"family", "medical"} and (denied := _denied_history(stf.key, index)):
        # "any high blood pressure, diabetes, heart disease?" - "no": none of what was
        # asked, and no diagnosis given anywhere
        return Check("ok", stf, _ids(denied))
    else:
        reason = f"{index.kind_label} never says the {stf.key} history is unremarkable"
    return Check("missing", stf, reason=reason, strict=True, checker="denial")


def _check_review(stf: Fact, index: SourceIndex) -> Check:
    """ "Review of systems is otherwise negative": borne out where the patient denies
    symptoms asked about ("any fever, nausea?" - "nope"), as a review of systems is
    taken; not where no symptom is ever denied."""
    denied = _denied(index, "symptom", family=False)
    if denied:
        return Check("ok", stf, _ids(sorted((s for s, _ in denied), key=lambda s: s.pos)))
    if asked := _nothing_else(index):
        return Check("ok", stf, _ids(asked))
    reason = f"{index.kind_label} never denies other symptoms"
    return Check("missing", stf, reason=reason, strict=True, checker="denial")


def _nothing_else(index: SourceIndex) -> tuple[IndexedSegment, ...]:
    """A question asking for anything more ("anything else?", "any other concerns?":
    ``polarity.json``'s distinguishing words, "new" aside, with one of its "any" words)
    that the other speaker answers no: nothing else to report, as "no other complaints"
    says. Read once per source index (a draft of many such statements reads it once)."""
    got = index.__dict__.get("_nothing_else")
    if got is None:
        got = index.__dict__["_nothing_else"] = _read_nothing_else(index)
    return got


def _read_nothing_else(index: SourceIndex) -> tuple[IndexedSegment, ...]:
    return tuple(index.segments[i] for i in nothing_else([s.segment for s in index.segments]))


def _denied(index: SourceIndex, category: str, family: bool) -> list[tuple[IndexedSegment, Fact]]:
    """The source's denied findings of one category, the patient's or the family's."""
    return [
        (s, f)
        for (kind, _), ms in index.by_key.items()
        if kind == "finding"
        for s, f in ms
        if f.polarity == "negated" and f.category == category and f.family == family
    ]


def _denied_history(which: str, index: SourceIndex) -> list[IndexedSegment]:
    """Segments where two or more diagnoses of a family or medical history are denied
    (one denied disease, "any diabetes in the family?" - "no", is that one only)."""
    denied = _denied(index, "diagnosis", family=which == "family")
    if len({f.key for _, f in denied}) < 2:
        return []
    return sorted({s.pos: s for s, _ in denied}.values(), key=lambda s: s.pos)


def _in_history(which: str, f: Fact) -> bool:
    """Whether a source fact belongs to a family, medical or surgical history."""
    if f.polarity != "affirmed":
        return False
    if which == "surgical":
        return f.kind == "order" and f.key == "surgery" and not f.plan
    diagnosis = f.kind == "finding" and f.category == "diagnosis"
    return diagnosis and f.family == (which == "family")
