"""Answers that speak of a statement's content without sharing its head word.

The head-to-head match of :mod:`evident.verify.polarity` pairs a statement's predicate
with a source predicate of the same head. A short yes/no question is asked about its
content as a whole ("Is your child healthy?" - "no" denies that the child is healthy, and
"He has one healthy child" affirms it, with "child" as its head and "healthy" as its
modifier), so an answer is compared on content instead: a statement clause that carries
most of the question's content words, and no word that makes it another thing ("any
other ..."), is what the answer confirms or denies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from evident.verify._polarity_cues import asks_other, cues, words
from evident.verify._polarity_degree import degree_of
from evident.verify._polarity_read import Claim
from evident.verify.clause import earlier_episodes
from evident.verify.decide import CheckResult

__all__ = ["COVER", "AnswerView", "answer_conflict", "answer_result", "covers"]

#: Share of a question's content stems a statement clause must carry (and at least two).
COVER = 0.75


class AnswerView(Protocol):
    """What this module reads of a source view (``polarity._View``)."""

    @property
    def text(self) -> str: ...

    @property
    def mode(self) -> str: ...

    @property
    def stems(self) -> frozenset[str]: ...

    @property
    def cue(self) -> bool: ...

    @property
    def scoped(self) -> frozenset[str]: ...

    @property
    def segments(self) -> tuple[str, ...]: ...

    @property
    def shown(self) -> str: ...


def covers(asked: frozenset[str], content: frozenset[str]) -> bool:
    """Whether a claim's content stems carry what a question asks (``COVER`` of its
    content stems, and at least two: a one-word question is the head match's)."""
    shared = len(asked & content)
    return shared >= max(2, math.ceil(COVER * len(asked)))


def _times(text: str) -> tuple[bool, bool]:
    ws = set(words(text))
    c = cues()
    return bool(ws & c.present_time), bool(ws & c.past_time)


def _timed_apart(view: AnswerView, s: Claim) -> bool:
    """An answer of another time than the statement (as ``polarity._timed_apart``): a no
    of now against a statement of no time or of the past ("any pain today?" - "no"; "have
    you noticed blood?" - "no" against blood three years ago), a yes of the past against
    a statement of now."""
    now, before = _times(view.text)
    denied = view.mode == "no"
    return (
        (denied and now and not s.present)
        or (denied and s.past and not s.present and not before)
        or (before and s.present and not s.past)
    )


def _other_thing(view: AnswerView, statement: str) -> bool:
    """The question asks about another one ("any other joint pain?") than the statement."""
    return asks_other(view.text, statement)


def _stated_alike(s: Claim, shared: frozenset[str], views: Sequence[AnswerView]) -> bool:
    """Whether another view says it the statement's way: affirmed in a sentence without a
    negation (or answered yes), or denied (near a cue, or answered no)."""
    for v in views:
        if s.negated and (
            (v.mode == "no" and shared <= v.stems) or (v.mode == "plain" and shared <= v.scoped)
        ):
            return True
        if not s.negated and (
            (v.mode == "yes" and shared <= v.stems)
            or (v.mode == "plain" and not v.cue and shared <= v.stems)
        ):
            return True
    return False


def _own_content(s: Claim, claims: Sequence[Claim]) -> frozenset[str]:
    """A claim's head phrase and the words of its clause that no other claim of the
    statement heads ("Married, no tobacco use": "married" is not the tobacco's)."""
    others = frozenset().union(*(c.core for c in claims if c.core != s.core))
    return s.core | (s.content - others)


def answer_conflict(
    statement: str, claims: Sequence[Claim], views: Sequence[AnswerView]
) -> tuple[AnswerView, Claim] | None:
    """The first question answered the other way than the statement says its content.

    Args:
        statement: The statement (canonical text).
        claims: The statement's trusted claims.
        views: The source views of its candidates.

    Returns:
        (the question's view, the statement's claim) or None.
    """
    asked = [v for v in views if v.mode in ("no", "yes") and not _other_thing(v, statement)]
    if not asked:
        return None
    earlier = earlier_episodes(words(statement))
    said = degree_of(words(statement))
    for s in claims:
        if s.hedged:
            continue
        own = _own_content(s, claims)
        for v in asked:
            if (v.mode == "no") == s.negated or not covers(v.stems, own):
                continue
            if _timed_apart(v, s) or (earlier and s.negated and not _times(v.text)[1]):
                continue  # "no prior chest pain" against a yes to chest pain now
            if (s.negated and s.degree) or (v.mode == "no" and degree_of(words(v.text)) - said):
                continue  # "not every time" against a yes; a no to "does it hurt every time?"
            if not _stated_alike(s, v.stems & s.content, views):
                return v, s
    return None


def answer_result(label: str, view: AnswerView, claim: Claim) -> CheckResult:
    """The conflict of a question answered the other way than the statement says it,
    with a reason naming both sides."""
    shown = " ".join(view.shown.split())
    shown = shown if len(shown) <= 90 else shown[:87] + "..."
    answer = "no" if view.mode == "no" else "yes"
    other = "denies" if claim.negated else "affirms"
    reason = (
        f"{label} answers {answer} to a question on {claim.phrase} "
        f'({"-".join(view.segments)}: "{shown}"), note {other} it'
    )
    return CheckResult("polarity", "conflict", reason, view.segments)
