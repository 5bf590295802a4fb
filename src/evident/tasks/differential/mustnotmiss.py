"""Must-not-miss diagnoses (``resources/must_not_miss.json``) and when a case fits one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evident.tasks.differential.case import Case
from evident.tasks.differential.lexicon import load_resource
from evident.tasks.differential.terms import Mention, normalise_name

__all__ = ["Emergency", "demographics_fit", "emergencies", "fitting", "is_emergency"]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test: str = Field(min_length=1)
    why: str = ""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    names: list[str] = Field(min_length=1)
    presentations: list[list[list[str]]] = Field(min_length=1)
    sex: Literal["female", "male"] | None = None
    min_age: float | None = None
    max_age: float | None = None
    next_steps: list[_Step] = Field(default_factory=list)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    note: str = ""
    conditions: list[_Entry] = Field(min_length=1)


@dataclass(frozen=True)
class Emergency:
    """A must-not-miss diagnosis.

    Attributes:
        name: Display name.
        names: Normalised names and synonyms.
        presentations: Alternatives; each a list of groups of terms, one of each needed.
        sex: The only sex it affects, if any.
        min_age: Youngest age it is considered at.
        max_age: Oldest age it is considered at.
        next_steps: (test, why) pairs.
        terms: Every term of its presentations once, in the file's order (its words for
            the embeddings bridge, :mod:`.resemble`).
    """

    name: str
    names: tuple[str, ...]
    presentations: tuple[tuple[frozenset[str], ...], ...]
    sex: str | None
    min_age: float | None
    max_age: float | None
    next_steps: tuple[tuple[str, str], ...]
    terms: tuple[str, ...] = ()


@cache
def emergencies() -> tuple[Emergency, ...]:
    """Load and validate the must-not-miss list.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    data = load_resource(_File, "must_not_miss.json", "must_not_miss.json")
    return tuple(
        Emergency(
            name=e.name,
            names=tuple(sorted({normalise_name(n) for n in [*e.names]} - {""})),
            presentations=tuple(
                tuple(frozenset(t.lower() for t in group) for group in p) for p in e.presentations
            ),
            sex=e.sex,
            min_age=e.min_age,
            max_age=e.max_age,
            next_steps=tuple((s.test, s.why) for s in e.next_steps),
            terms=tuple(dict.fromkeys(t.lower() for p in e.presentations for g in p for t in g)),
        )
        for e in data.conditions
    )


def demographics_fit(e: Emergency, case: Case) -> bool:
    """Whether the case's sex and age (when stated) allow the emergency."""
    if e.sex and case.sex and e.sex != case.sex:
        return False
    if case.age is not None:
        if e.min_age is not None and case.age < e.min_age:
            return False
        if e.max_age is not None and case.age > e.max_age:
            return False
    return True


def stem(word: str) -> str:
    """A crude stem for matching presentation words (``radiating`` ~ ``radiate``)."""
    for suffix in ("ingly", "edly", "ing", "ly", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _first(case: Case, group: frozenset[str]) -> Mention | None:
    found = [case.present[t] for t in group if t in case.present]
    if not found:
        stems = {stem(t) for t in group if " " not in t}
        found = [m for t, m in case.present.items() if " " not in t and stem(t) in stems]
    return min(found, key=lambda m: (m.start, m.term)) if found else None


def fitting(case: Case) -> list[tuple[Emergency, list[Mention]]]:
    """Emergencies whose presentation the case fits, with the mentions that fit it."""
    out = []
    for e in emergencies():
        if not demographics_fit(e, case):
            continue
        for presentation in e.presentations:
            hits = [_first(case, group) for group in presentation]
            if all(h is not None for h in hits):
                out.append((e, [h for h in hits if h is not None]))
                break
    return out


def is_emergency(names: set[str]) -> Emergency | None:
    """The must-not-miss entry one of these normalised names belongs to, if any."""
    for e in emergencies():
        if names & set(e.names):
            return e
    return None
