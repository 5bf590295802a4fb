"""What a negation holds, and whose a claim is, read from the sentence's structure.

- "with no ST changes", "in no distress": the object a negating determiner holds is
  denied, as the object of "without" is; "no ST changes", "no weight changes, headaches
  or fatigue": a denied change holds its kind and the list with it, not what changed
  ("no change in her pain").
- "My sister had the stroke, not me": a contrastive "not" denies the noun phrase it
  puts in place of another, not the predicate.
- "No personal history of stroke; her sister had a stroke": the relatives a sentence
  names are those of its semicolon-separated part.
- "stroke risk score", "the risk of bleeding": a finding whose risk is spoken of is not
  affirmed.
- "Straight leg raise is positive on the left and negative on the right": a site given
  both sides in one sentence is no side conflict, and a claim of one side is not denied
  by the other side's.

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze
from evident.verify.polarity import claims_of

from .conftest import dialogue, fact_polarities, verdict

ECG = dialogue(
    "What did the tracing show?",
    "The ECG today shows sinus rhythm, rate about 80, with no ST changes.",
)
SISTER = dialogue(
    "Any strokes in the past?",
    "I had a small stroke? No, my sister had the stroke, not me.",
)
RISK = dialogue(
    "Anything else in your history?",
    "My sister had a stroke last year.",
    "Your stroke risk score is 3, so a blood thinner is recommended.",
)
PILLS = dialogue("Which pill do you take?", "I take the metformin, not the glipizide.")
COUGH = dialogue(
    "Do they wake you from sleep, or get worse when you cough or strain?",
    "No.",
    "Any pain when you cough?",
    "No.",
)
LEG = dialogue(
    "Let me examine you.",
    "Straight leg raise is positive on the left at about 40 degrees and negative on the right.",
)


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        # "with no X" denies X
        (ECG, "ECG shows sinus rhythm at about 80 without ST changes.", "supported"),
        (ECG, "No ST changes.", "supported"),
        # a contrastive "not" denies the person, not the stroke
        (SISTER, "Her sister had a stroke.", "supported"),
        # the sister's stroke is hers, past the semicolon
        (SISTER, "No personal history of stroke; her sister had a stroke.", "supported"),
        # a stroke risk is no stroke: nothing denies or affirms one
        (RISK, "No personal history of stroke; her sister had a stroke.", "unsupported"),
        (PILLS, "She takes metformin.", "supported"),
        # a no to "worse when you cough?" denies no cough; "pain when you cough?" no pain
        (COUGH, "No nocturnal awakening or worsening with cough or straining.", "supported"),
        (COUGH, "She has a cough.", "unsupported"),
        (COUGH, "She has pain.", "unsupported"),
        (COUGH, "She has pain when she coughs.", "contradicted"),
        # one side each: neither is contradicted
        (LEG, "Straight leg raise positive on the left.", "supported"),
        (
            LEG,
            "Straight leg raise positive on the left at 40 degrees, negative on the right.",
            "unsupported",
        ),
        (LEG, "Straight leg raise negative on the right.", "unsupported"),
    ],
)
def test_what_a_negation_holds(visit: str, statement: str, label: str) -> None:
    assert verdict(visit, statement)[0] == label


@pytest.mark.parametrize(
    ("sentence", "head", "negated"),
    [
        ("Sinus rhythm with no ST changes.", "chang", True),
        ("He was in no distress.", "distres", True),
        ("She came in with no fever.", "fever", True),
        ("No weight changes, headaches or fatigue.", "headach", True),
        ("No change in her pain.", "pain", None),
        ("My sister had the stroke, not me.", "strok", False),
        ("I take the metformin, not the glipizide.", "metformin", False),
        ("She has pain, not numbness.", "numb", True),
        # a clause the parser hangs before a negated verb is not under its negation
        ("I stopped the melatonin, it didn't do anything.", "stop", False),
        # "no problems" as an idiom is no denial, and makes no item
        ("He's taken six weeks of it with no problems.", "problem", None),
    ],
)
def test_claims(sentence: str, head: str, negated: bool | None) -> None:
    claims = {c.head: c.negated for c in claims_of([sentence])[sentence]}
    assert claims.get(head) is negated


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("Your stroke risk score is 3.", "stroke", {"uncertain"}),
        ("Your risk of stroke is high.", "stroke", {"uncertain"}),
        ("It can raise the risk of bleeding a little.", "bleeding", {"uncertain"}),
        ("He had a stroke, a risk factor for dementia.", "stroke", {"affirmed"}),
    ],
)
def test_a_risk_is_not_affirmed(text: str, key: str, expected: set[str]) -> None:
    assert fact_polarities(f"Patient: {text}\n", key) == expected


def test_relatives_stay_in_their_part() -> None:
    text = "No personal history of stroke; her sister had a stroke."
    denied, affirmed = claims_of([text])[text]
    assert (denied.negated, denied.family) == (True, frozenset())
    assert (affirmed.negated, affirmed.family) == (False, frozenset({"sister"}))


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Straight leg raise is positive on the left and negative on the right.", "bilateral"),
        ("Pain in the elbow the right being worse than the left.", "right"),
        ("Pain in the knee on the left.", "left"),
    ],
)
def test_a_site_given_both_sides(text: str, side: str) -> None:
    sides = {f.laterality for f in analyze(text).facts if f.kind == "anatomy"}
    assert sides == {side}


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Headaches are throbbing and left-sided.", "left"),
        ("The pain is right-sided, sharp.", "right"),
        ("Headache and right-sided weakness.", ""),
    ],
)
def test_a_side_said_of_the_subject(text: str, side: str) -> None:
    sides = {f.laterality for f in analyze(text).facts if f.key in {"pain@head", "pain@"}}
    assert sides == {side}


def test_sick_to_the_stomach_is_nausea() -> None:
    assert fact_polarities("Patient: I feel sick to my stomach.\n", "nausea") == {"affirmed"}


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Do they wake you from sleep, or get worse when you cough?", True),
        ("Is your pain worse when you walk?", True),
        ("How is it when you cough?", False),
        ("When did the cough start?", False),
    ],
)
def test_an_inverted_question_asks(question: str, asks: bool) -> None:
    from evident.verify.context import sentence_spans

    tokens = list(analyze(question).tokens)
    assert sentence_spans(tokens)[0][2] is asks


def test_a_finding_right_after_when_is_no_claim() -> None:
    """ "playful when afebrile" says when he plays, not that he has no fever."""
    source = "Doctor: Any fever?\nPatient: Yes, for three days. He plays when it comes down.\n"
    assert verdict(source, "He is playful when afebrile.")[0] != "contradicted"
    assert verdict(source, "He is afebrile.")[0] == "contradicted"
