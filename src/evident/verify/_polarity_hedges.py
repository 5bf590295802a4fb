"""Whether a hedge governs a claim's head (used by ``_polarity_read.py`` and
``_polarity_parity.py``): a hedge word of ``polarity.json`` on the head, on one of its
governors or attached to either, unless it is an act the sentence denies."""

from __future__ import annotations

from typing import Any

from evident.verify._polarity_cues import cues
from evident.verify._polarity_scope import _SUBJECT_DEPS

__all__ = ["_hedged"]


def _is_hedge(t: Any) -> bool:
    h = cues().hedges
    return bool(t.lower_ in h or t.lemma_.lower() in h)


def _hedged(t: Any) -> bool:
    """Whether a hedge governs the head: the head, one of its governors, or a word
    attached to either ("possible pneumonia", "may have pneumonia", "concern for
    pneumonia", "if it hurts"), not a hedge elsewhere in the sentence ("no fracture, no
    shadows of concern" denies the fracture plainly)."""
    chain = [t, *t.ancestors]

    def hedge(x: Any) -> bool:  # a denied act hedges nothing, as head or as a child:
        # "did not recommend surgery" denies the recommending, "did not call the
        # doctor" the calling (of the doctor)
        return _is_hedge(x) and not _denied_act(x)

    return any(
        hedge(x) or any(hedge(ch) and ch.dep_ not in _OWN_CLAUSE_DEPS for ch in x.children)
        for x in chain
    )


# a clause of its own under a head hedges nothing of it ("a female who *returns* for a
# recheck": the relative clause's verb is no hedge of "female")
_OWN_CLAUSE_DEPS = frozenset({"relcl", "conj", "parataxis", "advcl", "ccomp"})


def _denied_act(t: Any) -> bool:
    """A hedge or advice verb negated in a stated clause ("I did not recommend surgery",
    "he does not return today", "surgery was not advised"): the negation denies the act
    itself, which is a claim; an imperative ("do not return") has no subject and stays
    advice, and a modal beside it still hedges."""
    kids = list(t.children)
    return (
        t.pos_ == "VERB"
        and any(ch.dep_ == "neg" for ch in kids)
        and any(ch.dep_ in _SUBJECT_DEPS for ch in kids)
    )
