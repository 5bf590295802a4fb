"""Answers and questions of spoken turns read from their grammar: "not that I <verb>" and
"nothing <...>" answer no whatever follows (but "nothing else" answers "anything
else?"); an unpunctuated turn that goes on to ask is asked from its last question on ("okay so
the pain is better alright any blood in your stool"). Every sentence here is written for
these tests."""

from __future__ import annotations

import pytest

from evident.verify._polarity_views import _question, answer_polarity

from .conftest import verdict


@pytest.mark.parametrize(
    ("answer", "polarity"),
    [
        ("not that I noticed", "no"),
        ("Not that we could tell, no.", "no"),
        ("nothing substantial that i can think of", "no"),
        ("Nothing.", "no"),
        ("not that it matters, but yes", None),  # "it" is no answering subject
        ("nothingness is what i feel", None),  # a word, not the answer
        ("nothing else .", None),  # answers "anything else?"
        ("yeah", "yes"),
    ],
)
def test_answer_frames(answer: str, polarity: str | None) -> None:
    assert answer_polarity(answer) == polarity


@pytest.mark.parametrize(
    ("turn", "question"),
    [
        # the question after a remark, at an "any" after a discourse word
        (
            "okay so the pain is better alright any blood in your stool",
            "any blood in your stool",
        ),
        # or after a comma
        (
            "and how has your sleep been, any trouble falling asleep",
            "any trouble falling asleep",
        ),
        # "do you" after a discourse word
        (
            "so your pressure is up today so do you get headaches",
            "do you get headaches",
        ),
        # a question that asks what, not whether: none
        ("what do you take for the pain", None),
        # a remark with no question: none
        ("the knee looks better today", None),
    ],
)
def test_the_last_question_of_a_turn(turn: str, question: str | None) -> None:
    assert _question(turn) == question


VISIT = """\
[doctor] okay so the pain is better with the new dose alright any blood in your stool
[patient] not that i noticed
[doctor] and did you hurt your knee
[patient] nothing i can remember
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She denies blood in her stool.", "supported"),
        ("She reports blood in her stool.", "contradicted"),
        ("She denies hurting her knee.", "supported"),
    ],
)
def test_answers_bear_out_denials(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label


@pytest.mark.parametrize(
    ("answer", "polarity"),
    [
        # the fact reader reads the same frames as the polarity reader
        ("Not that we know of.", "negated"),
        ("Not that she noticed.", "negated"),
        ("Nothing that I can think of.", "negated"),
        ("Nothing else.", None),
        ("Not that it matters.", None),
    ],
)
def test_fact_reader_reads_the_frames(answer: str, polarity: str | None) -> None:
    from evident.verify.context import answer_polarity as fact_answer
    from evident.verify.normalize import normalize, tokenize

    assert fact_answer(tokenize(normalize(answer))) == polarity


@pytest.mark.parametrize(
    ("answer", "label"),
    [
        ("Not that we know of.", "supported"),
        ("Not that I know of.", "supported"),
        ("She gets hives with penicillin.", "contradicted"),
    ],
)
def test_a_framed_no_bears_out_no_known_allergies(answer: str, label: str) -> None:
    visit = f"Doctor: Any allergies to medicine?\nMother: {answer}\nDoctor: Okay.\n"
    got, reason = verdict(visit, "NKDA.")
    assert got == label, reason


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        # "both" says yes to each thing an either-or question asks, "neither" no to each
        ("Both. I take amlodipine for it.", "He has hypertension and hyperlipidemia.", "supported"),
        ("Both.", "He denies hypertension.", "contradicted"),
        ("Neither.", "He has hypertension.", "contradicted"),
        ("Neither.", "He denies hypertension.", "supported"),
    ],
)
def test_both_and_neither(answer: str, statement: str, label: str) -> None:
    visit = (
        "Doctor: Do you have high blood pressure or high cholesterol?\n"
        f"Patient: {answer}\nDoctor: Okay.\n"
    )
    got, reason = verdict(visit, statement)
    assert got == label, reason
