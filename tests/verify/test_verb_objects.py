"""A verb claim is of the things it is done to or with: "associated with lower LDL" is
not "associated with a change in mortality", so a source that affirms the one and denies
the other contradicts a draft that affirms the other. Every text here is written for
these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.verify._polarity_read import read_claims
from evident.verify.polarity import check_polarity

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
    doc = load_english(("parser", "lemmatizer"))(sentence)
    got = set().union(*(c.objects for s in doc.sents for c in read_claims(s)))
    assert {o[:5] for o in got} == {o[:5] for o in objects}


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # the source denies the association with mortality ("it"), affirms the other
        ("Statin therapy was associated with a change in mortality.", "conflict"),
        ("Statin therapy was associated with lower LDL cholesterol.", "not conflict"),
        ("Statin therapy was not associated with a change in mortality.", "not conflict"),
        # improved sleep, not appetite
        ("Exercise improved appetite.", "conflict"),
        ("Exercise improved sleep quality.", "not conflict"),
    ],
)
def test_written_claims_of_other_things(statement: str, outcome: str) -> None:
    src = load_source(ABSTRACT, kind="note", name="abstract.txt")
    result = check_polarity(statement, list(src.segments), src)
    got = result.outcome if result else None
    assert (got == "conflict") == (outcome == "conflict"), result


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        ("She takes metformin every morning.", "not conflict"),
        ("She is not taking metformin.", "conflict"),
    ],
)
def test_spoken_claims_of_other_things(statement: str, outcome: str) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    result = check_polarity(statement, list(src.segments), src)
    got = result.outcome if result else None
    assert (got == "conflict") == (outcome == "conflict"), result
