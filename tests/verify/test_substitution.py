"""The substitution checker: a word the statement rests on, absent from the source, where
a candidate puts another word in the same slot. Every sentence here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify import substitution
from evident.verify.check import verify
from evident.verify.options import VerifyOptions
from evident.verify.substitution import check_substitution, rivals

from .conftest import make_draft

VISIT = """\
[doctor] how is the pain in your knee ?
[patient] the pain is worse when i walk , and i have some swelling in my upper arm .
[doctor] any history of diabetes ?
[patient] yes , i have a history of hypertension and i get short of breath on the stairs .
[doctor] your blood pressure is elevated today .
[doctor] i am going to order an ultrasound of the knee .
"""


@pytest.fixture(scope="module")
def source() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "word", "rival"),
    [
        # an adjective complement swapped: the same subject, another predicate
        ("The pain is better when walking.", "better", "worse"),
        ("Blood pressure is low today.", "low", "elevated"),
        # an adjective modifier of the same head
        ("She has swelling in her lower arm.", "lower", "upper"),
        # the object of a preposition hanging on the same noun
        ("She has a history of asthma.", "asthma", "hypertension"),
        # the object of the same verb
        ("We will order an echocardiogram of the knee.", "echocardiogram", "ultrasound"),
    ],
)
def test_a_word_swapped_in_its_slot(source: Source, statement: str, word: str, rival: str) -> None:
    found = rivals(statement, list(source.segments), source)
    assert found, statement
    assert (found[0].word, found[0].rival) == (word, rival)


@pytest.mark.parametrize(
    "statement",
    [
        # every carried word is in the source (synonyms of findings.json count)
        "The knee pain is worse with walking.",
        "She has dyspnea on the stairs.",
        "History of hypertension.",
        # an absent word with no rival in its slot is left to the entailer
        "The patient reports chest tightness.",
        # a side word is the side checkers' to read; a denial word the polarity checkers'
        "Swelling in her left arm.",
        "Denies diabetes.",
        # a derivation of the source's word is no rival ("hypertensive" / "hypertension")
        "She has a history of hypertensive disease.",
        # a verb the clinician narrates is not read (its slot paraphrases too often)
        "I discussed the ultrasound of the knee.",
    ],
)
def test_no_substitution(source: Source, statement: str) -> None:
    assert check_substitution(statement, list(source.segments), source) is None


def test_reason_names_both_words(source: Source) -> None:
    result = check_substitution("The pain is better when walking.", list(source.segments), source)
    assert result is not None
    assert (result.checker, result.outcome) == ("substitution", "missing")
    assert result.reason == "transcript says worse (u2), note says better"
    assert result.segments == ("u2",)


def test_no_candidates_no_reading(source: Source) -> None:
    assert rivals("The pain is better when walking.", [], source) == []


@pytest.mark.parametrize(
    ("options", "label", "decided_by"),
    [
        # off: the statement's wording decides, whichever entailer is the default
        (VerifyOptions(omissions=False, antonyms=False), "supported", "entail:"),
        (
            VerifyOptions(omissions=False, antonyms=False, substitution=True),
            "unsupported",
            "check:substitution",
        ),
        # the rival is a WordNet antonym: the antonym checker (on by default) contradicts
        (VerifyOptions(omissions=False), "contradicted", "check:antonym"),
        (VerifyOptions(omissions=False, substitution=True), "contradicted", "check:antonym"),
    ],
)
def test_off_by_default(
    source: Source, options: VerifyOptions, label: str, decided_by: str
) -> None:
    report = verify(make_draft("The pain is better when walking."), [source], options=options)
    v = report.verdicts[0]
    assert v.label == label
    assert v.decided_by.startswith(decided_by)


def test_conflict_outcome_contradicts(source: Source, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(substitution, "OUTCOME", "conflict")
    options = VerifyOptions(omissions=False, substitution=True)
    report = verify(make_draft("Blood pressure is low today."), [source], options=options)
    v = report.verdicts[0]
    assert (v.label, v.decided_by) == ("contradicted", "check:substitution")
    assert "says elevated" in v.reason
