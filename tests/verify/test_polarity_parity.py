"""Negation parity on aligned wording: a statement worded nearly as a source sentence,
with a shared word negated the other way, is a conflict even where that word heads no
predicate ("with residual pigmentation", "in apparent distress", "it seems to help");
a word the parse cannot settle (hedged, conditional, behind "stop", the subject of a
denied predicate, a question's words) is not compared. Every sentence here is written
for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_parity import parity_conflict, read_word_polarities
from evident.verify.polarity import check_polarity

VISIT = """\
[doctor] and what have you tried for the back pain ?
[patient] ibuprofen , but it really does n't seem to help much .
[doctor] let me look at the scar . the incision is healing well with no residual redness .
[patient] i walk to the mailbox without difficulty these days .
[doctor] your sodium is not low anymore .
[patient] i stopped taking the naproxen last month .
[doctor] any blood in your urine or dark urine
[patient] i do n't know , maybe .
[doctor] we will recheck your kidney function in two weeks .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # a word that heads no predicate, negated in the source and not in the note
        ("He has tried ibuprofen, but it seems to help much.", "conflict"),
        ("The incision is healing well with residual redness.", "conflict"),
        ("He can walk to the mailbox with difficulty.", "conflict"),
        # the same wording with the same polarity
        ("He has tried ibuprofen, but it does not seem to help much.", None),
        ("The incision is healing well with no residual redness.", None),
        ("He walks to the mailbox without difficulty.", None),
        # the subject of a denied predicate is not denied ("sodium is not low")
        ("His sodium was checked.", None),
        # behind "stop" the complement is neither affirmed nor denied
        ("He stopped taking naproxen last month.", None),
        # a question's words affirm nothing ("any blood in your urine or dark urine")
        ("He denies blood in his urine or dark urine.", None),
    ],
)
def test_parity_on_aligned_wording(visit: Source, statement: str, outcome: str | None) -> None:
    cands = list(visit.segments)
    got = check_polarity(statement, cands, visit)
    assert (got.outcome if got is not None and got.outcome == "conflict" else None) == outcome, (
        got.reason if got is not None else None
    )


def test_reason_names_the_words_and_the_segment(visit: Source) -> None:
    got = check_polarity(
        "The incision is healing well with residual redness.", list(visit.segments), visit
    )
    assert got is not None and got.outcome == "conflict"
    # every word said the other way, in the source's order
    assert "denies residual erythema (u3" in got.reason and "note affirms it" in got.reason
    assert got.segments


def _words(text: str):  # type: ignore[no-untyped-def]
    nlp = load_english(("parser", "lemmatizer"))
    return tuple(w for s in nlp(text).sents for w in read_word_polarities(s))


@pytest.mark.parametrize(
    ("statement", "source", "conflict"),
    [
        ("Elderly man in apparent distress.", "Elderly man seated in no apparent distress.", True),
        (
            "Elderly man in no apparent distress.",
            "Elderly man seated in no apparent distress.",
            False,
        ),
        # a pseudo head right after a negator is negated word for word ("not sure")
        ("He is sure it is the cold weather.", "I am not sure it is the cold weather.", True),
        ("He is not sure it is the cold weather.", "I am not sure it is the cold weather.", False),
        # too little shared wording to read as the same sentence
        ("Pain in the morning.", "I did not take my pills this morning.", False),
        # a fragment of the source said in one run of the statement's words
        ("Elderly white male seated, in apparent distress.", "No apparent distress.", True),
        ("Elderly white male seated, in no apparent distress.", "No apparent distress.", False),
        ("She has chills and fever since Monday.", "No fever or chills.", True),
        # a sentence with a verb is no fragment ("no, smoking is enough")
        ("Smoking helps her stress.", "No smoking helps.", False),
        # the fragment's words far apart in the statement: not the fragment
        ("Apparent weight loss, with distress about it.", "No apparent distress.", False),
        # one word is no fragment; a word of the fragment the statement lacks: none
        ("She has a fever.", "No fever.", False),
        ("She has a fever and chills.", "No fever or chills at night.", False),
        # another sentence says it the statement's way: the source says both
        (
            "He takes aspirin daily.",
            "He does not take aspirin daily.|He takes aspirin daily.",
            False,
        ),
    ],
)
def test_parity_conflict(statement: str, source: str, conflict: bool) -> None:
    sentences = [(i, _words(s)) for i, s in enumerate(source.split("|"))]
    assert (parity_conflict(_words(statement), sentences) is not None) is conflict
