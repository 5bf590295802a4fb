"""Answers that say no in a clause of their own ("I haven't had one", "None whatsoever"):
read from the clause's grammar, they deny what the question asks, and only where the
clause names nothing of its own and denies all of it. Every sentence here is written for
these tests."""

from __future__ import annotations

import pytest

from evident.verify._answer_forms import hedged_yes, pro_form_answer
from evident.verify._polarity_views import answer_polarity

from .conftest import fact_polarities, make_draft, make_transcript, verdict, verify

COLONOSCOPY = "Doctor: Have you had a colonoscopy?\nPatient: {}\nDoctor: Okay."
HEARTBURN = "Doctor: Do you get heartburn?\nPatient: {}\nDoctor: Okay."


@pytest.mark.parametrize(
    ("answer", "read"),
    [
        ("I haven't had one.", "no"),
        ("I don't have any.", "no"),
        ("I have never had it.", "no"),
        ("Never had one.", "no"),
        ("I've never had that done.", "no"),
        ("Absolutely not.", "no"),
        ("None whatsoever.", "no"),
        ("I haven't noticed any.", "no"),
        ("I haven't gotten one before.", "no"),
        ("It doesn't.", "no"),
        # names the thing it denies: a denial of its own, read elsewhere
        ("No cramps.", None),
        ("I have not had any cramps.", None),
        # denies nothing, or only partly
        ("I don't know.", None),
        ("I don't remember.", None),
        ("I'm not sure.", None),
        ("Not lately.", None),
        ("Not anymore.", None),
        ("Not often.", None),
        ("Not yet.", None),
        ("I don't, but my wife does.", None),
        ("Not since March.", None),
        # affirms, or says too much to be an answer
        ("I had one last year.", None),
        ("I do not think the medicine I got from the pharmacy last week helps.", None),
    ],
)
def test_pro_form_answer(answer: str, read: str | None) -> None:
    assert pro_form_answer(answer) == read


@pytest.mark.parametrize(
    ("answer", "question", "read"),
    [
        # a partial word the question holds too is an echo: a full no to what was asked
        ("Not recently.", "Have you checked your blood pressure recently?", "no"),
        ("Not lately.", "Any headaches lately?", "no"),
        ("Not yet.", "Have you seen the surgeon yet?", "no"),
        # the question does not hold it: the no stays partial
        ("Not recently.", "Have you checked your blood pressure?", None),
        ("Not lately.", "Any headaches?", None),
        ("Not often.", "Do you get headaches lately?", None),
    ],
)
def test_echoed_partial_words(answer: str, question: str, read: str | None) -> None:
    assert pro_form_answer(answer, question) == read


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("No recent blood pressure checks.", "supported"),
        ("She has not checked her blood pressure recently.", "supported"),
        ("She checked her blood pressure recently.", "contradicted"),
    ],
)
def test_echoed_answer_verdicts(statement: str, label: str) -> None:
    visit = (
        "Doctor: Have you checked your blood pressure recently?\n"
        "Patient: Not recently.\nDoctor: Any new medications?\nPatient: No.\n"
    )
    got, reason = verdict(visit, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("answer", "read"),
    [
        ("Yes I have.", "yes"),
        ("I have, last year.", "yes"),
        # a subject and its auxiliary, denied at once: no yes
        ("I have never had it.", None),
        ("I do not.", "no"),
        # a one-word yes is set off from what follows
        ("Yes, no problems with it.", "yes"),
    ],
)
def test_yes_like_openings(answer: str, read: str | None) -> None:
    assert answer_polarity(answer) == read


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        ("I haven't had one.", "She has had a colonoscopy.", "contradicted"),
        ("I haven't had one.", "She has never had a colonoscopy.", "supported"),
        ("I have never had it.", "She has had a colonoscopy.", "contradicted"),
        ("I have never had it.", "She has never had a colonoscopy.", "supported"),
        ("None whatsoever.", "She has never had a colonoscopy.", "supported"),
        ("Absolutely not.", "She had a colonoscopy.", "contradicted"),
        # not an answer of no: the denial stays unborne out
        ("I don't know.", "She has never had a colonoscopy.", "unsupported"),
        ("Not lately.", "She has never had a colonoscopy.", "unsupported"),
        ("I had one last year.", "She has had a colonoscopy.", "supported"),
    ],
)
def test_verdicts(answer: str, statement: str, label: str) -> None:
    got, reason = verdict(COLONOSCOPY.format(answer), statement)
    assert got == label, reason


def test_a_remark_is_no_question() -> None:
    """A clause of pro-forms after a remark, not a question, denies nothing of it."""
    visit = "Doctor: You had a colonoscopy in May.\nPatient: I haven't had one.\n"
    report = verify(make_draft("She had a colonoscopy."), [make_transcript(visit)])
    (got,) = report.verdicts
    assert got.decided_by != "check:polarity"


@pytest.mark.parametrize(
    ("answer", "polarity"),
    [
        ("I haven't had any.", "negated"),
        ("Never had it.", "negated"),
        ("No.", "negated"),
        ("I don't know.", "asked"),
        ("I do not remember.", "asked"),
        ("Not lately.", "asked"),
    ],
)
def test_fact_reader_reads_the_same_answers(answer: str, polarity: str) -> None:
    """The fact reader gives the question's findings the answer's polarity too."""
    visit = f"Doctor: Any palpitations?\nPatient: {answer}\n"
    assert fact_polarities(visit, "palpitations") == {polarity}


@pytest.mark.parametrize(
    ("question", "answer", "key", "polarity"),
    [
        # how long, how often or how much grants a question that asks whether
        ("Are you married?", "For ten years now.", "married", "affirmed"),
        ("Do you drink alcohol?", "About twice a week.", "alcohol use", "affirmed"),
        # an answer that says no amount: the question stays asked
        ("Do you drink alcohol?", "My wife does.", "alcohol use", "asked"),
    ],
)
def test_fact_reader_reads_quantified_answers(
    question: str, answer: str, key: str, polarity: str
) -> None:
    """The fact reader reads a quantified answer as the structural reader does."""
    visit = f"Doctor: {question}\nPatient: {answer}\n"
    assert fact_polarities(visit, key) == {polarity}


@pytest.mark.parametrize(
    ("answer", "hedged"),
    [
        ("I think so.", True),
        ("Uh, I guess so.", True),
        ("I'd say so.", True),
        ("Probably.", True),
        ("Well, maybe.", True),
        ("I don't think so.", False),
        ("Even so.", False),
        ("So.", False),
        ("I think the pills help.", False),
    ],
)
def test_hedged_yes(answer: str, hedged: bool) -> None:
    assert hedged_yes(answer) is hedged


@pytest.mark.parametrize(
    ("answer", "statement", "label"),
    [
        # a yes its speaker is unsure of bears out no denial
        ("I think so.", "She denies heartburn.", "unsupported"),
        ("Probably.", "She denies heartburn.", "unsupported"),
        ("I think so.", "She gets heartburn.", "supported"),
        # a yes only sometimes is a yes
        ("Only at night.", "She denies heartburn.", "contradicted"),
        ("Only at night.", "She gets heartburn.", "supported"),
    ],
)
def test_hedged_and_restricted_answers(answer: str, statement: str, label: str) -> None:
    got, reason = verdict(HEARTBURN.format(answer), statement)
    assert got == label, reason
