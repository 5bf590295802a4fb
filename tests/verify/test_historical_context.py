"""Historical context: "years ago" looks both ways, cessation words mark the past, and a
statement about now is not borne out by past mentions alone. Every sentence here is
written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.options import VerifyOptions

from .conftest import make_draft


@pytest.mark.parametrize(
    ("text", "key", "historical"),
    [
        ("i had chest pain two years ago .", "pain@chest", True),
        ("years ago i had chest pain .", "pain@chest", True),
        ("i quit smoking five years ago .", "tobacco use", True),
        ("she is a former smoker .", "tobacco use", True),
        ("he gave up smoking last spring .", "tobacco use", True),
        ("he stopped drinking alcohol .", "alcohol use", True),
        # no historical cue
        ("i have chest pain today .", "pain@chest", False),
        ("she smokes a pack a day .", "tobacco use", False),
    ],
)
def test_historical_cues(text: str, key: str, historical: bool) -> None:
    fact = next(f for f in analyze(text).facts if f.key == key)
    assert fact.historical is historical


VISIT = """\
[doctor] do you smoke ?
[patient] i quit smoking five years ago .
[doctor] how about alcohol ?
[patient] a beer or two on the weekend .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason"),
    [
        # a statement about now, where the dialogue speaks only of the past
        ("Current smoker.", "unsupported", "speaks of past tobacco use"),
        ("She currently smokes.", "unsupported", "speaks of past tobacco use"),
        # what the dialogue does say
        ("She quit smoking 5 years ago.", "supported", ""),
        ("Drinks alcohol on weekends.", "supported", ""),
    ],
)
def test_now_against_past(statement: str, label: str, reason: str) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    assert v.label == label, v.reason
    assert reason in v.reason
