"""Counts of times: "once", "twice" and "three times a week".

- "I fainted twice", "I felt lightheaded once": a count of times, borne out by "two
  episodes", "one episode"; "once the swelling goes down", "at once", "more than once",
  "once in a while" count nothing.
- "twice a week", "3 times a week", "twice a month", "5 times a day": the period's rate
  times the count (before, every one of them was read as once a period).
- A bare number counts the same thing when the words near it share a word or its first
  letters ("one episode of lightheadedness" and "lightheaded once").

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict


def _quantities(text: str) -> list[tuple[str, float]]:
    return [
        (f.key, round(f.value, 3))
        for f in analyze(text).facts
        if f.kind == "quantity" and f.value is not None
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I vomited twice yesterday.", [("", 2.0)]),
        ("I felt lightheaded once when I stood up.", [("", 1.0)]),
        ("Twice last year.", [("", 2.0)]),
        ("Start walking once the swelling goes down.", []),
        ("Once it heals, start walking.", []),
        ("I get them once in a while.", []),
        ("It happened more than once.", []),
        ("twice a week", [("per_day", 0.286)]),
        ("twice weekly", [("per_day", 0.286)]),
        ("3 times a week", [("", 3.0), ("per_day", 0.429)]),
        ("twice a month", [("per_day", 0.066)]),
        ("5 times a day", [("", 5.0), ("per_day", 5.0)]),
        ("once a week", [("per_day", 0.143)]),
        ("twice a day", [("per_day", 2.0)]),
    ],
)
def test_counts_and_rates(text: str, expected: list[tuple[str, float]]) -> None:
    assert _quantities(text) == expected


FAINT = (
    "Doctor: Any dizziness?\n"
    "Patient: I felt a little lightheaded once when I stood up. And I fainted twice last year.\n"
    "Doctor: How often do you use the inhaler?\n"
    "Patient: About three times a week.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She had one episode of lightheadedness on standing.", "supported"),
        ("She fainted two times last year.", "supported"),
        ("She had two episodes of lightheadedness.", "unsupported"),
        ("She uses her inhaler 3 times a week.", "supported"),
        ("She uses her inhaler 5 times a week.", "unsupported"),
    ],
)
def test_counts_against_a_visit(statement: str, label: str) -> None:
    assert verdict(FAINT, statement)[0] == label


LIFTING = (
    "Doctor: No heavy lifting at work for two weeks.\n"
    "Patient: Okay.\n"
    "Doctor: If it's not improving in six weeks, we'll get an MRI.\n"
    "Patient: And my flare-ups? I had them twice last year.\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a duration of another thing does not bear out the statement's own
        ("No heavy lifting at work for 6 weeks.", "contradicted"),
        ("No heavy lifting at work for 2 weeks.", "supported"),
        ("MRI if not improving in 6 weeks.", "supported"),
        # a number opening a sentence is checked, unless it is a list mark or a "one"
        ("Four exacerbations last year.", "unsupported"),
        ("Two exacerbations last year.", "supported"),
        ("1. No heavy lifting at work for 2 weeks.", "supported"),
    ],
)
def test_numbers_of_their_own_thing(statement: str, label: str) -> None:
    assert verdict(LIFTING, statement)[0] == label
