"""The offline engine's rules as data: YAML files in ``resources/``, validated when loaded."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = [
    "PATTERN_NAMES",
    "FirstNames",
    "Person",
    "ProseRules",
    "RewriteRules",
    "SectionRules",
    "first_names",
    "prose_rules",
    "rewrite_rules",
    "section_rules",
]


PATTERN_NAMES = (
    "yes_no_question",
    "yes_answer",
    "no_answer",
    "chief_complaint",
    "age_sex",
    "female_title",
    "male_title",
    "female_pronoun",
    "male_pronoun",
    "tag_question",
    "clause_break",
    "question_start",
    "plan_statement",
    "vitals_statement",
    "question_inside",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """Pronoun forms used for the patient."""

    S: str
    O: str  # noqa: E741 - the object form, named like its placeholder
    P: str
    R: str
    first: str


class RewriteRules(_Strict):
    """Rules of the minimal rewrite (see ``resources/rewrite.yaml``)."""

    version: int
    joins: dict[str, str]
    contractions: dict[str, str]
    fillers: list[str]
    parentheticals: list[str]
    openers: list[str]
    you_know_filler: str = r"(?!x)x"
    compressions: list[str] = Field(default_factory=list)
    clause_openers: list[str] = Field(default_factory=list)
    persons: dict[str, Person]
    third_person_verbs: dict[str, str]
    regular_verbs: list[str]
    adverbs: list[str]
    numbers: dict[str, int]
    scales: dict[str, int]
    units: dict[str, str]
    phrases: dict[str, str]

    @model_validator(mode="after")
    def _sexes(self) -> RewriteRules:
        re.compile(self.you_know_filler)
        missing = {"female", "male", "unknown"} - set(self.persons)
        if missing:
            raise ValueError(f"persons lacks {sorted(missing)}")
        return self


class SectionRules(_Strict):
    """Rules of section classification (see ``resources/sections.yaml``)."""

    version: int
    categories: list[str] = Field(min_length=1)
    presets: dict[str, dict[str, list[str]]]
    heading_types: dict[str, list[str]]
    fallbacks: dict[str, list[str]] = Field(default_factory=dict)
    phase_markers: dict[str, list[str]]
    late_markers: dict[str, list[str]] = Field(default_factory=dict)
    terminal_phases: list[str] = Field(default_factory=list)
    cues: dict[str, list[str]]
    clinical_terms: list[str]
    drop_patterns: list[str]
    patterns: dict[str, str]
    stopwords: list[str]
    clinician_phrases: list[str] = Field(default_factory=list)
    answer_noise: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_categories(self) -> SectionRules:
        known = set(self.categories)
        used: list[str] = [c for p in self.presets.values() for cs in p.values() for c in cs]
        used += [c for cs in self.heading_types.values() for c in cs]
        used += [c for k, cs in self.fallbacks.items() for c in [k, *cs]]
        used += list(self.phase_markers) + list(self.cues) + list(self.late_markers)
        used += self.terminal_phases
        unknown = sorted(set(used) - known)
        if unknown:
            raise ValueError(f"unknown categories {unknown}")
        for pattern in [*self.drop_patterns, *self.patterns.values()]:
            re.compile(pattern)
        missing = sorted(set(PATTERN_NAMES) - set(self.patterns))
        if missing:
            raise ValueError(f"patterns lacks {missing}")
        return self


def _load(name: str) -> Any:
    path = resources.files("evident.tasks.scribe") / "resources" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot load scribe resource '{name}': {exc}") from None


def _validate(model: type[BaseModel], name: str) -> Any:
    try:
        return model.model_validate(_load(name))
    except (ValidationError, re.error) as exc:
        raise ConfigError(f"invalid scribe resource '{name}': {exc}") from None


@cache
def rewrite_rules() -> RewriteRules:
    """The validated rewrite rules (loaded once).

    Raises:
        ConfigError: The resource is missing or invalid.
    """
    rules: RewriteRules = _validate(RewriteRules, "rewrite.yaml")
    return rules


@cache
def section_rules() -> SectionRules:
    """The validated section rules (loaded once).

    Raises:
        ConfigError: The resource is missing or invalid.
    """
    rules: SectionRules = _validate(SectionRules, "sections.yaml")
    return rules


class ProseRules(_Strict):
    """Word lists of the clinical-prose pass (see ``resources/prose.yaml``)."""

    version: int
    perception_verbs: list[str]
    cognition_verbs: list[str]
    intent_verbs: list[str]
    empty_verbs: list[str]
    object_orders: list[str] = Field(default_factory=list)
    order_fillers: list[str]
    narration_verbs: list[str]
    order_categories: list[str]
    first_person: list[str] = Field(min_length=1)
    second_person: list[str] = Field(min_length=1)
    object_pronouns: list[str]
    dose_units: list[str]
    resolvable_subjects: dict[str, str]
    hedges: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _numbers(self) -> ProseRules:
        bad = sorted(set(self.resolvable_subjects.values()) - {"singular", "plural"})
        if bad:
            raise ValueError(f"resolvable_subjects: unknown number {bad}")
        return self


@cache
def prose_rules() -> ProseRules:
    """The validated clinical-prose word lists (loaded once).

    Raises:
        ConfigError: The resource is missing or invalid.
    """
    rules: ProseRules = _validate(ProseRules, "prose.yaml")
    return rules


class FirstNames(_Strict):
    """Given names that name one sex (see ``resources/first_names.yaml``)."""

    version: int
    female: list[str] = Field(min_length=1)
    male: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _disjoint_lowercase(self) -> FirstNames:
        both = sorted(set(self.female) & set(self.male))
        if both:
            raise ValueError(f"names in both lists: {both}")
        bad = sorted(n for n in [*self.female, *self.male] if not re.fullmatch(r"[a-z]+", n))
        if bad:
            raise ValueError(f"names must be lowercase letters: {bad}")
        return self


@cache
def first_names() -> FirstNames:
    """The validated given-name lists (loaded once).

    Raises:
        ConfigError: The resource is missing or invalid.
    """
    names: FirstNames = _validate(FirstNames, "first_names.yaml")
    return names
