"""Dependency-tree helpers of the clinical-prose pass: the parser, word lists, rendering.

:mod:`evident.tasks.scribe.prose` reads each sentence's spaCy parse; this module holds
what every reading needs: the parser (through ``evident.nlp.load_english``), the word
lists of ``resources/prose.yaml`` as sets, and :func:`render`, which writes the kept
tokens of a parse back as a sentence (without "my"/"our", spoken hedges and emphatic
"do").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from evident.tasks.scribe.rewrite import inflect_third
from evident.tasks.scribe.rules import prose_rules

__all__ = [
    "DOUBLE",
    "LEAD",
    "SPACE_BEFORE",
    "TAIL",
    "child",
    "first_subject",
    "nlp",
    "person_words",
    "render",
    "subtree",
    "word_sets",
]

SPACE_BEFORE = re.compile(r"\s+([,.;:?!%])")
DOUBLE = re.compile(r"\s{2,}")
LEAD = re.compile(r"^[\s,;:.-]+")
TAIL = re.compile(r"[\s,;:-]+$")


@cache
def nlp() -> Any:
    """The English parser (tagger, parser, lemmatizer), loaded once."""
    from evident.nlp import load_english

    return load_english(("tagger", "parser", "lemmatizer"))


@cache
def word_sets() -> dict[str, frozenset[str]]:
    r = prose_rules()
    return {
        "perception": frozenset(r.perception_verbs),
        "cognition": frozenset(r.cognition_verbs),
        "intent": frozenset(r.intent_verbs),
        "empty": frozenset(r.empty_verbs),
        "object_orders": frozenset(r.object_orders),
        "fillers": frozenset(r.order_fillers),
        "narration": frozenset(r.narration_verbs),
        "orders": frozenset(r.order_categories),
        "person": frozenset(r.first_person) | frozenset(r.second_person),
        "first": frozenset(r.first_person),
        "objects": frozenset(r.object_pronouns),
        "units": frozenset(u.lower() for u in r.dose_units),
        "hedges": frozenset(r.hedges),
    }


def person_words(text: str) -> list[str]:
    """The first- or second-person words of a text ("I", "your", ...), lowercased."""
    words = re.findall(r"[A-Za-z]+", text)
    person = word_sets()["person"]
    return [w.lower() for w in words if w.lower() in person]


def subtree(tok: Any) -> set[int]:
    """The token indices of ``tok``'s subtree."""
    return {t.i for t in tok.subtree}


def render(doc: Any, keep: Iterable[int], swap: dict[int, str] | None = None) -> str:
    """The kept tokens as a sentence ("" under 3 words); ``swap`` replaces tokens' text."""
    swap = dict(swap or {})
    parts = []
    order = sorted(keep)
    order = [i for i in order if not (doc[i].dep_ == "poss" and doc[i].lower_ in {"my", "our"})]
    hedges = {i for i in order if _hedge(doc[i])}
    # "was like, a bit high" -> "was a bit high": the comma after a hedge goes with it
    hedges |= {i + 1 for i in hedges if i + 1 < len(doc) and doc[i + 1].text == ","}
    order = [i for i in order if i not in hedges]
    for i in _emphatic_do(doc, swap):
        if i in order:
            order.remove(i)
    for n, i in enumerate(order):
        tok = doc[i]
        gap = n + 1 < len(order) and order[n + 1] != i + 1 and not tok.whitespace_
        parts.append(swap.get(i, tok.text) + (" " if gap else tok.whitespace_))
    text = SPACE_BEFORE.sub(r"\1", "".join(parts))
    text = re.sub(r",\s*,", ",", text)
    text = TAIL.sub("", LEAD.sub("", DOUBLE.sub(" ", text).strip()))
    text = TAIL.sub("", text.rstrip(".?! "))
    if len(text.split()) < 3:
        return ""
    return text[0].upper() + text[1:] + "."


def _hedge(tok: Any) -> bool:
    """A spoken intensifier or hedge a note leaves out ("just", "really", "pretty")."""
    if tok.lower_ not in word_sets()["hedges"] or any(True for _ in tok.children):
        return False
    return tok.dep_ == "intj" or (tok.dep_ == "advmod" and tok.lower_ != "like")


def _emphatic_do(doc: Any, swap: dict[int, str]) -> list[int]:
    """Emphatic "does have" -> "has": the auxiliaries to drop; the verbs go into ``swap``."""
    out = []
    for tok in doc:
        verb = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if verb is None or tok.dep_ != "aux" or tok.head.i != verb.i or verb.tag_ != "VB":
            continue
        if tok.lower_ not in {"does", "do"} or any(c.dep_ == "neg" for c in verb.children):
            continue
        form = inflect_third(verb.text) if tok.lower_ == "does" else verb.text
        if form != verb.text or tok.lower_ == "do":
            swap[verb.i] = form
            out.append(tok.i)
    return out


def child(tok: Any, deps: set[str]) -> Any | None:
    """The first child of ``tok`` with one of these dependency labels, or None."""
    return next((c for c in tok.children if c.dep_ in deps), None)


def first_subject(tok: Any) -> bool:
    """Whether ``tok``'s subject is a first-person word ("I", "we")."""
    subj = child(tok, {"nsubj", "nsubjpass"})
    return subj is not None and subj.lower_ in word_sets()["first"]
