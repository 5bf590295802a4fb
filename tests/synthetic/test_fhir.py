"""FHIR bundles to a patient table with public domains, and synthetic patients back to FHIR."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from evident.cli.main import main
from evident.errors import InputError
from evident.synthetic.fhir import patient_table, table_spec, to_bundle

_DAY = date(2026, 6, 1)


def _bundle(i: int, diabetic: bool) -> dict[str, Any]:
    ref = {"reference": f"Patient/p{i}"}
    res: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": f"p{i}", "gender": "female" if i % 2 else "male",
         "birthDate": f"{1950 + 3 * i}-04-02"},
        {"resourceType": "Condition", "id": f"c{i}", "subject": ref,
         "clinicalStatus": {"coding": [{"code": "active" if diabetic else "resolved"}]},
         "code": {"text": "Diabetes mellitus type 2 (disorder)"}},
        {"resourceType": "MedicationRequest", "id": f"m{i}", "status": "active", "intent": "order",
         "subject": ref, "medicationCodeableConcept": {"text": "Metformin 500 MG Oral Tablet"}},
    ]  # fmt: skip
    for when, bmi in (("2025-01-01", 24.0 + i), ("2026-01-01", 25.0 + i)):
        res.append({"resourceType": "Observation", "id": f"o{i}{when[:4]}", "status": "final",
                    "subject": ref, "effectiveDateTime": when,
                    "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5"}]},
                    "valueQuantity": {"value": bmi, "unit": "kg/m2"}})  # fmt: skip
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in res]}


def test_table_reads_flags_and_latest_values() -> None:
    table = patient_table([_bundle(1, True), _bundle(2, False)], _DAY)
    assert table.condition_diabetes.tolist() == ["yes", "no"]
    assert table.medication_metformin.tolist() == ["yes", "yes"]
    assert table.obs_bmi.tolist() == ["26.0", "27.0"]  # the latest, not the first
    assert table.age_band.tolist() == ["65-79", "65-79"]
    assert table.obs_hba1c.tolist() == ["", ""]


def test_written_bundles_are_valid_fhir() -> None:
    row = {c: float("nan") if c.startswith("obs_") else "no" for c in table_spec().columns} | {
        "gender": "female", "age_band": "40-64", "condition_kidney_disease": "yes",
        "obs_bmi": 31.24, "obs_glucose": float("nan"),
    }  # fmt: skip
    bundle = to_bundle(row, 7, _DAY)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "Condition", "Observation"]
    assert bundle["entry"][2]["resource"]["valueQuantity"]["value"] == 31.2


@pytest.mark.parametrize(
    ("keep", "message"),
    [({"observations": ("bmi", "pulse")}, "unknown observation column 'pulse'")],
)
def test_unknown_columns(keep: dict[str, tuple[str, ...]], message: str) -> None:
    with pytest.raises(InputError, match=message):
        table_spec(keep)


def test_cli_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(14):
        (src / f"b{i}.json").write_text(json.dumps(_bundle(i, i % 3 == 0)), encoding="utf-8")
    out = tmp_path / "out"
    argv = ["synth", "fhir", str(src), "--epsilon", "5", "--synthesizer", "mwem", "--out", str(out),
            "--conditions", "diabetes", "--medications", "metformin", "--observations", "bmi",
            "--as-of", "2026-06-01", "--rows", "6", "--no-audit"]  # fmt: skip
    assert main(argv) == 0
    written = sorted(out.glob("*.json"))
    assert len(written) == 6
    for path in written:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"
        assert "p1" not in path.read_text(encoding="utf-8")  # no real id carried over


def _broken(change: str) -> Any:
    bundle = _bundle(1, True)
    first = bundle["entry"][0]["resource"]
    if change == "entry-not-list":
        bundle["entry"] = 5
    elif change == "entry-text":
        bundle["entry"].append("John Zyxwv")
    elif change == "resource-text":
        bundle["entry"].append({"resource": "John Zyxwv"})
    elif change == "birth-date":
        first["birthDate"] = "1960-02-30"
    elif change == "code-text":
        bundle["entry"][1]["resource"]["code"] = "John Zyxwv"
    elif change == "deep":
        return '{"resourceType": "Bundle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    first["name"] = [{"text": "John Zyxwv"}]
    return bundle


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("entry-not-list", "'b.json': Bundle.entry is not a list"),
        ("entry-text", "'b.json': Bundle.entry[5] is not an object"),
        ("resource-text", "'b.json': Bundle.entry[5].resource is not an object"),
        ("deep", "'b.json' is not JSON"),
        ("birth-date", "bundle 1 (in file-name order) has a resource of an unexpected shape"),
        ("code-text", "bundle 1 (in file-name order) has a resource of an unexpected shape"),
    ],
)
def test_cli_malformed_bundle_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str, message: str
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(11):
        (src / f"g{i}.json").write_text(json.dumps(_bundle(i, False)), encoding="utf-8")
    bad = _broken(change)
    (src / "b.json").write_text(bad if isinstance(bad, str) else json.dumps(bad), encoding="utf-8")
    argv = ["synth", "fhir", str(src), "--epsilon", "1", "--out", str(tmp_path / "out")]
    assert main([*argv, "--no-audit"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Zyxwv" not in err
    assert not (tmp_path / "out").exists()
