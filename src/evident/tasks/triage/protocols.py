"""Triage protocols as data: ``resources/protocols.yaml`` and ``resources/cues.yaml``,
validated when loaded and compiled to regular expressions once per process."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = [
    "URGENCIES",
    "Cues",
    "FindingRule",
    "Protocols",
    "Urgency",
    "load_cues",
    "load_protocols",
    "rank",
]

Urgency = Literal["self_care", "routine", "urgent", "emergency"]
#: Urgency classes, least to most urgent.
URGENCIES: tuple[Urgency, ...] = ("self_care", "routine", "urgent", "emergency")
_MODIFIERS = ("severe", "intense_before", "sudden", "mild")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def rank(urgency: Urgency) -> int:
    """Position of an urgency class, 0 (self care) to 3 (emergency)."""
    return URGENCIES.index(urgency)


def _compiles(pattern: str) -> None:
    """Raise ValueError (which pydantic reports) for a pattern that does not compile."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    """A bound (days, years) and the urgency reached beyond it."""

    days: float | None = None
    years: float | None = None
    urgency: Urgency


class WithRule(_Strict):
    """Raise the finding when any of these other findings is present too."""

    findings: list[str] = Field(min_length=1)
    urgency: Urgency


class FindingRule(_Strict):
    """One finding of the protocols and the modifiers that move it.

    ``urgency`` None marks a context finding (sweating, an allergen): it never sets the
    class alone, only through another finding's ``with`` rule.
    """

    id: str
    finding: str
    urgency: Urgency | None
    patterns: list[str]
    severe: Urgency | None = None
    intense_before: Urgency | None = None
    sudden: Urgency | None = None
    sudden_and_severe: Urgency | None = None
    mild: Urgency | None = None
    pregnant: Urgency | None = None
    needs_pregnancy: bool = False
    min_days: Threshold | None = None
    max_age_days: Threshold | None = None
    min_age: Threshold | None = None
    with_: list[WithRule] = Field(default_factory=list, alias="with")

    @model_validator(mode="after")
    def _mild_only_lowers(self) -> FindingRule:
        if self.mild is not None and (self.urgency is None or rank(self.mild) > 1):
            raise ValueError(f"finding {self.id}: 'mild' may only lower to self_care or routine")
        return self


class Modifier(_Strict):
    """A modifier class: words in the sentence or just before the finding."""

    scope: Literal["sentence", "before"]
    window: int = Field(default=0, ge=0)
    patterns: list[str] = Field(min_length=1)


class Band(_Strict):
    """A range of a measured value and the finding it stands for."""

    min: float
    max: float
    finding: str


class Measure(_Strict):
    """A measured value (temperature, glucose) read by a pattern whose group 1 is it."""

    id: str
    pattern: str
    bands: list[Band] = Field(min_length=1)


class Population(_Strict):
    """How age and pregnancy are read."""

    age_patterns: list[str]
    infant_words: list[str]
    pregnancy_patterns: list[str]


class Escalation(_Strict):
    """Who to call and what to tell the patient now."""

    who: str
    tell: str


class Protocols(_Strict):
    """The validated protocol file."""

    version: int
    urgencies: list[Urgency]
    default_urgency: Urgency
    advice: dict[Urgency, str]
    escalation: dict[Urgency, Escalation]
    spellings: dict[str, str]
    modifiers: dict[str, Modifier]
    measures: list[Measure]
    population: Population
    findings: list[FindingRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Protocols:
        if tuple(self.urgencies) != URGENCIES:
            raise ValueError(f"urgencies must be {list(URGENCIES)}")
        if set(self.advice) != set(URGENCIES):
            raise ValueError("advice must name every urgency class")
        if set(self.modifiers) != set(_MODIFIERS):
            raise ValueError(f"modifiers must be exactly {list(_MODIFIERS)}")
        ids = [f.id for f in self.findings]
        if len(set(ids)) != len(ids):
            raise ValueError("a finding id is used twice")
        known = set(ids)
        used = {r for f in self.findings for w in f.with_ for r in w.findings}
        used |= {b.finding for m in self.measures for b in m.bands}
        if used - known:
            raise ValueError(f"unknown finding ids {sorted(used - known)}")
        for pattern in self.all_patterns():
            try:
                re.compile(self.expand(pattern))
            except (re.error, KeyError) as exc:
                raise ValueError(f"bad pattern {pattern!r}: {exc}") from exc
        return self

    def all_patterns(self) -> list[str]:
        """Every pattern of the file (for validation)."""
        out = [p for f in self.findings for p in f.patterns]
        out += [p for m in self.modifiers.values() for p in m.patterns]
        out += [m.pattern for m in self.measures]
        pop = self.population
        return out + pop.age_patterns + pop.pregnancy_patterns

    def expand(self, pattern: str) -> str:
        """Replace ``{name}`` placeholders by their spelling alternatives."""
        return _PLACEHOLDER.sub(lambda m: f"(?:{self.spellings[m.group(1)]})", pattern)

    def compile(self, patterns: list[str]) -> re.Pattern[str] | None:
        """One regular expression for a list of patterns, each from a word boundary."""
        if not patterns:
            return None
        return re.compile("|".join(rf"\b(?:{self.expand(p)})" for p in patterns))


class Cues(_Strict):
    """Negation and time cues (``resources/cues.yaml``)."""

    version: int
    negation: list[str] = Field(min_length=1)
    negation_window: int = Field(ge=1)
    historical: list[str] = Field(min_length=1)
    hypothetical: list[str] = Field(min_length=1)
    happening_now: list[str] = Field(min_length=1)
    ongoing: list[str]
    clause_breaks: list[str] = Field(min_length=1)
    sentence_breaks: str
    duration: str
    number_words: dict[str, float]
    unit_days: dict[str, float]

    @model_validator(mode="after")
    def _compiles(self) -> Cues:
        cues = [*self.negation, *self.historical, *self.hypothetical, *self.happening_now]
        cues += self.ongoing
        for p in [*cues, *self.clause_breaks]:
            _compiles(p)
        _compiles(self.sentence_breaks)
        _compiles(self.duration)
        if re.compile(self.duration).groups != 2:
            raise ValueError("the duration pattern needs two groups (count, unit)")
        return self


def _read(name: str) -> object:
    path = resources.files("evident.tasks.triage") / "resources" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read triage resource {name}: {type(exc).__name__}") from exc


@cache
def load_protocols() -> Protocols:
    """The packaged triage protocols, validated.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    try:
        return Protocols.model_validate(_read("protocols.yaml"))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"invalid triage protocols: {first['msg']}") from None


@cache
def load_cues() -> Cues:
    """The packaged negation and time cues, validated.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    try:
        return Cues.model_validate(_read("cues.yaml"))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"invalid triage cues: {first['msg']}") from None
