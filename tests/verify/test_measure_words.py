"""The measure-word checker: a statement that places a vital sign or a lab against its
normal range without a value, against the values the source gives it. Conversations
written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.measure_words import check_measure_words, placed

from .conftest import make_draft, make_transcript

VISIT = make_transcript(
    "[doctor] your blood sugar this morning was 250 .\n"
    "[doctor] and your blood pressure was 150 over 95 today .\n"
    "[doctor] your potassium came back at 4.2 , and your a1c is 5.4 .\n"
    "[doctor] temperature is 98.6 .\n"
)
WEIGHED = make_transcript("[doctor] your weight today is 180 pounds .\n")
ASKED = make_transcript(
    "[doctor] was your blood sugar 250 this morning ?\n[patient] i didn't check .\n"
)


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("Glucose normal.", [("glucose", "normal")]),
        ("Blood pressure: Elevated.", [("blood pressure", "high")]),
        ("Her potassium level is slightly low.", [("potassium", "low")]),
        ("White blood cell count is within normal limits.", [("white blood cell count", "normal")]),
        (
            "Temp was normal and heart rate elevated.",
            [("temperature", "normal"), ("heart rate", "high")],
        ),
        # a control status places blood pressure (its goal is its range), not a lab
        ("Blood pressure is well controlled.", [("blood pressure", "normal")]),
        ("BP remains uncontrolled.", [("blood pressure", "high")]),
        ("Blood pressure at goal.", [("blood pressure", "normal")]),
        ("Blood sugars are well controlled.", []),
        ("A1c at goal.", []),
        # a diagnosis, a value given, a negation, a comparative, a diet: not placed
        ("History of high blood pressure.", []),
        ("A1c elevated at 7.2.", []),
        ("Blood sugar is not elevated.", []),
        ("Blood pressure has increased.", []),
        ("Low sugar diet.", []),
    ],
)
def test_what_a_statement_places(statement: str, found: list[tuple[str, str]]) -> None:
    assert [(p.name, p.place) for p in placed(statement)] == found


@pytest.mark.parametrize(
    ("source", "statement", "label", "decided_by", "reason"),
    [
        (
            VISIT,
            "Blood glucose normal.",
            "contradicted",
            "check:lab",
            "transcript says glucose 250",
        ),
        (
            VISIT,
            "Blood pressure normal.",
            "contradicted",
            "check:vital",
            "transcript says blood pressure 150/95",
        ),
        (VISIT, "Potassium is low.", "contradicted", "check:lab", "transcript says potassium 4.2"),
        (
            VISIT,
            "Her temperature was elevated.",
            "contradicted",
            "check:vital",
            "transcript says temperature 98.6",
        ),
        (
            VISIT,
            "Blood pressure is well controlled.",
            "contradicted",
            "check:vital",
            "transcript says blood pressure 150/95",
        ),
        # borne out
        (VISIT, "Blood pressure elevated.", "supported", None, None),
        (VISIT, "Blood pressure remains poorly controlled.", "supported", None, None),
        (VISIT, "Potassium normal.", "supported", None, None),
        (VISIT, "Glucose elevated.", "supported", None, None),
        # close to a limit: no conflict ("A1c is 5.4" against "high": within a quarter)
        (VISIT, "A1c is high.", None, None, None),
        # a question gives no value
        (ASKED, "Blood sugar normal.", None, None, None),
        # weight has no normal range in the table: neither placed nor borne out
        (WEIGHED, "Weight is normal.", None, None, None),
    ],
)
def test_places_against_the_values_given(
    source: object, statement: str, label: str | None, decided_by: str | None, reason: str | None
) -> None:
    v = verify(make_draft(statement), [source]).verdicts[0]  # type: ignore[list-item]
    if label is None:  # the checker says nothing
        assert check_measure_words(statement, [], source) is None  # type: ignore[arg-type]
        return
    assert v.label == label, (v.decided_by, v.reason)
    if decided_by is not None:
        assert v.decided_by == decided_by
    if reason is not None:
        assert v.reason.startswith(reason)
