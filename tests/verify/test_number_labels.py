"""A number that names ("type 2 diabetes", "stage 3") is no dose of the drug before it.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze


@pytest.mark.parametrize(
    ("text", "drug", "dose"),
    [
        ("Metformin is the first-line drug for type 2 diabetes.", "metformin", None),
        ("Lisinopril for grade 2 hypertension.", "lisinopril", None),
        ("Lisinopril for stage 3 kidney disease.", "lisinopril", None),
        # a number that measures stays the dose
        ("Metformin 500 twice a day.", "metformin", 500.0),
        ("Lisinopril 20 mg daily for type 2 diabetes.", "lisinopril", 20.0),
    ],
)
def test_label_numbers_are_no_dose(text: str, drug: str, dose: float | None) -> None:
    med = next(f for f in analyze(text).facts if f.kind == "medication" and f.key == drug)
    assert med.value == dose
