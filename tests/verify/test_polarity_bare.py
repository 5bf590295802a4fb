"""A negated predicate that holds no other predicate is itself what is denied (a light
verb, an adjective, a noun under any preposition); a noun that is a finding of its own
when negated ("no change") is so only as a noun; a hedge holds only the claims it
governs. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_read import read_claims
from evident.verify.denials import check_denial
from evident.verify.polarity import check_polarity

from .conftest import assert_polarity


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a light verb with nothing else under the negation is itself denied
        ("She has not noticed it lately.", {("notice", True)}),
        ("The patient does not present today for followup.", {("present", True)}),
        ("He will not be going home tonight.", {("go", True)}),
        # a noun under a preposition that is no negation
        ("Seated in no apparent distress.", {("distress", True)}),
        # a verb that is a pseudo head only as a noun
        ("Her appetite has not changed much.", {("change", True)}),
        ("No change in her appetite.", {("change", True)}),
        ("No significant difference in pain scores.", {("difference", True)}),
        # "no longer" carries its negation to the predicate the adverb modifies
        ("She is no longer doing yoga.", {("yoga", True)}),
        ("He no longer gets up at night.", {("get", True)}),
        # a pseudo head stays one: a noun denies nothing, a verb only the knowing
        ("I do not know.", {("know", True)}),
        ("I do not know what it was.", {("know", True)}),
        ("That is no problem at all.", set()),
        # ... unless a content word modifies it: no idiom then
        ("His children are healthy with no medical problems.", {("problem", True)}),
        # a predicate held by the negation is the claim, not the light verb over it
        ("She does not have any fever.", {("fever", True)}),
    ],
)
def test_bare_negated_predicates(sentence: str, expected: set[tuple[str, bool]]) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert expected <= got
    if not expected or expected == {("know", True)}:
        assert not any(negated for lemma, negated in got if lemma != "know")
    if ("fever", True) in expected:
        assert ("have", True) not in got


VISIT = """\
[doctor] how have you been ?
[patient] i have n't noticed any swelling lately .
[doctor] and the headaches ?
[patient] they come every morning . i noticed them three weeks ago .
[doctor] and do you work ?
[patient] i work from home as an editor .
[doctor] we will see you back in two weeks .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # a negated light verb needs a denial of it
        ("She has not noticed any swelling.", "agree"),
        ("She does not work from home.", "missing"),
        ("She has not noticed the headaches.", "missing"),
        # a hedge in a subordinate clause does not hold the main clause's denial
        ("She does not work, as far as she could tell.", "missing"),
        # a hedge over the denial itself does
        ("She may not work from home.", None),
        ("Return if she does not improve.", None),
    ],
)
def test_denials_of_bare_predicates(visit: Source, statement: str, outcome: str | None) -> None:
    result = check_denial(statement, list(visit.segments[:2]), visit)
    assert (result.outcome if result else None) == outcome, result


SPOKEN = """\
[doctor] do you exercise ?
[patient] yes , i swim every morning .
[doctor] any chest pain ?
[patient] no .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # a hedge in another clause does not hold the claim: its conflict counts
        ("She has chest pain, which could be muscular.", "conflict"),
        # a hedge over the claim itself does
        ("She may have chest pain.", None),
        ("Return if chest pain develops.", None),
    ],
)
def test_hedges_hold_only_their_claims(statement: str, outcome: str | None) -> None:
    source = load_source(SPOKEN, kind="transcript", name="spoken.txt")
    result = check_polarity(statement, list(source.segments), source)
    assert (result.outcome if result else None) == outcome, result


TAKEN = """\
[doctor] what have you taken for the cramps ?
[patient] i took some naproxen , but it does n't seem to help .
[doctor] do you sleep well ?
[patient] yes .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # "it" on both sides, of the same drug named beside it: one referent
        ("She has taken naproxen, but it seems to help.", "conflict"),
        ("She has taken naproxen, but it does not seem to help.", "agree"),
        # "it" of something the source never names beside its denial: no pairing
        ("She sleeps well and it helps.", None),
    ],
)
def test_anaphoric_claims_of_one_referent(statement: str, outcome: str | None) -> None:
    source = load_source(TAKEN, kind="transcript", name="taken.txt")
    result = check_polarity(statement, list(source.segments), source)
    assert (result.outcome if result else None) == outcome, result


UNCHANGED = """\
[doctor] how is the pain in your knee since last time ?
[patient] there's been no change in the pain , it's the same .
[doctor] and your E K G shows no S T changes .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # "no change in the pain" denies the change, not the pain
        ("Her knee pain has not changed.", "agree"),
        ("Her knee pain has changed.", "conflict"),
        ("She has no knee pain.", None),
        # an acronym spelled letter by letter is the acronym ("S T" is "ST")
        ("EKG shows no ST changes.", "agree"),
        ("EKG shows ST changes.", "conflict"),
    ],
)
def test_a_denied_change(statement: str, outcome: str | None) -> None:
    assert_polarity(load_source(UNCHANGED, kind="transcript", name="u.txt"), statement, outcome)
