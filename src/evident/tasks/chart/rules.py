"""The chart task's data files (reference ranges, status words), validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from evident.errors import ConfigError

__all__ = ["Range", "StatusWord", "reference_ranges", "status_words"]


@dataclass(frozen=True)
class Range:
    """An adult reference range for one LOINC code."""

    name: str
    unit: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class StatusWord:
    """A status a statement may claim, its words and the record statuses it agrees with."""

    resource_type: str
    claim: str
    words: tuple[str, ...]
    statuses: frozenset[str]


def _load(name: str) -> dict[str, Any]:
    path = resources.files("evident.tasks.chart") / "resources" / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot load chart resource {name}: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise ConfigError(f"chart resource {name} lacks 'version: 1'")
    return data


@cache
def reference_ranges() -> dict[str, Range]:
    """LOINC code -> adult reference range."""
    table = _load("reference_ranges.yaml").get("ranges")
    if not isinstance(table, dict):
        raise ConfigError("reference_ranges.yaml has no 'ranges' table")
    out = {}
    for code, row in table.items():
        if not isinstance(row, dict) or not {"name", "unit"} <= set(row):
            raise ConfigError(f"reference range {code} needs a name and a unit")
        if row.get("low") is None and row.get("high") is None:
            raise ConfigError(f"reference range {code} has neither low nor high")
        low, high = row.get("low"), row.get("high")
        out[str(code)] = Range(
            str(row["name"]),
            str(row["unit"]),
            float(low) if low is not None else None,
            float(high) if high is not None else None,
        )
    return out


@cache
def status_words() -> tuple[StatusWord, ...]:
    """Every status claim a statement can make, by resource type."""
    data = _load("status_words.yaml")
    out = []
    for kind, claims in data.items():
        if kind == "version":
            continue
        if not isinstance(claims, dict):
            raise ConfigError(f"status_words.yaml: {kind} must map claims to words")
        for claim, row in claims.items():
            words, statuses = row.get("words"), row.get("statuses")
            if not words or not statuses:
                raise ConfigError(f"status_words.yaml: {kind}.{claim} needs words and statuses")
            out.append(StatusWord(kind, claim, tuple(words), frozenset(statuses)))
    return tuple(out)
