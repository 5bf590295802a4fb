"""Negative questions answered yes: a clause that says yes affirms what the question
denied, agreement ("that's right") confirms the denial, a bare "yes" decides neither.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import fact_polarities, verdict


@pytest.mark.parametrize(
    ("question", "answer", "polarity"),
    [
        ("And no dizziness?", "Yes. I do.", "affirmed"),
        ("You don't get any dizziness?", "I do, now and then.", "affirmed"),
        ("And no dizziness?", "Yes.", "asked"),
        ("And no dizziness?", "No.", "negated"),
        ("And no dizziness?", "I do not.", "negated"),
        ("And no dizziness?", "Right.", "negated"),
        ("So no dizziness at all?", "Yes, that's correct.", "negated"),
        # a question that asks plainly is read as before
        ("Any dizziness?", "Yes. I do.", "affirmed"),
        # one that denies only a part of what it asks: a yes grants it as put
        ("Can you stand up without dizziness?", "Yes.", "negated"),
    ],
)
def test_negative_question_answers(question: str, answer: str, polarity: str) -> None:
    visit = f"Doctor: {question}\nPatient: {answer}\nDoctor: Okay."
    assert fact_polarities(visit, "dizziness") == {polarity}


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        ("Yes. I do.", "Dizziness.", "supported"),
        ("Yes. I do.", "No dizziness.", "contradicted"),
        ("That's right.", "No dizziness.", "supported"),
        ("That's right.", "Dizziness.", "contradicted"),
    ],
)
def test_verdicts(answer: str, statement: str, label: str) -> None:
    got, reason = verdict(f"Doctor: And no dizziness?\nPatient: {answer}\nDoctor: Okay.", statement)
    assert got == label, reason
