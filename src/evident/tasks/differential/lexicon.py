"""Word lists of the differential task, validated when loaded (``resources/lexicon.json``).

The finding aliases (``shortness of breath`` -> ``dyspnea``) are not repeated here: they
are read from the verify stage's findings lexicon, so both stages name a finding alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError

__all__ = ["Lexicon", "load_lexicon", "load_resource", "read_resource"]


_Model = TypeVar("_Model", bound=BaseModel)


class _Demographics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    female: list[str] = Field(min_length=1)
    male: list[str] = Field(min_length=1)
    child: list[str] = Field(min_length=1)
    older: list[str] = Field(min_length=1)


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    negators: list[str] = Field(min_length=1)
    negating_heads: list[str] = Field(min_length=1)
    contrast: list[str] = Field(default_factory=list)
    generic: list[str]
    demographics: _Demographics
    female_only: list[str]
    male_only: list[str]
    test_cues: list[str] = Field(min_length=1)
    common_sources: list[str]
    family_cues: list[str]
    title_prefixes: list[str] = Field(default_factory=list)
    not_conditions: list[str] = Field(default_factory=list)
    course: dict[Literal["acute", "chronic"], list[str]] = Field(default_factory=dict)


class _Finding(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    category: str = ""
    aliases: list[str] = Field(default_factory=list)


class _FindingFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    findings: list[_Finding]


@dataclass(frozen=True)
class Lexicon:
    """The task's validated word lists (all lower case)."""

    negators: frozenset[str]
    negating_heads: frozenset[str]
    contrast: frozenset[str]
    generic: frozenset[str]
    demographics: dict[str, frozenset[str]]
    female_only: frozenset[str]
    male_only: frozenset[str]
    test_cues: frozenset[str]
    common_sources: frozenset[str]
    family_cues: frozenset[str]
    title_prefixes: tuple[str, ...]
    not_conditions: frozenset[str]
    course: dict[str, frozenset[str]]
    aliases: dict[str, str]
    diagnosis_aliases: dict[str, str]


def read_resource(package: str, name: str) -> str:
    """Read a text resource of ``package``'s ``resources/`` folder.

    Raises:
        ConfigError: The file is missing or unreadable.
    """
    try:
        return (resources.files(package) / "resources" / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read resource '{name}': {exc.strerror}") from None


def load_resource(model: type[_Model], name: str, what: str) -> _Model:
    """Read the task's ``resources/<name>`` JSON file and validate it with ``model``.

    Raises:
        ConfigError: The file is missing, not JSON, or does not match (names ``what``).
    """
    try:
        return model.model_validate(json.loads(read_resource("evident.tasks.differential", name)))
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"{what} is invalid: {first}") from None


def _low(words: list[str]) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in words if w.strip())


@cache
def load_lexicon() -> Lexicon:
    """Load and validate ``lexicon.json`` and the verify stage's finding aliases.

    Raises:
        ConfigError: A file is missing or does not match its schema.
    """
    try:
        data = _LexiconFile.model_validate(
            json.loads(read_resource("evident.tasks.differential", "lexicon.json"))
        )
        finds = _FindingFile.model_validate(
            json.loads(read_resource("evident.verify", "findings.json"))
        )
    except (ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"differential lexicon is invalid: {first}") from None
    aliases: dict[str, str] = {}
    dx_aliases: dict[str, str] = {}
    for f in finds.findings:
        target = dx_aliases if f.category == "diagnosis" else aliases
        for alias in [f.name, *f.aliases]:
            target.setdefault(alias.strip().lower(), f.name.strip().lower())
    demo = data.demographics
    return Lexicon(
        negators=_low(data.negators),
        negating_heads=_low(data.negating_heads),
        contrast=_low(data.contrast),
        generic=_low(data.generic),
        demographics={
            "female": _low(demo.female),
            "male": _low(demo.male),
            "child": _low(demo.child),
            "older": _low(demo.older),
        },
        female_only=_low(data.female_only),
        male_only=_low(data.male_only),
        test_cues=_low(data.test_cues),
        common_sources=frozenset(data.common_sources),
        family_cues=_low(data.family_cues),
        title_prefixes=tuple(sorted(_low(data.title_prefixes), key=lambda p: (-len(p), p))),
        not_conditions=_low(data.not_conditions),
        course={k: _low(v) for k, v in data.course.items()},
        aliases=aliases,
        diagnosis_aliases=dx_aliases,
    )
