"""What a pronoun is said of, for the antonym checker.

A dialogue says much of its matter through pronouns: "any better since the protonix?" -
"I think *it's* a bit better"; "a murmur we've heard before ... so *that* seems stable";
"I've been doing better". Read alone, such a sentence says its word of nothing the note
names, so a note's "reflux is worse" or "doing worse" met no opposite. Two readings,
both structural and neither a list of findings:

- a thing pronoun ("it", "that", "they": ``words.json``'s ``referring_pronouns``) is
  said of the content words just before its sentence (the words before it in its turn,
  else the end of the turn before: usually the question it answers);
- the patient's "I" and the clinician's "you" are the patient, as a note's "she", "he"
  and "the patient" are (``patient_pronouns``).

The antonym checker asks more of a conflict found only through a pronoun: neither word
may carry a complement of its own ("able to walk" against "unable to lift").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from evident.types import Segment, Source
from evident.verify._polarity_cues import norm, words
from evident.verify._polarity_views import _question, _sentences, _stop, answer_polarity
from evident.verify._words import words as word_set

__all__ = ["PATIENT", "Referents", "Turns", "bare", "statement_near", "statement_referent"]

PATIENT = "patient"
_REACH = 25  # words before a sentence that its thing pronouns may be said of
_COMPLEMENTS = frozenset({"xcomp", "ccomp", "prep", "dobj", "advcl"})


@cache
def _things() -> frozenset[str]:
    return word_set("referring_pronouns")


@cache
def _patient_words() -> dict[str, frozenset[str]]:
    """Per speaker (``note`` for a draft), the pronouns that name the patient."""
    out: dict[str, set[str]] = {}
    for entry in word_set("patient_pronouns"):
        speaker, word = entry.split()
        out.setdefault(speaker, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass(frozen=True)
class Referents:
    """What the pronouns of one source sentence are said of.

    Attributes:
        topic: Stems of the content words before the sentence (for "it", "that").
        speaker: Who says it (``patient``, ``doctor``, ...), or ``""``.
    """

    topic: frozenset[str]
    speaker: str

    def of(self, tok: Any) -> frozenset[str]:
        """The stems a parsed pronoun stands for (empty for any other word)."""
        w = tok.lower_
        if w in _things():
            return self.topic
        if w in _patient_words().get(self.speaker, frozenset()):
            return frozenset({PATIENT})
        return frozenset()

    def near(self, window: Sequence[str]) -> frozenset[str]:
        """What the pronouns among a few words (unparsed) may stand for."""
        said = {_bare_word(w) for w in window}
        out = self.topic if said & _things() else frozenset()
        if said & _patient_words().get(self.speaker, frozenset()):
            out = out | {PATIENT}
        return out


def _bare_word(w: str) -> str:
    return w.split("'")[0].split("\u2019")[0]  # "it's", "i've"


def statement_near(window: Sequence[str]) -> frozenset[str]:
    """A note's "she", "he" among a few words (unparsed): the patient."""
    said = {_bare_word(w) for w in window}
    return frozenset({PATIENT}) if said & _patient_words().get("note", frozenset()) else frozenset()


def statement_referent(tok: Any) -> frozenset[str]:
    """A note's "she", "he": the patient."""
    return frozenset({PATIENT}) if tok.lower_ in _patient_words().get("note", ()) else frozenset()


class Turns:
    """A source's turns in order, read for the antonym checker: the turn that replies to
    each, what a sentence's pronouns stand for, and whether a turn's closing question
    is answered yes. Built once per statement that has a word with an opposite."""

    def __init__(self, source: Source | None) -> None:
        segs = source.segments if source is not None else ()
        self._before = {b.id: a for a, b in pairwise(segs)}
        self._after = {a.id: b for a, b in pairwise(segs)}

    def _reply(self, seg: Segment) -> Segment | None:
        """The next turn where another speaker says it."""
        nxt = self._after.get(seg.id)
        if nxt is None or not seg.speaker or not nxt.speaker or nxt.speaker == seg.speaker:
            return None
        return nxt

    def with_replies(self, candidates: Sequence[Segment]) -> list[Segment]:
        """The candidates, each followed by the turn that answers it: "I've been doing
        better" shares no word with a note's "doing worse since her last visit", the
        question before it does."""
        out: dict[str, Segment] = {}
        for c in candidates:
            out.setdefault(c.id, c)
            nxt = self._reply(c)
            if nxt is not None:
                out.setdefault(nxt.id, nxt)
        return list(out.values())

    def referents(self, seg: Segment, k: int) -> Referents:
        """What the pronouns of the segment's ``k``-th sentence are said of."""
        prior = [w for s in _sentences(seg.text)[:k] for w in words(s)]
        if len(prior) < _REACH and seg.id in self._before:
            prior = words(self._before[seg.id].text) + prior
        stop = _stop()
        topic = frozenset(
            norm(w) for w in prior[-_REACH:] if w.isalpha() and w not in stop and len(w) >= 3
        )
        return Referents(topic, seg.speaker or "")

    def confirmed(self, seg: Segment) -> bool:
        """The turn ends in a yes-no question the next turn answers yes: "You have
        chronic pain?" - "Yes, I do." says chronic pain."""
        nxt = self._reply(seg)
        return (
            nxt is not None
            and _question(seg.text) is not None
            and answer_polarity(nxt.text) == "yes"
        )


def bare(tok: Any) -> bool:
    """The word carries no complement of its own ("better", not "able to walk")."""
    return not any(c.dep_ in _COMPLEMENTS for c in tok.children)
