"""Durations said in other units are conversions (months of 28-31 days); in the same unit
they are the same number. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.options import VerifyOptions

from .conftest import make_draft

VISIT = """\
[doctor] when did the rash start ?
[patient] about six weeks ago .
[doctor] and the knee pain ?
[patient] that has been going on for twelve weeks now .
[doctor] and the cough ?
[patient] seventeen days .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the same span in other units
        ("The rash started 1.5 months ago.", "supported"),
        ("The rash started 42 days ago.", "supported"),
        ("Knee pain for 3 months.", "supported"),
        # the same unit, another number
        ("Knee pain for 13 weeks.", "contradicted"),
        ("Cough for 18 days.", "contradicted"),
        ("Cough for 17 days.", "supported"),
        # another unit, another span
        ("The rash started 2 months ago.", "contradicted"),
    ],
)
def test_durations(statement: str, label: str) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0]


PLANS = """\
[doctor] your potassium is a little high .
[doctor] we'll repeat the potassium in two weeks and i'll see you back in one month .
[patient] sounds good .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a span matched only by another thing's number (the visit's month) while the
        # statement's own thing has another value
        ("Repeat potassium in 4 weeks.", "contradicted"),
        ("Repeat potassium in 2 weeks.", "supported"),
        ("Follow up in 1 month.", "supported"),
        ("Follow up in 4 weeks.", "supported"),
    ],
)
def test_a_span_of_something_else(statement: str, label: str) -> None:
    src = load_source(PLANS, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason
