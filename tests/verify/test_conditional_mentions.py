"""A finding named as a condition, a check or a plan for it ("call me if you get a
fever", "we'll watch for any bleeding", "to prevent blood clots", "to rule out a clot")
says neither that it is there nor that it is not: it bears out no statement that the
patient has it (the model that turns a warning into a symptom confabulates), while a
hedge ("probably bronchitis") still bears out the finding it hedges. Every conversation
here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import fact_polarities, verdict

VISIT = """\
[doctor] how is the cough ?
[patient] it is still there , mostly at night , and i am tired .
[doctor] okay , i think this is probably bronchitis . call me if you get a fever , and we \
will watch for any bleeding when you cough . i also want you walking to prevent blood \
clots , and we need to rule out pneumonia with a chest x-ray .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She has a fever.", "unsupported"),
        ("She reports hemoptysis.", "unsupported"),
        ("She has a blood clot.", "unsupported"),
        ("She has pneumonia.", "unsupported"),
        ("She will call if she develops a fever.", "supported"),
        ("We will monitor for bleeding.", "supported"),
        ("Bronchitis.", "supported"),  # a hedge still bears it out
        ("She reports a nighttime cough.", "supported"),
    ],
)
def test_a_condition_bears_out_no_finding(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label


def test_the_reason_names_the_condition() -> None:
    label, reason = verdict(VISIT, "She has a fever.")
    assert label == "unsupported"
    assert "only as a condition or a plan" in reason


@pytest.mark.parametrize(
    ("text", "key", "polarities"),
    [
        ("[doctor] call me if you get a fever .\n", "fever", {"uncertain"}),
        ("[doctor] call me if you do n't have a fever by friday .\n", "fever", {"uncertain"}),
        ("[patient] i feel as if i have a fever .\n", "fever", {"affirmed"}),
        ("[patient] she does not report any fever .\n", "fever", {"negated"}),
        # a resolution still to come is a condition, not a denial of now
        ("[doctor] keep using it until the rash is gone .\n", "rash", {"uncertain"}),
        ("[doctor] apply it to the rash twice daily until resolved .\n", "rash", {"uncertain"}),
        ("[patient] the rash is gone .\n", "rash", {"negated"}),
        ("[patient] the pain went away once i took the ibuprofen .\n", "pain@", {"negated"}),
    ],
)
def test_condition_is_read_before_negation(text: str, key: str, polarities: set[str]) -> None:
    assert fact_polarities(text, key) == polarities


RASH = """\
[doctor] do you have any rash left ?
[patient] yeah , a small bit on my cheeks .
[doctor] okay , keep the cream twice a day until the rash is gone , then stop .
"""


def test_a_resolution_to_come_is_no_conflict() -> None:
    assert verdict(RASH, "She still has some rash on her cheeks.")[0] == "supported"
