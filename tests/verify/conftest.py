"""Fixtures for the verify tests: a short conversation and note written for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Draft, ModelInfo, Section, Source, Statement
from evident.verify import verify
from evident.verify._polarity_read import Claim, read_claims
from evident.verify.polarity import check_polarity

TRANSCRIPT = """\
[doctor] good morning , how are you doing today ?
[patient] hi , not great . my right knee has been hurting for about two weeks .
[doctor] any swelling in the knee ?
[patient] yes , it swells up after i walk .
[doctor] any fever or chills ?
[patient] no .
[doctor] are you taking anything for it ?
[patient] i take ibuprofen four hundred milligrams twice a day .
[doctor] and you're still on lisinopril twenty milligrams once a day for your blood pressure ?
[patient] yes .
[doctor] any allergies to medications ?
[patient] i'm allergic to penicillin .
[doctor] your blood pressure today is one fifty over ninety and your heart rate is seventy two .
[doctor] on exam there is tenderness of the right knee with a small effusion .
[doctor] your a1c last month was 8.2 .
[doctor] i want to get an x-ray of your right knee and i'll refer you to physical therapy .
[doctor] let's increase the lisinopril to forty milligrams daily .
[doctor] i'll see you back in four weeks .
"""


def dialogue(*turns: str) -> str:
    """A conversation written for a test: turns said by the doctor and the patient in
    turn, the doctor first."""
    speakers = ("Doctor", "Patient")
    return "".join(f"{speakers[i % 2]}: {t}\n" for i, t in enumerate(turns))


def make_transcript(text: str) -> Source:
    """A conversation written for a test, as a transcript source."""
    return load_source(text, kind="transcript", name="visit.txt")


def make_draft(*texts: str, section: str = "") -> Draft:
    """A draft with one statement per text."""
    sts = tuple(Statement(id=f"st{i}", text=t, section=section) for i, t in enumerate(texts, 1))
    return Draft(
        task="test",
        sections=(Section(name=section, statements=sts),),
        model=ModelInfo(spec="test", backend="test", name="test"),
        prompt_version="test/1",
    )


def verdict(source: str, statement: str, section: str = "") -> tuple[str, str]:
    """Label and reason of one statement checked against a conversation (no omissions)."""
    report = verify(
        make_draft(statement, section=section), [make_transcript(source)], omissions=False
    )
    v = report.verdicts[0]
    return v.label, v.reason


def fact_polarities(text: str, key: str) -> set[str]:
    """The polarities the fact reader gives a conversation's findings of one key."""
    from evident.verify.index import SourceIndex

    index = SourceIndex([make_transcript(text)])
    return {f.polarity for s in index.segments for f in s.facts if f.key == key}


def assert_polarity(source: Source, statement: str, outcome: str | None) -> None:
    """The polarity checker's outcome for one statement: ``conflict``, ``agree``, None
    (it decides nothing), or ``not conflict`` (anything but a conflict)."""
    result = check_polarity(statement, list(source.segments), source)
    got = result.outcome if result else None
    if outcome == "not conflict":
        assert got != "conflict", result
    else:
        assert got == outcome, result


def claims_of_sentence(sentence: str) -> list[Claim]:
    """The polarity reader's claims of one sentence written for a test."""
    doc = load_english(("parser", "lemmatizer"))(sentence)
    return [c for s in doc.sents for c in read_claims(s)]


@pytest.fixture(scope="session")
def transcript() -> Source:
    """The test conversation as a transcript source."""
    return make_transcript(TRANSCRIPT)
