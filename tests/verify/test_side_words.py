"""The side-word checker: a side word read with the words it qualifies, against the
sides the source gives the same words, with no anatomy lexicon. Every sentence here is
written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify.check import verify
from evident.verify.options import VerifyOptions
from evident.verify.side_words import check_side_words

from .conftest import make_draft

VISIT = """\
[doctor] so the scan showed a small node in the right groin .
[doctor] that's right , and we will plan a left c7 epidural next month .
[patient] all right . my left-sided weakness is the same .
[doctor] both ankles are swollen , bilateral pitting edema .
[doctor] the right hip is tender , but your left hip looks fine , okay ?
[doctor] no tenderness on the exam of your right wrist . any pain in your left elbow ?
"""


@pytest.mark.parametrize(
    ("statement", "outcome", "said"),
    [
        # a site no anatomy lexicon needs to know
        ("There is a left groin node.", "conflict", "says right groin"),
        ("There is a right groin node.", "agree", ""),
        ("A right C7 epidural is planned.", "conflict", "says left"),
        ("A left C7 epidural is planned.", "agree", ""),
        # hyphenated sides
        ("Right-sided weakness, unchanged.", "conflict", "says left weakness"),
        ("Left-sided weakness, unchanged.", "agree", ""),
        # a statement closed by a tag question still gives sides
        ("Left hip normal.", "agree", ""),
        # "bilateral" agrees with either side
        ("Left pitting edema.", "agree", ""),
        # "right" that is no side; words the source gives no side
        ("That is right, the weakness is the same.", None, ""),
        ("Left knee pain.", None, ""),
        # a side given only inside a denial or a question gives the words no side
        ("Left wrist swelling.", None, ""),
        ("Right elbow pain.", None, ""),
    ],
)
def test_check_side_words(statement: str, outcome: str | None, said: str) -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    result = check_side_words(statement, [], src)
    assert (result.outcome if result else None) == outcome
    if result is not None:
        assert result.checker == "side"
        assert said in result.reason


def test_a_conflict_contradicts() -> None:
    src = load_source(VISIT, kind="transcript", name="visit.txt")
    report = verify(
        make_draft("There is a left groin node."), [src], options=VerifyOptions(omissions=False)
    )
    v = report.verdicts[0]
    assert (v.label, v.decided_by) == ("contradicted", "check:side")
