"""Column specs: public domains declared, and any spec that would leak refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from evident.errors import InputError
from evident.synthetic import TableSpec, check_spec, draft_spec, load_spec
from evident.synthetic.spec import is_identifier
from tests.synthetic.conftest import SPEC


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ({"type": "categorical"}, "needs its public 'categories'"),
        ({"type": "integer", "lower": 1}, "needs public 'lower' and 'upper'"),
        ({"type": "continuous", "lower": 5, "upper": 5}, "'upper' must be above 'lower'"),
        ({"type": "integer", "lower": 0, "upper": 9, "bins": 0}, "bins"),
        ({"type": "text"}, "type"),
        ({"type": "categorical", "categories": ["a"], "colour": "red"}, "colour"),
    ],
)
def test_invalid_columns(tmp_path: Path, column: dict[str, Any], message: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({"columns": {"x": column}}), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_spec(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "spec.yaml': the spec is not a mapping with 'columns'"),
        ("- x\n- y\n", "spec.yaml': the spec is not a mapping with 'columns'"),
        ("columns: {x: {type: categorical, categories: [a]\n", "cannot read column spec"),
        ("columns: {}\n", "spec.yaml': columns: "),
    ],
)
def test_unreadable_specs(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_spec(path)
    assert ": :" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "share", "expected"),
    [
        ("patient_nbr", 0.7, True),
        ("encounter_id", 1.0, True),
        ("admission_type_id", 0.0001, False),
        ("email", 0.0, True),
        ("Patient Name", 0.01, True),
        ("age_band", 0.0, False),
        ("free_text_code", 0.95, True),
    ],
)
def test_identifiers(name: str, share: float, expected: bool) -> None:
    assert is_identifier(name, share) is expected


_COLS = ["patient_id", "age_band", "sex", "stay_days", "glucose", "readmitted"]


@pytest.mark.parametrize(
    ("change", "columns", "shares", "message"),
    [
        (
            {"patient_id": {"type": "categorical", "categories": ["x"]}},
            _COLS,
            {"patient_id": 1.0},
            "patient_id",
        ),
        ({"email": {"type": "categorical", "categories": ["x"]}}, [*_COLS, "email"], {}, "email"),
        ({}, [*_COLS, "postcode"], {}, "'postcode' has no entry"),
        ({}, _COLS[1:], {}, "names 'patient_id'"),
        ({}, _COLS, {"sex": 0.95}, "'sex' identifies"),
        (
            {c: {"type": "drop"} for c in _COLS[1:]},
            _COLS,
            {},
            "keeps no column",
        ),
    ],
)
def test_leaky_specs_are_refused(
    change: dict[str, Any], columns: list[str], shares: dict[str, float], message: str
) -> None:
    raw = {"columns": {**SPEC["columns"], **change}}
    with pytest.raises(InputError, match=message):
        check_spec(TableSpec.model_validate(raw), columns, shares)


def test_draft_reads_types(table: Any) -> None:
    cols = draft_spec(table)["columns"]
    assert cols["patient_id"]["type"] == "identifier"
    assert cols["age_band"] == {"type": "categorical", "categories": ["18-39", "40-64", "65+"]}
    assert cols["glucose"]["type"] == "continuous"
    assert cols["glucose"]["lower"] <= float(min(v for v in table.glucose if v))
    assert cols["stay_days"]["type"] in ("integer", "categorical")
