"""Advice and instructions read from the sentence's structure (cue table + parse)."""

from __future__ import annotations

import pytest

from evident.verify.advice import is_advice, load_advice_cues, warns


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("Return if fever develops.", True),
        ("Call if the pain worsens.", True),
        ("ED precautions for fever, chest pain or worsening dyspnea.", True),
        ("Return to the emergency room for new fever.", True),
        ("She will call if her symptoms worsen.", True),
        ("The patient was instructed to return if she develops chest pain.", True),
        ("Seek care for shortness of breath.", True),
        ("Please return to the clinic for any new fever.", True),
        ("If the pain continues, we will order an MRI.", True),
        # claims, not advice
        ("She has a fever.", False),
        ("He denies fever.", False),
        ("When she walks, she has knee pain.", False),
        ("She has fever when she goes outside.", False),
        ("She returned from Mexico last week.", False),
        ("He called the office yesterday about his cough.", False),
        ("Does not report significant alcohol use.", False),
        ("The pain would only happen when she took a step back.", False),
        ("She was advised that there was no sign of infection.", False),
        ("Follow up in 2 weeks.", False),
    ],
)
def test_is_advice(text: str, advice: bool) -> None:
    assert is_advice(text) is advice


def test_cue_table_is_data() -> None:
    cues = load_advice_cues()
    assert "if" in cues.conditional_marks and "return" in cues.instruction_lemmas
    assert "return" in cues.instruction_words


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("Return precautions for fever or vomiting.", True),
        ("Call if the pain worsens.", True),
        ("She was told to return if fever develops.", True),
        # an instruction without a condition names nothing to watch for
        ("Present with a 2-month history of hand pain.", False),
        ("Return to work on Monday.", False),
        ("She has a fever.", False),
    ],
)
def test_warns(text: str, warning: bool) -> None:
    assert warns(text) is warning
