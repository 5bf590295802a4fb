"""A dose per day written as one unit ("3 g/day", "2000 mg/d") is the amount and its
frequency, so it is compared with the same dose said in other units ("no more than 3000
milligrams a day"); a dose by weight ("90 mg/kg/day") is left as it was. Every sentence
here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict

VISIT = (
    "Doctor: What have you tried?\n"
    "Patient: Tylenol, two extra strength in the morning.\n"
    "Doctor: You can keep taking the Tylenol, but no more than 3000 milligrams a day.\n"
    "Patient: Okay.\n"
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "frequency"),
    [
        ("Continue acetaminophen, max 3 g/day.", 3.0, "g", "daily"),
        ("Metformin 2000 mg/d.", 2000.0, "mg", "daily"),
        ("Amoxicillin 90 mg/kg/day divided BID.", 90.0, "", "BID"),
    ],
)
def test_dose_per_day(text: str, value: float, unit: str, frequency: str) -> None:
    (med,) = [f for f in analyze(text).facts if f.kind == "medication"]
    assert (med.value, med.unit, med.frequency) == (value, unit, frequency)


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("Continue acetaminophen, max 3 g/day.", "supported", ""),
        # the conflict names the dose with a unit, not the count of tablets
        ("Continue acetaminophen, max 4 g/day.", "contradicted", "3000 mg"),
    ],
)
def test_daily_dose_verdicts(statement: str, label: str, reason_part: str) -> None:
    got, reason = verdict(VISIT, statement)
    assert got == label, reason
    assert reason_part in reason
