"""The polarity reader's words: the cue sets of ``resources/polarity.json`` (validated
when loaded), the synonyms it may use (from ``findings.json`` and ``phrases.json`` only),
and the cheap word tests that decide what is worth parsing."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError
from evident.verify._resources import load_lexicons
from evident.verify.normalize import join_spelled

__all__ = [
    "PolarityCues",
    "asks_other",
    "canonical",
    "clear_caches",
    "contrasted",
    "cues",
    "denial_forms",
    "effect_classes",
    "has_cue",
    "is_cue",
    "is_denial_word",
    "negation_windows",
    "norm",
    "words",
]


class PolarityCues(BaseModel):
    """The grammatical cue sets of ``resources/polarity.json``, validated when loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    version: int
    comment: str = Field("", alias="_comment")
    negators: frozenset[str] = Field(min_length=1)
    concord_negators: frozenset[str]
    npi: frozenset[str]
    denial_verbs: frozenset[str]
    absence_words: dict[str, tuple[str, ...]]
    presence_words: dict[str, tuple[str, ...]] = {}
    pseudo_heads: frozenset[str]
    pseudo_nouns: frozenset[str]
    barrier_heads: frozenset[str] = frozenset()
    continuation_adverbs: frozenset[str] = frozenset()
    light_lemmas: frozenset[str]
    hedges: frozenset[str]
    future: frozenset[str]
    present_time: frozenset[str]
    past_time: frozenset[str]
    contrast_words: frozenset[str]
    negative_answers: tuple[str, ...] = Field(min_length=1)
    negative_answer_frames: tuple[str, ...] = ()
    positive_answers: tuple[str, ...] = Field(min_length=1)
    quantified_answers: tuple[str, ...] = ()
    answer_fillers: frozenset[str]
    question_openers: frozenset[str]
    tag_questions: frozenset[str]
    answer_continuations: frozenset[str]
    anaphoric_subjects: frozenset[str]
    question_preambles: frozenset[str]
    distinguishing: frozenset[str]
    epistemic: frozenset[str] = frozenset()
    clause_openers: frozenset[str]
    phrase_openers: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    asserting_marks: frozenset[str] = frozenset()
    suffixes: tuple[str, ...]
    suffix_endings: dict[str, str] = {}
    effects: dict[Literal["any", "up", "down", "better", "worse"], tuple[str, ...]] = {}


@cache
def cues() -> PolarityCues:
    """Load and validate the cue sets once per process.

    Raises:
        ConfigError: The file is missing or does not match its schema.
    """
    path = resources.files("evident.verify") / "resources" / "polarity.json"
    try:
        return PolarityCues.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"verify resource 'polarity.json' is invalid: {first}") from None


@cache
def _synonyms() -> dict[str, str]:
    """One-word synonyms from the existing data files: ``phrases.json`` synonyms and the
    one-word aliases of one-word findings ("sob" is dyspnea)."""
    lex = load_lexicons()
    out = dict(lex.phrases.synonyms)
    for f in lex.findings:
        if " " in f.name:
            continue
        for alias in f.aliases:
            if " " not in alias and not _self_negated(alias):
                out.setdefault(alias, f.name)
    return out


@cache
def effect_classes() -> dict[str, str]:
    """An effect or comparison word's stem -> its class (``polarity.json``'s ``effects``:
    ``any`` for an undirected one, ``up``, ``down``, ``better``, ``worse``)."""
    out: dict[str, str] = {}
    for name, ws in cues().effects.items():
        out.update((norm(w), name) for w in ws)
    return out


def _self_negated(alias: str) -> bool:
    """An alias that carries its own negation ("non-smoker", "nontender") is no synonym
    of the finding for polarity."""
    first = alias.replace("-", " ").split()[0]
    return first in cues().negators or first.startswith(("non", "not"))


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@cache
def _finding_names() -> tuple[dict[str, str], dict[str, int]]:
    """Alias -> finding name, and each alias's first word -> its longest alias's length."""
    names: dict[str, str] = {}
    for f in load_lexicons().findings:
        for alias in f.aliases:
            if len(alias) > 2 and not _self_negated(alias):
                names.setdefault(" ".join(alias.split()), f.name)
    longest: dict[str, int] = {}
    for a in names:
        ws = a.split()
        longest[ws[0]] = max(longest.get(ws[0], 0), len(ws))
    return names, longest


@lru_cache(maxsize=50000)
def canonical(text: str) -> str:
    """The text with each finding's synonym written as the finding's name (from
    ``findings.json``): "belly pain" and "stomach pain" are both "abdominal pain",
    "shortness of breath" is "dyspnea"; the parse then sees one phrase for one content."""
    names, longest = _finding_names()
    text = join_spelled(text)  # "no S T changes" is "no ST changes", as the facts read it
    spans = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
    out: list[str] = []
    last = i = 0
    while i < len(spans):
        for n in range(min(longest.get(spans[i][2], 0), len(spans) - i), 0, -1):
            run = spans[i : i + n]
            if any(text[a[1] : b[0]].strip() for a, b in itertools.pairwise(run)):
                continue  # words split by punctuation are no phrase
            name = names.get(" ".join(w for _, _, w in run))
            if name is not None:
                gap = text[last : run[0][0]]
                # "smoked cigarettes", "drank alcohol": one content, written once
                out.append("" if out and out[-1].endswith(name) and not gap.strip() else gap + name)
                last, i = run[-1][1], i + n
                break
        else:
            i += 1
    return "".join(out) + text[last:]


def wordlike(w: str) -> bool:
    """A word of letters, or of letters, digits and inner hyphens ("x-ray", "covid-19",
    "follow-up"); not a number or a sign."""
    if w.isalpha():
        return True
    inner = not w.startswith("-") and not w.endswith("-")
    return inner and w.replace("-", "").isalnum() and any(c.isalpha() for c in w)


@cache
def token_stem(tok: Any) -> str:
    """A parsed token's stem, a hyphenated word the tokenizer split ("x", "-", "ray")
    taken whole for each of its parts ("xray"), as :func:`words` takes it: the claim
    readers and the word readers then compare the same stems."""
    doc, i = tok.doc, tok.i
    if doc[i].text == "-" and i >= 1 and _hyphen_joined(doc, i - 1):
        i -= 1  # the hyphen itself: from the word before it
    start, end = i, i
    while start >= 2 and _hyphen_joined(doc, start - 2):
        start -= 2
    while _hyphen_joined(doc, end):
        end += 2
    return norm(doc[start : end + 1].text.lower()) if end > start else norm(tok.lemma_)


def _hyphen_joined(doc: Any, a: int) -> bool:
    """Whether token ``a``, a hyphen and a word are written without spaces."""
    return (
        a + 2 < len(doc)
        and doc[a + 1].text == "-"
        and not doc[a].whitespace_
        and not doc[a + 1].whitespace_
        and doc[a + 2].is_alpha
    )


def norm(word: str) -> str:
    """A comparable stem: synonyms mapped, one inflectional or derivational suffix off
    (with its stem's ending: "allergies" = "allergy", "denied" = "deny"), a doubled final
    consonant and a final ``e`` dropped ("tingling" = "tingle", "admitted" = "admit",
    "headaches" = "headache", but "head" is not "headache")."""
    w = word.lower()
    w = _synonyms().get(w, w)
    c = cues()
    for suffix in c.suffixes:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + c.suffix_endings.get(suffix, "")
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def clear_caches() -> None:
    """Forget the canonical readings and word lists of texts (for measuring a cold start)."""
    canonical.cache_clear()
    _words.cache_clear()


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text, contractions split as the parser splits them."""
    return list(_words(text))


@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in text.lower().replace("n't", " n't").replace("cannot", "can not").split():
        w = raw.strip(".,;:!?()[]\"'")
        if w:
            out.append(w)
    return tuple(out)


@cache
def denial_forms() -> frozenset[str]:
    """Every inflected form of the denial verbs ("deny": denies, denied, denying), for
    fragments the tagger reads as nouns ("Denies chills.")."""
    out: set[str] = set()
    for v in cues().denial_verbs:
        stem = v[:-1] + "ie" if v.endswith("y") else v.rstrip("e")
        out.update({v, v + "s", v + "ing", stem + "s", stem + "d", v + "d", v.rstrip("e") + "ed"})
    return frozenset(out)


def is_denial_word(word: str) -> bool:
    """Whether a lower-case word is a form of a denial verb ("denies", "denied")."""
    return word in denial_forms()


def is_cue(word: str) -> bool:
    """Whether a lower-case word may carry a negation (a cheap test before parsing)."""
    c = cues()
    return word in c.negators or word in c.absence_words or word in denial_forms()


def negation_windows(text: str, width: int = 6) -> list[frozenset[str]]:
    """The stems a negator or a denial verb holds without a parse (NegEx's forward
    window): the next ``width`` words, up to a contrast word or a new clause; one window
    per cue."""
    c = cues()
    ws = words(text)
    out = []
    for i, w in enumerate(ws):
        if not (w in c.negators or is_denial_word(w)):
            continue
        window: set[str] = set()
        for nxt in ws[i + 1 : i + 1 + width]:
            if nxt in c.contrast_words or nxt in c.clause_openers:
                break
            window.add(norm(nxt))
        out.append(frozenset(window))
    return out


def has_cue(tokens: Iterable[str]) -> bool:
    """Whether lower-case tokens carry a negation cue."""
    return any(is_cue(w) for w in tokens)


def asks_other(text: str, statement: str = "") -> bool:
    """Whether a text speaks of another one of a thing ("any *other* joint pain?",
    ``polarity.json``'s distinguishing words but "new") than the statement does."""
    other = cues().distinguishing - {"new"}
    return bool(other & set(words(text))) and not other & set(words(statement))


def contrasted(t: Any, nxt: Any) -> Any | None:
    """The noun phrase a contrastive "not" puts in place of another ("X, *not me*", "the
    metformin, *not the glipizide*"): its head, which the negation holds alone; None
    where "not" is no such contrast."""
    if t.lower_ != "not" or nxt is None or t.i == 0 or t.doc[t.i - 1].text != ",":
        return None
    if nxt.pos_ not in _NP_START:
        return None
    head = nxt
    for _ in range(10):
        if head.head.i <= t.i or head.head.i == head.i:
            break
        head = head.head
    return head if head.pos_ in {"PRON", "NOUN", "PROPN"} else None


_NP_START = frozenset({"PRON", "DET", "NOUN", "PROPN"})
