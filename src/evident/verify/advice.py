"""Advice and instructions: statements that are not claims that their condition exists.

"Return if fever develops", "call if the pain worsens", "ED precautions for fever, chest
pain or worsening dyspnea" say what to do should something happen; the source denying a
fever does not contradict them. A statement is advice when, read with the dependency
parse (:func:`evident.nlp.load_english`):

- it names advice (a noun of the cue table's ``advice_nouns``: "precautions"), or
- its main clause is an instruction - an imperative of an instruction verb ("return",
  "call"), or the patient instructed/advised to do something - and, with any main clause
  that is an instruction or a modal ("she will call"), a conditional clause ("if", "when",
  "unless") makes it advice too.

The cue words are data (``resources/advice.json``); only a statement whose words could
take one of these forms is parsed, which keeps the common case free.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError

__all__ = [
    "AdviceCues",
    "imperative",
    "is_advice",
    "load_advice_cues",
    "needs_parse",
    "warns",
]

_WORD = re.compile(r"[a-z']+")


class AdviceCues(BaseModel):
    """The cue table (``resources/advice.json``), validated when loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    conditional_marks: frozenset[str] = Field(min_length=1)
    instruction_lemmas: frozenset[str] = Field(min_length=1)
    instructing_lemmas: frozenset[str]
    modal_words: frozenset[str]
    advice_nouns: tuple[str, ...]
    instruction_words: frozenset[str] = Field(min_length=1)
    instructing_words: frozenset[str]
    lead_words: frozenset[str] = frozenset()


@cache
def load_advice_cues() -> AdviceCues:
    """The advice cue table, read and validated once per process.

    Raises:
        ConfigError: The file is missing or malformed.
    """
    path = resources.files("evident.verify").joinpath("resources", "advice.json")
    try:
        return AdviceCues.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(f"verify resource advice.json is invalid: {exc}") from None


@lru_cache(maxsize=4096)
def is_advice(text: str) -> bool:
    """Whether ``text`` is advice or an instruction rather than a claim (see module)."""
    cues = load_advice_cues()
    if _named_advice(text):
        return True
    if not _may_be_advice(_WORD.findall(text.lower()), cues):
        return False
    from evident.verify.polarity import docs_of

    doc = docs_of([text])[text]  # the polarity checker's parse, when it has one
    if doc is None:  # too long for its cache
        from evident.nlp import load_english

        doc = load_english(("parser", "lemmatizer"))(text)
    return any(_sentence_is_advice(sent.root, cues) for sent in doc.sents)


def warns(text: str) -> bool:
    """Whether ``text`` is advice that names what to watch for: an advice noun ("Return
    precautions for fever or vomiting.") or advice under a condition ("Call if the pain
    worsens."). A bare instruction is not ("Present with ..." opening a case, which the
    tagger reads as an imperative)."""
    if _named_advice(text):
        return True
    marks = load_advice_cues().conditional_marks
    return not marks.isdisjoint(_WORD.findall(text.lower())) and is_advice(text)


def needs_parse(text: str) -> bool:
    """Whether :func:`is_advice` parses ``text``: no advice noun decides it and its words
    could make advice; a verification parses these with its other sentences in one batch."""
    cues = load_advice_cues()
    return not _named_advice(text) and _may_be_advice(_WORD.findall(text.lower()), cues)


def _named_advice(text: str) -> bool:
    return _advice_nouns().search(text.lower()) is not None


@cache
def _advice_nouns() -> re.Pattern[str]:
    """Every advice noun as one pattern, each a whole word (none: a pattern that never
    matches)."""
    nouns = sorted(load_advice_cues().advice_nouns, key=len, reverse=True)
    if not nouns:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(map(re.escape, nouns)) + r")\b")


def _may_be_advice(words: list[str], cues: AdviceCues) -> bool:
    """The cheap surface form of the parse's rules: only these sentences are parsed."""
    present = set(words)
    first = next((w for w in words if w not in cues.lead_words), "")
    if first in cues.instruction_words:
        return True
    if any(
        w in cues.instructing_words and "to" in words[i + 1 : i + 4] for i, w in enumerate(words)
    ):
        return True
    modal = present & (cues.modal_words | cues.instruction_words)
    return bool(present & cues.conditional_marks) and bool(modal)


def _sentence_is_advice(root: Any, cues: AdviceCues) -> bool:
    instruction = _instruction(root, cues)
    if instruction:
        return True
    return _modal(root, cues) and _conditional(root, cues)


def _instruction(verb: Any, cues: AdviceCues) -> bool:
    """An imperative instruction ("Return to the ER ...") or an instructed one ("was
    advised to call ...")."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    if verb.lemma_.lower() in cues.instruction_lemmas and _imperative(verb):
        return True
    if verb.lemma_.lower() in cues.instructing_lemmas:
        # "advised to rest" instructs; "advised that there were no ..." reports a claim
        return any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in verb.children)
    return False


def imperative(doc: Any) -> bool:
    """Whether a parsed text (a doc or one sentence's span) opens a sentence with a bare
    verb and no subject ("Stand up slowly.", "Keep the furosemide at 40 mg"): an
    instruction of any verb, which says what to do, not what happened. A sentence with
    a subject anywhere in it is not one ("let's take a look, your pulses are strong":
    run-on dictation tells what was found)."""
    return any(
        _imperative(sent.root) and not any(t.dep_ in _SUBJECTS for t in sent) for sent in doc.sents
    )


_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})


def _imperative(verb: Any) -> bool:
    """A bare verb opening its clause, without subject or auxiliary ("Return to ...";
    not "Does not report ...")."""
    if verb.tag_ != "VB":
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass", "expl", "aux", "auxpass"} for c in verb.children):
        return False
    before = verb.doc[verb.sent.start : verb.i]
    return all(t.pos_ in {"ADV", "INTJ", "PUNCT"} or t.lower_ == "please" for t in before)


def _modal(verb: Any, cues: AdviceCues) -> bool:
    """The main clause is modal or an instruction: advice when conditional."""
    if _instruction(verb, cues):
        return True
    return any(c.dep_ == "aux" and c.lower_ in cues.modal_words for c in verb.children)


def _conditional(verb: Any, cues: AdviceCues) -> bool:
    """A conditional clause hangs from the main verb ("if fever develops")."""
    for clause in verb.children:
        if clause.dep_ != "advcl":
            continue
        for c in clause.children:
            if c.dep_ in {"mark", "advmod", "aux"} and c.lower_ in cues.conditional_marks:
                return True
    return False
