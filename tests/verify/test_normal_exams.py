"""What a normal exam rules out (``findings.json``'s ``normal_exams``): "your lungs are
clear" denies wheezing, crackles and rhonchi, so "no wheezes, rales, or rhonchi" is
borne out and "expiratory wheezing" conflicts; a question or a negation is no normal
exam, and a note's own "lungs clear" needs no denial said in the source. Every
conversation here is written for these tests."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evident.verify._resources import _FindingFile
from evident.verify.facts import analyze

from .conftest import verdict

EXAM = """\
[doctor] let me listen to you . your heart sounds regular and your lungs are clear as well .
[patient] okay .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("No wheezes, rales, or rhonchi.", "supported"),
        ("Lungs: clear to auscultation, no crackles.", "supported"),
        ("Respiratory: expiratory wheezing bilaterally.", "contradicted"),
        ("Lungs clear to auscultation bilaterally.", "supported"),  # implied: never missing
    ],
)
def test_a_normal_exam_rules_out(statement: str, label: str) -> None:
    assert verdict(EXAM, statement)[0] == label


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("your lungs are clear as well .", {"wheezing", "crackles", "rhonchi"}),
        ("your lungs otherwise sound clear .", {"wheezing", "crackles", "rhonchi"}),
        ("are your lungs clear ?", set()),  # asked
        ("the lungs are not clear .", set()),  # denied
        ("your lungs have some crackles but the rest is clear .", set()),  # a contrast
        ("the chest x-ray was clear .", set()),  # no lungs examined
    ],
)
def test_what_reads_as_a_normal_exam(text: str, denied: set[str]) -> None:
    implied = {f.key for f in analyze(text).facts if f.implied and f.polarity == "negated"}
    assert implied == denied


WHEEZY = """\
[doctor] let me take a listen to your lungs . deep breath in .
[patient] okay .
[doctor] i hear some wheezing on both sides , but no crackles .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # how the lungs were examined is no circumstance of the wheezing's absence
        ("Lungs clear to auscultation.", "contradicted"),
        ("Lungs clear to auscultation bilaterally.", "contradicted"),
        ("Lungs are clear.", "contradicted"),
        ("No crackles.", "supported"),
        # a finding written in the statement keeps its circumstance
        ("No wheezing at rest.", "unsupported"),
    ],
)
def test_a_normal_exam_against_a_finding(statement: str, label: str) -> None:
    got, reason = verdict(WHEEZY, statement)
    assert got == label, reason


def test_an_unknown_finding_is_refused() -> None:
    with pytest.raises(ValidationError, match="normal_exams deny findings"):
        _FindingFile.model_validate(
            {
                "version": 1,
                "findings": [],
                "normal_exams": [{"about": ["lungs"], "normal": ["clear"], "denies": ["x"]}],
            }
        )
