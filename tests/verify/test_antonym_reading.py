"""What the antonym checker reads beyond one sentence and WordNet: what a pronoun is said
of, a question the reply confirms, anatomical directions, "more" and "less", and a
number bounded from the other side. Conversations written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify import verify
from evident.verify.antonyms import check_antonym, lemmas, opposites
from evident.verify.options import VerifyOptions

from .conftest import make_draft


def _verdict(source: str, statement: str) -> tuple[str, str, str]:
    src = load_source(source.replace("|", "\n"), kind="transcript", name="x")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    return v.label, v.decided_by, v.reason


@pytest.mark.parametrize(
    ("source", "statement", "conflict"),
    [
        # "it" is said of what the turn before asks about
        (
            "[doctor] how is the reflux since we started the protonix?|"
            "[patient] i think it's a bit better.",
            "His reflux is worse.",
            True,
        ),
        (
            "[doctor] how is the reflux since we started the protonix?|"
            "[patient] i think it's a bit better.",
            "His reflux is better.",
            False,
        ),
        (
            "[doctor] how is the knee pain?|[patient] it's worse when i climb stairs.",
            "Knee pain is better.",
            True,
        ),
        # the patient's "I" is the note's "she"; the doctor's "you" too
        (
            "[doctor] how have you been since the last visit?|[patient] i've been doing better.",
            "She has been doing worse since her last visit.",
            True,
        ),
        (
            "[doctor] you look more alert today.|[patient] thanks.",
            "She appears less alert.",
            True,
        ),
        # another speaker's "I" is not the patient
        (
            "[doctor] i've been doing better myself.|[patient] good to hear.",
            "She has been doing worse.",
            False,
        ),
        # found only through a pronoun, a word with a complement of its own says nothing
        (
            "[doctor] how is the arm?|[patient] it is hard to lift above my head.",
            "Her arm is easy to move.",
            False,
        ),
    ],
)
def test_pronouns_are_said_of_what_they_stand_for(
    source: str, statement: str, conflict: bool
) -> None:
    src = load_source(source.replace("|", "\n"), kind="transcript", name="x")
    got = check_antonym(statement, list(src.segments[:1]), src)
    assert (got is not None and got.outcome == "conflict") == conflict, got


@pytest.mark.parametrize(
    ("source", "statement", "conflict"),
    [
        ("[doctor] you have chronic pain?|[patient] yes i do.", "Acute pain.", True),
        ("[doctor] you have chronic pain?|[patient] no.", "Acute pain.", False),
        ("[doctor] you have chronic pain?|[doctor] let me check.", "Acute pain.", False),
    ],
)
def test_a_question_the_reply_confirms_is_said(source: str, statement: str, conflict: bool) -> None:
    src = load_source(source.replace("|", "\n"), kind="transcript", name="x")
    got = check_antonym(statement, list(src.segments), src)
    assert (got is not None and got.outcome == "conflict") == conflict, got


@pytest.mark.parametrize(
    ("word", "opposite"),
    [
        ("medial", "lateral"),
        ("upper", "lower"),
        ("abduction", "adduction"),
        ("good", "poor"),
        ("more", "decrease"),  # "more" is the change it says, as "worse" is
        ("less", "increase"),
    ],
)
def test_opposites_beyond_wordnet(word: str, opposite: str) -> None:
    assert opposite in opposites(word) or any(opposite in lemmas(o) for o in opposites(word))


@pytest.mark.parametrize(
    ("source", "statement", "label", "decided_by"),
    [
        (
            "[doctor] there's tenderness over the medial aspect of your left knee.",
            "Tenderness over the lateral aspect of the left knee.",
            "contradicted",
            "check:antonym",
        ),
        (
            "[doctor] pain with flexion of the wrist.",
            "Pain with extension of the wrist.",
            "contradicted",
            "check:antonym",
        ),
        (
            "[doctor] do you cough at night?|[patient] yes, i cough more at night.",
            "She coughs less at night.",
            "contradicted",
            "check:antonym",
        ),
        ("[doctor] the urine stream is good.", "Poor stream.", "contradicted", "check:antonym"),
        # a line with no subject is said of what its preposition names
        (
            "[doctor] the knee is stable to varus and valgus stress.",
            "Unstable to varus and valgus stress.",
            "contradicted",
            "check:antonym",
        ),
        (
            "[patient] the first steps in the morning are the worst, like stepping on a nail.",
            "Best with the first steps in the morning.",
            "contradicted",
            "check:antonym",
        ),
        # a sentence naming the opposite aspect with a "not": the affirmed aspect conflicts
        (
            "[doctor] you're tender along the medial joint line, not the lateral side.",
            "Lateral joint line tenderness.",
            "contradicted",
            "check:polarity",
        ),
        (
            "[doctor] you're tender along the medial joint line, not the lateral side.",
            "No lateral joint line tenderness.",
            "unsupported",
            "check:finding",
        ),
    ],
)
def test_directions_and_degrees_in_verify(
    source: str, statement: str, label: str, decided_by: str
) -> None:
    assert _verdict(source, statement)[:2] == (label, decided_by)


def test_a_denied_direction_is_no_opposite() -> None:
    src = load_source(
        "[doctor] there's tenderness over the medial aspect of your left knee.",
        kind="transcript",
        name="x",
    )
    statement = "No pain to palpation of the lateral aspect of the left knee."
    assert check_antonym(statement, list(src.segments), src) is None


@pytest.mark.parametrize(
    ("source", "statement", "label", "reason"),
    [
        (
            "[doctor] capillary refill is brisk, less than three seconds.",
            "Capillary refill more than 3 seconds.",
            "contradicted",
            "transcript says less than 3 second, note says more than 3 second",
        ),
        (
            "[doctor] capillary refill is brisk, less than three seconds.",
            "Capillary refill less than 3 seconds.",
            "supported",
            "",
        ),
        # a number said with no bound bears out either
        (
            "[patient] i sleep 6 hours a night.",
            "Sleeps less than 6 hours a night.",
            "supported",
            "",
        ),
        ("[patient] i walk over two miles a day.", "Walks 2 miles or more daily.", "supported", ""),
        (
            "[patient] i walk over two miles a day.",
            "Walks no more than 2 miles a day.",
            "contradicted",
            "transcript says more than 2, note says less than 2",
        ),
    ],
)
def test_a_number_bounded_from_the_other_side_conflicts(
    source: str, statement: str, label: str, reason: str
) -> None:
    got, _, why = _verdict(source, statement)
    assert got == label
    if reason:
        assert why == reason


KNEE = "[doctor] on exam of your right knee there's tenderness over the medial joint line."
BELLY = "[doctor] and you have some tenderness in the lower abdomen."


@pytest.mark.parametrize(
    ("source", "statement", "label", "decided_by"),
    [
        # a denial of one aspect is not contradicted by the finding on the opposite one
        (KNEE, "No lateral joint line tenderness.", "unsupported", "check:finding"),
        (KNEE, "No tenderness over the lateral joint line.", "unsupported", "check:finding"),
        (BELLY, "No tenderness in the upper abdomen.", "unsupported", "check:finding"),
        # the same aspect, or none named, is
        (KNEE, "No medial joint line tenderness.", "contradicted", "check:finding"),
        (BELLY, "No tenderness in the lower abdomen.", "contradicted", "check:finding"),
        (KNEE, "No knee tenderness.", "contradicted", "check:finding"),
    ],
)
def test_a_denial_of_one_aspect_against_the_other(
    source: str, statement: str, label: str, decided_by: str
) -> None:
    assert _verdict(source, statement)[:2] == (label, decided_by)
