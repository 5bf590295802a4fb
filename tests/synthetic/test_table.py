"""Synthesis: public domains in, the input's types out, the whole budget to the mechanism."""

from __future__ import annotations

from typing import Any

import pytest

from evident.errors import ConfigError, InputError
from evident.synthetic import TableSpec, synthesize
from evident.synthetic.table import decode, encode
from tests.synthetic.conftest import SPEC


def test_encode_decode_keeps_types_and_bins(table: Any) -> None:
    spec = TableSpec.model_validate(SPEC)
    codes = encode(table, spec)
    assert "patient_id" not in codes.columns
    back = decode(codes, spec, seed=1)
    assert list(back.columns) == ["age_band", "sex", "stay_days", "glucose", "readmitted"]
    assert back.age_band.tolist() == table.age_band.tolist()
    stays = table.stay_days.astype(int)
    width = (15 - 1) / 7
    for real, drawn in zip(stays, back.stay_days, strict=True):
        assert min(6, int((real - 1) // width)) == min(6, int((drawn - 1) // width))  # same bin
    assert back.glucose.isna().sum() == (table.glucose == "").sum()
    assert str(back.stay_days.dtype) == "Int64"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("sex", "X", "'sex' has values outside its declared categories"),
        ("stay_days", "three", "'stay_days' has values that are not numbers"),
        ("stay_days", "", "'stay_days' has missing values"),
    ],
)
def test_values_outside_the_domain(table: Any, column: str, value: str, message: str) -> None:
    table.loc[5, column] = value
    with pytest.raises(InputError, match=message) as info:
        encode(table, TableSpec.model_validate(SPEC))
    assert "three" not in str(info.value)


@pytest.mark.parametrize("mechanism", ["mst", "aim", "mwem"])
def test_synthesis_spends_nothing_on_preprocessing(table: Any, mechanism: str) -> None:
    out, budget = synthesize(
        table,
        TableSpec.model_validate(SPEC),
        epsilon=3.0,
        synthesizer=mechanism,
        seed=2,  # type: ignore[arg-type]
    )
    assert len(out) == len(table)
    assert budget.preprocessing_epsilon == 0.0
    assert budget.identifiers_dropped == ("patient_id",)
    assert set(out.age_band) <= {"18-39", "40-64", "65+"}
    assert out.stay_days.dropna().between(1, 15).all()
    assert (budget.delta == 0.0) is (mechanism == "mwem")
    if mechanism == "mst":  # MST keeps the strong age/readmission link at ε = 3
        old = out[out.age_band == "65+"].readmitted.eq("yes").mean()
        young = out[out.age_band == "18-39"].readmitted.eq("yes").mean()
        assert old > young


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"epsilon": 0.0}, ConfigError),
        ({"epsilon": 1.0, "delta": 1.5}, ConfigError),
        ({"epsilon": 1.0, "rows": 0}, ConfigError),
    ],
)
def test_bad_parameters(table: Any, kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        synthesize(table, TableSpec.model_validate(SPEC), **kwargs)


def test_too_few_rows(table: Any) -> None:
    with pytest.raises(InputError, match="too few"):
        synthesize(table.head(5), TableSpec.model_validate(SPEC), epsilon=1.0)


@pytest.mark.parametrize(
    ("kwargs", "model", "weight"),
    [({}, "bayes", None), ({"target_model": "none"}, "none", 2.0)],
)
def test_target_follows_the_predictors(
    table: Any, kwargs: dict[str, Any], model: str, weight: float | None
) -> None:
    """Drawn from naive Bayes by default; measured with every column with ``none``."""
    spec = TableSpec.model_validate(SPEC)
    out, budget = synthesize(table, spec, epsilon=3.0, seed=4, target="readmitted", **kwargs)
    assert budget.target == "readmitted"
    assert budget.as_dict()["target_model"] == model
    assert budget.as_dict()["target_weight"] == weight
    old = out[out.age_band == "65+"].readmitted.eq("yes").mean()
    young = out[out.age_band == "18-39"].readmitted.eq("yes").mean()
    assert old > young
    with pytest.raises(ConfigError, match="--target needs the MST"):
        synthesize(table, spec, epsilon=3.0, synthesizer="aim", target="readmitted")


@pytest.mark.parametrize(
    ("columns", "refused"),
    [
        (6, False),  # 3 x 2 x 7 x 7 x 2 x 10 = 5,880 cells
        (8, True),  # x 10 x 10 = 588,000 cells: minutes to hours of MWEM
    ],
)
def test_mwem_refuses_a_histogram_too_large_to_fit(table: Any, columns: int, refused: bool) -> None:
    import numpy as np

    spec = {"columns": dict(SPEC["columns"])}
    rng = np.random.default_rng(0)
    for i in range(columns - 5):
        table[f"extra{i}"] = [str(v) for v in rng.integers(0, 10, len(table))]
        spec["columns"][f"extra{i}"] = {
            "type": "categorical",
            "categories": [str(v) for v in range(10)],
        }
    if refused:
        with pytest.raises(ConfigError, match="MWEM holds the whole joint histogram"):
            synthesize(table, TableSpec.model_validate(spec), epsilon=1.0, synthesizer="mwem")
    else:
        out, _ = synthesize(table, TableSpec.model_validate(spec), epsilon=1.0, synthesizer="mwem")
        assert len(out) == len(table)
