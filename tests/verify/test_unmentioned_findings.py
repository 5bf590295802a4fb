"""An affirmed finding no word of which the source has is a missing hard fact: the
statement is unsupported however much else of it is found. Conversations written for
these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify

from .conftest import make_draft, make_transcript

VISIT = make_transcript(
    "[doctor] how is your back pain?\n"
    "[patient] the back pain is still there, and my heart failure is about the same.\n"
    "[doctor] and your breathing? any copd flares?\n"
    "[patient] the copd has been fine.\n"
    "[doctor] your cholesterol was a bit high last year.\n"
    "[doctor] if you ever have a seizure, call 911.\n"
)
QUIET = make_transcript(
    "[doctor] how is your back pain?\n"
    "[patient] the back pain is still there, and my heart failure is about the same.\n"
    "[doctor] and your breathing? any copd flares?\n"
    "[patient] the copd has been fine.\n"
)


@pytest.mark.parametrize(
    ("source", "statement", "forced"),
    [
        # a diagnosis named nowhere in the visit, in a list of three that are there
        (QUIET, "History of seizures, back pain, heart failure and COPD.", True),
        (QUIET, "She reports back pain and migraines.", True),
        # a word of it is in the visit: the finding may be said in other words
        (VISIT, "She has elevated cholesterol.", False),
        (VISIT, "History of seizures, back pain, heart failure and COPD.", False),
        # advice and a plan may name what no one said (a denial is the denial checker's)
        (QUIET, "Call 911 if she has a seizure.", False),
        (QUIET, "We will rule out a seizure disorder.", False),
        # every finding found
        (QUIET, "History of back pain, heart failure and COPD.", False),
    ],
)
def test_a_finding_named_nowhere_is_a_missing_fact(
    source: object, statement: str, forced: bool
) -> None:
    v = verify(make_draft(statement), [source]).verdicts[0]  # type: ignore[list-item]
    unmentioned = v.decided_by == "check:finding" and v.reason.startswith("no source mentions")
    assert unmentioned == forced, (v.label, v.decided_by, v.reason)
    if forced:
        assert v.label == "unsupported"
