"""A draft is written: two negations of one head cancel there ("there is not no hernia"
affirms it), while a speaker's negative concord ("i don't have no allergies") still
denies. And a denial the source never gives stays unsupported unless a reader found
*that* denial: an agreement on another thing the statement says bears nothing out.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_cues import canonical
from evident.verify.denials import check_denial
from evident.verify.options import VerifyOptions
from evident.verify.polarity import _list_denial, check_polarity, claims_of

from .conftest import make_draft

VISIT = """\
[doctor] any hernia that you know of ?
[patient] no , never .
[doctor] any swelling in your legs ?
[patient] yes , my ankles swell at night .
[doctor] have you tried anything for it ?
[patient] i tried compression socks and they did not help .
[doctor] are you allergic to any medications ?
[patient] i don't have no allergies .
[doctor] let me listen . your lungs are clear to auscultation , no wheezing .
[patient] i keep a blood pressure cuff at home .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


def _read(text: str) -> dict[str, bool]:
    text = canonical(text)
    return {c.head: c.negated for c in _list_denial(text, claims_of([text])[text])}


@pytest.mark.parametrize(
    ("statement", "head", "negated"),
    [
        ("There is not no hernia.", "hernia", False),
        ("She does not have no swelling.", "swell", False),
        ("He has not had no headaches.", "headach", False),
        # one negation, or two on different heads, deny as before
        ("There is no hernia.", "hernia", True),
        ("No fever, and she is not eating.", "fever", True),
        ("She does not have any swelling.", "swell", True),
        # a negated denial verb was affirmed already (the count is the same)
        ("He does not deny headaches.", "headach", False),
        # a negation's scope stops at a semicolon, whatever the parser attached across it
        ("Back pain and heart failure; she denies seizures.", "failur", False),
        ("Back pain and heart failure; she denies seizures.", "seizur", True),
        # ... and so does an opening denial's list ("Not pregnant; IUD in place.")
        ("Not pregnant; IUD in place.", "iud", False),
        ("Not pregnant; IUD in place.", "pregnancy", True),
        ("No fever; cough for two days.", "cough", False),
        ("No fever, cough or chills.", "cough", True),
        # an absence word opens a denial only in its own frame ("clear of", "free of")
        ("Clear to auscultation.", "auscult", False),
        ("Clear of masses.", "mas", True),
        ("Free from pain.", "pain", True),
    ],
)
def test_written_negation_readings(statement: str, head: str, negated: bool) -> None:
    assert _read(statement)[head] is negated


def test_speech_keeps_negative_concord() -> None:
    said = "i don't have no headaches ."
    assert {c.head: c.negated for c in claims_of([said])[said]}["headach"] is True


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # affirmed by the double negation, denied by the patient: a conflict
        ("There is not no hernia.", "conflict"),
        ("There is no hernia.", "agree"),
    ],
)
def test_double_negation_against_a_denial(visit: Source, statement: str, outcome: str) -> None:
    result = check_polarity(statement, list(visit.segments[:2]), visit)
    assert result is not None and result.outcome == outcome, result


@pytest.mark.parametrize(
    ("statement", "outcome", "about"),
    [
        # the denial missing, with what its cue holds (a fact checker may find that)
        ("She has not tried compression socks.", "missing", {"try", "compress", "sock"}),
        # only the denial not found ("did not help" is said)
        ("She has not tried socks and they did not help.", "missing", {"try", "sock"}),
        ("No leg swelling and no hernia.", "missing", {"leg", "swell"}),
        # every denial found: the agreement names them all
        ("No hernia and no wheezing.", "agree", {"hernia", "wheez"}),
    ],
)
def test_a_denial_result_names_what_it_is_about(
    visit: Source, statement: str, outcome: str, about: set[str]
) -> None:
    result = check_denial(statement, list(visit.segments[:2]), visit)
    assert result is not None and result.outcome == outcome, result
    assert result.about == about


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the wheezing found denied does not bear out the lungs denied
        ("Lungs are not clear to auscultation, no wheezing.", "contradicted"),
        ("No wheezing and she does not sleep well.", "unsupported"),
        ("She has no hernia and does not walk daily.", "unsupported"),
        ("She has no hernia and no wheezing.", "supported"),
        # a denial found for one part ("did not help") bears out nothing else: the part
        # the patient affirms is contradicted
        ("She has not tried compression socks and they did not help.", "contradicted"),
        ("She tried compression socks and they did not help.", "supported"),
        # double negation against the patient's denial
        ("There is not no hernia.", "contradicted"),
    ],
)
def test_verdicts(visit: Source, statement: str, label: str) -> None:
    from evident.verify import verify

    report = verify(make_draft(statement), [visit], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0].reason


@pytest.mark.parametrize(
    ("statement", "head", "hedged"),
    [
        # a hedge or advice verb negated in a stated clause denies the act itself
        ("I did not recommend surgery.", "recommend", False),
        ("Surgery was not recommended.", "recommend", False),
        ("He does not return today for his follow-up.", "return", False),
        ("I do not suspect a fracture.", "suspect", False),
        # ... in a relative clause or a conjunct too
        ("He is a man with gout who does not return for recheck.", "return", False),
        ("I ordered an MRI and she does not return today.", "return", False),
        # an imperative stays advice, and a modal beside the verb still hedges
        ("Do not return to work this week.", "return", True),
        ("She should not continue the ibuprofen.", "ibuprofen", True),
        # affirmed, the hedge holds as before
        ("I recommend surgery.", "recommend", True),
    ],
)
def test_a_denied_act_is_a_claim(statement: str, head: str, hedged: bool) -> None:
    text = canonical(statement)
    claims = {c.head: c for c in claims_of([text])[text]}
    assert claims[head].hedged is hedged


ORDERS = """\
[doctor] i recommend we do surgery on that knee .
[patient] okay , let's do it .
[doctor] and you will come back after it for a check .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the act denied where the visit affirms it: not supported (the visit's own
        # recommending is a hedge, so it does not contradict)
        ("I did not recommend surgery on the knee.", "unsupported"),
        ("I recommended surgery on the knee.", "supported"),
    ],
)
def test_a_denied_act_against_the_visit(statement: str, label: str) -> None:
    from evident.verify import verify

    source = load_source(ORDERS, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [source], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0].reason


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # negated twice, the draft affirms what the visit never says plainly
        ("She does not have no trouble sleeping.", "unsupported"),
        # ... or what the patient said plainly: borne out
        ("She does not have no blood pressure cuff at home.", "supported"),
        # the finding lexicon reads "no swelling" as a denial the patient contradicts
        ("She does not have no swelling in her ankles at night.", "contradicted"),
    ],
)
def test_a_double_negation_needs_the_thing_said(visit: Source, statement: str, label: str) -> None:
    from evident.verify import verify

    report = verify(make_draft(statement), [visit], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0].reason


@pytest.mark.parametrize(
    ("statement", "negated"),
    [
        # a negated light verb with a value: the subject is what is denied
        ("Blood pressure is not 130/80.", True),
        ("Her weight was not 150 pounds.", True),
        # affirmed, no claim is read from the subject
        ("Blood pressure is 130/80.", None),
    ],
)
def test_a_value_denied_of_its_subject(statement: str, negated: bool | None) -> None:
    got = _read(statement)
    assert (next(iter(got.values())) if got else None) is negated
