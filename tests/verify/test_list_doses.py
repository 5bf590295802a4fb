"""A dose in a list of drugs belongs to the drug it follows: "lisinopril 20 mg,
tamsulosin" gives tamsulosin no dose (before, the 20 mg was read as tamsulosin's too, and
a faithful list was unsupported); "400 mg of ibuprofen" and "500 mg metformin" still give
the dose said before the drug. The new dose of a change ("from 50 mg to 150 mg") is
checked as well as the first. And a follow-up said "check in again" or a note's "return
in" is the follow-up order.

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "doses"),
    [
        (
            "Medications include amlodipine 10 mg, lisinopril 20 mg, tamsulosin and zolpidem.",
            {"amlodipine": 10.0, "lisinopril": 20.0, "tamsulosin": None, "zolpidem": None},
        ),
        ("She takes 400 mg of ibuprofen.", {"ibuprofen": 400.0}),
        ("Take 500 mg metformin twice a day.", {"metformin": 500.0}),
        ("lisinopril 20 mg and 5 mg amlodipine", {"lisinopril": 20.0, "amlodipine": 5.0}),
    ],
)
def test_a_listed_dose_is_its_own_drugs(text: str, doses: dict[str, float | None]) -> None:
    got = {f.key: f.value for f in analyze(text).facts if f.kind == "medication"}
    assert got == doses


@pytest.mark.parametrize(
    ("text", "frequencies"),
    [
        # a frequency after the next drug is that drug's
        (
            "Continue Symbicort at the same dose and albuterol as needed.",
            {"budesonide formoterol": "", "albuterol": "PRN"},
        ),
        (
            "Continue metformin 500 mg twice daily and albuterol as needed.",
            {"metformin": "BID", "albuterol": "PRN"},
        ),
        (
            "Lisinopril 20 mg daily, metformin 500 mg BID.",
            {"lisinopril": "daily", "metformin": "BID"},
        ),
        ("i take ibuprofen four hundred milligrams twice a day", {"ibuprofen": "BID"}),
    ],
)
def test_a_frequency_is_the_drug_before_its(text: str, frequencies: dict[str, str]) -> None:
    got = {f.key: f.frequency for f in analyze(text).facts if f.kind == "medication"}
    assert got == frequencies


PILLS = (
    "Doctor: You're on amlodipine 10, lisinopril 20, and tamsulosin?\n"
    "Patient: Yes.\n"
    "Doctor: We'll check in again in four weeks.\n"
    "Patient: Okay.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Medications include amlodipine 10 mg, lisinopril 20 mg and tamsulosin.", "supported"),
        ("Medications include amlodipine 10 mg, lisinopril 40 mg and tamsulosin.", "contradicted"),
        ("Follow up in 4 weeks.", "supported"),
        ("Return in 4 weeks.", "supported"),
        ("Return in 6 weeks.", "contradicted"),
    ],
)
def test_lists_and_follow_up(statement: str, label: str) -> None:
    assert verdict(PILLS, statement)[0] == label


CHANGE = (
    "Doctor: Let's increase the sertraline from 50 to 100 milligrams once a day.\nPatient: Okay.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the new dose of a change is checked too, not only the one read first
        ("Increase sertraline from 50 mg to 100 mg daily.", "supported"),
        ("Increase sertraline from 50 mg to 150 mg daily.", "contradicted"),
        ("Increase sertraline from 25 mg to 100 mg daily.", "contradicted"),
    ],
)
def test_a_dose_change(statement: str, label: str) -> None:
    assert verdict(CHANGE, statement)[0] == label
