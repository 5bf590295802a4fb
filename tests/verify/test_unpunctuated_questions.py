"""Questions of a transcript without punctuation: a finding that closely follows an
earlier question opener of a clinician's turn was asked, not reported; the last
question takes the reply's yes or no. Every turn here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify._questions import last_opener, opener_positions
from evident.verify.index import SourceIndex

from .conftest import make_transcript


def _polarity(turns: str, finding: str) -> str:
    index = SourceIndex([make_transcript(turns)])
    facts = [f for f in index.segments[0].facts if f.kind == "finding" and finding in f.text]
    return facts[0].polarity


@pytest.mark.parametrize(
    ("turns", "finding", "polarity"),
    [
        # an earlier question of the run asks about the finding
        (
            "[doctor] okay have you seen any blood in your stool i know it has been "
            "loose did it get worse this week\n[patient] no it did not\n",
            "blood in",
            "asked",
        ),
        # the last question takes the reply's no
        (
            "[doctor] okay and have you had any cough lately\n[patient] no\n",
            "cough",
            "negated",
        ),
        # a finding the clinician reports far from any opener stays affirmed
        (
            "[doctor] so looking at the x-ray you have a small fracture of the wrist bone "
            "which we will splint do you have questions\n[patient] no\n",
            "fracture",
            "affirmed",
        ),
        # a punctuated turn is read by its punctuation
        (
            "[doctor] have you had a rash ? you have a cough . does it hurt ?\n[patient] no\n",
            "cough",
            "affirmed",
        ),
    ],
)
def test_findings_asked_in_an_unpunctuated_run(turns: str, finding: str, polarity: str) -> None:
    assert _polarity(turns, finding) == polarity


@pytest.mark.parametrize(
    ("text", "positions", "last"),
    [
        ("have you had any fever or any chills", [0, 3], 3),
        ("okay do you smoke and do you drink", [1], 1),
        ("the knee looks fine", [], None),
    ],
)
def test_openers(text: str, positions: list[int], last: int | None) -> None:
    tokens = text.split()
    assert opener_positions(tokens) == positions
    assert last_opener(tokens) == last
