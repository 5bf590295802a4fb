"""Conditions keep their polarity: a plan's condition, and the plan under it, must be said
the same way in the source ("if it does not improve, we will get an MRI" is not "if it
improves, ..."), in the same words or in WordNet's ("if it gets worse" is "if it does
not improve"). Advice is no claim that its condition exists, so without this checker a
flipped condition passed on its wording. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify.check import verify
from evident.verify.conditions import check_condition, conditionals_of
from evident.verify.options import VerifyOptions

from .conftest import make_draft

VISIT = """\
[doctor] how is the knee doing ?
[patient] it still aches when i climb stairs .
[doctor] okay . so if you do n't see any improvement in the next two weeks , we 'll go \
ahead and order an mri of the knee .
[patient] okay .
[doctor] and if the swelling goes down , you can stop wearing the brace .
[patient] sounds good .
[doctor] unless the rash clears up , we will refer you to dermatology .
[doctor] if the pain gets worse , call the office .
[doctor] if it does n't help , we will not continue the ibuprofen .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


@pytest.mark.parametrize(
    ("text", "predicate", "negated", "main_negated"),
    [
        ("If her pain does not improve, we will obtain an MRI.", "improv", True, False),
        ("If her pain improves, we will obtain an MRI.", "improv", False, False),
        ("If there is no improvement, she will call.", "improvement", True, False),
        ("Unless the pain improves, we will obtain an MRI.", "improv", True, False),
        ("Unless the pain does not improve, we will obtain an MRI.", "improv", False, False),
        ("If it gets worse, we will not order an MRI.", "bad", False, True),
        ("She will contact the office if her pain does not improve.", "improv", True, False),
    ],
)
def test_conditionals_are_read_from_the_parse(
    text: str, predicate: str, negated: bool, main_negated: bool
) -> None:
    (c,) = conditionals_of(text)
    assert (c.predicate, c.negated, c.main_negated) == (predicate, negated, main_negated)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("improve", "improvement", 1),  # a prefix in common
        ("improve", "better", 1),  # one side of an opposed sense
        ("improve", "worsen", -1),  # the two sides
        ("better", "worse", -1),  # a word pair
        ("increase", "decrease", -1),
        ("improve", "spread", 0),  # unrelated
    ],
)
def test_predicates_relate_through_wordnet(a: str, b: str, relation: int) -> None:
    from evident.verify.conditions import _relation

    assert _relation(frozenset({a[:5]}), frozenset({b[:5]})) == relation


@pytest.mark.parametrize(
    "text",
    ["She has knee pain.", "No swelling.", "", "What if?", "x " * 2000],
)
def test_no_conditional_no_reading(text: str) -> None:
    assert conditionals_of(text) == ()


@pytest.mark.parametrize(
    ("statement", "conflict"),
    [
        # the condition as said, as a noun, and "unless" as "if not"
        ("If her knee pain does not improve in two weeks, we will order an MRI.", False),
        ("If there is no improvement, we will order an MRI of the knee.", False),
        ("Unless her knee improves, we will order an MRI.", False),
        # the condition flipped, either way
        ("If her knee pain improves in two weeks, we will order an MRI.", True),
        ("If the swelling does not go down, she can stop wearing the brace.", True),
        ("Unless the rash clears up, we will not refer her to dermatology.", True),
        ("If the rash clears up, we will refer her to dermatology.", True),
        # the plan flipped under the same condition, either way
        ("If her knee pain does not improve, we will not order an MRI.", True),
        ("If it does not help, we will continue the ibuprofen.", True),
        ("If it does not help, we will not continue the ibuprofen.", False),
        # the condition in other words: a synonym, or an antonym with the other polarity
        # (WordNet's opposed senses: "better" ~ "improve", "worse" against "better")
        ("If the pain gets better, we will order an MRI.", True),
        ("If her knee pain does not get better, we will order an MRI.", False),
        ("If her knee pain gets worse, we will order an MRI.", False),
        ("If the pain improves, call the office.", True),
        ("If the pain does not improve, call the office.", False),
        # nothing matching: another predicate, or another plan
        ("If the pain spreads, we will order an MRI.", False),
        ("If her knee pain improves, she can return to running.", False),
        ("She will call if she has any questions.", False),
        ("Knee pain when climbing stairs.", False),
    ],
)
def test_condition_conflicts(visit: Source, statement: str, conflict: bool) -> None:
    result = check_condition(statement, list(visit.segments[:2]), visit)
    assert (result is not None and result.outcome == "conflict") is conflict
    if result is not None:
        assert result.checker == "condition"
        assert result.segments and result.segments[0] in {s.id for s in visit.segments}


@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        (
            "If her knee pain improves in two weeks, we will order an MRI.",
            "contradicted",
            "check:condition",
        ),
        (
            "If her knee pain does not improve in two weeks, we will order an MRI.",
            "supported",
            "advice",
        ),
    ],
)
def test_verify_reports_the_flipped_condition(
    visit: Source, statement: str, label: str, decided_by: str
) -> None:
    report = verify(make_draft(statement), [visit], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    assert (v.label, v.decided_by) == (label, decided_by)
    if label == "contradicted":
        assert "note says" in v.reason and "improve" in v.reason


def test_off_with_the_polarity_checkers(visit: Source) -> None:
    statement = "If her knee pain improves in two weeks, we will order an MRI."
    options = VerifyOptions(omissions=False, polarity=False)
    v = verify(make_draft(statement), [visit], options=options).verdicts[0]
    assert v.decided_by != "check:condition"


RUN = (
    "[doctor] okay so let me tell you my plan i think this is a strain of the lower back "
    "muscles we see that a lot in people who lift at work so i want you to rest for a few "
    "days take the ibuprofen with food use heat on the area and do the stretches the nurse "
    "will show you and if the pain does n't improve in two weeks we will order an mri of "
    "the lumbar spine and maybe send you to physical therapy after that so we will see how "
    "things go and you can call the office with any questions at all okay\n"
    "[patient] okay thank you\n"
)


@pytest.mark.parametrize(
    ("statement", "conflict"),
    [
        ("If the pain improves in two weeks, we will order an MRI of the lumbar spine.", True),
        ("If the pain does not improve in two weeks, we will order an MRI.", False),
    ],
)
def test_a_long_unpunctuated_run_is_read_around_its_mark(statement: str, conflict: bool) -> None:
    source = load_source(RUN, kind="transcript", name="run.txt")
    assert len(source.segments[0].text.split()) > 60  # longer than the parser reads whole
    result = check_condition(statement, [], source)
    assert (result is not None) is conflict
