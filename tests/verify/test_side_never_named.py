"""A left or right the source never uses as a side at all is a missing hard fact
(unsupported), whatever the side word qualifies; "left" as a verb is no side. Every
sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify.check import verify
from evident.verify.options import VerifyOptions
from evident.verify.side_words import _sides_used, check_side_words

from .conftest import make_draft

ONE_SIDE = """\
[doctor] what happened after the fall ?
[patient] i was left with this numbness on my right side , and a cut on my thumbnail .
[doctor] any headaches since then ?
[patient] no , i left the clinic feeling fine .
"""

NO_SIDE = """\
[doctor] where is the rash ?
[patient] on my forearm , it itches at night .
"""

BOTH = """\
[doctor] are both knees sore ?
[patient] yes , bilateral knee pain for a year .
"""


@pytest.mark.parametrize(
    ("visit", "statement", "outcome"),
    [
        # the patient only ever says right: a left side is missing, whatever it qualifies
        (ONE_SIDE, "He has left-sided hemisensory loss after the fall.", "missing"),
        (ONE_SIDE, "Laceration of the left thumbnail.", "missing"),
        (ONE_SIDE, "Numbness on the right side after the fall.", None),
        # no side at all in the source
        (NO_SIDE, "Rash on the right forearm.", "missing"),
        # "bilateral" in the source: either side may be meant
        (BOTH, "Left knee pain for a year.", "agree"),
    ],
)
def test_a_side_never_named(visit: str, statement: str, outcome: str | None) -> None:
    source = load_source(visit, kind="transcript", name="v.txt")
    result = check_side_words(statement, list(source.segments), source)
    got = result.outcome if result is not None else None
    assert got == outcome, result
    if outcome == "missing":
        assert result is not None and "never says" in result.reason


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        ("i was left with a scar on my arm", []),
        ("she left the clinic early", []),
        ("the left arm is weak", ["left"]),
        ("the weakness was left-sided", ["left"]),
        ("right now the right knee hurts", ["right"]),
        ("numbness on my right side", ["right"]),
        ("bilateral edema", ["both"]),
    ],
)
def test_left_as_a_verb_is_no_side(text: str, sides: list[str]) -> None:
    assert _sides_used(text) == sides


def test_verify_marks_it_unsupported() -> None:
    source: Source = load_source(ONE_SIDE, kind="transcript", name="v.txt")
    report = verify(
        make_draft("Laceration of the left thumbnail after the fall."),
        [source],
        options=VerifyOptions(omissions=False),
    )
    v = report.verdicts[0]
    assert v.label == "unsupported", v
    assert v.decided_by == "check:side"
