"""A change of weight said with its unit ("I've lost about ten pounds") is the weight
loss or gain its verb says. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I lost about ten pounds.", [("weight loss", "affirmed")]),
        ("I actually gained a few pounds.", [("weight gain", "affirmed")]),
        ("She dropped 5 kg over the summer.", [("weight loss", "affirmed")]),
        ("He is down 12 lbs since his last visit.", [("weight loss", "affirmed")]),
        ("I have not lost any pounds.", [("weight loss", "negated")]),
        ("Have you lost any pounds?", [("weight loss", "asked")]),
        # named by the lexicon already: once
        ("I have lost weight.", [("weight loss", "affirmed")]),
        # no unit of weight, or one in another clause: no change of weight
        ("I lost my keys.", []),
        ("I lost my job, and I weigh 180 pounds.", []),
    ],
)
def test_what_reads_as_a_change_of_weight(text: str, found: list[tuple[str, str]]) -> None:
    facts = analyze(text).facts
    got = [(f.key, f.polarity) for f in facts if f.key in {"weight loss", "weight gain"}]
    assert got == found


LOST = "Doctor: Any changes in your weight?\nPatient: Yeah, I've lost about ten pounds.\n"
GAINED = "Doctor: Any weight loss?\nPatient: No. I actually gained a few pounds.\n"


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        (LOST, "He reports weight loss of 10 pounds.", "supported"),
        (LOST, "He denies weight loss.", "contradicted"),
        (LOST, "He has gained 10 pounds.", "unsupported"),
        (GAINED, "She reports weight gain.", "supported"),
        (GAINED, "She denies weight loss.", "supported"),
        (GAINED, "She reports weight loss.", "contradicted"),
    ],
)
def test_weight_change_verdicts(visit: str, statement: str, label: str) -> None:
    got, reason = verdict(visit, statement)
    assert got == label, reason
