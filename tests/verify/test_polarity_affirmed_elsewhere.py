"""A denial in the source conflicts with an affirmative statement unless another source
sentence affirms the same claim as the parse reads it: a sentence that only names its
words (a question put as "whether", a clause about something else) does not. A bare
phrase ("Dyspnea.") is said wherever it is named. "nor" before an inverted auxiliary
denies its clause. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_read import read_claims
from evident.verify.polarity import check_polarity

NOTE = """\
We asked whether daily stretching reduces back pain in office workers.
Daily stretching did not reduce back pain at twelve weeks.
Stretching was done for ten minutes at lunch.
"""

VISIT = """\
[doctor] so you are here for wheezing today .
[doctor] does the inhaler help the wheezing ?
[patient] no , the inhaler does n't help the wheezing at all .
[doctor] and the knee ?
[patient] the brace helps my knee a lot .
[doctor] does the brace help your knee at night too ?
[patient] no .
"""


@pytest.fixture(scope="module")
def note() -> Source:
    return load_source(NOTE, kind="note", name="note.txt")


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # the question names the words but affirms nothing
        ("Daily stretching reduced back pain at twelve weeks.", "conflict"),
        ("Daily stretching did not reduce back pain.", "agree"),
        # a claim about something else is no conflict
        ("Stretching was done at lunch.", None),
    ],
)
def test_written_source(note: Source, statement: str, outcome: str | None) -> None:
    result = check_polarity(statement, list(note.segments), note)
    assert (result.outcome if result is not None else None) == outcome, result


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # denied plainly, affirmed nowhere: a conflict
        ("The inhaler helps her wheezing.", "conflict"),
        # affirmed in one sentence, denied in an answer: the source says both
        ("The brace helps her knee.", None),
        # a bare phrase named without a cue elsewhere is said
        ("Wheezing.", None),
    ],
)
def test_spoken_source(visit: Source, statement: str, outcome: str | None) -> None:
    result = check_polarity(statement, list(visit.segments), visit)
    assert (result.outcome if result is not None else None) == outcome, result


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He does not eat fried food, nor does he add salt to his meals.", {("add", True)}),
        ("She does not drink, nor does she smoke.", {("drink", True), ("smoke", True)}),
        ("She has neither fever nor chills.", {("fever", True), ("chill", True)}),
    ],
)
def test_nor_denies_its_clause(sentence: str, expected: set[tuple[str, bool]]) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert expected <= got, got
