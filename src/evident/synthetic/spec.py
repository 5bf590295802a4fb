"""The column spec of a synthetic table: what each column is and its public domain.

Differential privacy protects the rows, not the schema: the categories of a categorical
column and the bounds of a numeric one must be public (a code list, an age band, a
clinically plausible range), never read from the data for free. A spec declares them:

```yaml
columns:
  encounter_id: {type: identifier}              # dropped
  race: {type: categorical, categories: [Caucasian, AfricanAmerican, Asian, Hispanic, Other, "?"]}
  time_in_hospital: {type: integer, lower: 1, upper: 14, bins: 14}
  glucose: {type: continuous, lower: 40, upper: 600, bins: 20, nullable: true}
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

__all__ = ["ColumnSpec", "TableSpec", "check_spec", "draft_spec", "is_identifier", "load_spec"]

ColumnType = Literal["identifier", "categorical", "integer", "continuous", "drop"]
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
    nullable: bool = False

    @model_validator(mode="after")
    def _domain(self) -> ColumnSpec:
        if self.type == "categorical" and not self.categories:
            raise ValueError("a categorical column needs its public 'categories'")
        if self.type in ("integer", "continuous"):
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


class TableSpec(_Strict):
    """The spec of a whole table: one entry per column of the input."""

    version: str = "1"
    columns: dict[str, ColumnSpec] = Field(min_length=1)


class _Identifiers(_Strict):
    version: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    weak_share: float = Field(gt=0, le=1)
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


def load_spec(path: Path) -> TableSpec:
    """Read and validate a YAML or JSON column spec.

    Raises:
        InputError: Unreadable or invalid, naming the column and the problem.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read column spec '{path.name}': {type(exc).__name__}") from None
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


def _bounds(values: list[float], integer: bool) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    step = 10 ** max(0, math.floor(math.log10(max(abs(hi - lo), 1))) - 1)
    lo_r, hi_r = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi_r <= lo_r:
        hi_r = lo_r + (1 if integer else step)
    return float(lo_r), float(hi_r)


def draft_spec(frame: Any, max_categories: int = 200) -> dict[str, Any]:
    """A first spec from a table (a pandas DataFrame), for its curator to review.

    Identifiers by name or by one value per row; numeric columns with rounded-out
    bounds (integers with one bin per value while the range is under 200); numbers in
    a column named as a code (``..._id`` with few values) and other columns categorical
    with the categories seen. The result reads the
    data: it is public only once the curator has checked it.
    """
    out: dict[str, Any] = {}
    n = max(1, len(frame))
    for name in frame.columns:
        col = frame[name]
        distinct = col.nunique(dropna=True)
        if is_identifier(str(name), distinct / n if n >= 20 else 0.0):
            out[str(name)] = {"type": "identifier"}
            continue
        numeric = _numeric(col)
        coded = bool(set(re.split(r"[^a-z]+", str(name).lower())) & set(_identifiers().weak))
        if numeric is not None and distinct > 20 and not coded:
            integer = all(float(v).is_integer() for v in numeric)
            lo, hi = _bounds(numeric, integer)
            # Counts keep every value (one bin per integer) while the range is small.
            unit = integer and hi - lo < MAX_BINS
            bins = int(hi - lo + 1) if unit else 20
            hi = hi + 1 if unit else hi  # bins [lo, lo+1), ..., [hi, hi+1): one per value
            out[str(name)] = {
                "type": "integer" if integer else "continuous",
                "lower": lo,
                "upper": hi,
                "bins": max(1, bins),
                "nullable": bool(_blank(col).any()),
            }
        elif distinct <= max_categories:
            cats = sorted(str(v) for v in col.dropna().unique())
            out[str(name)] = {"type": "categorical", "categories": cats}
        else:
            out[str(name)] = {"type": "drop"}
    return {"version": "1", "columns": out}


def _blank(col: Any) -> Any:
    """Missing cells: NaN, or empty text (tables read as text keep them as '')."""
    return col.isna() | (col.astype("string").str.strip() == "")


def _numeric(col: Any) -> list[float] | None:
    import pandas as pd

    values = pd.to_numeric(col[~_blank(col)], errors="coerce")
    if len(values) == 0 or values.isna().any():
        return None
    return [float(v) for v in values]
