"""What is done with a drug, against what the source does with it (`drug_actions.py`).

"Continue zolpidem" where the doctor said "let's stop the zolpidem" passed before (the
antonym checker leaves "stop" to the negation readers); it is now contradicted. The
same action said in other words agrees ("reduce" for "lower"); a plan is held against a
plan and what was done against what was done; a question, a negated or a conditional
action says nothing.

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.drug_actions import drug_actions

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Let's stop the zolpidem and lower the amlodipine to 5.",
            [("zolpidem", "stop"), ("amlodipine", "decrease")],
        ),
        ("Continue zolpidem.", [("zolpidem", "continue")]),
        ("The lisinopril was discontinued.", [("lisinopril", "stop")]),
        ("I stopped the allopurinol a couple months ago.", [("allopurinol", "stop")]),
        ("We need to restart the allopurinol.", [("allopurinol", "start")]),
        ("Should we stop the metformin?", []),
        ("Don't stop the metformin.", []),
        ("If it gets worse, stop the ibuprofen.", []),
        ("Keep a headache diary and take ibuprofen.", []),
    ],
)
def test_actions_read(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(d, a) for d, a, _, _ in drug_actions(text)] == expected


PLAN = (
    "Doctor: Let's stop the zolpidem and lower the amlodipine to 5.\n"
    "Patient: I stopped the allopurinol a couple months ago.\n"
    "Doctor: We need to restart the allopurinol after the flare.\n"
    "Patient: Okay.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Continue zolpidem.", "contradicted"),
        ("Stop zolpidem.", "supported"),
        ("Reduce amlodipine to 5 mg.", "supported"),
        ("Increase amlodipine.", "contradicted"),
        ("Restart allopurinol after the flare resolves.", "supported"),
        ("He stopped allopurinol a couple of months ago.", "supported"),
        # a plan is not held against what was done before it ("I stopped it")
        ("Continue allopurinol.", "supported"),
    ],
)
def test_actions_against_a_plan(statement: str, label: str) -> None:
    assert verdict(PLAN, statement)[0] == label
