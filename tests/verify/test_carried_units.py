"""A bare number said in the unit of the value beside it, and an instruction that is no
rival for an antonym.

- "I was 182 pounds this morning, down from 188": the 188 is pounds too, and the change
  is a weight loss; "three pounds in a day or five in a week": the five is pounds, not
  days (a duration between them is passed over).
- "Any fever?" - "She had 100.8 on Sunday night": a reading said bare bears out "maximum
  temperature 100.8" though the exam's temperature is 99.1; a value that is another
  measure's ("pulse 88") does not bear out "temperature 88".
- "Stand up slowly." is an instruction: it says nothing of how the patient stood up, so
  "dizzy when she stands up quickly" is not contradicted by it; a plan or an instruction
  in the note still is ("She was advised to stand up quickly.").

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import dialogue, verdict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was 182 pounds this morning, down from 188.", [(182.0, "lb"), (188.0, "lb")]),
        (
            "Call if you gain more than three pounds in a day or five in a week.",
            [(3.0, "lb"), (1.0, "day"), (5.0, "lb"), (1.0, "week")],
        ),
        ("Pain is 5 out of 10, down from 8.", [(5.0, "out of 10"), (8.0, "out of 10")]),
        # no unit beside it: the number stays bare
        ("She has 2 children or 3.", [(2.0, ""), (3.0, "")]),
        # a sentence boundary stops the search
        ("He weighs 182 pounds. Or 188.", [(182.0, "lb"), (188.0, "")]),
    ],
)
def test_a_bare_number_takes_the_unit_beside_it(
    text: str, expected: list[tuple[float, str]]
) -> None:
    got = [(f.value, f.unit) for f in analyze(text).facts if f.kind == "quantity"]
    assert got == expected


FEVER = dialogue(
    "Any fever?",
    "She had 100.8 on Sunday night, nothing since.",
    "Her temperature today is 99.1 and her pulse is 88.",
)
WEIGHT = dialogue("What did the scale say?", "I was 182 pounds this morning, down from 188.")
DIZZY = dialogue(
    "Any dizziness when you stand up?",
    "A little, mostly if I get up too fast.",
    "Stand up slowly, please.",
    "Okay.",
)


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        (WEIGHT, "Her weight this morning was 182 pounds, down from 188 pounds.", "supported"),
        (WEIGHT, "She has lost 6 pounds.", "unsupported"),
        (WEIGHT, "Her weight was 188 pounds, down from 192 pounds.", "contradicted"),
        (DIZZY, "She has mild dizziness when she stands up quickly.", "supported"),
        # a reading said bare at another time than the measured one bears it out
        (FEVER, "Her maximum temperature was 100.8 on Sunday night.", "supported"),
        (FEVER, "Temperature 99.1.", "supported"),
        (FEVER, "Temperature 98.1.", "contradicted"),
        # another measure's value does not
        (FEVER, "Temperature 88.", "contradicted"),
        (DIZZY, "She was advised to stand up quickly.", "contradicted"),
    ],
)
def test_carried_units_and_instructions(visit: str, statement: str, label: str) -> None:
    assert verdict(visit, statement)[0] == label
