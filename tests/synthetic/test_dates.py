"""Dates and decimals: a synthetic table is written the way the real one was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from evident.errors import InputError
from evident.synthetic import TableSpec, draft_spec, load_spec
from evident.synthetic.dates import day_number, draft_dates
from evident.synthetic.table import decode, encode

_SPEC = {
    "columns": {
        "admitted": {"type": "date", "lower": "2024-01-01", "upper": "2025-01-01", "bins": 12},
        "hba1c": {"type": "continuous", "lower": 4, "upper": 14, "bins": 10, "decimals": 1},
    }
}


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("1970-01-02", 1.0),
        ("2024-01-01", 19723.0),
        (" 2024-01-01 ", 19723.0),
        (19723, 19723.0),
    ],
)
def test_day_numbers(value: Any, days: float) -> None:
    assert day_number(value) == days


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-01-15", "2024-03-02", ""], ("2024-01-01", "2024-04-01", 3)),
        (["2019-12-31", "2020-01-01"], ("2019-12-01", "2020-02-01", 2)),
        (["2020-02-10", "2023-11-30"], ("2020-01-01", "2024-01-01", 16)),  # quarters
        (["1950-06-01", "2020-06-01"], ("1950-01-01", "2025-01-01", 15)),  # five years
        (["2024-01-15", "15/01/2024"], None),  # not all ISO: left to the curator
        (["2024-02-30"], None),  # not a date
        (["", ""], None),
    ],
)
def test_drafted_date_bounds(values: list[str], expected: tuple[str, str, int] | None) -> None:
    import pandas as pd

    drafted = draft_dates(pd.Series(values, dtype=object), 20)
    if expected is None:
        assert drafted is None
    else:
        assert drafted is not None
        assert (drafted["lower"], drafted["upper"], drafted["bins"]) == expected


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ({"type": "date", "lower": "2024-01-01", "upper": "1/1/2025"}, "YYYY-MM-DD"),
        ({"type": "date", "lower": "2025-01-01", "upper": "2024-01-01"}, "above 'lower'"),
        ({"type": "integer", "lower": 0, "upper": 9, "decimals": 1}, "only a continuous"),
    ],
)
def test_invalid_date_and_decimal_specs(
    tmp_path: Path, column: dict[str, Any], message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"columns": {"x": column}}), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_spec(path)


def test_yaml_dates_and_quoted_dates_read_alike(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        "columns:\n  a: {type: date, lower: 2024-01-01, upper: '2025-01-01', bins: 12}\n",
        encoding="utf-8",
    )
    col = load_spec(path).columns["a"]
    assert (col.lower, col.upper) == (19723.0, 20089.0)


def _frame(n: int = 60) -> Any:
    import pandas as pd

    days = pd.date_range("2024-01-03", periods=n // 3, freq="5D").strftime("%Y-%m-%d")
    return pd.DataFrame(
        {"admitted": list(days) * 3, "hba1c": [f"{5 + i % 30 / 10:.1f}" for i in range(n)]}
    )


def test_dates_and_decimals_come_back_as_written() -> None:
    import pandas as pd

    frame = _frame()
    spec = TableSpec.model_validate(_SPEC)
    back = decode(encode(frame, spec), spec, seed=3)
    assert back.admitted.str.fullmatch(r"2024-\d\d-\d\d").all()
    for real, drawn in zip(frame.admitted, back.admitted, strict=True):
        gap = abs((pd.Timestamp(real) - pd.Timestamp(drawn)).days)
        assert gap <= 31  # inside the same month-wide bin
    assert (back.hba1c.round(1) == back.hba1c).all()
    assert back.hba1c.between(4, 14).all()


def test_draft_spec_reads_dates_and_decimals() -> None:
    cols = draft_spec(_frame())["columns"]
    assert cols["admitted"]["type"] == "date"
    assert cols["admitted"]["lower"] == "2024-01-01"
    assert cols["hba1c"]["decimals"] == 1
    assert TableSpec.model_validate({"columns": cols}).columns["admitted"].bins == 4  # months


@pytest.mark.parametrize("bad", ["03/01/2024", "2024-13-01", "yesterday"])
def test_a_date_that_is_not_iso_is_refused_without_its_value(bad: str) -> None:
    frame = _frame()
    frame.loc[4, "admitted"] = bad
    with pytest.raises(InputError, match="'admitted' has values that are not dates") as info:
        encode(frame, TableSpec.model_validate(_SPEC))
    assert bad not in str(info.value)


def test_a_blank_date_needs_nullable() -> None:
    frame = _frame()
    frame.loc[2, "admitted"] = ""
    with pytest.raises(InputError, match="'admitted' has missing values"):
        encode(frame, TableSpec.model_validate(_SPEC))
    cols = {**_SPEC["columns"], "admitted": {**_SPEC["columns"]["admitted"], "nullable": True}}
    spec = TableSpec.model_validate({"columns": cols})
    back = decode(encode(frame, spec), spec, seed=1)
    assert back.admitted.isna().sum() == 1
