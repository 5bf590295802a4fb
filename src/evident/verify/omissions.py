"""Omissions: clinically important source facts that no statement covers.

What counts is what the patient or the record says - a clinician's question is not a
fact until it is answered, and the omission then reads as the answer - each fact once,
and a mention once (facts of one :data:`FAMILY` that complete each other are one). A
relative's diagnosis read as family history is ``family_history``; a condition of a
relative named as its subject ("my grandson had a cold") is not the patient's and no
omission. Vitals and labs are abnormal against their reference ranges (data, with other
scales such as Celsius); an allergy to any substance counts, named in the drug lexicon
or not ("allergic to sulfa", "latex allergy"). The cue words are data
(``resources/omissions.json``).
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache

from evident.types import Omission, Statement
from evident.verify._resources import load_lexicons
from evident.verify.allergens import _cues, allergy_substances
from evident.verify.drug_classes import CLASS_PREFIX, broader
from evident.verify.facts import Analysis, Fact, analyze
from evident.verify.index import IndexedSegment, SourceIndex

logger = logging.getLogger(__name__)

__all__ = [
    "FAMILY",
    "IMPORTANCE",
    "allergy_substances",
    "find_omissions",
    "omission_kind",
    "question_speakers",
]

#: Ranking weight per omission kind (higher matters more).
IMPORTANCE = {
    "allergy": 0.95,
    "medication_change": 0.9,
    "abnormal_lab": 0.85,
    "abnormal_vital": 0.8,
    "medication": 0.75,
    "order": 0.7,
    "referral": 0.7,
    "diagnosis": 0.65,
    "follow_up": 0.6,
    "symptom": 0.5,
    "family_history": 0.45,
}


#: Kinds of one family: a fact that completes the one before it is the same mention.
FAMILY = {
    "order": "plan",
    "referral": "plan",
    "follow_up": "plan",
    "medication": "medication",
    "medication_change": "medication",
}


def question_speakers() -> frozenset[str]:
    """The speakers whose questions are no facts (clinicians), lower case."""
    return _cues().question_speakers_skipped


@cache
def _change_cues() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.change_cues)


@cache
def _kin() -> dict[str, str]:
    return dict(load_lexicons().phrases.relatives)


def omission_kind(fact: Fact, seg: IndexedSegment) -> str | None:
    """The omission kind of a source fact, or None when its absence does not matter."""
    if fact.polarity in {"negated", "asked"}:
        return None
    if fact.family:  # read as family history ("my mother had breast cancer")
        affirmed = fact.kind == "finding" and fact.polarity == "affirmed"
        return "family_history" if affirmed and fact.category == "diagnosis" else None
    if _relative_speaks(fact, seg.analysis):  # "my grandson had a cold": not the patient's
        return None
    if fact.kind == "allergy":
        return "allergy"
    if fact.kind == "medication" and fact.polarity != "uncertain":
        changed = seg.analysis.__dict__.get("_changed")
        if changed is None:  # once per segment, not a scan of its words per drug
            cues = _change_cues()
            changed = seg.analysis.__dict__["_changed"] = any(
                t in cues for t in seg.analysis.tokens
            )
        return "medication_change" if changed else "medication"
    if fact.kind in {"lab", "vital"} and fact.abnormal:
        return f"abnormal_{fact.kind}"
    if fact.kind == "order" and fact.plan and not fact.historical:
        if fact.category == "referral":
            return "referral"
        return "follow_up" if fact.category == "follow_up" else "order"
    if fact.kind == "finding" and fact.polarity == "affirmed":
        if fact.category == "diagnosis":  # past history counts: it belongs in the note
            return "diagnosis"
        if fact.category == "symptom" and fact.key != "pain@" and not fact.historical:
            return "symptom"
    return None


def _relative_speaks(fact: Fact, an: Analysis) -> bool:
    """Whether the person nearest before the fact in its sentence is a relative ("my
    grandson had a cold"), not the patient ("... and now i have a cough")."""
    k = bisect_right(an.sentences, (fact.position, math.inf)) - 1  # ordered, disjoint
    start = an.sentences[k][0] if k >= 0 and fact.position < an.sentences[k][1] else 0
    kin, me = _kin(), _cues().self_words
    # the last person word before each token, found once per text: not a walk back
    # through the sentence for every fact (quadratic on one long unpunctuated turn)
    last = an.__dict__.get("_last_person")
    if last is None:
        last, j = [], -1
        for i, tok in enumerate(an.tokens):
            last.append(j)
            if tok in me or tok in kin:
                j = i
        last.append(j)
        an.__dict__["_last_person"] = last
    j = last[min(fact.position, len(last) - 1)]
    return j >= start and an.tokens[j] not in me


def _covered_keys(statements: Sequence[Statement]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for st in statements:
        an = analyze(st.text)
        keys.update(("allergy", s) for s in allergy_substances(an))
        for f in an.facts:
            if f.kind == "quantity":
                continue
            keys.add((f.kind, f.key))
            if f.kind == "allergy":
                keys.add(("medication", f.key))
            if f.kind == "medication":
                keys.add(("allergy", f.key))
                # a drug named covers its classes: "lisinopril" for "blood pressure pills"
                keys.update(("medication", CLASS_PREFIX + c) for c in broader(f.category))
            if f.key.startswith("pain@"):
                keys.add(("finding", "pain@"))
    return keys


def _where(seg: IndexedSegment, index: SourceIndex) -> tuple[str, str] | None:
    """The segment id and text an omission from ``seg`` cites. A clinician's question is
    no fact: what its answer confirmed is cited with the answer first ("yes . (asked:
    and you're still on lisinopril ... ?)"), at the question's segment, which carries the
    fact the answer resolved; None when nobody answers it."""
    speaker = (seg.segment.speaker or "").lower()
    if not (seg.analysis.is_question and speaker in _cues().question_speakers_skipped):
        return seg.segment.id, seg.segment.text[:300]
    for nxt in index.segments[seg.pos + 1 : seg.pos + 3]:
        if (nxt.segment.speaker or "").lower() != speaker:
            text = f"{nxt.segment.text} (asked: {seg.segment.text})"
            return seg.segment.id, text[:300]
    return None


def _segment_facts(seg: IndexedSegment) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    """The important facts of a segment as mentions: (fact keys, omission kind). A fact
    that directly completes the one before it, of the same family with nothing but
    function words between ("refer you to physical therapy", "follow up with
    cardiology"), is the same mention, not a second entry."""
    found: list[tuple[Fact, str]] = []
    for fact in seg.facts:
        if fact.kind == "quantity" or _allergy_relation(fact, seg.analysis):
            continue
        kind = omission_kind(fact, seg)
        if kind is not None:
            found.append((fact, kind))
    mentions: list[tuple[tuple[tuple[str, str], ...], str]] = []
    last: Fact | None = None
    for fact, kind in sorted(found, key=lambda fk: fk[0].position):
        key = (fact.kind, fact.key)
        if last is not None and mentions and _completes(last, fact, kind, mentions[-1][1], seg):
            keys, first_kind = mentions[-1]
            mentions[-1] = ((*keys, key), first_kind)
        else:
            mentions.append(((key,), kind))
        last = fact
    named = {k for keys, _ in mentions for kind, k in keys if kind in {"allergy", "medication"}}
    for substance in sorted(allergy_substances(seg.analysis) - named):
        mentions.append(((("allergy", substance),), "allergy"))
    return mentions


def _allergy_relation(fact: Fact, an: Analysis) -> bool:
    """Whether a finding is the word of an allergy relation ("allergies to medications"):
    the relation is the allergy to its substance, not a condition called allergies."""
    toks, pos = an.tokens, fact.position
    return (
        fact.kind == "finding"
        and pos + 1 < len(toks)
        and (toks[pos], toks[pos + 1]) in _cues().allergy_before
    )


def _completes(prev: Fact, fact: Fact, kind: str, prev_kind: str, seg: IndexedSegment) -> bool:
    if FAMILY.get(kind, kind) != FAMILY.get(prev_kind, prev_kind):
        return False
    toks = seg.analysis.tokens
    if min(fact.position, len(toks)) - (prev.position + 1) > 3:
        return False  # too far apart: no slice of the tokens between (a long turn's cost)
    between = toks[prev.position + 1 : fact.position]
    return len(between) <= 3 and not _SEPARATORS.intersection(between)


_SEPARATORS = frozenset({",", "and", "or", ";", ".", "then", "also", "plus"})


def find_omissions(
    statements: Sequence[Statement],
    index: SourceIndex,
    limit: int = 25,
    noteworthy: bool = True,
    cited: Iterable[str] = (),
) -> tuple[Omission, ...]:
    """Important source facts that no statement mentions, most important first.

    Args:
        statements: The draft's statements.
        index: The analysed sources.
        limit: At most this many omissions are returned.
        noteworthy: Also list the turns a note would carry that the draft lacks, after
            the facts (:mod:`evident.verify.noteworthy`; spoken sources only).
        cited: Segment ids the draft's supported statements rest on (their verdicts'
            evidence): a turn one of them rests on, or the answer to a question one rests
            on, is said in the draft's own words and no noteworthy omission.

    Returns:
        Each fact once (where it matters most), a mention once (a referral to physical
        therapy is not both a referral and an order), ranked by importance.
    """
    covered = _covered_keys(statements)
    best: dict[tuple[str, str], Omission] = {}
    mentions: dict[int, list[tuple[tuple[str, str], ...]]] = {}
    for seg in index.segments:
        found = _segment_facts(seg)
        mentions[seg.pos] = [keys for keys, _ in found]
        facts = [(keys[0], kind) for keys, kind in found if not covered.intersection(keys)]
        where = _where(seg, index) if facts else None
        if where is None:
            continue
        for key, kind in facts:
            importance = IMPORTANCE[kind]
            if key in best and best[key].importance >= importance:
                continue
            best[key] = Omission(segment=where[0], text=where[1], kind=kind, importance=importance)
    allergens = {k for kind, k in best if kind == "allergy"}
    best = {key: o for key, o in best.items() if key not in _as_medication(allergens)}
    ranked = sorted(best.values(), key=lambda o: (-o.importance, _order(o.segment, index)))
    if noteworthy and len(ranked) < limit:
        # a turn whose important facts the list already names is no second entry
        named = set(best) | _as_medication(allergens)
        said = {p for p, keys in mentions.items() if keys and all(k[0] in named for k in keys)}
        ranked.extend(_noteworthy(statements, index, ranked, said | _rested_on(cited, index)))
    return tuple(ranked[:limit])


def _rested_on(cited: Iterable[str], index: SourceIndex) -> set[int]:
    """Positions of the cited segments, and of the reply to each cited question (a
    statement cites "any trouble breathing?" for what "a little bit, yeah" answered)."""
    out: set[int] = set()
    for sid in cited:
        seg = index.by_id.get(sid)
        if seg is None:
            continue
        out.add(seg.pos)
        if seg.analysis.is_question and seg.pos + 1 < len(index.segments):
            out.add(seg.pos + 1)
    return out


def _as_medication(allergens: set[str]) -> set[tuple[str, str]]:
    """An allergen named again is no medication the patient takes: its keys as one."""
    return {("medication", a) for a in allergens}


def _noteworthy(
    statements: Sequence[Statement],
    index: SourceIndex,
    listed: Sequence[Omission],
    said: set[int],
) -> list[Omission]:
    from evident.verify import noteworthy as nw

    if not nw.shipped_path().is_file():
        logger.warning("the omission model file is missing from the package: fact kinds only")
        return []
    taken = said | {
        index.by_id[o.segment].pos + d
        for o in listed
        if o.segment in index.by_id
        for d in (-1, 0, 1)
    }
    return nw.noteworthy_omissions(statements, index, taken, question_speakers())


def _order(segment_id: str, index: SourceIndex) -> int:
    seg = index.by_id.get(segment_id)
    return seg.pos if seg else 0
