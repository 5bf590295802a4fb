"""Questions in transcripts without punctuation: where they open, and what they ask.

Speech-to-text turns often carry no "?" ("okay have you noticed any blood in your urine
i know you've been draining has it been darker"). A question opener ("have you", "do
you", "any"; ``context.json``'s ``question_openers``) starts a question; the last one's
question takes the reply's yes or no (``index._resolve_questions``); a finding that
closely follows an earlier opener of the same turn was asked, not reported.
"""

from __future__ import annotations

from evident.verify.context import question_openers
from evident.verify.facts import Analysis, Fact, presupposed

__all__ = ["QUESTION_SPAN", "asked_earlier", "last_opener", "opener_positions"]

# how many tokens after its opener a question's subject may come ("have you noticed any
# blood in your urine": the blood is 4 tokens on)
QUESTION_SPAN = 8


def opener_positions(tokens: list[str]) -> list[int]:
    """Token positions where a question opens, in order (a list that goes on after "or",
    "and" or a comma opens none: "have you had any chest pain or any ...")."""
    openers = question_openers()
    out = []
    for i in range(len(tokens)):
        if i and tokens[i - 1] in {"or", "and", ","}:
            continue
        if any(tuple(tokens[i : i + n]) in openers for n in (2, 1)):
            out.append(i)
    return out


def last_opener(tokens: list[str]) -> int | None:
    """Where the last question of an unpunctuated turn opens, if any."""
    found = opener_positions(tokens)
    return found[-1] if found else None


def asked_earlier(an: Analysis, facts: tuple[Fact, ...], speaker: str | None) -> tuple[Fact, ...]:
    """A clinician's unpunctuated turn: a finding within ``QUESTION_SPAN`` tokens after a
    question opener that comes before the turn's last one (whose question the reply
    answers) is asked, not affirmed ("have you noticed any blood in your urine ... has
    it been darker than usual")."""
    toks = list(an.tokens)
    if speaker in {None, "patient"} or "?" in toks:
        return facts
    starts = opener_positions(toks)
    if len(starts) < 2:
        return facts
    last = starts[-1]

    def asked(f: Fact) -> bool:
        return (
            f.kind == "finding"
            and f.polarity == "affirmed"
            and f.position < last
            and any(
                o < f.position <= o + QUESTION_SPAN and "." not in toks[o : f.position]
                for o in starts[:-1]
            )
            and not presupposed(an.tokens, f.position)
        )

    return tuple(f.with_polarity("asked") if asked(f) else f for f in facts)
