"""Findings a long spoken exam affirms between its denials, and answers that say which
question they answer. A run-on exam ("... no jvd no bruits ... on your extremity exam
you've got one plus edema on your ankles no calf tenderness ...") affirms what it says
outside its denials, and a denial later in the run is no denial of the object before
it; a finding said of a region (the lower extremities) speaks of its parts (the ankles)
beside a denial that names no site; a "yeah" followed by words of an earlier question of
the turn answers that one, not the last. Every conversation here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.verify.polarity import canonical, claims_of

from .conftest import verdict

FILLER = " ".join(["okay so let me just take a look at you here and tell you what i find"] * 3)

EXAM = f"""\
[doctor] any swelling or anything like that ?
[patient] my knee has been bad but there is no swelling , it just hurts .
[doctor] {FILLER} on your neck exam there is no jugular venous distension no carotid \
bruits your lungs are clear on your heart exam you have a regular rhythm on your \
extremity exam you've got one plus pitting edema on both of your lower extremities on \
your ankles no calf tenderness and your pulses are good so any questions about that
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Extremities: 1+ pitting edema of both ankles.", "supported"),
        ("He has bilateral ankle edema.", "supported"),
        ("No calf tenderness.", "supported"),
        ("Calf tenderness on exam.", "contradicted"),
        ("Carotid bruits present.", "contradicted"),
    ],
)
def test_run_on_exam(statement: str, label: str) -> None:
    assert verdict(EXAM, statement)[0] == label


@pytest.mark.parametrize(
    ("text", "denied", "affirmed"),
    [
        ("you have a rash on your arm no blisters", {"blisters"}, {"rash"}),
        ("you've got a murmur on your heart exam no rub", {"friction rub"}, {"murmur"}),
        ("he takes no medications", {"takes"}, set()),  # one object: the verb is denied
    ],
)
def test_a_later_object_denies_only_itself(text: str, denied: set[str], affirmed: set[str]) -> None:
    text = canonical(text)
    claims = claims_of([text])[text]
    assert {c.phrase for c in claims if c.negated} == denied
    assert affirmed <= {c.phrase for c in claims if not c.negated}


QUESTIONS = """\
[doctor] are you bringing anything up when you cough , any swelling in your legs ?
[patient] yeah i have been coughing up some green phlegm .
[doctor] okay .
"""


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (QUESTIONS, "He has no leg swelling.", "not contradicted"),  # the yes was the cough's
        (QUESTIONS, "He is coughing up green phlegm.", "supported"),
        (
            QUESTIONS.replace("yeah i have been coughing up some green phlegm", "yeah they are"),
            "He has no leg swelling.",
            "contradicted",
        ),
    ],
)
def test_yes_answers_the_question_its_words_name(source: str, statement: str, label: str) -> None:
    got = verdict(source, statement)[0]
    assert got != "contradicted" if label == "not contradicted" else got == label
