"""A frequency the note gives a drug conflicts with the source's dosing only where the
source does not say that frequency next to the drug: "missing her evening dose twice
weekly" counts missed doses, which the visit says beside the drug. Every sentence here
is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import verdict

VISIT = (
    "Doctor: Are you taking the metformin every day?\n"
    "Patient: Most days. I sometimes forget the evening one, maybe twice a week.\n"
    "Doctor: Keep taking the metformin 1000 twice a day.\n"
    "Patient: Okay.\n"
)
PLAIN = "Doctor: What do you take?\nPatient: I take lisinopril once a day in the morning.\n"


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (VISIT, "She admits to missing her evening metformin dose twice weekly.", "supported"),
        (VISIT, "She takes metformin 1000 mg twice a day.", "supported"),
        # a frequency said nowhere near the drug still conflicts
        (VISIT, "She takes metformin three times a day.", "contradicted"),
        (PLAIN, "She takes lisinopril twice a day.", "contradicted"),
        (PLAIN, "She takes lisinopril once daily.", "supported"),
    ],
)
def test_frequency_said_next_to_the_drug(source: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement)
    assert got == label, reason
