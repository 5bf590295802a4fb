"""An amount that opens a reply ("a little", "a bit", "sometimes") grants the question
only when it is no amount of a finding the reply names itself: "upset stomach,
headaches?" - "a little nausea the first week" tells of nausea, not of headaches. Every
sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import fact_polarities, verdict

SIDE_EFFECTS = "Doctor: Any side effects? Upset stomach, headaches?\nPatient: {}\nDoctor: Okay.\n"


@pytest.mark.parametrize(
    ("answer", "polarity"),
    [
        ("A little nausea the first week but that went away.", "asked"),
        ("A bit of dizziness in the mornings.", "asked"),
        # an amount of what was asked, or of nothing named: a yes
        ("A little bit, mostly in the evening.", "affirmed"),
        ("Sometimes, mostly in the evening.", "affirmed"),
        ("Yeah, a little nausea too.", "affirmed"),
        # a condition opens it, not an amount: a yes ("only when I cough, it hurts")
        ("Only when I cough, my head hurts.", "affirmed"),
    ],
)
def test_an_amount_of_its_own_finding(answer: str, polarity: str) -> None:
    assert fact_polarities(SIDE_EFFECTS.format(answer), "pain@head") == {polarity}


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She reports headaches.", "unsupported"),
        ("Side effects include nausea.", "supported"),
    ],
)
def test_verdicts(statement: str, label: str) -> None:
    visit = SIDE_EFFECTS.format("A little nausea the first week but that went away.")
    got, reason = verdict(visit, statement)
    assert got == label, reason


def test_a_condition_is_still_a_yes() -> None:
    visit = (
        "Doctor: Any chest pain?\n"
        "Patient: Only when I cough really hard, it kind of hurts on the right side.\n"
    )
    got, reason = verdict(visit, "No chest pain.")
    assert got == "contradicted", reason
