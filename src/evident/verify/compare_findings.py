"""The finding check: a statement's finding against the source's mentions of it.

Polarity (affirmed, denied, asked, answered), the clause that best matches the statement,
history and review-of-systems readings, and a denial under a circumstance ("no pain with
range of motion"); split from :mod:`evident.verify.compare`, which dispatches to it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from functools import cache

from evident.verify._compare_base import Check, _ids, _name, other_side
from evident.verify._directions import opposite_aspect
from evident.verify._extract_cues import PHRASE_END
from evident.verify._words import words
from evident.verify.clause import (
    ASPECT,
    EARLIER,
    ENDED,
    EVER,
    NOW,
    RESOLVED,
    answered,
    best_by_context,
    close_negation,
)
from evident.verify.experiencer import borne_out, relatives_in
from evident.verify.facts import Fact, analyze, elsewhere, stem
from evident.verify.index import IndexedSegment, SourceIndex
from evident.verify.lexicon import load_lexicons

__all__ = ["check_finding"]

# Decisive mentions first: a statement is supported by a mention of the same polarity;
# only when there is none does an opposite mention make it a contradiction; an
# unanswered question supports a negative statement weakly (after the conflict test).
_TIERS: dict[str, tuple[frozenset[str], ...]] = {
    "affirmed": (frozenset({"affirmed"}), frozenset({"uncertain"})),
    "negated": (frozenset({"negated"}), frozenset({"asked"})),
    "uncertain": (frozenset({"affirmed", "uncertain", "negated", "asked"}),),
    "asked": (frozenset({"affirmed", "uncertain", "negated", "asked"}),),
}

_OPPOSITE = {"affirmed": {"negated"}, "negated": {"affirmed"}}


def _finding_mentions(stf: Fact, index: SourceIndex) -> list[tuple[IndexedSegment, Fact]]:
    if stf.key == "pain@":
        return [
            m
            for (k, key), ms in index.by_key.items()
            if k == "finding"
            for m in ms
            if key.startswith("pain@")
        ]
    return list(index.by_key.get(("finding", stf.key), []))


def _unmentioned(stf: Fact, index: SourceIndex) -> bool:
    """An affirmed finding none of whose words any source segment has ("reports history
    of seizures" where no one says a word of seizures): a named fact no paraphrase of
    the source can bear out, so it is missing as a drug or a number is. A finding a word
    of which the source has ("cholesterol ... a bit high") stays a soft miss, and so do a
    denial and a plan ("rule out pneumonia"): a note may deny or plan for what no one said.
    """
    if stf.polarity != "affirmed" or stf.plan:
        return False
    terms = analyze(stf.text).terms
    return bool(terms) and not index.says_any(terms)


def check_finding(
    stf: Fact,
    index: SourceIndex,
    cands: list[IndexedSegment],
    context: frozenset[str] = frozenset(),
    review: bool = False,
    other: bool = False,
    circumstance: str = "",
) -> Check:
    mentions = _finding_mentions(stf, index)
    aspect = frozenset(t.removeprefix(ASPECT) for t in context if t.startswith(ASPECT))
    sided = _same_side(stf, mentions, index, aspect)
    if isinstance(sided, Check):
        return sided
    mentions = sided
    if not other:
        # "any other joint pain?" - "no" speaks of more of it, not of it at all; "any other
        # pain in your calves?" still asks about the calves
        kept = [
            (s, f)
            for s, f in mentions
            if f.key.partition("@")[2] or not elsewhere(s.analysis.tokens, f.position)
        ]
        if mentions and not kept:
            reason = f"{index.kind_label} only asks about other {_name(stf)}"
            return Check("missing", stf, reason=reason)
        mentions = kept
    if other and stf.polarity == "negated":
        # "denies additional episodes of palpitations": the first episode told of is no
        # conflict, only a denial of more bears it out
        told = [(s, f) for s, f in mentions if f.polarity != "affirmed"]
        if mentions and not told:
            reason = f"{index.kind_label} never speaks of more {_name(stf)}"
            return Check("missing", stf, reason=reason)
        mentions = told
    near = {p for c in cands for p in index.neighbours(c.pos, 1)}
    if (
        stf.key.startswith("pain@")
        and stf.key != "pain@"
        and stf.polarity != "negated"
        and not mentions
    ):
        # "it hurts" (no site) right next to the evidence may support "knee pain" when the
        # source never names that site's pain; "taken anything for the pain?" must not
        # support "reports chest pain" where chest pain is only ever denied. "no pain"
        # never supports "denies knee pain": a denial must name the site.
        mentions = [m for m in index.by_key.get(("finding", "pain@"), []) if m[0].pos in near]
    if stf.key == "pain@" and stf.polarity == "affirmed":
        # "he has pain when he eats" is not denied by "no chest pain": a denial of a site
        # the statement does not name
        mentions = [
            (s, f)
            for s, f in mentions
            if f.polarity != "negated" or f.key == "pain@" or f.site in context
        ]
    if stf.polarity == "affirmed":
        held = _not_denied_then(stf, mentions, context)
        if isinstance(held, Check):
            return held
        mentions = held
    if not mentions:
        reason = f"no source mentions {_name(stf)}"
        if _unmentioned(stf, index):
            return Check("missing", stf, reason=reason, strict=True)
        return Check("missing", stf, reason=reason)
    if not stf.family:
        own = [(s, f) for s, f in mentions if not f.family]
        if not own:
            reason = f"{index.kind_label} mentions {_name(stf)} only in a family member"
            return Check("missing", stf, reason=reason)
        mentions = own
    else:
        mentions = [(s, f) for s, f in mentions if f.family] or mentions
        moved = _other_relative(stf, mentions, context, index)
        if moved is not None:
            return moved
    if stf.site and not stf.key.startswith("pain@"):
        # a mention of a region the site lies in, or of a part of it, speaks of it too
        # ("edema on your lower extremities" of "ankle edema"), beside mentions of no site
        here = [
            (s, f)
            for s, f in mentions
            if f.site in {"", stf.site} or (f.site and _one_region(f.site, stf.site))
        ]
        if not here and stf.polarity == "negated":
            # a part's denial against its region's finding, or the reverse ("no ankle
            # swelling" - "any swelling in your legs?" - "yes"); but "Abdomen:
            # nontender" is no denial of the elbow's tenderness
            here = [(s, f) for s, f in mentions if _one_region(f.site, stf.site)]
            if not here:
                sites = " and ".join(sorted({f.site for _, f in mentions}))
                only = f"{index.kind_label} speaks of {_name(stf)} only of the {sites}"
                return Check("missing", stf, reason=f"{only}, not of the {stf.site}")
        mentions = here or mentions
    if ENDED in context:
        # "former smoker": what stopped is not contradicted by "do you smoke?" - "no"
        mentions = [(s, f) for s, f in mentions if f.polarity != "negated" or f.historical]
        if not mentions:
            reason = f"{index.kind_label} says no {_name(stf)} now, never that it was there"
            return Check("missing", stf, reason=reason)
    if stf.polarity == "negated":
        timed = _denial_in_time(stf, mentions, index, context)
        if isinstance(timed, Check):
            return timed
        mentions = timed
    if RESOLVED in context:
        # "the pain resolved": a pain told of, or its end, bears it out
        said = [s for s, f in mentions if f.polarity in {"affirmed", "negated"}]
        if said:
            return Check("ok", stf, _ids(said))
    if not stf.historical and NOW in context:
        # "blood in her stools recently" is not borne out by "I did three years ago"
        now = [(s, f) for s, f in mentions if not f.historical]
        if len(now) == len(mentions) or any(f.polarity != "asked" for _, f in now):
            mentions = now
        else:  # only past mentions answer it ("do you smoke?" - "i quit years ago")
            mentions = []
        if not mentions:
            return Check("missing", stf, reason=f"{index.kind_label} speaks of past {_name(stf)}")
    if review:
        by_review = _review_decision(stf, mentions, index)
        if by_review is not None:
            return by_review
        # the review is what the patient reports, not what the doctor finds on pressing
        told = [(s, f) for s, f in mentions if not _EXAM_CUES.intersection(s.analysis.tokens)]
        mentions = told or mentions
    by_clause = _clause_decision(stf, mentions, index, context) or _history_decision(
        stf, mentions, index
    )
    if by_clause is not None:
        return _in_circumstance(by_clause, circumstance, index)
    cand_pos = {c.pos for c in cands}
    local = [(s, f) for s, f in mentions if s.pos in near]
    decided = _polarity_decision(stf, local, index, cand_pos) if local else None
    # Generic pain and exam findings ("tenderness", "swelling") are said of many things in
    # one visit: only mentions near the statement's evidence count for them.
    generic = stf.key == "pain@" or stf.category == "finding"
    if decided is None and not (generic and local):
        decided = _polarity_decision(stf, mentions, index, cand_pos)
    if decided is not None:
        return _in_circumstance(decided, circumstance, index)
    if all(f.conditional for _, f in mentions):
        only = f"{index.kind_label} names {_name(stf)} only as a condition or a plan"
        return Check("missing", stf, reason=only)
    return Check("missing", stf, reason=f"{_name(stf)} was asked about but not answered")


def _denial_in_time(
    stf: Fact,
    mentions: list[tuple[IndexedSegment, Fact]],
    index: SourceIndex,
    context: frozenset[str],
) -> list[tuple[IndexedSegment, Fact]] | Check:
    """A denial read with its time. Of earlier episodes ("no prior chest pain", "never
    had this before"), the finding told of now is no earlier episode: only past and
    denied mentions bear on it, and with none the denial is missing as a hard fact. For
    all time ("never smoked", "denies ever smoking"), a past use the source tells of ("I
    quit five years ago") is a conflict."""
    if EARLIER in context:
        earlier = [(s, f) for s, f in mentions if f.polarity != "affirmed" or f.historical]
        if not earlier:
            reason = f"{index.kind_label} speaks of {_name(stf)} now, never of earlier episodes"
            # a denial nothing bears out is unsupported, as the denial checker's
            return Check("missing", stf, reason=reason, strict=True)
        return earlier
    if EVER in context:
        past = [s for s, f in mentions if f.polarity == "affirmed" and f.historical]
        if past:
            reason = f"{index.kind_label} says past {_name(stf)}, note says never"
            return Check("conflict", stf, _ids(past), reason)
    return mentions


def _other_relative(
    stf: Fact,
    mentions: list[tuple[IndexedSegment, Fact]],
    context: frozenset[str],
    index: SourceIndex,
) -> Check | None:
    """A relative's finding the source tells only of other relatives ("her dad smokes"
    against "her mother smokes"): the fact has moved to someone else, so it is missing.
    A mention whose sentence names no relative, a kin word of anyone ("both my parents"),
    or the statement's relative bears on it."""
    mine = relatives_in(context)
    told = [(s, f) for s, f in mentions if f.family]
    if not mine or not told:
        return None
    # the turn and the one before it: "what about your mom?" - "she has diabetes"
    theirs = [
        relatives_in(
            t
            for p in index.neighbours(s.pos, 1)
            if p <= s.pos
            for t in index.segments[p].analysis.tokens
        )
        for s, _ in told
    ]
    # a sentence naming no one, a kin word of any person ("my parents", "siblings"), or
    # the statement's relative bears it out
    if any(not t or _ANY_KIN in t or any(borne_out(p, t) for p in mine) for t in theirs):
        return None
    named = " and ".join(sorted(set().union(*theirs)))
    reason = f"{index.kind_label} speaks of {_name(stf)} only of the {named}"
    return Check("missing", stf, reason=reason)


_ANY_KIN = "relative"


def _not_denied_then(
    stf: Fact, mentions: list[tuple[IndexedSegment, Fact]], context: frozenset[str]
) -> list[tuple[IndexedSegment, Fact]] | Check:
    """Leave out the source's denials under a circumstance the statement does not name:
    "short of breath when you lie flat?" - "no" says nothing of "short of breath walking
    uphill", as "no pain with walking" says nothing of "pain at rest"."""
    said = {stem(w) for w in context | set(stf.text.split())}
    kept: list[tuple[IndexedSegment, Fact]] = []
    limited: list[tuple[IndexedSegment, Fact]] = []
    for s, f in mentions:
        when = _denied_when(s, f)
        (kept if not when or when & said else limited).append((s, f))
    if limited and not kept:
        s, f = limited[0]
        reason = f"the source denies {_name(stf)} only under a circumstance the note does not name"
        return Check("missing", stf, _ids([s]), reason)
    return kept


def _denied_when(seg: IndexedSegment, f: Fact) -> frozenset[str]:
    """The content stems of the circumstance a source denial holds under ("when you lie
    flat" after "short of breath?" answered no; ``words.json``'s ``denied_when``), in the
    same phrase as the finding; empty when there is none."""
    if f.polarity != "negated":
        return frozenset()
    toks = seg.analysis.tokens
    for i in range(f.end, min(len(toks), f.end + _WHEN_REACH)):
        if toks[i] in PHRASE_END:
            return frozenset()
        if toks[i] in _DENIED_WHEN:
            span = []
            for w in toks[i + 1 : i + 1 + _WHEN_SPAN]:
                if w in PHRASE_END:
                    break
                span.append(w)
            return frozenset(
                stem(w) for w in span if w.isalpha() and len(w) > 2 and w not in _stops()
            )
    return frozenset()


@cache
def _stops() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.stopwords)


_DENIED_WHEN = words("denied_when")
_WHEN_REACH = 5  # "pain *in your left knee* when you walk"
_WHEN_SPAN = 5


@cache
def _regions() -> dict[str, frozenset[str]]:
    """Each body part's larger regions (``anatomy.json``'s ``within``)."""
    return {a.name: frozenset(a.within) for a in load_lexicons().anatomy}


def _one_region(a: str, b: str) -> bool:
    """Whether one site lies within the other (the ankle and the leg)."""
    regions = _regions()
    return b in regions.get(a, ()) or a in regions.get(b, ())


def _in_circumstance(check: Check, circumstance: str, index: SourceIndex) -> Check:
    """A denial under a circumstance ("no pain with range of motion") is contradicted
    only by a segment that names the circumstance ("it hurts when I move it through its
    range"); the finding told of at all ("my ankle hurts") leaves it missing."""
    if check.status != "conflict" or not circumstance or not check.segments:
        return check
    named = {stem(w) for w in circumstance.split()[1:] if w.isalpha() and len(w) > 2}
    seg = index.by_id.get(check.segments[0])
    if seg is None or named & {stem(t) for t in seg.analysis.tokens}:
        return check
    reason = f"{index.kind_label} never says no {check.fact.text} {circumstance}"
    return Check("missing", check.fact, check.segments, reason)


_EXAM_CUES = frozenset(
    {"exam", "examination", "examine", "press", "pressing", "palpate", "palpation", "push"}
)


def _reviewed(seg: IndexedSegment, f: Fact) -> bool:
    """A mention the review of systems rests on: answered when asked (not "does that
    hurt?" while the doctor presses), or dictated as the review ("ROS negative for
    fever")."""
    toks = seg.analysis.tokens
    if "ros" in toks or ("review" in toks and "systems" in toks):
        return True
    return (
        answered(seg, f)
        and not _EXAM_CUES.intersection(toks)
        and not elsewhere(toks, f.position)  # "any other joint pain?" - "no"
    )


def _review_decision(
    stf: Fact, mentions: list[tuple[IndexedSegment, Fact]], index: SourceIndex
) -> Check | None:
    """A review-of-systems statement takes the polarity of the answers to the review
    questions ("any chest pain?" - "no") over the history told before ("I had this
    horrible chest pain" last year), when those answers agree."""
    if stf.polarity not in _OPPOSITE or stf.historical or stf.key == "pain@":
        return None  # "pain" with no site is no review item: "any pain with urination?"
    said: dict[str, list[IndexedSegment]] = {}
    for seg, f in mentions:
        if f.polarity in _OPPOSITE and not f.historical and _reviewed(seg, f):
            said.setdefault(f.polarity, []).append(seg)
    if len(said) != 1:
        return None
    polarity, segs = next(iter(said.items()))
    if polarity == stf.polarity:
        return Check("ok", stf, _ids(segs))
    return Check("conflict", stf, (segs[0].segment.id,), _polarity_reason(stf, polarity, index))


def _polarity_reason(stf: Fact, said: str, index: SourceIndex) -> str:
    was = "no" if said == "negated" else "has"
    wrote = "no" if stf.polarity == "negated" else "has"
    return f"{index.kind_label} says {was} {_name(stf)}, note says {wrote} {_name(stf)}"


def _polarity_label(seg: IndexedSegment, f: Fact) -> str | None:
    """Polarity a clause decision may use: said outright, not inferred from an answer
    or from a negation cue far away."""
    if f.polarity not in _OPPOSITE or f.historical:
        return None
    if answered(seg, f):
        return f.polarity
    if f.polarity == "affirmed" and _in_question(seg, f):
        return None  # "what about your diarrhea?" takes it as given, asserts nothing
    if f.polarity == "negated" and not close_negation(seg, f):
        return None
    return f.polarity


def _sentence_at(seg: IndexedSegment, f: Fact) -> tuple[int, int] | None:
    """The (start, end) of the segment's sentence that holds the mention, if any."""
    sentences = seg.analysis.sentences
    # sentences are ordered and disjoint: only the one that holds the mention can
    k = bisect_right(sentences, (f.position, math.inf)) - 1
    if k < 0:
        return None
    a, b, _ = sentences[k]
    return (a, b) if a <= f.position < b else None


def _in_question(seg: IndexedSegment, f: Fact) -> bool:
    span = _sentence_at(seg, f)
    return span is not None and seg.analysis.tokens[span[1] : span[1] + 1] == ("?",)


def _same_finding(a: Fact, b: Fact) -> bool:
    return a.kind == "finding" and (
        a.key == b.key or (a.key.startswith("pain@") and b.key.startswith("pain@"))
    )


def _clause_decision(
    stf: Fact,
    mentions: list[tuple[IndexedSegment, Fact]],
    index: SourceIndex,
    context: frozenset[str],
) -> Check | None:
    """Polarity of the mention whose clause best matches the statement, when clear."""
    if stf.polarity not in _OPPOSITE or stf.historical:
        return None
    best = best_by_context(context, mentions, index, _polarity_label, _same_finding, answered)
    if best is None:
        return None
    said, segs = best
    if said == stf.polarity:
        return Check("ok", stf, _ids(segs))
    return Check("conflict", stf, (segs[0].segment.id,), _polarity_reason(stf, said, index))


def _history_decision(
    stf: Fact, mentions: list[tuple[IndexedSegment, Fact]], index: SourceIndex
) -> Check | None:
    """A history the source denies outright ("any history of headaches?" - "no") is not
    borne out by the current complaint ("I have a headache")."""
    if not stf.historical or stf.family or stf.polarity not in _OPPOSITE:
        return None
    past = {f.polarity for _, f in mentions if f.historical and not f.family}
    if past != set(_OPPOSITE[stf.polarity]):
        return None
    said = next(iter(past))
    seg = next(s for s, f in mentions if f.historical and not f.family)
    return Check("conflict", stf, (seg.segment.id,), _polarity_reason(stf, said, index))


def _polarity_decision(
    stf: Fact, mentions: list[tuple[IndexedSegment, Fact]], index: SourceIndex, cand_pos: set[int]
) -> Check | None:
    """Support, conflict, or None (undecided) from these mentions' polarities."""
    if stf.polarity == "affirmed":  # "call if you get a fever" says no fever is there
        mentions = [(s, f) for s, f in mentions if not f.conditional]
    for tier in _TIERS[stf.polarity]:
        ok = [s for s, f in mentions if f.polarity in tier and not f.historical]
        if not ok and (stf.historical or not _said_now(stf, mentions)):
            ok = [s for s, f in mentions if f.polarity in tier]
        if ok:
            ok.sort(key=lambda s: (s.pos not in cand_pos, s.pos))
            return Check("ok", stf, _ids(ok))
        if stf.polarity in _OPPOSITE:
            opposite = [
                s for s, f in mentions if f.polarity in _OPPOSITE[stf.polarity] and not f.historical
            ]
            if opposite:
                said = next(iter(_OPPOSITE[stf.polarity]))
                reason = _polarity_reason(stf, said, index)
                return Check("conflict", stf, (opposite[0].segment.id,), reason)
    if stf.polarity == "affirmed" and stf.category == "diagnosis":
        # "any history of diabetes?" - "no": a denied history of a condition is no
        # condition now either (a symptom may be new: "no history of chest pain")
        denied = [s for s, f in mentions if f.polarity == "negated" and not f.family]
        if denied:
            reason = (
                f"{index.kind_label} says no history of {_name(stf)}, note says has {_name(stf)}"
            )
            return Check("conflict", stf, (denied[0].segment.id,), reason)
    return None


def _same_side(
    stf: Fact,
    mentions: list[tuple[IndexedSegment, Fact]],
    index: SourceIndex,
    aspect: frozenset[str] = frozenset(),
) -> list[tuple[IndexedSegment, Fact]] | Check:
    """The mentions not given the other side: "my right knee hurts" neither bears out nor
    denies "denies left knee pain", nor "crackles at the right base" "left lung clear".
    A denial of one aspect (``aspect``: the statement's directions, "no *lateral* joint
    line tenderness") is not denied by a mention placed on the opposite one."""
    if stf.polarity == "negated" and aspect:
        kept = [(s, f) for s, f in mentions if not _other_aspect(aspect, s, f)]
        if mentions and not kept:
            where = " and ".join(sorted(aspect))
            reason = f"{index.kind_label} speaks of {_name(stf)} only opposite the {where} aspect"
            return Check("missing", stf, reason=reason)
        mentions = kept
    told = [f for _, f in mentions if f.polarity in {"affirmed", "negated"}]
    if stf.polarity == "negated" and told and all(other_side(stf, f) for f in told):
        side = told[0].laterality
        reason = f"{index.kind_label} speaks of {_name(stf)} only on the {side} side"
        return Check("missing", stf, reason=reason)
    return [(s, f) for s, f in mentions if not other_side(stf, f)]


def _other_aspect(aspect: frozenset[str], seg: IndexedSegment, f: Fact) -> bool:
    toks = seg.analysis.tokens
    bounds = _sentence_at(seg, f) or (0, len(toks))
    return opposite_aspect(aspect, toks, f.position, bounds)


def _said_now(stf: Fact, mentions: list[tuple[IndexedSegment, Fact]]) -> bool:
    """The source says the opposite of a denial outside any history: "no history of
    headaches" does not bear out "presenting without headache" from "I have a headache"."""
    return stf.polarity == "negated" and any(
        f.polarity == "affirmed" and not f.historical for _, f in mentions
    )
