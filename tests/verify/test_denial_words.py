"""A negation under which the claim reader finds no denied claim still needs a denial:
its words, read one by one, must be negated in a source sentence or asked in a question
answered no ("she is *not* a new patient": the noun is a light word, so no claim is
read). And a hedge or advice verb that is itself denied ("they did not *call* the
doctor") hedges nothing: it is the act denied. Every sentence here is written for these
tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_read import read_claims
from evident.verify.denials import check_denial

VISIT = """\
[doctor] what brings you in today ?
[patient] i am a new patient , my friend sent me here for my hand rash .
[doctor] did you call your regular doctor first ?
[patient] yes , we called him last week .
[doctor] and you are not a smoker ?
[patient] no .
[doctor] the rash is not new though , is it ?
[doctor] your husband is not a regular patient of ours .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # no denied claim is read (a light noun), and the source never negates "new"
        ("She is not a new patient today.", "missing"),
        # the same negated words, negated in a source sentence
        ("Her husband is not a regular patient here.", None),
        # asked in a question answered no
        ("She is not a smoker.", None),
        # a denied act of an advice verb is a denial of the act, which the source affirms
        ("They did not call the regular doctor.", "missing"),
        # an imperative is still advice: nothing is claimed denied
        ("Do not call the regular doctor.", None),
    ],
)
def test_denials_read_word_by_word(visit: Source, statement: str, outcome: str | None) -> None:
    got = check_denial(statement, [], visit)
    assert (got.outcome if got is not None and got.outcome == "missing" else None) == outcome


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("They did not call the doctor.", False),
        ("Surgery was not recommended.", False),
        ("Do not call the doctor.", True),
        # a clause of its own under the head is no hedge of it
        ("She is not a woman who returns for a recheck.", False),
        ("We may call the doctor.", True),
    ],
)
def test_a_denied_act_hedges_nothing(sentence: str, hedged: bool) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    claims = read_claims(nlp(sentence))
    assert claims
    assert any(c.hedged for c in claims) is hedged
