"""Public groupings of coded columns (ICD-9 chapters), read from ``resources/groupings.yaml``.

A diagnosis column holds hundreds of codes, most seen a few times: synthesised as they
are, each code's count drowns in the noise, and dropping the column loses what it says.
Its chapter in a published classification keeps most of what a model needs with a
handful of values, and since the grouping is fixed before any data is read it spends no
privacy budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = ["Grouping", "grouping", "grouping_names"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Group(_Strict):
    label: str = Field(min_length=1)
    prefix: str | None = None
    lower: float | None = None
    upper: float | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> _Group:
        ranged = self.lower is not None and self.upper is not None and self.lower < self.upper
        if (self.prefix is not None) == ranged:
            raise ValueError(f"group '{self.label}' needs a prefix or a lower < upper range")
        return self


class _Grouping(_Strict):
    source: str
    pattern: str
    groups: tuple[_Group, ...] = Field(min_length=1)


class _File(_Strict):
    version: str
    groupings: dict[str, _Grouping]


@dataclass(frozen=True)
class Grouping:
    """A named public grouping: ``group(value)`` gives its label, or None when no group."""

    name: str
    source: str
    labels: tuple[str, ...]
    _pattern: re.Pattern[str]
    _groups: tuple[_Group, ...]

    def group(self, value: str) -> str | None:
        """The label of the group ``value`` falls in, or None (value kept as it is)."""
        text = value.strip()
        if not self._pattern.match(text):
            return None
        head = text[:1].upper()
        for g in self._groups:
            if g.prefix is not None:
                hit = head == g.prefix.upper()
            else:  # a validated group has a range when it has no prefix
                hit = not head.isalpha() and float(g.lower or 0) <= float(text) < float(
                    g.upper or 0
                )
            if hit:
                return g.label
        return None

    def apply(self, series: Any) -> Any:
        """A pandas Series with every groupable value replaced by its group's label."""
        text = series.astype("string").fillna("")
        mapped = text.map(self.group)
        return mapped.where(mapped.notna(), text).astype(object)


@cache
def _load() -> dict[str, Grouping]:
    text = resources.files("evident.synthetic").joinpath("resources", "groupings.yaml")
    try:
        raw = _File.model_validate(yaml.safe_load(text.read_text("utf-8")))
        out = {}
        for name, g in raw.groupings.items():
            labels = tuple(x.label for x in g.groups)
            if len(set(labels)) != len(labels):
                raise ValueError(f"grouping '{name}' repeats a label")
            out[name] = Grouping(name, g.source, labels, re.compile(g.pattern), g.groups)
        return out
    except (OSError, yaml.YAMLError, ValidationError, ValueError, re.error) as exc:
        raise ConfigError(f"cannot load synthetic/resources/groupings.yaml: {exc}") from None


def grouping_names() -> tuple[str, ...]:
    """The names of the declared groupings."""
    return tuple(_load())


def grouping(name: str) -> Grouping:
    """The grouping called ``name``.

    Raises:
        ConfigError: No grouping has that name.
    """
    found = _load().get(name)
    if found is None:
        raise ConfigError(f"unknown grouping '{name}' (known: {', '.join(_load())})")
    return found
