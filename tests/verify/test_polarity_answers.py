"""Answers compared on content: a short yes/no question is asked about its content as a
whole, so a statement that carries most of its words is what the answer confirms or
denies, whatever its head word. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify._polarity_answers import covers
from evident.verify._polarity_views import quantified_answer
from evident.verify.polarity import check_polarity

from .conftest import assert_polarity

VISIT = """\
[doctor] is your daughter healthy and well ?
[patient] no .
[doctor] did you bring your glucose log ?
[patient] no , i left it at home .
[doctor] do you take water pills ?
[patient] nope .
[doctor] any numbness in your toes ?
[patient] yes , at night mostly .
[doctor] any other rashes ?
[patient] no .
[doctor] are you married ?
[patient] yes .
[doctor] any swelling in the ankles today ?
[patient] no .
[doctor] do you walk your dog every day ?
[patient] no . well , actually yes , i walk my dog every day .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # answered no: the statement affirms the question's content with another head
        ("She has one healthy daughter.", "conflict"),
        ("He brought his glucose log to the visit.", "conflict"),
        ("(+) water pill use.", "conflict"),
        # answered yes: the statement denies it
        ("No numbness of the toes.", "conflict"),
        # said the same way: no conflict
        ("Her daughter is not healthy.", "not conflict"),
        ("He takes no water pills.", "not conflict"),
        # another rash than the one asked about; a one-word question is the head match's
        ("She has a rash on her arm.", None),
        ("Married, no tobacco use.", None),
        # a question of now against a history
        ("History of ankle swelling years ago.", None),
        # the answer goes on to say it the statement's way
        ("She walks her dog every day.", None),
        # hedged statements are no claims
        ("He may bring his glucose log next time.", None),
    ],
)
def test_answers_on_content(visit: Source, statement: str, outcome: str | None) -> None:
    assert_polarity(visit, statement, outcome)


def test_reason_names_the_question_and_the_answer(visit: Source) -> None:
    result = check_polarity("She has one healthy daughter.", list(visit.segments), visit)
    assert result is not None
    # read as a claim ("... denies healthy (u1-u2: "is your daughter healthy ... - no")")
    # or as an answer ("... answers no to a question on ...")
    assert "answers no" in result.reason or " - no" in result.reason
    assert "is your daughter healthy" in result.reason
    assert result.segments == ("u1", "u2")


@pytest.mark.parametrize(
    ("asked", "content", "expected"),
    [
        ({"a", "b"}, {"a", "b", "c"}, True),
        ({"a", "b", "c", "d"}, {"a", "b", "c"}, True),
        ({"a", "b", "c", "d"}, {"a", "b"}, False),
        ({"a"}, {"a"}, False),
        (set(), {"a"}, False),
    ],
)
def test_covers(asked: set[str], content: set[str], expected: bool) -> None:
    assert covers(frozenset(asked), frozenset(content)) is expected


QUANTIFIED = """\
[doctor] are you married ?
[patient] for the last twelve years .
[doctor] do you drink ?
[patient] sometimes , a glass of wine with dinner .
[doctor] do you exercise ?
[patient] three times a week .
[doctor] any cramping in your calves ?
[patient] not really .
[doctor] do you get headaches ?
[patient] in the morning i don't , no .
[doctor] around what time did the fall take place ?
[patient] about an hour ago .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # an answer that says how long, how often or how much grants the question
        ("He is not married.", "conflict"),
        ("He does not exercise.", "conflict"),
        ("He is married.", "not conflict"),
        # a negation in the answer grants nothing
        ("No calf cramping.", "not conflict"),
        ("He does not get headaches.", "not conflict"),
        # a question of when is not granted by an answer of when
        ("The fall did not take place.", "not conflict"),
    ],
)
def test_an_answer_of_how_long_or_how_often_grants_the_question(
    statement: str, outcome: str
) -> None:
    source = load_source(QUANTIFIED, kind="transcript", name="quantified.txt")
    assert_polarity(source, statement, outcome)


@pytest.mark.parametrize(
    ("answer", "grants"),
    [
        ("For the last twelve years.", True),
        ("About twice a week.", True),
        ("Three times a day.", True),
        ("3 days.", True),
        ("Sometimes I take a beer or two.", True),
        ("Not for a while.", False),
        ("For a while, but I never go now and I have stopped completely since then.", False),
        ("In the morning.", False),
        ("I think so.", False),
    ],
)
def test_quantified_answer(answer: str, grants: bool) -> None:
    assert quantified_answer(answer) is grants


RUNS = """\
[doctor] how has the wrist been since the cast came off
[patient] stiff in the mornings .
[doctor] okay so stiff in the mornings alright any clicking in the wrist or cold cold fingers
[patient] not that i noticed .
[doctor] do you get pins and needles in your thumb ? any weakness when you grip a cup ?
[patient] no .
[doctor] have you had a bruise on the forearm . have you had warmth over the joint ?
[patient] no i have not .
[doctor] do you wear the brace at night ? any pain in the elbow ?
[patient] yes .
[doctor] you never broke this wrist before ? any surgery on the hand ?
[patient] no .
[doctor] did the swelling come back ? how long does the stiffness last ?
[patient] no .
[doctor] okay now does your left shoulder ache at all do you get sharp pain or is it the right
[patient] no it's mainly just the right .
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # a turn that remarks, then asks: the remark is said, the question answered no
        ("She reports clicking in the wrist.", "conflict"),
        ("Reports cold fingers.", "conflict"),
        ("Stiff in the mornings.", "not conflict"),
        # one "no" to a run of yes/no questions denies each of them
        ("She gets pins and needles in her thumb.", "conflict"),
        ("She reports weakness when she grips a cup.", "conflict"),
        ("She has a bruise on the forearm.", "conflict"),
        ("She has warmth over the joint.", "conflict"),
        # a "yes" to a run grants only its last question
        ("No pain in the elbow.", "conflict"),
        ("She does not wear the brace at night.", None),
        # a negative question in the run is not read from a bare "no"
        ("She broke this wrist before.", None),
        # a run that ends in a wh-question: the "no" answers no yes/no question
        ("The swelling came back.", None),
        # a turn asked with "do you" is a question throughout: nothing in it is said
        ("She denies any left shoulder ache.", "not conflict"),
    ],
)
def test_a_turn_that_remarks_or_asks_several_things(statement: str, outcome: str | None) -> None:
    source = load_source(RUNS, kind="transcript", name="runs.txt")
    assert_polarity(source, statement, outcome)


def _label(transcript: str, statement: str) -> str:
    """The verdict of one statement against a made-up transcript."""
    from evident.verify.check import verify
    from evident.verify.options import VerifyOptions

    from .conftest import make_draft

    src = load_source(transcript, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    return report.verdicts[0].label


HOW_ABOUT = """\
[doctor] can you walk around the house ?
[patient] yes , fine .
[doctor] how about climbing stairs ?
[patient] no , i can't do stairs anymore .
[doctor] what about driving ?
[patient] no , my daughter drives me .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "how about X?" and "what about X?" ask whether X, as the question before did
        ("She is unable to climb stairs.", "supported"),
        ("She climbs stairs without trouble.", "contradicted"),
        ("She drives herself.", "contradicted"),
        ("She does not drive.", "supported"),
    ],
)
def test_how_about_asks_whether(statement: str, label: str) -> None:
    assert _label(HOW_ABOUT, statement) == label


PRONOUN_ANSWERS = """\
[doctor] how is the metformin going ?
[patient] i have had no problems with it at all .
[doctor] and the new inhaler ?
[patient] honestly it does not help .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a pronoun in an answer may stand for what the question before it names
        ("She has had problems with metformin.", "contradicted"),
        ("She reports no problems with metformin.", "supported"),
        ("The new inhaler helps.", "contradicted"),
        # ... and for nothing else the answer does not name
        ("She has had problems with her knee.", "unsupported"),
    ],
)
def test_a_pronoun_in_an_answer(statement: str, label: str) -> None:
    assert _label(PRONOUN_ANSWERS, statement) == label
