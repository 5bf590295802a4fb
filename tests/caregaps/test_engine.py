"""The gap rule, the proportion-measure order and the caregaps CLI on fixture records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from evident.caregaps.engine import _proportion_rules, _result, measurement_period
from evident.caregaps.measures import MEASURES, Outcome
from evident.cli.main import main
from evident.errors import InputError
from tests.caregaps.conftest import ECQM

CODES = (
    "initial-population",
    "denominator",
    "denominator-exclusion",
    "numerator",
    "denominator-exception",
)


@pytest.mark.parametrize(
    ("given", "populations", "gap"),
    [
        # in the denominator, nothing else: a gap
        ({"initial-population", "denominator"}, {"numerator": 0, "denominator-exception": 0}, True),
        # numerator met: no gap
        ({"initial-population", "denominator", "numerator"}, {"numerator": 1}, False),
        # excluded: numerator is not counted, no gap
        (
            {"initial-population", "denominator", "denominator-exclusion", "numerator"},
            {"numerator": 0, "denominator-exclusion": 1},
            False,
        ),
        # an exception counts only outside the numerator
        (
            {"initial-population", "denominator", "numerator", "denominator-exception"},
            {"numerator": 1, "denominator-exception": 0},
            False,
        ),
        (
            {"initial-population", "denominator", "denominator-exception"},
            {"denominator-exception": 1},
            False,
        ),
        # outside the initial population: no gap whatever else holds
        (set(), {"denominator": 0}, False),
    ],
)
def test_gap_rule(given: set[str], populations: dict[str, int], gap: bool) -> None:
    out = Outcome(populations={code: code in given for code in CODES})
    result = _result("M", "proportion", CODES, out)
    for code, count in populations.items():
        assert result.populations[code] == count
    assert result.gap is gap
    assert list(result.populations) == [
        "initial-population",
        "denominator",
        "denominator-exclusion",
        "denominator-exception",
        "numerator",
    ]


def test_numerator_exclusion_needs_numerator() -> None:
    pops = {"denominator": 1, "numerator": 0, "numerator-exclusion": 1}
    _proportion_rules(pops)
    assert pops["numerator-exclusion"] == 0


def test_period_must_be_ordered() -> None:
    with pytest.raises(InputError, match="ends before"):
        measurement_period(date(2026, 12, 31), date(2026, 1, 1))


def _bundle(tmp_path: Path, name: str, entries: list[dict]) -> Path:
    path = tmp_path / f"{name}.json"
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in entries],
    }
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--measures", "CMS9"], "either a BUNDLE or --panel"),
        (["--measures", " , ", "B"], "names no measure"),
        (["--measures", "CMS9999", "B"], "no implementation"),
    ],
)
def test_cli_errors(
    tiny_content: Path, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    bundle = _bundle(
        tmp_path, "b", [{"resourceType": "Patient", "id": "p1", "birthDate": "1960-01-01"}]
    )
    argv = ["caregaps", "--content", str(tiny_content), "--period-start", "2026-01-01"]
    argv += ["--period-end", "2026-12-31", *[str(bundle) if a == "B" else a for a in args]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"resourceType": "Patient"}, "not a FHIR Bundle"),
        ({"resourceType": "Bundle", "entry": []}, "0 Patient resources"),
    ],
)
def test_cli_bad_bundle(
    tmp_path: Path, tiny_content: Path, capsys, content: dict, message: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    argv = ["caregaps", str(path), "--content", str(tiny_content), "--measures", "CMS125"]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31"]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


_PATIENT = {"resourceType": "Patient", "id": "p1", "name": [{"text": "John Zyxwv"}]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"resourceType": "Bundle", "entry": 5}, "Bundle.entry is not a list"),
        ({"resourceType": "Bundle", "entry": {"resource": _PATIENT}}, "Bundle.entry is not a list"),
        ({"resourceType": "Bundle", "entry": ["John Zyxwv"]}, "Bundle.entry[0] is not an object"),
        ("John Zyxwv", "cannot read x.json as a JSON FHIR Bundle"),
    ],
)
def test_cli_malformed_bundle_is_one_line(
    tmp_path: Path, tiny_content: Path, capsys, content: object, message: str
) -> None:
    path = tmp_path / "x.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    argv = ["caregaps", str(path), "--content", str(tiny_content), "--measures", "CMS125"]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Zyxwv" not in err


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "Condition", "id": "c1", "code": {"coding": "John Zyxwv"}},
        {
            "resourceType": "Observation",
            "id": "o1",
            "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
            "valueQuantity": {"value": "John Zyxwv"},
            "effectiveDateTime": "2026-03-01",
        },
        {
            "resourceType": "Encounter",
            "id": "e1",
            "type": [{"coding": ["John Zyxwv"]}],
            "period": "x",
        },
    ],
)
def test_cli_resource_of_another_shape_is_one_line(tmp_path: Path, capsys, resource: dict) -> None:
    if not ECQM.is_dir():
        pytest.skip("the shared eCQM content is not checked out beside the project")
    patient = {**_PATIENT, "birthDate": "1960-01-01", "gender": "female"}
    path = _bundle(tmp_path, "x", [patient, resource])
    argv = ["caregaps", str(path), "--content", str(ECQM), "--period-start", "2026-01-01"]
    argv += ["--period-end", "2026-12-31", "--measures", ",".join(MEASURES)]
    assert main(argv) in (0, 2)
    err = capsys.readouterr().err
    assert err.count("\n") <= 1 and "Zyxwv" not in err


@pytest.mark.parametrize("panel", [False, True])
def test_cli_bundle_over_the_size_limit(
    tmp_path: Path, tiny_content: Path, capsys, monkeypatch, panel: bool
) -> None:
    monkeypatch.setenv("EVIDENT_MAX_INPUT_BYTES", "1000")
    path = _bundle(tmp_path, "big", [{**_PATIENT, "id": f"p{i}"} for i in range(50)])
    where = ["--panel", str(tmp_path)] if panel else [str(path)]
    argv = ["caregaps", *where, "--content", str(tiny_content), "--measures", "CMS125"]
    argv += ["--period-start", "2026-01-01", "--period-end", "2026-12-31"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "'big.json'" in err and "over the limit of 1000" in err and err.count("\n") == 1


def test_panel_error_names_the_bundle(tmp_path: Path, tiny_content: Path, capsys) -> None:
    _bundle(tmp_path, "a", [])
    _bundle(tmp_path, "b", [_PATIENT])
    argv = ["caregaps", "--panel", str(tmp_path), "--content", str(tiny_content)]
    argv += ["--measures", "CMS125", "--period-start", "2026-01-01", "--period-end", "2026-12-31"]
    assert main(argv) == 2
    assert "a.json: the record holds 0 Patient resources" in capsys.readouterr().err
