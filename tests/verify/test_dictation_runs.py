"""Denials in a long unpunctuated run of dictation: each is cut out of the run and read
alone, up to where its phrase ends (a new phrase, a new clause, the next negation), even
where the run also asks a question; a question's own negation is no denial. Every turn
here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify._polarity_views import _runs

from .conftest import verdict

# one turn of more than forty words, with a question asked inside it
EXAM = (
    "[doctor] okay so let me examine you now and i'll say what i find as i go does it "
    "hurt when i press here alright your belly is soft no guarding no rebound and on "
    "your neck exam there's no swelling in your neck no carotid bruits your lung exam "
    "is clear and your heart is regular so that all looks good\n"
    "[patient] okay\n"
    "[doctor] your ankles do have some swelling though\n"
)


@pytest.mark.parametrize(
    ("run", "cuts"),
    [
        # a new phrase with no preposition before it ends the denial; one with one does not
        (
            "so on exam no carotid bruits your lung exam is good no swelling in your neck",
            ["no carotid bruits.", "no swelling in your neck."],
        ),
        # a new clause ends it, and a double cue is one denial
        ("the abdomen is soft no no guarding so that is fine", ["no no guarding."]),
        # "not" keeps its two words before it
        ("and i do n't hear any murmurs", ["i do n't hear any murmurs."]),
        # the negation of a question is no denial
        ("and are you not sleeping well at night", []),
    ],
)
def test_runs_cut_each_denial(run: str, cuts: list[str]) -> None:
    assert _runs(run) == cuts


@pytest.mark.parametrize(
    ("statement", "label", "reason"),
    [
        # borne out by the run although a question is asked in it
        ("No rebound.", "supported", ""),
        ("No carotid bruits.", "supported", ""),
        # the run's denial, cut where its phrase ends, is read as a conflict
        ("Carotid bruits.", "contradicted", "denies carotid bruits"),
        # a denial at another site is no conflict
        ("Swelling of the ankles.", "supported", ""),
    ],
)
def test_denials_of_a_run_with_a_question(statement: str, label: str, reason: str) -> None:
    got, why = verdict(EXAM, statement)
    assert got == label
    assert reason in why
