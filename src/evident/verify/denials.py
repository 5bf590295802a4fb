"""Denials must be denials: a statement that denies something ("denies chest pain",
"we will not order an MRI") is borne out only by a denial of the same content somewhere
in the source - a question answered no, a negative question answered no, a denial in a
long run of dictation, a hedged or anaphoric denial. Affirming it, or never speaking of
it, is no support for denying it: :func:`check_denial` then reports a missing
``negation`` fact, which the decision table reads as unsupported (the polarity checker
reports the conflicts).

The reading is :mod:`evident.verify.polarity`'s: the same views of the source, the same
parse of claims, the same cue words.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache

from evident.types import Segment, Source
from evident.verify._borne_out import fact_stems, overlap
from evident.verify._polarity_cues import (
    asks_other,
    canonical,
    cues,
    negation_windows,
    norm,
    words,
)
from evident.verify._polarity_read import Claim, clause_root
from evident.verify._polarity_statement import _field_reading, _list_denial
from evident.verify._polarity_views import source_nothing_else
from evident.verify._resources import load_lexicons
from evident.verify._sources import source_label
from evident.verify.advice import load_advice_cues
from evident.verify.decide import CheckResult
from evident.verify.facts import Fact
from evident.verify.omissions import question_speakers
from evident.verify.polarity import (
    _MAX_STEMS,
    _gate,
    _same_person,
    _source_claims,
    _stems,
    _View,
    _views,
    claims_of,
    docs_of,
    trusted,
    words_of,
)

__all__ = ["check_denial", "lay_conflicts"]


def check_denial(
    statement: str, candidates: Sequence[Segment], source: Source
) -> CheckResult | None:
    """Whether the statement's denials are denials in the source.

    Args:
        statement: The statement's text.
        candidates: Segments retrieved for it (unused: the whole source is searched).
        source: The source.

    Returns:
        ``agree`` (checker ``polarity``) when a denial of the same content is found,
        ``missing`` (checker ``negation``) when none is, None when the statement denies
        nothing but what a hedge, condition or advice word governs (a plan's future is
        no hedge: "we will not order X" needs the same).
    """
    statement = canonical(_field_reading(statement))
    _, cue, _ = _stems(statement)
    if not cue:
        return None
    # a hedge, condition or advice word holds only the claims it governs (read from the
    # parse: "return if fever develops" holds the fever, "... as long as she could
    # remember" not the main clause's denial); a plan's future is no hedge
    return _denial_check(statement, source, planned=_planned(words(statement)))


def _planned(ws: list[str]) -> bool:
    """Whether the statement's only hedges are its plan: a future ("we will not order
    X"), or, with no condition ("if", "until": ``advice.json``'s marks), an instruction
    word that is no imperative ("she should not return in 2 weeks" needs the visit to
    say she should not; "do not call the doctor" stays advice)."""
    said = set(ws)
    hedges = cues().hedges & said
    if not hedges:
        return False
    advice, plan = load_advice_cues(), cues().future
    if hedges <= plan:
        return True
    if said & (advice.conditional_marks - plan):
        return False
    return hedges <= plan | advice.instruction_words and not _imperative(ws)


def _imperative(ws: list[str]) -> bool:
    """Whether a statement's words open as an order ("do not call", "never lift", "call
    if ..."), after the lead words of ``advice.json`` ("please")."""
    advice = load_advice_cues()
    ws = list(itertools.dropwhile(lambda w: w in advice.lead_words, ws))
    return (
        ws[:2] in (["do", "not"], ["do", "n't"])
        or ws[:1] == ["never"]
        or (bool(ws) and ws[0] in advice.instruction_words)
    )


def _denial_check(statement: str, source: Source, *, planned: bool) -> CheckResult | None:
    """A denial in the statement must be a denial in the source: the whole source is
    searched (not only the candidates) for a denial of the same content; none found is
    a missing fact (``negation``), since affirming or never mentioning it is no support
    for denying it. A plan's only hedge is its future (``planned``): "we will not order
    X" needs the same."""
    mine = _list_denial(statement, claims_of([statement])[statement])
    denied = [s for s in trusted(mine, hedged=planned) if s.negated]
    if not denied:
        if not planned and _DURATION.search(statement):
            return None  # "has not seen him for a year" dates the last time: no denial
        return None if planned else _word_denial(statement, source)
    if not planned:  # "... and has not smoked for 10 years": that denial is dated
        dated = _dated_clauses(statement)
        denied = [s for s in denied if dated is not None and s.clause not in dated]
        if not denied:
            return None
    st_stems = frozenset().union(*(alt for s in denied for alt in _alternatives(s.core, s.head)))
    # the words as written too: a view's stems are the surface words' ("worse" is "wors"
    # there, "bad" by its lemma)
    st_stems |= {norm(w) for s in denied for w in words(s.phrase)}
    # "any other joint pain?" - "no" denies more of it, not joint pain ("any old or new
    # medications?" asks about every one)
    views = [
        v
        for v in _gate(st_stems, _views(source.segments, source), derived=True)
        if not asks_other(v.text, statement) and not _clinician_answers(v, source)
    ]
    parsed = claims_of([v.text for v in views])
    spoken = source.kind == "transcript"
    found: CheckResult | None = None
    missing: list[Claim] = []
    for s in denied:  # every denial of the statement, not only one of them
        hit = _denied_in(s, views, parsed, spoken, source)
        if hit is None:
            missing.append(s)
        found = found or hit
    missing, asked = _catch_all(missing, source)
    if asked and found is None:
        reason = f"{source_label(source)} asks for anything else and hears no ({'-'.join(asked)})"
        found = CheckResult("polarity", "agree", reason, asked)
    if missing:  # what it is about: every denial not found (another reader may find it)
        reason = f"{source_label(source)} never denies {missing[0].phrase}"
        return CheckResult("negation", "missing", reason, (), _about(missing, held=True))
    return None if found is None else replace(found, about=_about(denied))


def _catch_all(claims: list[Claim], source: Source) -> tuple[list[Claim], tuple[str, ...]]:
    """A denial of *other* things ("no other complaints", "no further concerns", "nothing
    else": ``polarity.json``'s distinguishing words, "new" aside) claims nothing more was
    reported: a question for anything more, answered no, bears it out when it asks about
    nothing narrower than the denial ("anything else?", "any other symptoms?" for "no
    other associated symptoms"; not "any other joint pain?"). Returns the claims still
    missing and the segments of that exchange (none when there is none)."""
    more = cues().distinguishing - {"new"}
    other = [c for c in claims if more & set(words(c.phrase))]
    at = source_nothing_else(source) if other else ()
    cues_ = {norm(w) for w in more}
    for q, a in zip(at[::2], at[1::2], strict=True):
        wants = _stems(source.segments[q].text)[0] - cues_
        held = [c for c in other if wants <= _stems(c.phrase)[0]]
        if held:
            left = [c for c in claims if c not in held]
            return left, (source.segments[q].id, source.segments[a].id)
    return claims, ()


def _word_denial(statement: str, source: Source) -> CheckResult | None:
    """A negation under which the claim reader reads no denied claim ("she is *not* a
    new patient": its noun is a light word; "does *not* come in today") still denies
    the words it holds: one of them must be negated in a source sentence (word by word,
    :mod:`evident.verify._polarity_parity`) or asked in a question answered no, else
    the denial is missing. Words the parse cannot settle (hedged, conditional) count
    for nothing."""
    held = {
        w.stem: w.word
        for w in words_of([statement])[statement]
        if w.settled and w.negated(spoken=False)
    }
    if not held:
        return None
    views = [
        v
        for v in _views(source.segments, source)
        if (v.cue or v.mode == "no") and overlap(frozenset(held), v.stems)
    ]
    if any(v.mode == "no" for v in views):
        return None
    plain = [v.text for v in views if len(v.stems) <= _MAX_STEMS]
    spoken = source.kind == "transcript"
    for ws in words_of(plain).values():
        if any(w.stem in held and w.settled and w.negated(spoken=spoken) for w in ws):
            return None
    reason = f"{source_label(source)} never denies {next(iter(held.values()))}"
    return CheckResult("negation", "missing", reason, (), frozenset(held))


def _about(claims: Sequence[Claim], *, held: bool = False) -> frozenset[str]:
    """The stems of the claims' head phrases (time words aside), and with ``held`` what
    their denial holds besides ("denies dysuria or urinary retention", "no recent
    problems with chest pain"), which a fact checker's synonyms may find denied."""
    out = frozenset().union(*(_timeless(c.core) for c in claims))
    return out.union(*(c.held for c in claims)) if held else out


def _denied_in(
    s: Claim, views: list[_View], parsed: dict[str, tuple[Claim, ...]], spoken: bool, source: Source
) -> CheckResult | None:
    """The first source view that denies the statement's denied claim, as an agreement."""
    alternatives = _alternatives(s.core, s.head)
    for v in views:
        said = [
            c
            for c in _source_claims(v, parsed, spoken)
            if c.negated and _confirms(s, c, narrower=v.mode != "no")
        ]
        if said or any(_window_denies(alt, v) for alt in alternatives):
            phrase = said[0].phrase if said else s.phrase
            reason = f"{source_label(source)} also denies {phrase} ({'-'.join(v.segments)})"
            return CheckResult("polarity", "agree", reason, v.segments)
    return None


_WINDOW = 6
# a duration or a starting point after a negation dates the last time something happened
_DURATION = re.compile(
    r"\b(?:for|in|since)\s+(?:(?:a|an|the|one|two|three|several|many|few|past|last|over|"
    r"\d+)\s+)*(?:hours?|days?|weeks?|months?|years?|decades?|ages)\b|\bsince\b",
    re.IGNORECASE,
)


def _dated_clauses(statement: str) -> frozenset[int] | None:
    """The clauses (their roots' token indices) that a duration or a starting point
    dates ("has not seen him *for a year*", "not since March"): a denial there tells
    when something last happened. One in another clause dates nothing of the denial
    ("is not a 47-year-old who has had knee pain *since* March"). None (every clause)
    where a statement too long to keep its parse says one."""
    starts = [m.start() for m in _DURATION.finditer(statement)]
    if not starts:
        return frozenset()
    doc = docs_of([statement])[statement]
    if doc is None:
        return None
    return frozenset(
        clause_root(t).i for t in doc if any(t.idx <= i < t.idx + len(t) for i in starts)
    )


def _window_denies(core: frozenset[str], view: _View) -> bool:
    """A denial read without the parse, for fragments it reads badly ("no murmurs or
    gallop listen to your ..."): a question answered no asks about the head phrase, or a
    negation cue is followed within a few words, before a contrast or a new clause, by
    every stem of it (NegEx's forward window)."""
    core = _timeless(core)
    if view.mode == "no":
        return _within(core, view.stems)
    return any(_within(core, window) for window in negation_windows(view.text, _WINDOW))


def _clinician_answers(view: _View, source: Source) -> bool:
    """Whether a question answered no was the patient's, answered by the clinician ("do
    you mean drug allergies?" - "no, all of them"): no denial of the patient's."""
    if view.mode != "no" or len(view.segments) < 2:
        return False
    asked, answered = (source.segment(i) for i in view.segments[:2])
    if asked is None or answered is None:
        return False
    clinicians = question_speakers()
    by = (answered.speaker or "").lower()
    return by in clinicians and (asked.speaker or "").lower() not in clinicians


def _within(core: frozenset[str], stems: frozenset[str]) -> bool:
    """Every stem of ``core`` among ``stems``, a word and its derivation alike ("injur"
    and "injury": :func:`overlap`)."""
    return core <= stems or all(overlap(frozenset({c}), stems) for c in core)


def _confirms(st: Claim, src: Claim, *, narrower: bool) -> bool:
    """A source denial that bears out a statement's denial: the same head with the
    statement's head phrase in its clause, of the same person. Looser than
    :func:`_matches` (a hedged or anaphoric denial still denies): agreeing is cheap to
    get wrong, a conflict is not. With ``narrower``, a said denial of the wider thing
    bears out each narrower one ("no problems with my breathing" - "no major problems
    with her breathing"); not a question's no, which may come with an exception the
    question does not carry ("any allergies?" - "no, just the penicillin rash")."""
    if st.head != src.head or not _same_person(st, src):
        return False
    return _timeless(st.core) <= src.content or (narrower and src.content <= st.content)


def _alternatives(core: frozenset[str], head: str = "") -> tuple[frozenset[str], ...]:
    """The head phrase's stems, the same with a finding's name put in the words of each
    of its longer aliases (``findings.json``): "no hemoptysis" is borne out by "any blood
    in what you cough up?" - "no", whose words hold "cough up blood" out of order; and
    where the phrase's head is the word for a drug's form, the same without it ("has not
    used the elidel cream" is borne out by "i didn't take the elidel"; not "no injection
    drug use", whose head is the use)."""
    out = [core]
    for stem in core:
        out.extend((core - {stem}) | alias for alias in _alias_stems().get(stem, ()))
    rest = core - _form_stems()
    if (
        head in _form_stems() and rest
    ):  # "has not used the elidel *cream*" - "i didn't take the elidel"
        out.append(rest)
    return tuple(dict.fromkeys(out))


@cache
def _form_stems() -> frozenset[str]:
    """The stems of the one-word terms for a drug's form or route (``quantities.json``'s
    ``routes``: "cream", "tablets", "topical"): what a drug is given as, not what is
    denied of it."""
    routes = load_lexicons().quantities.routes
    return frozenset(norm(w) for words in routes.values() for w in words if " " not in w)


@cache
def _alias_stems() -> dict[str, tuple[frozenset[str], ...]]:
    """A finding name's stem -> the content stems of its aliases of two or more words."""
    out: dict[str, list[frozenset[str]]] = {}
    for f in load_lexicons().findings:
        name = _stems(f.name)[0]
        if len(name) != 1:
            continue
        for alias in f.aliases:
            stems = _stems(alias)[0]
            if len(stems) >= 2 and not stems & cues().negators:
                out.setdefault(next(iter(name)), []).append(stems)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@cache
def _time_stems() -> frozenset[str]:
    c = cues()
    said = c.past_time | c.present_time | (c.distinguishing - {"new"}) | c.epistemic
    return frozenset(norm(w) for w in said)


def _timeless(core: frozenset[str]) -> frozenset[str]:
    """A head phrase without its time words ("no prior eye problems" is borne out by
    "any history of eye problems?" - "none") and its distinguishing words: a denial of
    any of a thing denies the others too ("no other passengers" - "any passengers?" -
    "no"; the reverse is kept apart where the views are gathered)."""
    return core - _time_stems() or core


def lay_conflicts(
    results: list[CheckResult], facts: Sequence[Fact], sources: Iterable[Source]
) -> list[CheckResult]:
    """A finding the statement affirms that the phrase matcher found nowhere, but that a
    question answered no asks about in the words of one of its longer aliases
    (``findings.json``: "hemoptysis" - "any blood in what you cough up?" - "no, no
    blood"), is a conflict, provided no sentence and no other question holds those words
    (a lay affirmation, or a denial with a condition, that no phrase reads either). Each
    such ``missing`` finding result is replaced by the conflict."""
    if not any(r.checker == "finding" and r.outcome == "missing" for r in results):
        return results
    out = list(results)
    affirmed = {  # not a past one: "former smoker" against "do you smoke?" - "no"
        fact_stems(f.text): f
        for f in facts
        if f.kind == "finding" and f.polarity == "affirmed" and not f.family and not f.historical
    }
    for i, r in enumerate(out):
        f = affirmed.get(r.about) if r.checker == "finding" and r.outcome == "missing" else None
        if f is None:
            continue
        out[i] = next((h for src in sources if (h := _denied_as_asked(f, src))), r)
    return out


def _denied_as_asked(f: Fact, source: Source) -> CheckResult | None:
    alternatives = [a for a in _alternatives(_stems(canonical(f.key))[0]) if len(a) >= 2]
    views = [v for v in _views(source.segments, source) if any(a <= v.stems for a in alternatives)]
    if not views or any(v.mode != "no" for v in views):
        return None
    # "any other joint pain?" - "no" is no denial of joint pain
    asked = next((v for v in views if not asks_other(v.text)), None)
    if asked is None:
        return None
    where = "-".join(asked.segments)
    reason = f'{source_label(source)} says no {f.text} ({where}: "{asked.shown[:80]}")'
    return CheckResult("finding", "conflict", reason, asked.segments, frozenset())
