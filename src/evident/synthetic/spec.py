"""The column spec of a synthetic table: what each column is and its public domain.

Differential privacy protects the rows, not the schema: the categories of a categorical
column and the bounds of a numeric one must be public (a code list, an age band, a
clinically plausible range), never read from the data for free. A spec declares them:

```yaml
columns:
  encounter_id: {type: identifier}              # dropped
  race: {type: categorical, categories: [Caucasian, AfricanAmerican, Asian, Hispanic, Other, "?"]}
  time_in_hospital: {type: integer, lower: 1, upper: 14, bins: 14}
  glucose: {type: continuous, lower: 40, upper: 600, bins: 20, nullable: true, decimals: 0}
  admitted: {type: date, lower: 2024-01-01, upper: 2025-01-01, bins: 12}
```

:func:`draft_spec` writes a first spec from a file for its curator to review (it reads
the data, so what it proposes is public only once the curator has checked it).
:func:`check_spec` refuses a spec that would leak: a column missing from it, numeric
bounds missing, an identifier kept, or a kept column with one value per row.
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evident.errors import ConfigError, InputError
from evident.synthetic.dates import day_number, draft_dates
from evident.synthetic.groupings import grouping, grouping_names

__all__ = [
    "ColumnSpec",
    "TableSpec",
    "apply_groupings",
    "check_spec",
    "draft_spec",
    "is_identifier",
    "load_spec",
]

ColumnType = Literal["identifier", "categorical", "integer", "continuous", "date", "drop"]
#: The types binned over public bounds (a date as days since 1970-01-01).
NUMERIC_TYPES = ("integer", "continuous", "date")
MAX_CATEGORIES = 2000
MAX_BINS = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """One column: its type and public domain."""

    type: ColumnType
    categories: tuple[str, ...] | None = Field(default=None, max_length=MAX_CATEGORIES)
    lower: float | None = None
    upper: float | None = None
    bins: int = Field(default=10, ge=1, le=MAX_BINS)
    edges: tuple[float, ...] | None = Field(default=None, min_length=2, max_length=MAX_BINS + 1)
    nullable: bool = False
    grouping: str | None = None
    #: Digits after the decimal point a continuous column's values are written with.
    decimals: int | None = Field(default=None, ge=0, le=12)

    @model_validator(mode="before")
    @classmethod
    def _from_edges(cls, data: Any) -> Any:
        # Declared bin edges set the bounds and the number of bins.
        if isinstance(data, dict) and data.get("type") == "date":  # ISO bounds as days
            data = dict(data)
            for key in ("lower", "upper"):
                if data.get(key) is not None:
                    data[key] = day_number(data[key])
            if data.get("edges"):
                data["edges"] = [day_number(e) for e in data["edges"]]
        if isinstance(data, dict) and data.get("edges"):
            edges = [float(e) for e in data["edges"]]
            data = {**data, "lower": edges[0], "upper": edges[-1], "bins": len(edges) - 1}
        return data

    @model_validator(mode="after")
    def _domain(self) -> ColumnSpec:
        if self.type == "categorical" and not self.categories:
            raise ValueError("a categorical column needs its public 'categories'")
        if self.grouping is not None:
            if self.type != "categorical":
                raise ValueError("only a categorical column takes a 'grouping'")
            if self.grouping not in grouping_names():
                raise ValueError(f"unknown grouping '{self.grouping}'")
        if self.edges is not None:
            if self.type not in NUMERIC_TYPES:
                raise ValueError("only a numeric or date column takes bin 'edges'")
            if any(b <= a for a, b in zip(self.edges, self.edges[1:], strict=False)):
                raise ValueError("bin 'edges' must increase")
        if self.decimals is not None and self.type != "continuous":
            raise ValueError("only a continuous column takes 'decimals'")
        if self.type in NUMERIC_TYPES:
            if self.lower is None or self.upper is None:
                raise ValueError("a numeric column needs public 'lower' and 'upper' bounds")
            if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
                raise ValueError("bounds must be finite numbers")
            if self.upper <= self.lower:
                raise ValueError("'upper' must be above 'lower'")
        return self

    @property
    def kept(self) -> bool:
        """Whether the column is synthesised (identifiers and dropped columns are not)."""
        return self.type not in ("identifier", "drop")

    def cut_points(self) -> tuple[float, ...]:
        """The bin edges of a numeric column: declared, or ``bins`` equal widths."""
        if self.edges is not None:
            return self.edges
        lo, hi = float(self.lower or 0), float(self.upper or 0)
        return tuple(lo + (hi - lo) * i / self.bins for i in range(self.bins + 1))


class TableSpec(_Strict):
    """The spec of a whole table: one entry per column of the input."""

    version: str = "1"
    columns: dict[str, ColumnSpec] = Field(min_length=1)


class _Identifiers(_Strict):
    version: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    weak_share: float = Field(gt=0, le=1)
    coded: tuple[str, ...]
    unique_share: float = Field(gt=0, le=1)


@cache
def _identifiers() -> _Identifiers:
    text = resources.files("evident.synthetic").joinpath("resources", "identifiers.yaml")
    try:
        return _Identifiers.model_validate(yaml.safe_load(text.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"cannot load synthetic/resources/identifiers.yaml: {exc}") from None


def is_identifier(name: str, distinct_share: float) -> bool:
    """Whether a column identifies people or encounters, by its name and its values.

    Args:
        name: The column's name.
        distinct_share: Distinct values over rows (0 to 1).
    """
    rules = _identifiers()
    parts = {p for p in re.split(r"[^a-z]+", name.lower()) if p}
    if parts & set(rules.strong) or distinct_share >= rules.unique_share:
        return True
    return bool(parts & set(rules.weak)) and distinct_share >= rules.weak_share


def apply_groupings(frame: Any, spec: TableSpec) -> Any:
    """A copy of ``frame`` with each grouped column generalised to its group labels.

    Synthetic tables carry the groups, not the codes; the real table is read through the
    same public grouping before the two are compared. Idempotent: labels stay labels.
    """
    out = frame.copy()
    for name, col in spec.columns.items():
        if col.grouping is not None and name in out.columns:
            out[name] = grouping(col.grouping).apply(out[name])
    return out


def load_spec(path: Path) -> TableSpec:
    """Read and validate a YAML or JSON column spec.

    Raises:
        InputError: Unreadable or invalid, naming the column and the problem.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read column spec '{path.name}': {type(exc).__name__}") from None
    if not isinstance(raw, dict):
        raise InputError(f"column spec '{path.name}': the spec is not a mapping with 'columns'")
    try:
        return TableSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"column spec '{path.name}': {where}: {err['msg']}") from None


def check_spec(spec: TableSpec, columns: list[str], unique_share: dict[str, float]) -> None:
    """Refuse a spec that would leak, with a one-line error naming the column.

    Args:
        spec: The spec.
        columns: The input's columns, in order.
        unique_share: Share of distinct values per column (computed by the curator's
            process on the real data; never released).

    Raises:
        InputError: A column without a spec (or a spec for a missing column), an
            identifier kept, or a kept column with one value per row.
    """
    missing = [c for c in columns if c not in spec.columns]
    if missing:
        raise InputError(f"column '{missing[0]}' has no entry in the column spec")
    extra = [c for c in spec.columns if c not in columns]
    if extra:
        raise InputError(f"the column spec names '{extra[0]}', which the input does not have")
    for name, col in spec.columns.items():
        # A binned number takes a distinct value in nearly every row by nature; only
        # categories are judged by their share of distinct values.
        share = unique_share.get(name, 0.0) if col.type == "categorical" else 0.0
        if col.kept and is_identifier(name, share):
            raise InputError(
                f"column '{name}' identifies people or rows (its name or one value per "
                "row): mark it 'identifier' (dropped) or 'drop'"
            )
    if not any(c.kept for c in spec.columns.values()):
        raise InputError("the column spec keeps no column")


# Public bin edges for event counts (visits, admissions): every small count its own bin,
# then widening bins, so a long thin tail does not spread noise over dozens of empty cells.
COUNT_LADDER = (0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100, 200, 500, 1000, 10_000)
MAX_DRAFT_BINS = 20
GROUPED_SHARE = 0.95


def _equal_bins(lo: float, hi: float, integer: bool) -> dict[str, Any]:
    """Rounded-out bounds and at most MAX_DRAFT_BINS bins of a round width (1, 2, 5 x 10^k)."""
    span = max(hi - lo + (1 if integer else 0), 1e-9)
    step = 10.0 ** math.floor(math.log10(span / MAX_DRAFT_BINS))
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= MAX_DRAFT_BINS:
            step *= mult
            break
    step = max(step, 1.0) if integer else step
    lo_r = math.floor(lo / step) * step
    hi_r = math.floor(hi / step) * step + step  # the top value falls inside the last bin
    return {"lower": float(lo_r), "upper": float(hi_r), "bins": max(1, round((hi_r - lo_r) / step))}


def _count_edges(top: float) -> list[float]:
    """The ladder up to a count's largest value (an integer), closed one above it."""
    return [float(e) for e in COUNT_LADDER if e <= top] + [float(top + 1)]


def _draft_numeric(values: list[float], distinct: int) -> dict[str, Any] | None:
    """A numeric column's draft: a count ladder, round equal bins, or None (categorical)."""
    import numpy as np

    arr = np.asarray(values)
    integer = bool(np.all(arr == np.round(arr)))
    lo, hi = float(arr.min()), float(arr.max())
    if integer and lo >= 0 and float(np.bincount(arr.astype("int64")).argmax()) == 0:
        return {"type": "integer", "edges": _count_edges(hi)}
    if distinct <= MAX_DRAFT_BINS:
        return None
    return {"type": "integer" if integer else "continuous", **_equal_bins(lo, hi, integer)}


def _draft_grouped(col: Any, max_categories: int) -> dict[str, Any] | None:
    """A fine coded column as its public grouping, when one fits nearly all its values."""

    text = col[~_blank(col)].astype(str)
    for name in grouping_names():
        g = grouping(name)
        mapped = text.map(g.group)
        if len(text) and mapped.notna().mean() >= GROUPED_SHARE:
            rest = sorted(set(col.astype(str)[mapped.reindex(col.index).isna()]))
            if len(g.labels) + len(rest) <= max_categories:
                return {"type": "categorical", "grouping": name, "categories": [*g.labels, *rest]}
    return None


def draft_spec(frame: Any, max_categories: int = 200) -> dict[str, Any]:
    """A first spec from a table (a pandas DataFrame), for its curator to review.

    Identifiers by name or by one value per row. Numbers: event counts (non-negative
    integers, mostly 0) on the public count ladder; others with over 20 values in at most
    20 bins of a round width between rounded-out bounds; the rest, and numbers in a
    column named as a code (``..._id``), categorical with the categories seen. A column
    with too many categories becomes its public grouping when one fits (ICD-9 codes to
    chapters), else it is dropped. The result reads the data: it is public only once the
    curator has checked it (bounds especially).
    """
    out: dict[str, Any] = {}
    n = max(1, len(frame))
    coded_words = set(_identifiers().coded)
    for name in frame.columns:
        col = frame[name]
        distinct = col.nunique(dropna=True)
        if is_identifier(str(name), distinct / n if n >= 20 else 0.0):
            out[str(name)] = {"type": "identifier"}
            continue
        dates = draft_dates(col, MAX_DRAFT_BINS)
        if dates is not None:
            out[str(name)] = {**dates, "nullable": bool(_blank(col).any())}
            continue
        numeric = _numeric(col)
        coded = bool(set(re.split(r"[^a-z]+", str(name).lower())) & coded_words)
        drafted = _draft_numeric(numeric, distinct) if numeric is not None and not coded else None
        if drafted is not None:
            if drafted["type"] == "continuous":
                drafted["decimals"] = _decimals(col)
            out[str(name)] = {**drafted, "nullable": bool(_blank(col).any())}
        elif distinct <= max_categories:
            out[str(name)] = {
                "type": "categorical",
                "categories": sorted(str(v) for v in col.dropna().unique()),
            }
        else:
            out[str(name)] = _draft_grouped(col, max_categories) or {"type": "drop"}
    return {"version": "1", "columns": out}


def _blank(col: Any) -> Any:
    """Missing cells: NaN, or empty text (tables read as text keep them as '')."""
    return col.isna() | (col.astype("string").str.strip() == "")


def _decimals(col: Any) -> int:
    """The most digits after the decimal point among a column's written values (at most 6)."""
    text = col[~_blank(col)].astype(str).str.strip()
    after = text.str.extract(r"\.(\d+)$", expand=False).dropna()
    return min(6, int(after.str.len().max())) if len(after) else 0


def _numeric(col: Any) -> list[float] | None:
    import pandas as pd

    values = pd.to_numeric(col[~_blank(col)], errors="coerce")
    if len(values) == 0 or values.isna().any():
        return None
    return [float(v) for v in values]
