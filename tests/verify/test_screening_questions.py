"""Words clinicians and patients use for findings the lexicon names otherwise: the
depression screen's question on self-harm ("any thoughts of hurting yourself?",
PHQ-9 item 9, in the words clinicians ask it) names suicidal ideation, so its answer
bears out or contradicts the note's "denies suicidal ideation". Every sentence here is
written for these tests."""

from __future__ import annotations

import pytest

from .conftest import verdict


@pytest.mark.parametrize(
    ("question", "answer", "statement", "label"),
    [
        (
            "Any thoughts of hurting yourself?",
            "No, none of that.",
            "Denies suicidal ideation.",
            "supported",
        ),
        (
            "Any thoughts of hurting yourself?",
            "No, none of that.",
            "Reports suicidal ideation.",
            "contradicted",
        ),
        ("Any thoughts of killing yourself?", "No.", "No suicidal ideation.", "supported"),
        ("Have you had thoughts of suicide?", "Never.", "Denies suicidal ideation.", "supported"),
        (
            "Any thoughts of hurting yourself?",
            "Sometimes, yes.",
            "Denies suicidal ideation.",
            "contradicted",
        ),
    ],
)
def test_self_harm_question(question: str, answer: str, statement: str, label: str) -> None:
    visit = f"Doctor: {question}\nPatient: {answer}\nDoctor: Okay.\n"
    got, reason = verdict(visit, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Associated mild dyspnea; denies diaphoresis.", "supported"),
        ("Reports diaphoresis with the pain.", "contradicted"),
    ],
)
def test_sweating_is_diaphoresis(statement: str, label: str) -> None:
    visit = (
        "Doctor: Any shortness of breath or sweating with it?\n"
        "Patient: I get a little winded, but no sweating.\nDoctor: Okay.\n"
    )
    got, reason = verdict(visit, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Mild bilateral hand aches.", "supported"),
        ("Denies hand pain.", "contradicted"),
    ],
)
def test_achy_is_pain(statement: str, label: str) -> None:
    visit = (
        "Doctor: Any other joints bothering you?\n"
        "Patient: My hands get a little achy but nothing like the knee.\nDoctor: Okay.\n"
    )
    got, reason = verdict(visit, statement)
    assert got == label, reason
