"""A reply that says the patient stopped ("do you smoke?" - "I quit ten years ago") is a
no now and a yes in the past; a note's "former smoker" is not contradicted by a plain
"no" to "do you smoke?" (it is unsupported: the past use is not said). Every sentence
here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import fact_polarities, verdict

VISIT = "Doctor: Do you smoke?\nPatient: {}\nDoctor: Okay.\n"


@pytest.mark.parametrize(
    ("answer", "polarities"),
    [
        ("I quit ten years ago.", {"negated", "affirmed"}),
        ("I stopped in 2015.", {"negated", "affirmed"}),
        ("No, I quit ten years ago.", {"negated", "affirmed"}),
        # what a later sentence names is another matter
        ("I quit five years ago. I still have a beer on weekends.", {"negated", "affirmed"}),
        # no time: it may have started again
        ("I stopped for a while.", {"asked"}),
    ],
)
def test_a_quit_answer(answer: str, polarities: set[str]) -> None:
    assert fact_polarities(VISIT.format(answer), "tobacco use") == polarities


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        ("I quit ten years ago.", "Former smoker, quit 10 years ago.", "supported"),
        ("I quit ten years ago.", "He is a current smoker.", "contradicted"),
        ("I quit ten years ago.", "He does not smoke.", "supported"),
        ("No.", "Former smoker.", "unsupported"),
        ("I quit five years ago. I still have a beer on weekends.", "Former smoker.", "supported"),
        ("No.", "He is a current smoker.", "contradicted"),
    ],
)
def test_quit_verdicts(answer: str, statement: str, label: str) -> None:
    got, reason = verdict(VISIT.format(answer), statement)
    assert got == label, reason


HABITS = "Doctor: Do you smoke, drink or use any drugs?\nPatient: {}\nDoctor: Okay.\n"


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        # the sentence that says it stopped names what stopped: the rest stays denied
        (
            "No drugs. I used to smoke but I quit 30 years ago.",
            "Illicit drug use: never.",
            "supported",
        ),
        ("No drugs. I used to smoke but I quit 30 years ago.", "Never smoker.", "contradicted"),
        ("No drugs. I used to smoke but I quit 30 years ago.", "Former smoker.", "supported"),
        # a stop that names nothing answers for everything asked
        ("No, I quit all of that years ago.", "Never used illicit drugs.", "contradicted"),
    ],
)
def test_what_stopped(answer: str, statement: str, label: str) -> None:
    got, reason = verdict(HABITS.format(answer), statement)
    assert got == label, reason
