"""Cost: verifying a note against one long utterance stays linear in its length.

Counted, not timed: the Python lines that ``verify`` executes in the verify package
(facts, sides, clauses, omissions) while one patient turn of ``chars`` characters is
checked. Linear work grows by the size ratio; a scan of every fact, concept or sentence
for each mention grows by its square. The turn is written two ways: in sentences, and as
one unpunctuated run (a transcript without punctuation is one long sentence).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from evident.sources import load_source
from evident.verify import draft_from_note, verify
from evident.verify.facts import analyze

_PACKAGE = str(Path(analyze.__wrapped__.__code__.co_filename).parent)

SENTENCES = (
    "My left knee hurts and my right ankle is swollen since Monday.",
    "The swelling of the right knee is worse when I walk, my left knee is fine.",
    "I take metformin 500 mg twice daily and lisinopril 10 mg once a day.",
    "We will order an x-ray of the right knee and start ibuprofen 400 mg.",
    "No chest pain or shortness of breath, just a cough at night.",
    "My blood pressure was 140/90 at the pharmacy and I had a fever of 101.",
    "There is numbness in the toes of my right foot and my left toe too.",
    "It hurts in my knee, ankle, or foot, and my sister had a cold.",
)
NOTE = (
    "HPI: Left knee pain and right ankle swelling. Takes metformin 500 mg twice daily.\n"
    "PLAN: X-ray of the right knee. Start ibuprofen 400 mg.\n"
)


def _turn(chars: int, punctuated: bool) -> str:
    text = " ".join(SENTENCES)
    text = (text + " ") * (chars // len(text) + 1)
    if not punctuated:
        text = text.replace(".", "").replace(",", "")
    return text[:chars]


def _lines_verifying(chars: int, punctuated: bool) -> int:
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(_PACKAGE) else None

    transcript = f"[doctor] what brings you in?\n[patient] {_turn(chars, punctuated)}\n"
    source = load_source(transcript, kind="transcript", name="visit")
    draft = draft_from_note(load_source(NOTE, kind="note", name="note"))
    analyze.cache_clear()  # count the work, not a cached answer
    sys.settrace(tracer)
    try:
        report = verify(draft, [source])
    finally:
        sys.settrace(None)
    assert report.verdicts  # it did verify the note
    return count


@pytest.mark.parametrize("punctuated", [True, False])
def test_verify_work_grows_linearly_with_one_utterance(punctuated):
    small, factor = 6_000, 4
    base = _lines_verifying(small, punctuated)
    big = _lines_verifying(small * factor, punctuated)
    # linear: about 4 times the work (3.1 in sentences, 4.4 unpunctuated); the pairwise
    # scans this replaced made it 9.3 and 7.1 at these sizes, on their way to 16
    assert big / base < factor * 1.5, (base, big)
