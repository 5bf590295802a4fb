"""A verb of aspect or implication ("stop", "quit", "avoid", "prevent") is a barrier: a
negation of it holds it alone, and its complement is no claim of its own ("can't stop
coughing" affirms the coughing; "stopped smoking" says neither that she smokes nor that
she does not). Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_read import read_claims
from evident.verify.polarity import check_polarity


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        # the negation holds the barrier verb, not what it governs
        ("I can't stop coughing at night.", {("stop", True)}, {("cough", True)}),
        ("He did not stop taking the pills.", {("stop", True)}, {("take", True)}),
        ("The spray did not prevent the nosebleeds.", {("prevent", True)}, set()),
        # an affirmed barrier affirms nothing of its complement
        ("She stopped drinking wine in May.", {("stop", False)}, {("drink", False)}),
        ("He avoids climbing the stairs.", {("avoid", False)}, {("climb", False)}),
        # a negation beside the barrier, in a clause of its own, still holds its own claims
        ("I get sore knees, and I can't stop limping.", {("stop", True)}, {("knee", True)}),
        # other verbs pass the negation on as before
        ("I don't want to take insulin.", {("insulin", True)}, set()),
        ("She is unable to sleep.", {("sleep", True)}, set()),
    ],
)
def test_barrier_heads(
    sentence: str, present: set[tuple[str, bool]], absent: set[tuple[str, bool]]
) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert present <= got, got
    assert not absent & got, got


VISIT = """\
[doctor] how is the cough ?
[patient] honestly i just ca n't stop coughing , especially at night .
[doctor] and the jogging ?
[patient] i stopped jogging .
[doctor] do you still take the inhaler ?
[patient] i did n't stop taking it , no .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "turns", "outcome"),
    [
        # "can't stop coughing" is no denial of the cough
        ("She reports a cough at night.", (0, 2), None),
        ("She coughs at night.", (0, 2), None),
        # the barrier verb itself is compared
        ("She has not stopped jogging.", (2, 4), "conflict"),
        ("She stopped taking her inhaler.", (4, 6), "conflict"),
    ],
)
def test_polarity_across_barriers(
    visit: Source, statement: str, turns: tuple[int, int], outcome: str | None
) -> None:
    result = check_polarity(statement, list(visit.segments[turns[0] : turns[1]]), visit)
    got = result.outcome if result is not None else None
    assert got == outcome, result
