"""A range in the note ("160-180") is borne out by a source segment that says both its
ends, whatever words stand beside each ("usually around 160, sometimes 180"); an end
the source never says is still missing. Every sentence here is written for these
tests."""

from __future__ import annotations

import pytest

from .conftest import verdict

VISIT = (
    "Doctor: What numbers are you seeing in the mornings?\n"
    "Patient: Usually around 160, sometimes 180 when I wake up.\n"
    "Doctor: Any stomach upset?\n"
    "Patient: No.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her fasting sugars are 160-180.", "supported"),
        ("Her morning sugars run 160 to 180.", "supported"),
        ("Her fasting sugars are 160-190.", "unsupported"),
        ("Her fasting sugars are 150-180.", "unsupported"),
    ],
)
def test_both_ends_said_together(statement: str, label: str) -> None:
    got, reason = verdict(VISIT, statement)
    assert got == label, reason
