"""Readings of a denial that are grammar, not vocabulary: "cannot" is "can not" (as the
parser splits it); a denial of nothing but light words ("we will not continue to observe
the patient") still needs a denial in the source; a clause of cause or concession ("as
she has not been traveling") says what it says where a condition or a time clause ("if",
"when") does not; and a plan or an instruction without a condition ("she should not
return in a month") is held to its denial as a future is. Every sentence here is written
for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_cues import is_cue, negation_windows, words
from evident.verify.check import verify
from evident.verify.denials import check_denial
from evident.verify.options import VerifyOptions
from evident.verify.polarity import check_polarity

from .conftest import make_draft

VISIT = """\
[doctor] how have things been since the last visit ?
[patient] busier . i've been driving to the coast a lot for work .
[doctor] and the knee ?
[patient] it swells after long drives but the brace helps .
[doctor] okay . you can keep taking the naproxen twice a day .
[doctor] so we can just continue to watch the knee for now .
[doctor] i'll see you back in a month and we'll continue to observe .
[doctor] if the swelling gets worse we'll get an x-ray .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She cannot walk far.", ["she", "can", "not", "walk", "far"]),
        ("She can't walk far.", ["she", "ca", "n't", "walk", "far"]),
        ("She can walk far.", ["she", "can", "walk", "far"]),
    ],
)
def test_words_split_cannot_as_the_parser_does(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("She cannot continue the naproxen.", True),
        ("She can continue the naproxen.", False),
    ],
)
def test_cannot_opens_a_negation_window(text: str, held: bool) -> None:
    assert any("naproxen" in w for w in negation_windows(text)) is held
    assert any(is_cue(w) for w in words(text)) is held


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # "cannot" denies: the visit says she can keep taking it
        ("She cannot keep taking the naproxen.", "missing"),
        # a denial of light words alone still needs a denial
        ("We will not continue to observe the patient.", "missing"),
        ("We will not see her back.", "missing"),
        # a cause clause is said: the visit says he has been driving
        ("The knee is worse as he has not been driving much.", "missing"),
        ("The knee is worse because he has not been driving much.", "missing"),
        # a condition is not said: "if" keeps its clause out of the denial check
        ("We will get an x-ray if the swelling does not settle.", None),
        ("She can keep taking the naproxen as long as it does not upset her stomach.", None),
        # a plan or an instruction with no condition is held to its denial
        ("She should not keep taking the naproxen.", "missing"),
        ("She will not return in a month.", "missing"),
        # ... and with a condition it is advice
        ("She should call if the swelling does not settle.", None),
        ("Return in a month if the swelling does not settle.", None),
        # an imperative is advice, with or without a condition
        ("Do not return to running for a month.", None),
    ],
)
def test_denials_read_from_grammar(visit: Source, statement: str, outcome: str | None) -> None:
    result = check_denial(statement, list(visit.segments[:2]), visit)
    assert (result.outcome if result else None) == outcome


@pytest.mark.parametrize(
    ("statement", "conflict"),
    [
        # the cause clause's denial against the visit's affirmation
        ("The knee is worse as he has not been driving to the coast.", True),
        ("The knee is worse since he has not been driving to the coast.", True),
        # a condition is not compared
        ("The knee will be worse if he has not been driving to the coast.", False),
        # affirmed in the cause clause, as the visit has it
        ("The knee is worse as he has been driving to the coast a lot.", False),
    ],
)
def test_a_cause_clause_is_compared(visit: Source, statement: str, conflict: bool) -> None:
    result = check_polarity(statement, list(visit.segments), visit)
    assert (result is not None and result.outcome == "conflict") is conflict


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("We will not continue to observe the patient.", "unsupported"),
        ("We will continue to observe the patient.", "supported"),
        ("She cannot keep taking the naproxen twice a day.", "unsupported"),
    ],
)
def test_verdicts(visit: Source, statement: str, label: str) -> None:
    report = verify(make_draft(statement), [visit], options=VerifyOptions(omissions=False))
    assert (report.verdicts[0].label == "supported") is (label == "supported"), report.verdicts[
        0
    ].reason
