"""Allergy frames: the reply to an allergy question and an "Allergies:" field name
allergens and their reactions. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify._answers import _allergy_word
from evident.verify.allergy_frames import asks_allergies
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.options import VerifyOptions

from .conftest import make_draft


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the field: a drug is an allergen, a symptom its reaction, the label no condition
        ("Allergies: penicillin (hives).", {("allergy", "penicillin"), ("finding", "rash")}),
        ("Allergies: amoxicillin, codeine.", {("allergy", "amoxicillin"), ("allergy", "codeine")}),
        # the field ends where the next one starts
        (
            "Allergies: penicillin. Medications: metformin.",
            {("allergy", "penicillin"), ("medication", "metformin")},
        ),
        # no field: a drug stays a drug
        ("Started penicillin today.", {("medication", "penicillin")}),
    ],
)
def test_field_frame(text: str, expected: set[tuple[str, str]]) -> None:
    facts = [f for f in analyze(text).facts if f.kind != "quantity"]
    assert {(f.kind, f.key) for f in facts} == expected
    reactions = [f for f in facts if f.kind == "finding"]
    assert all(f.category == "reaction" for f in reactions)


VISIT = """\
[doctor] any allergies to medicines ?
[patient] penicillin gives me hives .
[doctor] and what do you take every day ?
[patient] just metformin .
"""

NO_ALLERGY_VISIT = """\
[doctor] any allergies ?
[patient] no . i take penicillin when i get strep , it works fine .
"""


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        (VISIT, "Allergic to penicillin.", "supported"),
        (VISIT, "Penicillin allergy (hives).", "supported"),
        (VISIT, "Allergies: penicillin (hives).", "supported"),
        (VISIT, "No known drug allergies.", "contradicted"),
        (VISIT, "Allergic to metformin.", "unsupported"),
        (VISIT, "Takes metformin daily.", "supported"),
        # a "no" to the allergy question leaves the reply's drug a drug
        (NO_ALLERGY_VISIT, "Allergic to penicillin.", "unsupported"),
    ],
)
def test_reply_frame(visit: str, statement: str, label: str) -> None:
    src = load_source(visit, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_an_omitted_allergy_is_one_allergy_entry() -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    report = verify(make_draft("Takes metformin daily."), [src])
    kinds = [(o.kind, o.segment) for o in report.omissions]
    assert kinds == [("allergy", "u2")]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("any allergies ?", True),
        ("do you have any allergies to medicines ?", True),
        ("are you allergic to anything ?", True),
        ("allergies ?", True),
        # allergies as a condition
        ("is the congestion from allergies ?", False),
        ("how are your allergies ?", False),
        ("any seasonal allergies ?", False),
        ("any fever ?", False),
    ],
)
def test_asks_allergies(question: str, asks: bool) -> None:
    toks = analyze(question).tokens
    assert asks_allergies(toks, _allergy_word(toks)) is asks
