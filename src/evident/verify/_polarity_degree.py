"""What a negation may bear on besides its predicate (for ``_polarity_read.py``): a degree
or a universal quantifier ("I'm not sleeping *well*", "it doesn't hurt *every time* I
eat", "not *always*"), which denies how much or how often, not the thing; and a
circumstance clause ("short of breath *when you lie flat*"), which limits when it is
denied. Both are read from the parse; the words are the closed-class sets ``partial``
and ``circumstance`` of ``resources/words.json``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Protocol

from evident.verify._directions import opposed_directions
from evident.verify._polarity_cues import cues, token_stem
from evident.verify._polarity_scope import WHEN_WORDS, _content
from evident.verify._words import mapping, words

__all__ = [
    "Said",
    "clause_circumstance",
    "degree_answer",
    "degree_at",
    "degree_of",
    "degree_words",
    "only_with",
    "other_circumstance",
    "other_degree",
    "other_side",
]

_PARTIAL = words("partial")
_CIRCUMSTANCE = words("circumstance")
# left and right (the laterality map's sides; "bilateral" speaks of both)
_SIDES = frozenset(v for v in mapping("laterality").values() if v != "bilateral")
_DEGREE_DEPS = frozenset({"advmod", "npadvmod", "dobj"})  # "not eating *as much*"
# "not at all" and "as well" intensify or add: they bear on the negation, not on a degree
_NOT_DEGREE = frozenset({("at", "all"), ("as", "well")})


def degree_words(
    t: Any, clause: Any, held: Callable[[int], bool] = lambda i: True
) -> frozenset[str]:
    """The degree and quantifier words said of a head, of its clause's verb or of a word
    between them ("not sleeping *well*", "does not have pain *every* time he eats",
    "not getting out of his seat *as much*"), of those ``held`` (by the negation that
    holds the head)."""
    out: set[str] = set()
    for x in _chain(t, clause):
        for ch in x.children:
            if ch.dep_ in _DEGREE_DEPS:
                out.update(w.lower_ for w in ch.subtree if _degree(w) and held(w.i))
    return frozenset(out)


def _chain(t: Any, clause: Any) -> list[Any]:
    """A head, its clause's root and the words between them ("not getting out of his
    *seat* as much": the verb between holds the degree)."""
    chain = {t.i: t, clause.i: clause}
    between: list[Any] = []
    for a in t.ancestors:
        if a.i == clause.i:
            chain.update((b.i, b) for b in between)
            break
        between.append(a)
    return list(chain.values())


def degree_at(sent: Any) -> tuple[int, ...]:
    """The token indices of a sentence's degree and quantifier words ("not eating *as
    much* as usual", "not *every* time")."""
    return tuple(w.i for w in sent if _degree(w))


def _degree(w: Any) -> bool:
    """A degree or quantifier word said of how much or how often: an adverb or an
    adverbial noun phrase ("well", "always", "every time", "all the time"), or a
    quantity as object ("not eating as *much*"); not a determiner of a thing ("*all*
    lesser digits") nor "at all", "as well"."""
    if w.lower_ not in _PARTIAL:
        return False
    if (w.doc[w.i - 1].lower_ if w.i > 0 else "", w.lower_) in _NOT_DEGREE:
        return False
    return w.dep_ in _DEGREE_DEPS or w.head.dep_ in _ADVERBIAL_DEPS


_ADVERBIAL_DEPS = frozenset({"advmod", "npadvmod"})


def clause_circumstance(t: Any, clause: Any) -> frozenset[str]:
    """The content stems of an adverbial clause that says when a head holds ("short of
    breath *when you lie flat*", "pain *while walking*"), opened by a circumstance
    word; also such a clause the parser hung on a noun ("any pain *when you cough*?")."""
    out: set[str] = set()
    for x in {t.i: t, clause.i: clause}.values():
        for ch in x.children:
            if ch.dep_ not in {"advcl", "relcl"} or ch.i < x.i:
                continue
            span = list(ch.subtree)
            opening = _CIRCUMSTANCE if ch.dep_ == "advcl" else WHEN_WORDS
            if span and span[0].lower_ in opening:
                out.update(token_stem(w) for w in span if _content(w))
    return frozenset(out)


def degree_answer(ws: Sequence[str]) -> bool:
    """An answer whose first clause denies a degree or a frequency ("no, not every
    time", "not much", "I don't always"): it grants the thing asked some of the time,
    so it is no "no" ("not at all", "not really" still are)."""
    clause = list(itertools.takewhile(lambda w: w not in _ANSWER_END, ws[:_ANSWER_REACH]))
    if clause and clause[0] in _yes_words():
        return False  # "yes, but not every time" is a yes
    for n, w in enumerate(clause[:-1]):
        after = clause[n + 1]
        if (w in _DEGREE_NEGATORS or w.endswith("n't")) and after in _PARTIAL:
            return True
    return False


@cache
def _yes_words() -> frozenset[str]:
    return frozenset(p for p in cues().positive_answers if " " not in p)


_DEGREE_NEGATORS = frozenset({"not", "no", "never"})
_ANSWER_END = frozenset({".", "!", "?", ";"})
_ANSWER_REACH = 8


def degree_of(ws: Sequence[str]) -> frozenset[str]:
    """The degree and quantifier words of a word list ("does it hurt *every* time?"),
    not "at all" or "as well"."""
    return frozenset(
        w
        for n, w in enumerate(ws)
        if w in _PARTIAL and (n == 0 or (ws[n - 1], w) not in _NOT_DEGREE)
    )


def only_with(t: Any) -> bool:
    """A head with a "without" phrase of its own ("I can't exercise *without* a lot of
    pain"): negated, it says the head never comes without the other, not that it never
    happens, so it is neither denied nor affirmed."""
    return any(ch.dep_ == "prep" and ch.lower_ == "without" for ch in t.children)


class Said(Protocol):
    """What :func:`other_circumstance` and :func:`other_degree` read of a claim."""

    @property
    def negated(self) -> bool: ...
    @property
    def content(self) -> frozenset[str]: ...
    @property
    def circumstance(self) -> frozenset[str]: ...
    @property
    def degree(self) -> frozenset[str]: ...


def other_circumstance(st: Said, src: Said) -> bool:
    """A denial under a circumstance ("no pain with movement") against a claim that names
    none of it ("my elbow hurts"): the other side does not say it held then. Either side
    may be the denial ("does it hurt when you climb stairs?" - "no" against "the knee
    hurts")."""
    return any(
        a.negated and bool(a.circumstance) and not a.circumstance & (b.content | b.circumstance)
        for a, b in ((st, src), (src, st))
    )


def other_degree(st: Said, src: Said) -> bool:
    """A denial of a degree or a frequency ("not sleeping well", "not every time")
    against a claim that does not say the same degree ("she tries to sleep", "pain when
    he eats"): how much or how often is denied, not the thing."""
    return any(
        a.negated and bool(a.degree) and not a.degree & b.degree for a, b in ((st, src), (src, st))
    )


def other_side(st: Said, src: Said) -> bool:
    """A claim of one side against a clause that speaks of another side too ("straight
    leg raise is positive on the left and negative on the right" against "negative on
    the right"): which polarity goes with which side is for the side checkers to read,
    not a conflict of polarity."""
    mine = st.content & _SIDES
    if mine and (src.content & _SIDES) - mine:
        return True
    # an aspect the same way: "no tenderness over the lateral joint line" against
    # "tenderness over the medial joint line"
    return opposed_directions(st.content, src.content, "norm", strict=False)
