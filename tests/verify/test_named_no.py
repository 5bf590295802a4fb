"""A no that names one item and then makes an exception answers for that item alone: "any
fever or chills?" - "no fever. I did feel a bit shivery last night, though." denies the
fever and leaves the chills unanswered (a note that reports chills is not contradicted).
Without an exception the no answers the question, as notes read it ("no fever" to "fever
or chills?" is written "denies fever and chills"). Every sentence here is written for
these tests."""

from __future__ import annotations

import pytest

from .conftest import fact_polarities, verdict

ASKED = "Doctor: Any fever or chills?\nPatient: {}\nDoctor: Okay, let me listen to your chest.\n"


@pytest.mark.parametrize(
    ("answer", "key", "polarities"),
    [
        ("No fever.", "fever", {"negated"}),
        ("No fever.", "chills", {"negated"}),
        ("No fever. I did feel a bit shivery last night, though.", "chills", {"asked"}),
        ("No fever, but I felt shivery.", "chills", {"asked"}),
        ("No fever, but I felt shivery.", "fever", {"negated"}),
        # a bare no with an exception still denies every item
        ("No. I did have a slight headache, though.", "chills", {"negated"}),
        ("No fever or chills.", "chills", {"negated"}),
        ("No.", "chills", {"negated"}),
        ("Nope, nothing like that.", "fever", {"negated"}),
        # the reply's own yes speaks for what it names, as before
        ("No fever, but some chills.", "chills", {"asked", "affirmed"}),
    ],
)
def test_a_named_no_answers_for_what_it_names(answer: str, key: str, polarities: set[str]) -> None:
    assert fact_polarities(ASKED.format(answer), key) == polarities


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        (
            "No fever. I felt a bit shivery last night, though.",
            "She reports chills.",
            "unsupported",
        ),
        ("No fever.", "She denies fever.", "supported"),
        ("No.", "She reports chills.", "contradicted"),
        ("No fever or chills.", "She reports chills.", "contradicted"),
    ],
)
def test_verdicts(answer: str, statement: str, label: str) -> None:
    assert verdict(ASKED.format(answer), statement)[0] == label
