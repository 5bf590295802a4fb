"""A verb claim is of the things it is done to or with: "associated with lower LDL" is
not "associated with a change in mortality", so a source that affirms the one and denies
the other contradicts a draft that affirms the other. Every text here is written for
these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source

from .conftest import assert_polarity, claims_of_sentence

ABSTRACT = (
    "In this cohort, statin therapy was associated with lower LDL cholesterol, but it was "
    "not associated with a change in mortality. Exercise improved sleep quality and did "
    "not improve appetite."
)

VISIT = """\
[doctor] are you still taking the metformin ?
[patient] yes , every morning .
[doctor] and the lisinopril ?
[patient] no , i stopped taking the lisinopril last month .
"""


@pytest.mark.parametrize(
    ("sentence", "objects"),
    [
        ("Statin therapy was associated with a change in mortality.", {"chang", "mortality"}),
        ("She uses her albuterol inhaler.", {"albuterol", "inhaler"}),
        # no verb, or a verb done to nothing
        ("No wheezing and no cough.", set()),
        ("She sleeps well.", set()),
    ],
)
def test_a_verb_claim_names_its_objects(sentence: str, objects: set[str]) -> None:
    got = set().union(*(c.objects for c in claims_of_sentence(sentence)))
    assert {o[:5] for o in got} == {o[:5] for o in objects}


@pytest.mark.parametrize(
    ("text", "kind", "statement", "outcome"),
    [
        # the source denies the association with mortality ("it"), affirms the other
        (ABSTRACT, "note", "Statin therapy was associated with a change in mortality.", "conflict"),
        (
            ABSTRACT,
            "note",
            "Statin therapy was associated with lower LDL cholesterol.",
            "not conflict",
        ),
        (
            ABSTRACT,
            "note",
            "Statin therapy was not associated with a change in mortality.",
            "not conflict",
        ),
        # improved sleep, not appetite
        (ABSTRACT, "note", "Exercise improved appetite.", "conflict"),
        (ABSTRACT, "note", "Exercise improved sleep quality.", "not conflict"),
        # spoken: takes metformin, stopped lisinopril
        (VISIT, "transcript", "She takes metformin every morning.", "not conflict"),
        (VISIT, "transcript", "She is not taking metformin.", "conflict"),
    ],
)
def test_claims_of_other_things(text: str, kind: str, statement: str, outcome: str) -> None:
    assert_polarity(load_source(text, kind=kind, name="source.txt"), statement, outcome)
