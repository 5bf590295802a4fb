"""Answers that say no in a clause of their own: "I haven't had one", "I don't have
any", "I've never had that done", "None whatsoever", "Absolutely not".

A list of answer phrases ("no", "nope", "not that I know of") reads the answers people
open with; these are the rest, and there are too many to list. What makes them answers
is their grammar, read from a dependency parse: a short negated clause whose only words
are function words, verbs and pro-forms ("one", "any", "it", "that"), with no noun or
adjective that would be the thing denied ("no fever" denies fever on its own; "I'm not
sure" denies nothing). Words that make a "no" partial are left alone: the present ("not
lately", "not anymore"), a frequency ("not often"), a contrast ("I don't smoke but I
vape"), or a verb whose negation denies nothing ("I don't know", ``polarity.json``'s
``pseudo_heads``); unless the question holds the same word, which the answer echoes
("checked it recently?" - "not recently" is a full no to what was asked). Every word
class comes from ``polarity.json``; none is clinical.
"""

from __future__ import annotations

import itertools
from functools import cache, lru_cache
from typing import Any, Literal

from evident.verify._polarity_cues import cues, words
from evident.verify._resources import load_lexicons

__all__ = ["amount_of_its_own", "hedged_yes", "pro_form_answer", "with_asked_site"]

# an answer this long (words, punctuation aside) says more than no
_MAX_WORDS = 8
# parts of speech that name the thing said: "no fever", "not sure", "not since March"
_NAMING = frozenset({"NOUN", "PROPN", "ADJ"})
# a hedged yes is short ("I would say so")
_MAX_HEDGED = 4
# a number other than the pro-form "one" ("never had one") is a quantity
_PRO_NUMBERS = frozenset({"one"})


@lru_cache(maxsize=8192)
def pro_form_answer(sentence: str, question: str = "") -> Literal["no"] | None:
    """``no`` when a sentence that answers a yes/no question is a negated clause of
    pro-forms and verbs (see the module's doc), else None.

    Args:
        sentence: The first sentence of the answer, as said.
        question: The question it answers, where known: a partial word it holds too is
            an echo of the question, not a limit on the no.

    Returns:
        ``no``, or None where the sentence is long, affirms, names what it denies, or
        denies only partly.
    """
    ws = words(sentence.lower())
    if not ws or len(ws) > _MAX_WORDS or _partial(ws, question):
        return None
    c = cues()
    if not any(w in c.negators for w in ws):
        return None
    for t in _parse(sentence):
        low = t.lower_
        if t.is_punct or low in c.negators:
            continue
        if t.pos_ in _NAMING or (t.pos_ == "NUM" and low not in _PRO_NUMBERS):
            return None
        if t.lemma_.lower() in c.pseudo_heads:
            return None  # "I don't know", "I don't remember"
    return "no"


def relative_had_it(sentence: str) -> bool:
    """Whether a sentence says a relative had what was asked, in pro-forms ("my father
    had it", "my mom has that too", "her sister got one"): a relative word, a verb of
    having, a pro-form object and no negation."""
    ws = words(sentence.lower())
    if not ws or len(ws) > _MAX_WORDS or any(w in cues().negators for w in ws):
        return False
    kin = load_lexicons().phrases.relatives
    return (
        any(w in kin for w in ws)
        and any(w in _HAVING for w in ws)
        and any(w in _PRO_OBJECTS for w in ws)
    )


_HAVING = frozenset({"had", "has", "have", "got", "gets", "get", "did", "does"})
_PRO_OBJECTS = frozenset({"it", "that", "one", "them", "those", "this"})


def _partial(ws: list[str], question: str = "") -> bool:
    """Whether a word makes a no partial (:func:`_partial_words`) that the question does
    not hold as well."""
    partial = _partial_words().intersection(ws)
    return bool(partial) and not partial <= set(words(question.lower()))


@cache
def _partial_words() -> frozenset[str]:
    """Words that make a no partial: the present ("not lately", "not anymore": but
    before?), a frequency ("not often"), a contrast ("not yet", "... but I do vape"). A
    past ("I haven't had one before") does not: never is never."""
    c = cues()
    often = {w for phrase in c.quantified_answers for w in phrase.split() if w != "a"}
    return c.present_time | c.contrast_words | frozenset(often)


@lru_cache(maxsize=8192)
def _parse(sentence: str) -> Any:
    """The parse of one short answer, shared by both readings."""
    from evident.nlp import load_english

    return load_english(("parser", "lemmatizer"))(sentence)


@lru_cache(maxsize=8192)
def hedged_yes(sentence: str) -> bool:
    """Whether an answer is a yes its speaker is unsure of: a verb with the pro-form
    "so" for the question ("I think so", "I guess so", "I'd say so"), or hedge words
    alone ("probably", "maybe": ``polarity.json``'s ``hedges``, read as adverbs). A
    negated one ("I don't think so") is a no, read elsewhere.

    Args:
        sentence: The first sentence of the answer, as said.
    """
    ws = words(sentence.lower())
    c = cues()
    if not ws or len(ws) > _MAX_HEDGED or any(w in c.negators for w in ws):
        return False
    if ws[-1] != "so" and not all(w in c.hedges or w in c.answer_fillers for w in ws):
        return False
    said = list(
        itertools.dropwhile(
            lambda t: t.lower_ in c.answer_fillers,
            (t for t in _parse(sentence) if not t.is_punct),
        )
    )
    if said and said[-1].lower_ == "so":  # "so" standing for the question's clause
        return said[-1].dep_ == "advmod" and said[-1].head.pos_ in {"VERB", "AUX"}
    return bool(said) and all(t.pos_ == "ADV" and t.lower_ in c.hedges for t in said)


def amount_of_its_own(question: str, answer: str) -> bool:
    """Whether an answer opens with an amount of a finding it names itself, one the
    question does not ask about ("side effects? upset stomach, headaches?" - "a little
    nausea the first week"): the words before its first finding are all amount words
    (``polarity.json``'s ``quantified_answers``, "of", "some"). Its amount is of that
    finding, no yes to the question's; "only when I cough" opens a condition, not an
    amount of the cough."""
    from evident.verify._polarity_views import first_sentence
    from evident.verify.facts import analyze

    first = analyze(first_sentence(answer))
    found = [f for f in first.facts if f.kind == "finding"]
    if not found:
        return False
    head = min(found, key=lambda f: f.position)
    asked = {f.key for f in analyze(question).facts if f.kind == "finding"}
    if head.key in asked or not head.position:
        return False
    return all(t in _amount_words() for t in first.tokens[: head.position])


@cache
def _amount_words() -> frozenset[str]:
    return frozenset({"of", "some"} | {w for p in cues().quantified_answers for w in p.split()})


def with_asked_site(said: set[str], asked: set[str]) -> set[str]:
    """Finding keys a reply affirms, a pain of no site read as the asked site's ("any
    chest pain?" - "not really, just some soreness": the chest's)."""
    return said | {k for k in asked if k.startswith("pain@")} if "pain@" in said else said
