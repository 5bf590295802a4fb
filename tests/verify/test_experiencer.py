"""The experiencer checker: a relative the statement names must be named by the source.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.experiencer import check_experiencer
from evident.verify.options import VerifyOptions

from .conftest import make_draft

VISIT = """\
[doctor] how have you been feeling ?
[patient] tired , and my knees ache when i climb stairs .
[doctor] anyone in the family with arthritis ?
[patient] my mom had rheumatoid arthritis , and my husband drove me here today .
"""


@pytest.mark.parametrize(
    ("statement", "missing"),
    [
        # the patient: no person to look for
        ("She reports knee pain when climbing stairs.", None),
        # a person the source names, by another word ("mom" is the mother)
        ("Her mother had rheumatoid arthritis.", None),
        ("Her spouse drove her to the visit.", None),
        ("A relative had rheumatoid arthritis.", None),
        # the fact moved to someone the source never names
        ("Her brother reports knee pain when climbing stairs.", "brother"),
        ("Her father had rheumatoid arthritis.", "father"),
        ("Her son drove her to the visit.", "son"),
    ],
)
def test_check_experiencer(statement: str, missing: str | None) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    result = check_experiencer(statement, list(src.segments), src)
    if missing is None:
        assert result is None
    else:
        assert result is not None
        assert (result.checker, result.outcome) == ("experiencer", "missing")
        assert result.reason == f"transcript never mentions the patient's {missing}"


def test_a_caregiver_tells_a_childs_visit() -> None:
    src = load_source(
        "[doctor] any rash on her arms ?\n[patient] no , nothing .\n",
        kind="transcript",
        name="visit.txt",
    )
    assert check_experiencer("Mom denies a rash on her arms.", [], src) is None
    assert check_experiencer("Her uncle denies a rash.", [], src) is not None


def test_a_family_speaker_label_names_a_relative() -> None:
    src = load_source(
        "Doctor: What brings him in?\nGuest_family: He has had a fever for two days.\n",
        kind="transcript",
        name="visit.txt",
    )
    assert check_experiencer("A relative reports two days of fever.", [], src) is None


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her mother had rheumatoid arthritis.", "supported"),
        ("Her sister had rheumatoid arthritis.", "unsupported"),
    ],
)
def test_verdicts(statement: str, label: str) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    v = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False)).verdicts[0]
    assert v.label == label, v.reason


CHILD = """\
[doctor] anyone smoke at home ?
[patient] her dad smokes , but only outside .
[doctor] any family history of diabetes ?
[patient] my mom has diabetes , and so did my grandpa .
[doctor] what about your sister ?
[patient] she has asthma . my son has asthma too .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a relative's finding the source tells only of another relative has moved
        ("Her mother smokes outside the home.", "unsupported"),
        ("His grandmother had diabetes.", "unsupported"),
        # the relative the source names, by its own word or another
        ("Her father smokes outside the home.", "supported"),
        ("Her mother has diabetes.", "supported"),
        ("His grandfather had diabetes.", "supported"),
        # no relative named: the family's finding bears it out
        ("Family history of diabetes.", "supported"),
        # the question before the answer names her ("what about your sister?")
        ("Her sister has asthma.", "supported"),
    ],
)
def test_a_relative_swapped_for_another(statement: str, label: str) -> None:
    source = load_source(CHILD, kind="transcript", name="child.txt")
    report = verify(make_draft(statement), [source], omissions=False)
    assert report.verdicts[0].label == label
