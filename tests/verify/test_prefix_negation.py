"""A finding behind a negating prefix is that finding denied ("afebrile", "non-tender"),
read from the word's shape and the findings lexicon, not from a list of such words.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze
from evident.verify.lexicon import concept_index

from .conftest import make_draft, make_transcript


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("Afebrile.", "fever", "negated"),
        ("She is afebrile today.", "fever", "negated"),
        ("She is febrile.", "fever", "affirmed"),
        ("Abdomen soft, nontender.", "tenderness", "negated"),
        ("non-tender to palpation", "tenderness", "negated"),
        ("He is a nonsmoker.", "tobacco use", "negated"),
        ("He is a non-smoker.", "tobacco use", "negated"),
        ("a nondrinker", "alcohol use", "negated"),
        ("atypical chest pain", "pain@chest", "affirmed"),  # "typical" is no finding
    ],
)
def test_prefix_negated_findings(text: str, key: str, polarity: str) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts}
    assert facts.get(key) == polarity, facts


@pytest.mark.parametrize(
    ("token", "negated"),
    [
        ("afebrile", True),
        ("nontender", True),
        ("febrile", False),  # the finding itself
        ("atypical", False),  # the rest is no finding
        ("another", False),
        ("anxious", False),
        ("ahead", False),  # "head" is anatomy, not a finding
    ],
)
def test_prefix_negated_words(token: str, negated: bool) -> None:
    assert concept_index().prefix_negated(token) is negated


VISIT = "[doctor] any fevers or chills ?\n[patient] no .\n"


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        ("Afebrile.", "supported"),
        ("She is febrile.", "contradicted"),
    ],
)
def test_prefix_negation_against_a_denial(statement: str, verdict: str) -> None:
    report = verify(make_draft(statement), [make_transcript(VISIT)])
    assert report.verdicts[0].label == verdict


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        # a negation right before a prefix-negated word cancels it
        ("He is not a nonsmoker.", "tobacco use", "affirmed"),
        ("She is not afebrile.", "fever", "affirmed"),
        # a negation further off, or none, leaves the prefix's denial
        ("No cough, afebrile.", "fever", "negated"),
        ("She does not cough and is a nonsmoker.", "tobacco use", "negated"),
    ],
)
def test_a_negated_prefix_negation_affirms(text: str, key: str, polarity: str) -> None:
    facts = [f for f in analyze(text).facts if f.key == key]
    assert facts and facts[-1].polarity == polarity
