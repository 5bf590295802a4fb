"""A denial is borne out by a denial of the same word in another form ("no injury" -
"did you injure it?" - "no"; "no other symptomatology" - "any other symptoms?" - "no"),
and a qualifier of what is known ("no known", "no apparent") is not part of what is
denied. A patient's question that the clinician answers no is no denial of the
patient's. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import verdict

INJURY = "Doctor: Did you injure it?\nPatient: Not that I remember.\nDoctor: Okay.\n"
DISTRESS = "Doctor: Looking at you, you don't appear in any distress.\nPatient: Okay.\n"
SYMPTOMS = "Doctor: Any other symptoms with it?\nPatient: No.\nDoctor: Okay.\n"


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (INJURY, "No injury.", "supported"),
        (INJURY, "No known injury.", "supported"),
        (INJURY, "She did not injure it.", "supported"),
        (DISTRESS, "In no apparent distress.", "supported"),
        (SYMPTOMS, "She denied any other symptomatology.", "supported"),
        # another thing is not borne out
        (INJURY, "No known allergies.", "unsupported"),
        (SYMPTOMS, "No fever.", "unsupported"),
    ],
)
def test_a_denial_in_another_form(source: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement)
    assert got == label, reason


def test_the_clinicians_no_to_a_patients_question() -> None:
    source = "Patient: Do you mean drug allergies?\nDoctor: No, all of them.\n"
    got, reason = verdict(source, "No known drug allergies.")
    assert got == "unsupported", reason
