"""Public groupings and declared bin edges: coarser domains that cost no budget."""

from __future__ import annotations

from typing import Any

import pytest

from evident.errors import ConfigError
from evident.synthetic import TableSpec
from evident.synthetic.groupings import grouping
from evident.synthetic.spec import apply_groupings, draft_spec
from evident.synthetic.table import decode, encode


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("8", "001-139 infectious and parasitic"),
        ("038.9", "001-139 infectious and parasitic"),
        ("250.83", "240-279 endocrine, nutritional, metabolic, immunity"),
        ("428", "390-459 circulatory"),
        ("459.99", "390-459 circulatory"),
        ("460", "460-519 respiratory"),
        ("996.81", "800-999 injury and poisoning"),
        ("V57", "V supplementary (health status, contact)"),
        ("v45.01", "V supplementary (health status, contact)"),
        ("E878", "E external causes"),
        ("?", None),
        ("", None),
        ("1000", None),
        ("0", None),
        ("E87", None),
        ("428.1234", None),
        ("cough", None),
    ],
)
def test_icd9_chapters(code: str, label: str | None) -> None:
    assert grouping("icd9_chapter").group(code) == label


def test_unknown_grouping() -> None:
    with pytest.raises(ConfigError, match="unknown grouping 'icd10'"):
        grouping("icd10")


def _spec(**columns: dict[str, Any]) -> TableSpec:
    return TableSpec.model_validate({"columns": columns})


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ({"type": "integer", "edges": [0, 2, 2, 5]}, "must increase"),
        ({"type": "categorical", "categories": ["a"], "edges": [0, 1]}, "only a numeric"),
        ({"type": "integer", "lower": 0, "upper": 9, "grouping": "icd9_chapter"}, "categorical"),
        ({"type": "categorical", "categories": ["a"], "grouping": "zip3"}, "unknown grouping"),
        ({"type": "integer", "edges": [1]}, "at least 2"),
    ],
)
def test_invalid_domains(column: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _spec(x=column)


@pytest.mark.parametrize(
    ("edges", "values", "codes"),
    [
        ([0, 1, 2, 5, 10], ["0", "1", "3", "4", "7", "100", "-2"], [0, 1, 2, 2, 3, 3, 0]),
        ([0, 10, 100], ["9.5", "10", "99", "", "250"], [0, 1, 1, 2, 1]),
    ],
)
def test_edges_bin_and_draw_inside(edges: list[float], values: list[str], codes: list[int]) -> None:
    import pandas as pd

    spec = _spec(n={"type": "integer", "edges": edges, "nullable": True})
    assert spec.columns["n"].lower == edges[0] and spec.columns["n"].bins == len(edges) - 1
    got = encode(pd.DataFrame({"n": values}), spec)
    assert got.n.tolist() == codes
    back = decode(got, spec, seed=3).n
    for code, drawn in zip(codes, back, strict=True):
        if code == len(edges) - 1:
            assert pd.isna(drawn)  # the missing-value code
        else:
            assert edges[code] <= drawn < edges[code + 1]


def test_grouped_column_round_trip() -> None:
    import pandas as pd

    labels = list(grouping("icd9_chapter").labels)
    spec = _spec(
        dx={"type": "categorical", "grouping": "icd9_chapter", "categories": [*labels, "?"]}
    )
    frame = pd.DataFrame({"dx": ["250.1", "V58", "?", "428"]})
    back = decode(encode(frame, spec), spec, seed=0).dx.tolist()
    assert back == [labels[2], labels[17], "?", labels[6]]
    assert apply_groupings(frame, spec).dx.tolist() == back
    assert apply_groupings(apply_groupings(frame, spec), spec).dx.tolist() == back  # idempotent


def _frame(n: int = 2000) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(5)
    codes = [f"V{c % 90}" if c % 7 == 0 else str(c) for c in rng.integers(1, 999, n)]
    return pd.DataFrame(
        {
            "visits_before": rng.poisson(0.4, n).astype(str),  # an event count, mostly 0
            "lab_tests": rng.integers(1, 120, n).astype(str),
            "stay": rng.integers(1, 10, n).astype(str),
            "dx": [c if i % 50 else "?" for i, c in enumerate(codes)],
            "admission_type_id": rng.integers(0, 5, n).astype(str),
        }
    )


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("visits_before", {"type": "integer", "edges_start": [0.0, 1.0, 2.0]}),
        ("lab_tests", {"type": "integer", "lower": 0.0, "upper": 120.0, "bins": 12}),
        ("stay", {"type": "categorical"}),
        ("dx", {"type": "categorical", "grouping": "icd9_chapter"}),
        ("admission_type_id", {"type": "categorical"}),
    ],
)
def test_draft_domains(column: str, expected: dict[str, Any]) -> None:
    drafted = draft_spec(_frame())["columns"][column]
    for key, value in expected.items():
        if key == "edges_start":
            assert drafted["edges"][:3] == value
        else:
            assert drafted[key] == value
    if column == "dx":
        assert drafted["categories"][-1] == "?"
    TableSpec.model_validate({"columns": {column: drafted}})
