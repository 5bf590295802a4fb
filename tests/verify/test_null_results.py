"""A null result denies every effect on what it measured: "no significant difference in
X" conflicts with "X increased" though the heads differ; a denied direction denies only
itself ("did not reduce X" leaves "X increased" open); "a negative correlation" is a
direction, not a result. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source

from .conftest import assert_polarity, claims_of_sentence

ABSTRACT = (
    "We enrolled 140 adults with chronic kidney disease and 210 matched controls. "
    "Retinal vessel calibre was measured by a masked grader. "
    "There was no significant difference in retinal vessel calibre between the two groups. "
    "Serum phosphate did not differ between the two arms. "
    "Treatment with the binder did not reduce hospital admissions compared with placebo. "
    "Fatigue scores did not improve."
)


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # an undirected null result denies every direction of an effect on its measure
        ("Retinal vessel calibre was increased in adults with kidney disease.", "conflict"),
        ("Retinal vessel calibre was lower in the kidney disease group.", "conflict"),
        ("Serum phosphate rose in the treated arm.", "conflict"),
        ("Serum phosphate fell in the treated arm.", "conflict"),
        # a directed one denies only its own direction
        ("The binder lowered hospital admissions compared with placebo.", "conflict"),
        ("The binder increased hospital admissions.", "not conflict"),
        ("Fatigue scores were worse.", "not conflict"),
        # a denial in the statement is borne out, not contradicted
        ("The binder did not increase hospital admissions.", "not conflict"),
        ("Serum phosphate was not lower in the treated arm.", "not conflict"),
        # one shared word is no shared measure
        ("Calibre was increased in smokers.", "not conflict"),
    ],
)
def test_a_null_result_conflicts_with_any_effect_on_its_measure(
    statement: str, outcome: str
) -> None:
    source = load_source(ABSTRACT, kind="note", name="abstract.txt")
    assert_polarity(source, statement, outcome)


@pytest.mark.parametrize(
    ("sentence", "head"),
    [
        ("Age had a negative correlation with grip strength.", "correl"),
        ("There was a negative association between sleep and pain.", "associ"),
        ("The drug had a negative impact on renal function.", "impact"),
    ],
)
def test_a_negative_effect_is_a_direction_not_a_denial(sentence: str, head: str) -> None:
    claims = {c.head: c.negated for c in claims_of_sentence(sentence)}
    assert claims.get(head) is False, claims


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        # "change" and "difference" are findings only as nouns: as verbs they deny
        ("Her vision did not change.", True),
        ("Her vision has not changed.", True),
        ("The two arms did not differ.", True),
    ],
)
def test_a_change_denied_as_a_verb_is_a_denial(sentence: str, negated: bool) -> None:
    claims = {c.head: c.negated for c in claims_of_sentence(sentence)}
    assert any(h.startswith(("chang", "differ")) and n == negated for h, n in claims.items()), (
        claims
    )
