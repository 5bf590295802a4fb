"""Negative questions answered yes: "And no dizziness?" - "Yes, I do."

A question that denies what it asks about ("no dizziness?", "you don't have any chest
pain?") reads, word by word, as a denial. Answered no, it is one. Answered with a
clause that affirms ("yes, I do", "I have"), it is the opposite; answered with a bare
"yes", it is neither ("yes" agrees with the question's words or grants the thing: which
one?); answered "correct" or "that's right" (``context.json``'s ``agreeing_answers``),
it agrees with the question as put: a denial. The yes-like clauses are
``context.json``'s answers of a subject and its auxiliary.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from evident.types import Segment
from evident.verify._answers import _reply
from evident.verify._polarity_cues import cues
from evident.verify._resources import load_lexicons
from evident.verify.context import answer_polarity
from evident.verify.facts import Analysis, Fact
from evident.verify.normalize import tokenize

__all__ = ["negative_question"]


def negative_question(
    seg: Segment,
    an: Analysis,
    facts: tuple[Fact, ...],
    segs: list[tuple[Segment, str]],
    analyses: list[Analysis],
    pos: int,
) -> tuple[Fact, ...]:
    """The findings a turn's closing question denies, as its reply answers them:
    affirmed by a clause that says yes, asked (undecided) by a bare yes, denied still by
    a no or no answer."""
    if not (an.sentences and an.sentences[-1][2]):
        return facts
    start = an.sentences[-1][0]
    denied = [
        f
        for f in facts
        if f.kind == "finding"
        and f.polarity == "negated"
        and f.position >= start
        and _denies(an.tokens[start : f.position])
    ]
    if not denied:
        return facts
    reply = _reply(seg, segs, analyses, pos, reach=2)
    if reply is None or answer_polarity(list(reply.tokens)) != "affirmed":
        return facts
    if _holds(reply.tokens, _agreeing()):
        return facts  # "you're not happy with it? - yes, that's correct"
    said = "affirmed" if _clause_yes(reply.tokens) else "asked"
    return tuple(f.with_polarity(said) if f in denied else f for f in facts)


def _denies(before: tuple[str, ...]) -> bool:
    """Whether a question denies what it asks about ("no dizziness?", "you don't get
    any?"), not only a part of it ("are you able to walk *without* pain?": a yes grants
    the walking without pain)."""
    negators = cues().negators - cues().prepositions
    return any(t in negators or t.endswith("n't") for t in before)


def _ends(tokens: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> Iterator[int]:
    """Where each occurrence of one of the phrases in the tokens ends."""
    for p in phrases:
        for i in range(len(tokens) - len(p) + 1):
            if tokens[i : i + len(p)] == p:
                yield i + len(p)


def _holds(tokens: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> bool:
    return next(_ends(tokens, phrases), None) is not None


@cache
def _agreeing() -> tuple[tuple[str, ...], ...]:
    """``context.json``'s answers that agree with a question as put ("that's right")."""
    return tuple(tuple(tokenize(a)) for a in load_lexicons().context.agreeing_answers)


def _clause_yes(tokens: tuple[str, ...]) -> bool:
    """Whether a reply holds a yes said as a clause ("i do", "it has"), not negated
    after it ("i do not")."""
    negators = cues().negators
    ends = _ends(tokens, _clause_answers())
    return any(end == len(tokens) or tokens[end] not in negators for end in ends)


@cache
def _clause_answers() -> tuple[tuple[str, ...], ...]:
    """``context.json``'s yes answers of two words or more that open with a subject
    pronoun ("i do", "it has": ``polarity.json``'s anaphoric subjects and clause
    openers)."""
    subjects = frozenset(cues().anaphoric_subjects) | cues().clause_openers
    out = []
    for a in load_lexicons().context.yes_answers:
        toks = tuple(tokenize(a))
        if len(toks) > 1 and toks[0] in subjects:
            out.append(toks)
    return tuple(out)
