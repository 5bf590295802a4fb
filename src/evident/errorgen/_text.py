"""Small text helpers shared by the generator families (no clinical knowledge here)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from evident.errorgen._data import load_grammar

__all__ = ["Context", "content_words", "fix_case", "new_number", "splice", "third_person"]

_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True)
class Context:
    """What a perturbation may draw on besides its sentence.

    Attributes:
        source_words: Lower-case words of this encounter's source (a swapped-in drug or
            finding must not be one the source mentions).
        drugs: Drug names seen in other notes of the corpus (this family's reading).
        findings: Finding phrases seen in other notes of the corpus (this family's reading).
    """

    source_words: frozenset[str] = frozenset()
    drugs: tuple[str, ...] = ()
    findings: tuple[str, ...] = field(default=())


def content_words(text: str) -> set[str]:
    """Lower-case words of at least three letters that are not closed-class words."""
    stop = load_grammar().stopwords
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in stop}


def splice(text: str, start: int, end: int, repl: str) -> str:
    """Replace ``text[start:end]`` by ``repl``, keeping sentence case and single spaces."""
    if repl and text[start : start + 1].isupper():
        repl = repl[0].upper() + repl[1:]
    out = text[:start] + repl + text[end:]
    if not repl:
        out = re.sub(r"\s{2,}", " ", out).strip()
    return fix_case(out) if start == 0 and text[:1].isupper() else out


def fix_case(text: str) -> str:
    """Capitalise the first letter of a sentence that started with one."""
    return text[0].upper() + text[1:] if text and text[0].islower() else text


def new_number(value: float, rng: random.Random) -> tuple[float, str]:
    """A clearly different value and the direction of the change ("up"/"down")."""
    if value <= 10:
        step = rng.choice([1, 2, 3])
        if value - step > 0 and rng.random() < 0.5:
            return value - step, "down"
        return value + step, "up"
    step = max(2, round(value * rng.uniform(0.15, 0.45)))
    if rng.random() < 0.5 and value - step > 0:
        return value - step, "down"
    return value + step, "up"


def fmt(value: float) -> str:
    """A number as a note writes it (no trailing .0)."""
    return f"{value:g}"


def third_person(verb: str) -> str:
    """``take`` -> ``takes``, ``try`` -> ``tries``, ``go`` -> ``goes``."""
    if verb == "have":
        return "has"
    if verb == "be":
        return "is"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb + "s"


def base_form(verb: str) -> str:
    """``takes`` -> ``take``, ``tries`` -> ``try``, ``goes`` -> ``go`` (for 3rd person -s)."""
    if verb == "has":
        return "have"
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1] if verb.endswith("s") else verb


def past(verb: str) -> str:
    """Simple past of a base form (irregular verbs from the grammar table)."""
    irregular = load_grammar().irregular_past
    if verb in irregular:
        return irregular[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def gerund(verb: str) -> str:
    """``take`` -> ``taking``, ``stop`` -> ``stoping`` is avoided for the table's verbs."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"
