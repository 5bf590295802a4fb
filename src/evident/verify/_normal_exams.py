"""What a normal exam rules out (``findings.json``'s ``normal_exams``): "your lungs are
clear" denies wheezing, crackles and rhonchi, so a note's "no wheezes, rales, or
rhonchi" is borne out by it and a note's "wheezing" conflicts with it. A data table of
clinical equivalences read over the tokens: the part examined, then one of its normal
words within a few tokens, with no negation on it and not asked."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from evident.verify._resources import NormalExam, load_lexicons
from evident.verify._words import words
from evident.verify.lexicon import Entry

if TYPE_CHECKING:
    from evident.verify._extract_core import ExtractorCore
    from evident.verify.facts import Fact

__all__ = ["normal_exam_facts", "normal_words"]


@cache
def normal_words() -> frozenset[str]:
    """Words that find a part normal ("left hand *asymptomatic*", "left lung *clear*"):
    ``words.json``'s ``normal_words`` and the normal exams' own."""
    return words("normal_words") | {n for exam in load_lexicons().normal_exams for n in exam.normal}


@cache
def _categories() -> dict[str, str]:
    return {f.name: f.category for f in load_lexicons().findings}


def normal_exam_facts(core: ExtractorCore) -> list[Fact]:
    """The findings the text's normal exams deny, as negated facts at the normal word."""
    out: list[Fact] = []
    toks = core.tokens
    for exam in load_lexicons().normal_exams:
        if not set(exam.about).intersection(toks):
            continue
        for i, tok in enumerate(toks):
            if tok in exam.about:
                at = _normal_after(toks, i, exam)
                if at is not None:  # "left lung clear" denies crackles on the left only
                    out.extend(_denied(core, at, exam, core._laterality(i)))
    return out


def _normal_after(toks: list[str], i: int, exam: NormalExam) -> int | None:
    """The position of a normal word within the window after the part examined, with no
    sentence end or contrast between them."""
    for j in range(i + 1, min(len(toks), i + 1 + exam.window)):
        if toks[j] in exam.normal:
            return j
        if toks[j] in {".", "?", "!", ";", "but", "except"}:
            return None
    return None


def _denied(core: ExtractorCore, at: int, exam: NormalExam, side: str) -> list[Fact]:
    cats = _categories()
    out = []
    for name in exam.denies:
        category = cats.get(name, "finding")
        fact = core._base(at, 1, Entry("finding", name), category=category, laterality=side)
        if fact.polarity != "affirmed":  # "are your lungs clear?", "not clear"
            return []
        out.append(replace(fact, polarity="negated", implied=True))
    return out
