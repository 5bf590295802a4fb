"""Polarity without a parse, for the support model's features.

The checkers decide a statement whose negation they can read; the support model decides
the rest on wording, where a statement and its source may share every word and differ
in its negation. This reading is NegEx's forward window
(:func:`~evident.verify._polarity_cues.negation_windows`, counted by parity) and, in
dialogue, a question's words answered no or yes; it is cheap
enough for every statement and coarse enough that only the learned weight decides how
much it counts.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from evident.verify._polarity_cues import canonical, negation_windows
from evident.verify._polarity_views import _stems, answer_polarity

if TYPE_CHECKING:
    from evident.verify.index import SourceIndex

__all__ = ["SaidWays", "polarity_mismatch", "said_ways"]

#: (stems said affirmed somewhere in the source, stems said negated somewhere).
SaidWays = tuple[frozenset[str], frozenset[str]]


def said_ways(index: SourceIndex) -> SaidWays:
    """How the source says each of its content stems: affirmed (outside a negation
    window, or in a question answered yes) and negated (inside one, or in a question
    answered no). A question with no yes or no after it says its words neither way."""
    affirmed: set[str] = set()
    negated: set[str] = set()
    texts = [s.segment.text for s in index.segments]
    for text, after in itertools.zip_longest(texts, texts[1:], fillvalue=""):
        if text.rstrip().endswith("?"):  # the turn's last sentence asks; the rest says
            said, asked = _split_question(text)
            stems = _read(asked)[0]
            answer = answer_polarity(after) if after else None
            if answer == "no":
                negated |= stems
            elif answer == "yes":
                affirmed |= stems
            text = said
        if answer_polarity(text) is not None:  # "no, just some nausea": the answer's
            text = _after_answer(text)  # no holds nothing
        stems, near = _read(text)
        negated |= near
        affirmed |= stems - near
    return frozenset(affirmed), frozenset(negated)


def _read(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's content stems (its findings by their names) and those a negation holds."""
    text = canonical(text)
    stems = _stems(text)[0]
    windows = negation_windows(text)
    # held by an odd number of negations ("does not have no cuff" affirms the cuff)
    held = frozenset(s for s in stems if sum(s in w for w in windows) % 2 == 1)
    return stems, held


def _split_question(text: str) -> tuple[str, str]:
    """A turn that ends in a question: what it says before its last sentence (its other
    questions left out), and that sentence ("the knee is tender . does it hurt here ?")."""
    parts = [p for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    said = " ".join(p for p in parts[:-1] if not p.rstrip().endswith("?"))
    return said, parts[-1] if parts else ""


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _after_answer(text: str) -> str:
    """An answer's words after its opening yes or no ("no, just some nausea" -> "just
    some nausea")."""
    _, _, rest = text.strip().partition(" ")
    return rest.lstrip(" ,.;:!-") if rest else ""


def polarity_mismatch(statement: str, ways: SaidWays) -> float:
    """The share of the statement's content stems that the source says, but only the
    other way round (0 when it says none of them)."""
    stems, near = _read(statement)
    affirmed, negated = ways
    seen = [s for s in stems if s in affirmed or s in negated]
    if not seen:
        return 0.0
    other = [s for s in seen if s not in (negated if s in near else affirmed)]
    return len(other) / len(seen)
