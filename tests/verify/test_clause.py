"""The mention whose clause best matches a statement decides its polarity and side.

Conversations written for these tests: a finding affirmed in one place and denied in
another, both sides of a joint examined, question lists answered with "no ... but ...".
"""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.clause import close_negation
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex

from .conftest import make_draft, make_transcript

ELBOW = """\
[doctor] which elbow is it ?
[patient] the right one , it hurts when i lift things .
[doctor] okay , let me examine it . pain on flexion no pain on extension
[doctor] and the grip strength is normal
[patient] it also hurts when i reach for the top shelf .
[doctor] no pain when you sleep on it though ?
[patient] no , sleeping is fine .
"""

KNEES = """\
[doctor] good morning , what brings you in ?
[patient] my right knee has been hurting since i fell last week .
[doctor] did you hit your head when you fell ?
[patient] no , just the knee . i took some tylenol for it .
[doctor] how are you sleeping ?
[patient] okay , my back is a little stiff in the morning .
[doctor] any problems with your heart or lungs ?
[patient] no , i walk every day .
[doctor] looking at the knees there is swelling and bruising of the right knee .
[doctor] and the left knee looks fine .
[doctor] we will get an x-ray of the right knee today .
[patient] the right knee gives way on the stairs .
"""

SLIP = """\
[doctor] he is here about his left arm . i mean the right arm , sorry .
[patient] yes my right arm hurts near the shoulder .
[doctor] there is tenderness of the right arm on the outside .
[doctor] the right arm x-ray shows no fracture , so it looks like a bruise .
"""

LIST_ANSWER = """\
[doctor] have you had any vomiting , headaches or fever ?
[patient] no fever , but i do get headaches and i vomited twice .
[doctor] have you had any chest pain or any trouble breathing when you walk
[patient] no not really .
"""


@pytest.mark.parametrize(
    ("source", "statement", "label", "reason_part"),
    [
        # the clause that names the movement decides the polarity
        (ELBOW, "No pain on extension.", "supported", ""),
        (ELBOW, "Pain on extension.", "contradicted", "says no pain"),
        (ELBOW, "Pain on flexion.", "supported", ""),
        (ELBOW, "She denies pain when reaching for the top shelf.", "contradicted", "has pain"),
        (ELBOW, "She reports pain when reaching for the top shelf.", "supported", ""),
        # the clause that says "normal" gives the side of the normal knee
        (KNEES, "Left knee exam is normal.", "supported", ""),
        (KNEES, "Right knee exam is normal.", "contradicted", "says left knee"),
        (KNEES, "Swelling and bruising of the right knee.", "supported", ""),
        (KNEES, "Swelling and bruising of the left knee.", "contradicted", "says right knee"),
        # a side said once against three or more times the other side is a slip
        (SLIP, "Right arm contusion.", "supported", ""),
        (SLIP, "Left arm contusion.", "contradicted", "says right arm"),
        # "no fever, but ... headaches": the reply's own words speak for what it affirms
        (LIST_ANSWER, "She reports vomiting and headaches.", "supported", ""),
        (LIST_ANSWER, "She denies vomiting.", "contradicted", "says has vomiting"),
        (LIST_ANSWER, "She denies fever.", "supported", ""),
        # "chest pain or any trouble breathing ... no": the list goes on after "or any"
        (LIST_ANSWER, "She denies chest pain.", "supported", ""),
        (LIST_ANSWER, "She reports chest pain.", "contradicted", "says no"),
    ],
)
def test_clause_decides(source: str, statement: str, label: str, reason_part: str) -> None:
    report = verify(make_draft(statement), [make_transcript(source)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, (statement, v.reason)
    assert reason_part in v.reason


@pytest.mark.parametrize(
    ("text", "finding", "close"),
    [
        ("no pain on extension", "pain", True),
        ("the swelling has resolved", "swelling", True),
        ("she doesn't have any swelling", "swelling", True),
        # a denial whose scope runs on through an unpunctuated transcript
        ("no pain at all okay and then later on you get some swelling", "swelling", False),
        ("there is swelling", "swelling", False),
    ],
)
def test_close_negation(text: str, finding: str, close: bool) -> None:
    index = SourceIndex([make_transcript(f"[doctor] {text}\n")])
    seg = index.segments[0]
    fact = next(f for f in seg.facts if f.kind == "finding" and finding in f.text)
    assert close_negation(seg, fact) is close


@pytest.mark.parametrize(
    "statement",
    [
        "Left knee.",  # no other words: the clause cannot decide, the old rules do
        "Left knee, 2.",
        "",
    ],
)
def test_no_context_no_decision(statement: str) -> None:
    from evident.verify.clause import side_by_clause

    an = analyze(statement) if statement else analyze("knee")
    index = SourceIndex([make_transcript(KNEES)])
    lateral = [f for f in an.facts if f.kind == "anatomy" and f.laterality]
    for f in lateral:
        assert side_by_clause(f, f.key, an, index) is None
    assert statement == "" or lateral


def test_bm25_scores_do_not_depend_on_term_order() -> None:
    import itertools

    from evident.verify.index import SourceIndex

    from .conftest import TRANSCRIPT, make_transcript

    index = SourceIndex([make_transcript(TRANSCRIPT)])
    terms = ["knee", "swell", "ibuprofen", "pain", "xray", "lisinopril"]
    runs = {tuple(index.search(list(p), k=10)) for p in itertools.permutations(terms)}
    assert len(runs) == 1
    assert len(next(iter(runs))) >= 3
