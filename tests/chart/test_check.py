"""The chart's structured fact check: status, value and date against the cited resources."""

from __future__ import annotations

import pytest

from evident.tasks.chart import chart_record, statement_mismatch
from evident.types import Source, Statement


@pytest.mark.parametrize(
    ("text", "cites", "expected"),
    [
        ("Active problem: Essential hypertension, onset 2015-04-01.", ["Condition/c1"], None),
        (
            "Active problem: Ankle sprain, onset 2019-01-10.",
            ["Condition/c2"],
            ("contradicted", "status"),
        ),
        ("Ankle sprain, resolved 2019-02-10.", ["Condition/c2"], None),
        ("Essential hypertension, resolved.", ["Condition/c1"], ("contradicted", "status")),
        (
            "Current medication: Naproxen 250 MG Oral Tablet.",
            ["MedicationRequest/m2"],
            ("contradicted", "status"),
        ),
        ("Naproxen was stopped.", ["MedicationRequest/m2"], None),
        ("Current medication: Amlodipine 5 MG Oral Tablet.", ["MedicationRequest/m1"], None),
        ("Amlodipine was discontinued.", ["MedicationRequest/m1"], ("contradicted", "status")),
        ("Hemoglobin A1c 6.1 %, effective 2024-03-01.", ["Observation/o1"], None),
        (
            "Hemoglobin A1c 7.1 %, effective 2024-03-01.",
            ["Observation/o1"],
            ("contradicted", "value"),
        ),
        (
            "Hemoglobin A1c 6.1 %, effective 2024-04-01.",
            ["Observation/o1"],
            ("contradicted", "date"),
        ),
        ("Body weight 80 kg (previous 70 kg).", ["Observation/o6", "Observation/o7"], None),
        ("Body weight 85 kg.", ["Observation/o6", "Observation/o7"], ("contradicted", "value")),
        ("Potassium is high.", ["Observation/o9"], ("unsupported", "citation")),
        ("No citation at all.", [], None),
    ],
)
def test_statement_mismatch(
    record_source: Source, text: str, cites: list[str], expected: tuple[str, str] | None
) -> None:
    record = chart_record([record_source])
    found = statement_mismatch(Statement(id="st1", text=text, citations=tuple(cites)), record)
    assert (None if found is None else (found.label, found.kind)) == expected
    if found is not None:
        assert found.reason and "\n" not in found.reason
