"""An adjective said of a thing is the same content as the thing with the adjective:
"do your stools look dark?" - "no" denies "dark stools", as "are your stools dark?"
does. A linking verb ("look", "become", "remain", like "be", "seem" and "appear") says
its complement of its subject, so the complement is the claim. Every conversation here
is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source

from .conftest import assert_polarity, claims_of_sentence

VISIT = """\
[doctor] okay . and how about , you know , do your stools look black or tarry ?
[patient] no , nothing like that .
[doctor] has your skin become yellow at all ?
[patient] no .
[doctor] and the cut on your hand , does it look red ?
[patient] yes , it looks red and it feels warm .
"""


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Her stools look dark.", {("dark", False)}),
        ("Her stools do not look dark.", {("dark", True)}),
        ("She became short of breath.", {("short", False)}),
        # "look at" is no linking verb: nothing is said of a subject
        ("I'll take a look at your knee.", set()),
    ],
)
def test_linking_verbs_say_their_complement(sentence: str, expected: set) -> None:
    got = {(c.head, c.negated) for c in claims_of_sentence(sentence)}
    assert got == expected


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # the adjective said of the noun in the source, before the noun in the note
        ("Reports black, tarry stools.", "conflict"),
        ("Her stools are black.", "conflict"),
        ("Yellow skin.", "conflict"),
        ("She has yellow skin.", "conflict"),
        # the same polarity on both sides is no conflict
        ("No black stools.", "not conflict"),
        ("Red skin around the cut.", "not conflict"),
        ("The cut looks red.", "not conflict"),
    ],
)
def test_adjective_said_of_a_noun(statement: str, outcome: str) -> None:
    assert_polarity(load_source(VISIT, kind="transcript", name="visit.txt"), statement, outcome)
