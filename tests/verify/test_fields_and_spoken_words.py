"""Templated fields whose answer names the label again ("Smoking: never smoked."), the
emergency number said aloud ("nine one one"), sleep trouble said as "could not sleep"
and referrals. Conversation and note lines written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze
from evident.verify.normalize import normalize

from .conftest import make_draft, make_transcript

VISIT = """\
[doctor] do you smoke ?
[patient] no , i never smoked .
[doctor] and what brought you in ?
[patient] my chest got tight and i could not sleep , so my wife called nine one one .
"""


def _facts(text: str) -> list[tuple[str, str]]:
    return [(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Smoking: never smoked.", [("tobacco use", "negated")]),
        ("Alcohol: denies alcohol use.", [("alcohol use", "negated")]),
        ("Smoking: smokes daily.", [("tobacco use", "affirmed")]),
        # each field keeps its own label where the answer does not name it again
        ("Cough: no, fever: yes", [("cough", "negated"), ("fever", "affirmed")]),
        # a diagnosis heading is a claim of its own
        ("Hypertension: not elevated today.", [("hypertension", "affirmed")]),
    ],
)
def test_field_label_named_again_by_its_answer(text: str, facts: list[tuple[str, str]]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we called nine one one .", "we called 911 ."),
        ("called 9-1-1 at once", "called 911 at once"),
        ("nine-one-one", "911"),
        # other number words running on make it another number
        ("ninety nine one one", "99 1 1"),
        ("it was nine one one two", "it was 9 1 1 2"),
    ],
)
def test_emergency_number_said_aloud(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["I couldn't sleep.", "She could not sleep.", "unable to sleep"])
def test_could_not_sleep_is_insomnia(text: str) -> None:
    assert _facts(text) == [("insomnia", "affirmed")]


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Smoking: never smoked.", "supported"),
        ("His wife called 911.", "supported"),
        ("He could not sleep.", "supported"),
        ("His wife called 811.", "unsupported"),
        ("Smoking: smokes 1 pack per day.", "contradicted"),
    ],
)
def test_fields_and_spoken_words_against_the_visit(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(VISIT)], omissions=False)
    assert [v.label for v in report.verdicts] == [label]


@pytest.mark.parametrize(
    ("text", "referral"),
    [
        ("I will refer you to cardiology.", True),
        ("He was referred to his previous cardiologist.", True),
    ],
)
def test_referral_is_an_order(text: str, referral: bool) -> None:
    assert (("order", "referral") in {(f.kind, f.key) for f in analyze(text).facts}) == referral
