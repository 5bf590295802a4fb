"""The disease-finding table: the shipped one (from MedQuAD) plus a user's own (``--kb``)."""

from __future__ import annotations

import gzip
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError, InputError
from evident.tasks.differential.lexicon import load_lexicon
from evident.tasks.differential.terms import normalise_name

__all__ = ["Condition", "Table", "load_table", "read_table", "shipped_table"]

TABLE_FILE = "table.json.gz"


class _Demographics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sex: Literal["female", "male"] | None = None
    child: float = Field(default=0.0, ge=0.0, le=1.0)
    older: float = Field(default=0.0, ge=0.0, le=1.0)


class _Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    names: list[str] = Field(default_factory=list)
    common: bool = False
    sources: list[str] = Field(default_factory=list)
    demographics: _Demographics = Field(default_factory=_Demographics)
    findings: dict[str, float] = Field(min_length=1)
    risk: dict[str, float] = Field(default_factory=dict)
    tests: list[str] = Field(default_factory=list)


class _TableFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: int
    attribution: str = ""
    conditions: list[_Condition]


@dataclass(frozen=True)
class Condition:
    """One condition of the table.

    Attributes:
        name: Display name.
        names: Normalised names and synonyms (for matching).
        common: From a source about common conditions (not only rare-disease sites).
        sex: ``female``/``male`` when the condition affects only one sex.
        child: Share of the condition's age cues that speak of children.
        older: Share that speak of older adults.
        findings: Finding term -> weight.
        risk: Risk-factor term -> weight.
        tests: Tests that confirm or exclude it.
        symptom_page: Its name is itself a finding (a page about a symptom, not a cause).
    """

    name: str
    names: tuple[str, ...]
    common: bool
    sex: str | None
    child: float
    older: float
    findings: dict[str, float]
    risk: dict[str, float]
    tests: tuple[str, ...]
    symptom_page: bool = False


@dataclass(frozen=True)
class Table:
    """Conditions with inverted indexes from term to (condition index, weight)."""

    conditions: tuple[Condition, ...]
    by_finding: dict[str, tuple[tuple[int, float], ...]]
    by_risk: dict[str, tuple[tuple[int, float], ...]]
    idf: dict[str, float]
    attribution: str = ""

    @classmethod
    def of(cls, conditions: list[Condition], attribution: str = "") -> Table:
        """Index a list of conditions."""
        find: dict[str, list[tuple[int, float]]] = defaultdict(list)
        risk: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, cond in enumerate(conditions):
            for term, w in cond.findings.items():
                find[term].append((i, w))
            for term, w in cond.risk.items():
                risk[term].append((i, w))
        n = max(1, len(conditions))
        return cls(
            conditions=tuple(conditions),
            by_finding={k: tuple(v) for k, v in find.items()},
            by_risk={k: tuple(v) for k, v in risk.items()},
            idf={k: math.log(1 + n / len(v)) for k, v in find.items()},
            attribution=attribution,
        )


def _parse(raw: bytes, where: str) -> tuple[list[Condition], str]:
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        data = _TableFile.model_validate(json.loads(raw))
    except (OSError, EOFError, ValueError, ValidationError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ConfigError(f"differential table '{where}' is invalid: {first}") from None
    out = []
    findings = set(load_lexicon().aliases)
    for c in data.conditions:
        names = {normalise_name(n) for n in [c.name, *c.names]} - {""}
        out.append(
            Condition(
                name=c.name,
                names=tuple(sorted(names)),
                common=c.common,
                sex=c.demographics.sex,
                child=c.demographics.child,
                older=c.demographics.older,
                findings=dict(c.findings),
                risk=dict(c.risk),
                tests=tuple(c.tests),
                symptom_page=bool(names & findings),
            )
        )
    return out, data.attribution


@cache
def shipped_table() -> Table:
    """The table shipped in the package (derived from MedQuAD, CC BY 4.0)."""
    path = resources.files("evident.tasks.differential") / "resources" / TABLE_FILE
    try:
        raw = path.read_bytes()
    except OSError:
        raise ConfigError(
            f"the differential table '{TABLE_FILE}' is missing: run "
            "'evident train differential-table --medquad FILE'"
        ) from None
    conds, attribution = _parse(raw, TABLE_FILE)
    return Table.of(conds, attribution)


def read_table(path: Path) -> Table:
    """One table file (``*.json`` or ``*.json.gz``), indexed.

    Raises:
        ConfigError: The file does not match the schema.
        InputError: The file cannot be read.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the table ({exc.strerror})") from None
    conds, attribution = _parse(raw, path.name)
    return Table.of(conds, attribution)


def load_table(kb: Path | None = None, *, include_shipped: bool = True) -> Table:
    """The shipped table, plus every ``*.json``/``*.json.gz`` table under ``kb``.

    A condition of the user's knowledge base replaces a shipped one of the same name.

    Raises:
        InputError: ``kb`` is not a folder or holds no table.
        ConfigError: A table does not match the schema.
    """
    if kb is None:
        return shipped_table()
    if not kb.is_dir():
        raise InputError(f"{kb}: --kb must be a folder of differential tables")
    files = sorted([*kb.glob("*.json"), *kb.glob("*.json.gz")])
    if not files:
        raise InputError(f"{kb}: no *.json or *.json.gz table in the knowledge-base folder")
    own: dict[str, Condition] = {}
    for file in files:
        for cond in _parse(file.read_bytes(), file.name)[0]:
            own[normalise_name(cond.name)] = cond
    base = list(shipped_table().conditions) if include_shipped else []
    merged = [c for c in base if normalise_name(c.name) not in own] + list(own.values())
    return Table.of(merged, shipped_table().attribution if include_shipped else "")
