"""Who a denial is about: a "no" on a verb's subject denies what the verb says of it
("no extra heart sounds" parsed as "heart" + "sounds", "no pain radiates"), and a
pronoun subject ("it didn't help") stands for a noun its sentence names before it ("I
tried ibuprofen but it didn't help"). Every conversation here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source

from .conftest import assert_polarity, claims_of_sentence

VISIT = """\
[doctor] let me listen to your heart .
[doctor] regular rate and rhythm , no murmurs , no extra heart sounds .
[doctor] have you taken anything for the headaches ?
[patient] i tried some naproxen but it didn't really help .
[doctor] and the rash on your arm ?
[patient] i put a cream on the rash and it cleared up .
[doctor] no pain ever spreads to your back ?
[patient] right .
[doctor] okay . so the nurse will be in soon , and she'll help you get the scan scheduled .
"""


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("No pain radiates to the arm.", {("radiate", True)}),
        ("no murmurs, no extra heart sounds.", {("sound", True)}),
        ("No extra heart sounds.", {("sound", True)}),
        # a list item the parse hung on the next clause is not its subject
        ("No fever but has chills.", {("chill", False)}),
        ("No fever, has chills.", {("chill", False)}),
    ],
)
def test_a_denied_subject_denies_its_verb(sentence: str, expected: set) -> None:
    got = {(c.lemma, c.negated) for c in claims_of_sentence(sentence)}
    assert expected <= got, got


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        ("Extra heart sounds.", "conflict"),
        ("There are extra heart sounds.", "conflict"),
        ("No extra heart sounds.", "not conflict"),
        # the pronoun's referent is named before it in its sentence
        ("Naproxen helped her headaches.", "conflict"),
        ("Naproxen helped.", "conflict"),
        ("Naproxen did not help.", "not conflict"),
        # another drug: "it" is the naproxen, not this one
        ("Sumatriptan helped her headaches.", "not conflict"),
        # the other sentence's "it" (the rash) is not the naproxen
        ("The rash cleared up.", "not conflict"),
        # "it" is the naproxen in the statement too; the nurse's help is of something else
        ("She has taken naproxen, but it helps.", "conflict"),
        ("She has taken naproxen, but it seems to help.", "conflict"),
    ],
)
def test_who_a_denial_is_about(statement: str, outcome: str) -> None:
    assert_polarity(load_source(VISIT, kind="transcript", name="visit.txt"), statement, outcome)


TALK = """\
[doctor] so tell me about the pain in your shoulder .
[patient] it started about a week ago after i moved some boxes .
[doctor] does it radiate ?
[patient] no .
[doctor] is it constant ?
[patient] no , it comes and goes .
[doctor] how is your ankle doing ?
[patient] better , thanks .
[doctor] any numbness in your toes ?
[patient] no .
[doctor] does it swell ?
[patient] no .
[doctor] okay .
[doctor] okay .
[doctor] okay .
[doctor] okay .
[doctor] okay .
[doctor] okay .
[doctor] and does it burn ?
[patient] no .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # "it" is the shoulder pain named in the turns before the question
        ("The shoulder pain radiates to her neck.", "conflict"),
        ("The shoulder pain is constant.", "conflict"),
        ("The shoulder pain does not radiate.", "not conflict"),
        # "it" is the ankle here; the knee was never named before the question
        ("The ankle swells.", "conflict"),
        ("The knee swells.", "not conflict"),
        # named too long before the question: the talk has moved on
        ("The shoulder pain burns.", "not conflict"),
    ],
)
def test_a_questions_pronoun_is_what_the_talk_is_about(statement: str, outcome: str) -> None:
    assert_polarity(load_source(TALK, kind="transcript", name="talk.txt"), statement, outcome)
