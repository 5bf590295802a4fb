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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from evident.types import Segment, Source
from evident.verify._polarity_cues import norm, words
from evident.verify._polarity_views import _question, _sentences, _stop, answer_polarity
from evident.verify._words import words as word_set

__all__ = [
    "PATIENT",
    "Referents",
    "bare",
    "confirmed_questions",
    "referents",
    "statement_near",
    "statement_referent",
    "with_replies",
]

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


def referents(source: Source | None) -> Callable[[Segment, int], Referents]:
    """For a source, a reader of the referents of a segment's ``k``-th sentence."""
    segments = source.segments if source is not None else ()
    before = {s.id: segments[i - 1] for i, s in enumerate(segments) if i}
    stop = _stop()

    def read(seg: Segment, k: int) -> Referents:
        prior = [w for s in _sentences(seg.text)[:k] for w in words(s)]
        if len(prior) < _REACH and seg.id in before:
            prior = words(before[seg.id].text) + prior
        topic = frozenset(
            norm(w) for w in prior[-_REACH:] if w.isalpha() and w not in stop and len(w) >= 3
        )
        return Referents(topic, seg.speaker or "")

    return read


def confirmed_questions(source: Source | None) -> frozenset[str]:
    """Ids of the turns that end in a yes-no question the next turn (another speaker's)
    answers yes: "You have chronic pain?" - "Yes, I do." says chronic pain."""
    if source is None:
        return frozenset()
    segs = source.segments
    return frozenset(
        s.id
        for s, nxt in pairwise(segs)
        if s.speaker
        and nxt.speaker not in (None, s.speaker)
        and _question(s.text) is not None
        and answer_polarity(nxt.text) == "yes"
    )


def with_replies(candidates: Sequence[Segment], source: Source | None) -> list[Segment]:
    """The candidates, each followed by the turn that answers it (another speaker's):
    "I've been doing better" shares no word with a note's "doing worse since her last
    visit", the question before it does."""
    if source is None:
        return list(candidates)
    after = {s.id: nxt for s, nxt in pairwise(source.segments)}
    out: dict[str, Segment] = {}
    for c in candidates:
        out.setdefault(c.id, c)
        nxt = after.get(c.id)
        if nxt is not None and c.speaker and nxt.speaker and nxt.speaker != c.speaker:
            out.setdefault(nxt.id, nxt)
    return list(out.values())


def bare(tok: Any) -> bool:
    """The word carries no complement of its own ("better", not "able to walk")."""
    return not any(c.dep_ in _COMPLEMENTS for c in tok.children)
