"""A side inside a denial, and a side the statement gives another site.

- "Denies left knee pain" against "my right knee hurts, no pain in the left knee": a
  denial's side is compared with the source's mentions of that side only (before, the
  side checker compared it with the right knee's pain and contradicted it).
- A denial's side is still a side: "no tenderness in the left upper quadrant" against
  an exam of the right upper quadrant is a conflict, and so is "No right ankle swelling"
  where only the left ankle is spoken of; a side the source never names at all
  ("denies right upper quadrant pain" after "pain under your ribs?") is missing.
- "gout of the right first MTP joint" gives the joint a side, not the gout.
- "32 weeks gestation" is borne out by "you're 32 weeks" (read as an age in weeks).

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import dialogue, verdict

EXAM = dialogue("On exam.", "No tenderness in the right upper quadrant.")
KNEES = dialogue("Any pain in your knees?", "My right knee hurts a lot. No pain in the left knee.")
ANKLE = dialogue("Any swelling?", "My left ankle is swollen.")
BELLY = dialogue("Any pain in your upper belly, under your ribs?", "No.")
TOE = dialogue(
    "Which toe?",
    "My right big toe. It's my gout again.",
    "The right first metatarsophalangeal joint is swollen and red.",
)
PREGNANT = dialogue("You're 32 weeks today. How are you feeling?", "Good.")


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        (KNEES, "Denies left knee pain.", "supported"),
        (EXAM, "No tenderness in the left upper quadrant.", "contradicted"),
        (EXAM, "No tenderness in the right upper quadrant.", "supported"),
        (KNEES, "No right knee pain.", "contradicted"),
        (KNEES, "Left knee pain.", "contradicted"),
        (KNEES, "Right knee pain.", "supported"),
        (ANKLE, "No right ankle swelling.", "contradicted"),
        (ANKLE, "No left ankle swelling.", "contradicted"),
        (ANKLE, "Right ankle swelling.", "contradicted"),
        (BELLY, "She denies right upper quadrant pain.", "unsupported"),
        (TOE, "Acute gout flare of the right first MTP joint.", "supported"),
        (TOE, "Acute gout flare of the left first MTP joint.", "unsupported"),
        (PREGNANT, "32 weeks gestation.", "supported"),
        (PREGNANT, "34 weeks gestation.", "unsupported"),
    ],
)
def test_sides_and_spans(visit: str, statement: str, label: str) -> None:
    assert verdict(visit, statement)[0] == label
