"""A finding the statement names without a site is compared with the sides the source
gives the same finding at any site. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.options import VerifyOptions

from .conftest import make_draft

VISIT = """\
[patient] the cough is worse at night .
[doctor] let me listen . there is some wheezing in the left lung .
[doctor] and the right ankle has a little swelling , the left one is fine .
"""


@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        # the source gives the finding a side at a site; the statement names no site
        ("Wheezing on the right.", "contradicted", "check:side"),
        ("Right-sided wheezing.", "contradicted", "check:side"),
        ("Exam: cough, wheezing on the right.", "contradicted", "check:side"),
        ("Wheezing on the left.", "supported", None),
        ("Left-sided wheezing.", "supported", None),
        # with its site the statement is compared at that site, as before
        ("Swelling of the left ankle.", "contradicted", "check:side"),
        ("Swelling of the right ankle.", "supported", None),
    ],
)
def test_unsited_finding_side(statement: str, label: str, decided_by: str | None) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    assert v.label == label, v.reason
    if decided_by is not None:
        assert v.decided_by == decided_by


SIDE_ONLY = """\
[doctor] any chest pain ?
[patient] only when i cough really hard , it kind of hurts on the right side .
[doctor] let me listen to your lungs . i hear some crackles on the right lower side .
"""


@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        # the source names the finding's side but not its site: the side is said
        ("He reports right-sided chest pain with coughing.", "supported", None),
        ("Crackles at the right lung base.", "supported", None),
        ("He reports left-sided chest pain.", "contradicted", "check:side"),
        ("Crackles at the left lung base.", "contradicted", "check:side"),
        # a finding the source gives no side at all: the side is missing, as before
        ("Wheezing in the right lung.", "unsupported", "check:side"),
    ],
)
def test_side_said_without_a_site(statement: str, label: str, decided_by: str | None) -> None:
    src = load_source(SIDE_ONLY, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    assert v.label == label, v.reason
    if decided_by is not None:
        assert v.decided_by == decided_by
