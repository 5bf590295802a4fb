"""Perturbed items for one encounter, drawn from both families and the corpus.

A :class:`Corpus` holds the note sentences of every encounter of one data set; the drug
and finding pools each family swaps from are read from those notes (by position and form,
never from the verifier's lexicons). Every draw has its own seeded generator keyed by
encounter, family, type and sentence, so a change in one place moves one item.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evident.errorgen import surface, syntax
from evident.errorgen._data import load_grammar
from evident.errorgen._text import Context, content_words
from evident.types import Source

__all__ = ["FAMILIES", "NOTE_TYPES", "TYPES", "Corpus", "Item"]

FAMILIES = ("surface", "syntax")
NOTE_TYPES = tuple(surface.RULES)
TYPES = (*NOTE_TYPES, "answer_flip", "invented")
_MAX_ANSWER_WORDS = 20


@dataclass(frozen=True)
class Item:
    """One perturbed statement (or perturbed source) to verify.

    Attributes:
        encounter: The encounter id.
        type: One of :data:`TYPES` (negation added and removed are separate types).
        direction: Which way it changed ("denies->reports", "up", "yes->no", ...).
        family: ``surface`` or ``syntax`` (``corpus`` for sentences of other visits).
        index: The note sentence it was made from (-1 for a sentence of another visit).
        text: The statement to verify.
        segment: For an answer flip, the source segment rewritten; else "".
        segment_text: That segment's new text.
        question: For an answer flip, the question's segment id.
    """

    encounter: str
    type: str
    direction: str
    family: str
    index: int
    text: str
    segment: str = ""
    segment_text: str = ""
    question: str = ""


class Corpus:
    """Note sentences of a data set, parsed once, with each family's swap pools."""

    def __init__(self, notes: Mapping[str, Sequence[str]]) -> None:
        self.notes = {k: list(v) for k, v in notes.items()}
        flat = [s for v in self.notes.values() for s in v]
        docs = syntax.parse(flat)
        self.docs: dict[str, list[Any]] = {}
        at = 0
        for k, v in self.notes.items():
            self.docs[k] = docs[at : at + len(v)]
            at += len(v)
        self.pools = {
            "surface": (
                tuple(sorted(surface.drug_names(flat))),
                tuple(sorted(surface.finding_phrases(flat))),
            ),
            "syntax": (
                tuple(sorted(syntax.drug_tokens(docs))),
                tuple(sorted(syntax.finding_chunks(docs))),
            ),
        }

    def context(self, family: str, source_text: str) -> Context:
        """What a family may swap in for an encounter with this source text."""
        drugs, findings = self.pools[family]
        words = frozenset(re.findall(r"[a-z][a-z'-]+", source_text.lower()))
        return Context(words, drugs, findings)

    def note_items(self, encounter: str, source_text: str, per_type: int, seed: str) -> list[Item]:
        """Up to ``per_type`` items per family and note-side type for one encounter."""
        sentences = self.notes[encounter]
        out: list[Item] = []
        for family in FAMILIES:
            ctx = self.context(family, source_text)
            for kind in NOTE_TYPES:
                order = list(range(len(sentences)))
                random.Random(f"{seed}:{encounter}:{family}:{kind}").shuffle(order)
                made = 0
                for i in order:
                    if made >= per_type:
                        break
                    rng = random.Random(f"{seed}:{encounter}:{family}:{kind}:{i}")
                    if family == "surface":
                        res = surface.RULES[kind](sentences[i], rng, ctx)
                    else:
                        res = syntax.RULES[kind](self.docs[encounter][i], rng, ctx)
                    if res is None or res[0].strip() == sentences[i].strip():
                        continue
                    made += 1
                    out.append(Item(encounter, kind, res[1], family, i, res[0]))
        return out

    def invented_items(self, encounter: str, source_text: str, n: int, seed: str) -> list[Item]:
        """Sentences of other visits' notes that most resemble this note (shared words)
        but name at least two things this visit's source never says."""
        rng = random.Random(f"{seed}:{encounter}:invented")
        others = [k for k in self.notes if k != encounter and self.notes[k]]
        if not others:
            return []
        src = set(re.findall(r"[a-z][a-z'-]+", source_text.lower()))
        mine = set().union(*(content_words(s) for s in self.notes[encounter]))
        picked = []
        for _ in range(60):
            k = rng.choice(others)
            s = rng.choice(self.notes[k])
            words = content_words(s)
            if len(words - src - mine) >= 2 and len(words) >= 3:
                picked.append((len(words & mine), s))
        picked.sort(key=lambda p: -p[0])
        seen: set[str] = set()
        out: list[Item] = []
        for _, s in picked:
            if s not in seen and len(out) < n:
                seen.add(s)
                out.append(Item(encounter, "invented", "other_visit", "corpus", -1, s))
        return out

    def answer_items(
        self, encounter: str, source: Source, per_family: int, seed: str
    ) -> list[Item]:
        """Flip a patient's answer to a question in the source (the note is unchanged):
        the note sentence that shares most words with the question is the statement."""
        pairs = _question_answers(source)
        out: list[Item] = []
        for family in FAMILIES:
            order = list(range(len(pairs)))
            random.Random(f"{seed}:{encounter}:{family}:answer").shuffle(order)
            made = 0
            for j in order:
                if made >= per_family:
                    break
                q, a = pairs[j]
                target = self._supported_by(encounter, q.text)
                flip = _flip_answer(a.text, family, random.Random(f"{seed}:{j}"))
                if target is None or flip is None:
                    continue
                made += 1
                text = self.notes[encounter][target]
                out.append(
                    Item(
                        encounter, "answer_flip", flip[1], family, target, text, a.id, flip[0], q.id
                    )
                )
        return out

    def _supported_by(self, encounter: str, question: str) -> int | None:
        """The note sentence sharing most of the question's words: at least two, and at
        least 40% of them (word stems: their first five letters)."""
        stems = {w[:5] for w in content_words(question)}
        best, best_i = max(1, int(0.4 * len(stems) - 1e-9)), None
        for i, s in enumerate(self.notes[encounter]):
            shared = len(stems & {w[:5] for w in content_words(s)})
            if shared > best:
                best, best_i = shared, i
        return best_i


def _question_answers(source: Source) -> list[tuple[Any, Any]]:
    segs = list(source)
    out = []
    for q, a in itertools.pairwise(segs):
        if q.speaker == "patient" or a.speaker != "patient":
            continue
        if q.text.rstrip().endswith("?") and len(a.text.split()) <= _MAX_ANSWER_WORDS:
            out.append((q, a))
    return out


def _opening(text: str) -> str | None:
    g = load_grammar()
    low = re.sub(r"[^a-z' -]", " ", text.lower()).strip()
    for w in sorted((*g.yes_words, *g.no_words), key=len, reverse=True):
        if low == w or low.startswith(w + " "):
            return "no" if w in g.no_words else "yes"
    return None


def _flip_answer(text: str, family: str, rng: random.Random) -> tuple[str, str] | None:
    """The answer said the other way, and "yes->no" or "no->yes"."""
    opening = _opening(text)
    if family == "surface":
        if opening is None:
            return None
        return ("No." if opening == "yes" else "Yes."), f"{opening}->{_other(opening)}"
    doc = syntax.parse([text])[0]
    negated = opening == "no" or any(t.dep_ == "neg" or t.lower_ == "no" for t in doc)
    rule = syntax.negation_removed if negated else syntax.negation_added
    res = rule(doc, rng, Context())
    if res is None or opening is None:
        return None
    new = re.sub(r"^\W*\w+", "Yes" if negated else "No", res[0], count=1) if res[0] else ""
    return (new, "no->yes" if negated else "yes->no") if new.strip() else None


def _other(opening: str) -> str:
    return "no" if opening == "yes" else "yes"
