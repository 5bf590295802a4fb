"""A denial read with its time, and a habit said as a verb.

- "Never smoked", "denies ever smoking": a denial for all time, which a past use the
  source tells of ("I quit five years ago") contradicts.
- "No prior episodes of chest pain", "never had this before": a denial of earlier
  episodes, which the chest pain of now does not contradict (it is unsupported unless the
  source says there were none before); a past episode still does.
- "He never smoked" read with the habit's name in place of the verb ("never tobacco use")
  negates the whole name, and "smoked cigarettes" is one habit, not two: a faithful
  denial is no contradiction.

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify._polarity_cues import canonical
from evident.verify.clause import earlier_episodes

from .conftest import dialogue, verdict

QUIT = dialogue("Do you smoke?", "No, I quit about five years ago.", "Okay.")
NEVER = dialogue("Do you smoke or drink?", "I never drank and I have never smoked in my life.")
NOW = dialogue("What brings you in?", "I've had this chest pain since Tuesday.", "Okay.")
BEFORE = dialogue(
    "What brings you in?",
    "I've had this chest pain since Tuesday.",
    "Have you ever had chest pain before?",
    "Yes, once last year.",
)
SMOKES = dialogue("Do you smoke?", "Yes, about a pack a day.")


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        # for all time, against a past use
        (QUIT, "He never smoked.", "contradicted"),
        (QUIT, "Never smoker.", "contradicted"),
        (QUIT, "She denies ever smoking.", "contradicted"),
        (QUIT, "He has never used tobacco.", "contradicted"),
        # no time: now, which the quit answer bears out
        (QUIT, "He does not smoke.", "supported"),
        (QUIT, "Former smoker.", "supported"),
        # faithful denials of a habit said as a verb
        (NEVER, "He never smoked.", "supported"),
        (NEVER, "He never drank.", "supported"),
        (NEVER, "He never drank alcohol.", "supported"),
        (NEVER, "She never smoked cigarettes.", "supported"),
        (NEVER, "He smoked cigarettes.", "contradicted"),
        (NEVER, "He drank alcohol.", "contradicted"),
        (SMOKES, "He never smoked.", "contradicted"),
        (SMOKES, "She never smoked cigarettes.", "contradicted"),
        # earlier episodes, against the episode of now
        (NOW, "No prior episodes of chest pain.", "unsupported"),
        (NOW, "He has never had chest pain before.", "unsupported"),
        (NOW, "He has never had chest pain like this before.", "unsupported"),
        # no time, or all time: this episode contradicts them
        (NOW, "He denies chest pain.", "contradicted"),
        (NOW, "He has never had chest pain.", "contradicted"),
        # "no history of" may deny a chronic condition now: read as before
        (NOW, "No history of chest pain.", "contradicted"),
        # a past episode contradicts a denial of earlier ones
        (BEFORE, "No prior episodes of chest pain.", "contradicted"),
    ],
)
def test_denial_time(visit: str, statement: str, label: str) -> None:
    got, reason = verdict(visit, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He never drank alcohol.", "He never alcohol use."),
        ("She smoked cigarettes daily.", "She tobacco use daily."),
        # two mentions apart stay two
        ("She drinks wine and beer.", "She alcohol use and alcohol use."),
        ("Smoking: none. Alcohol: rarely.", "tobacco use: none. alcohol use: rarely."),
        # punctuation between them: two phrases
        ("He smokes, cigarettes mostly.", "He tobacco use, tobacco use mostly."),
    ],
)
def test_one_habit_written_once(text: str, expected: str) -> None:
    assert canonical(text) == expected


@pytest.mark.parametrize(
    ("statement", "earlier"),
    [
        ("no prior episodes of chest pain .", True),
        ("no previous dvt", True),
        ("she has never had this before .", True),
        ("previously healthy", True),
        # a preposition or conjunction dates something else
        ("he did not take it prior to admission .", False),
        ("no pain before surgery .", False),
        ("she had not eaten before he came in", False),
        ("no chest pain", False),
    ],
)
def test_earlier_episodes(statement: str, earlier: bool) -> None:
    assert earlier_episodes(statement.split()) is earlier


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        # a no that goes on to affirm the asked finding is no denial of it
        (
            dialogue("Any chest pain?", "Not really, just some soreness from coughing."),
            "He reports chest wall soreness from coughing.",
            "unsupported",
        ),
        (
            dialogue("Any allergies?", "No, just seasonal allergies."),
            "She has seasonal allergies.",
            "supported",
        ),
        # what the exception names is not what was asked: the no stands
        (
            dialogue("Any chest pain or fever?", "No, just a bit tired."),
            "He denies fever.",
            "supported",
        ),
        (dialogue("Any fever?", "No, but I had chills."), "He reports a fever.", "contradicted"),
        # a past episode in a later sentence does not undo the no
        (
            dialogue("Any recent seizures?", "Uh, no, I haven't. My last seizure was a year ago."),
            "She reports a recent seizure.",
            "contradicted",
        ),
        (dialogue("Any chest pain?", "No."), "He reports chest pain.", "contradicted"),
    ],
)
def test_a_no_with_an_exception(visit: str, statement: str, label: str) -> None:
    got, reason = verdict(visit, statement)
    assert got == label, reason
