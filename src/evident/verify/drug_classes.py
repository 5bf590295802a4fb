"""Drug classes as notes name them ("antibiotics", "a beta blocker", "blood thinners"):
``medications.json``'s ``classes``, each with the words for it and the broader classes it
belongs to (an NSAID is an analgesic; a diuretic an antihypertensive). A statement naming
a class is borne out by any drug of it or of a narrower class the source names ("she
takes lisinopril" for "on an antihypertensive"); a class the source never names a drug of
is a missing drug. Read by the phrase index (:mod:`.lexicon`) as ``medication`` facts
keyed ``class:<name>``."""

from __future__ import annotations

from functools import cache

from evident.verify._resources import load_lexicons

__all__ = ["CLASS_PREFIX", "broader", "class_name", "is_class", "narrower"]

CLASS_PREFIX = "class:"


def is_class(key: str) -> bool:
    """Whether a medication key names a class, not a drug."""
    return key.startswith(CLASS_PREFIX)


def class_name(key: str) -> str:
    """The class a ``class:`` key names."""
    return key.removeprefix(CLASS_PREFIX)


@cache
def _within() -> dict[str, frozenset[str]]:
    return {c.name: frozenset(c.within) for c in load_lexicons().drug_classes}


@cache
def broader(drug_class: str) -> frozenset[str]:
    """The class and every class it lies within, transitively."""
    out, todo = {drug_class}, [drug_class]
    while todo:
        for up in _within().get(todo.pop(), ()):
            if up not in out:
                out.add(up)
                todo.append(up)
    return frozenset(out)


@cache
def narrower(drug_class: str) -> frozenset[str]:
    """The class and every class that lies within it, transitively."""
    return frozenset(c for c in _within() if drug_class in broader(c)) | {drug_class}
