""" "Allergies" said alone: no known allergies, drug allergies, or hay fever.

Conversations written for these tests. "He has no allergies." in an allergy section means
no known allergies, not a denial of hay fever; "known drug allergies" claims an allergy;
"sinus allergies" and "her allergies" stay hay fever.
"""

from __future__ import annotations

import random

import pytest

from evident.verify import verify
from evident.verify.facts import analyze
from evident.verify.perturb import perturb_negation

from .conftest import make_draft, make_transcript

NONE_ASKED = """\
[doctor] have you had any adverse reactions to medications you've taken ?
[patient] no , thankfully .
"""

NONE_SAID = """\
[doctor] what about allergies ?
[patient] no allergies here .
"""

PENICILLIN = """\
[doctor] any allergies to medications ?
[patient] yes , i'm allergic to penicillin , i get a rash .
"""

HAY_FEVER = """\
[doctor] is the congestion from allergies ?
[patient] the allergist said it's not her allergies , so we stopped the allegra .
"""


@pytest.mark.parametrize(
    ("text", "kind", "key", "polarity"),
    [
        ("He has no allergies.", "allergy", "none", "negated"),
        ("No known medical allergies.", "allergy", "none", "negated"),
        ("There is no history of allergies.", "allergy", "none", "negated"),
        ("There are known allergies.", "allergy", "any", "affirmed"),
        ("He has drug allergies.", "allergy", "any", "affirmed"),
        (
            "He has significant allergies including ragweed.",
            "finding",
            "allergic rhinitis",
            "affirmed",
        ),
        ("It's not her allergies.", "finding", "allergic rhinitis", "negated"),
        ("Any known drug allergies?", "finding", "allergic rhinitis", "asked"),
    ],
)
def test_what_allergies_alone_means(text: str, kind: str, key: str, polarity: str) -> None:
    facts = [(f.kind, f.key, f.polarity) for f in analyze(text).facts if f.kind != "quantity"]
    assert facts == [(kind, key, polarity)]


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (NONE_ASKED, "He has no allergies.", "supported"),
        (NONE_SAID, "He has no allergies.", "supported"),
        (NONE_SAID, "No known medical allergies.", "supported"),
        (NONE_SAID, "He has known drug allergies.", "contradicted"),
        (PENICILLIN, "He has known drug allergies.", "supported"),
        (PENICILLIN, "He has no allergies.", "contradicted"),
        (HAY_FEVER, "No allergies present, so she stopped her Allegra.", "supported"),
    ],
)
def test_allergies_alone_against_the_source(source: str, statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(source)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v.reason


def test_reasons_name_allergies_not_an_internal_key() -> None:
    report = verify(
        make_draft("He has no allergies."),
        [make_transcript("[doctor] any fever ?\n[patient] no .\n")],
        omissions=False,
    )
    v = report.verdicts[0]
    assert v.label == "unsupported"
    assert v.reason == "transcript never says there are no known allergies"
    contra = verify(
        make_draft("He has known drug allergies."), [make_transcript(NONE_SAID)], omissions=False
    ).verdicts[0]
    assert contra.reason == "transcript says no known allergies, note says has allergies"


def test_no_known_allergies_flips_in_the_negation_benchmark() -> None:
    assert perturb_negation("He has no allergies.", random.Random(0)) == "He has allergies."
    assert perturb_negation("No known drug allergies.", random.Random(0)) == "known drug allergies."
