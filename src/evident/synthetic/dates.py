"""Calendar dates in a synthetic table: read as days, binned by public bounds, written back.

A ``date`` column is a number of days since 1970-01-01 between the spec's public bounds
(``lower: 2024-01-01``, ``upper: 2025-01-01``), binned like any number and drawn as a whole
day inside its bin, then written as an ISO date (``2024-03-17``), so a tool that read the
real column reads the synthetic one. Only ISO dates (``YYYY-MM-DD``) are read: a column
written otherwise is left to the curator (``drop``, or ``categorical`` with public labels).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["as_days", "day_number", "draft_dates", "iso_dates", "parse_days"]

_EPOCH = dt.date(1970, 1, 1)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Month steps a drafted date column's bins may take (at most ``max_bins`` bins).
_MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120)


def day_number(value: Any) -> float:
    """A bound as days since 1970-01-01: a YAML date, an ISO text or a number of days.

    Raises:
        ValueError: Text that is not an ISO date (pydantic reports it against the column).
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, str):
        if not _ISO.match(value.strip()):
            raise ValueError(f"a date bound must be written YYYY-MM-DD, not '{value}'")
        return float((dt.date.fromisoformat(value.strip()) - _EPOCH).days)
    return float(value)


def parse_days(series: Any) -> tuple[Any, Any]:
    """(days as floats with NaN for blanks, mask of cells that are not ISO dates)."""
    import pandas as pd

    text = series.astype("string").str.strip()
    blank = text.isna() | (text == "")
    parsed = pd.to_datetime(text.where(~blank), format="%Y-%m-%d", errors="coerce")
    days = (parsed - pd.Timestamp(_EPOCH)).dt.days.astype("float64")
    return days, parsed.isna() & ~blank


def as_days(series: Any) -> Any:
    """ISO dates as day numbers (floats), anything else as NaN: for the report's distances."""
    return parse_days(series)[0]


def iso_dates(days: Any) -> Any:
    """Whole day numbers back to ISO text; a missing day stays missing."""
    import pandas as pd

    stamps = pd.Timestamp(_EPOCH) + pd.to_timedelta(pd.Series(days, dtype="Float64"), unit="D")
    return stamps.dt.strftime("%Y-%m-%d").astype(object).where(stamps.notna(), None)


def draft_dates(col: Any, max_bins: int) -> dict[str, Any] | None:
    """A date column's draft: whole months rounded out around the data, or None.

    The bounds are the first of the earliest month and the first of the month after the
    latest (in steps of 1, 3, 6, 12, ... months so that at most ``max_bins`` bins).
    """
    text = col.astype("string").str.strip()
    text = text[text.notna() & (text != "")]
    if not len(text) or not text.str.match(_ISO.pattern).all():
        return None
    days, bad = parse_days(text)
    if bad.any():
        return None
    first = _EPOCH + dt.timedelta(days=int(days.min()))
    last = _EPOCH + dt.timedelta(days=int(days.max()))
    for step in _MONTH_STEPS:  # months as 0-based counts since year 0
        start = first.year * 12 + first.month - 1
        start -= start % step
        bins = -(-(last.year * 12 + last.month - start) // step)
        if bins <= max_bins:
            break
    end = start + bins * step
    return {
        "type": "date",
        "lower": dt.date(start // 12, start % 12 + 1, 1).isoformat(),
        "upper": dt.date(end // 12, end % 12 + 1, 1).isoformat(),
        "bins": bins,
    }
