"""Cost: verifying a note against one long utterance stays linear in its length.

Counted, not timed: the Python lines that ``verify`` executes in the verify package
(facts, sides, clauses, omissions) while one patient turn of ``chars`` characters is
checked. Linear work grows by the size ratio; a scan of every fact, concept or sentence
for each mention grows by its square. The turn is written three ways: in sentences, as
one unpunctuated run (a transcript without punctuation is one long sentence), and as a
run-on with no word that would cut a scan short.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from evident.sources import load_source
from evident.verify import draft_from_note, facts, polarity, verify
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
# no punctuation and no word of a medication change: nothing cuts a scan short
RUN_ON = (
    "knee ankle or foot pain on the left side do you have pain in your right knee yes i take "
    "aspirin 81 mg daily and my mom had asthma no fever 120/80 allergic to sulfa"
)
NOTE = (
    "HPI: Left knee pain and right ankle swelling. Takes metformin 500 mg twice daily.\n"
    "PLAN: X-ray of the right knee. Start ibuprofen 400 mg.\n"
)


def _turn(chars: int, style: str) -> str:
    text = RUN_ON if style == "run-on" else " ".join(SENTENCES)
    text = (text + " ") * (chars // len(text) + 1)
    if style == "unpunctuated":
        text = text.replace(".", "").replace(",", "")
    # cut at a word: a word cut in two is one more distinct word in one size and not the
    # other, which can put the turn on either side of the polarity reader's limit
    return text[:chars].rsplit(" ", 1)[0]


def _lines_verifying(chars: int, style: str) -> int:
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(_PACKAGE) else None

    transcript = f"[doctor] what brings you in?\n[patient] {_turn(chars, style)}\n"
    source = load_source(transcript, kind="transcript", name="visit")
    draft = draft_from_note(load_source(NOTE, kind="note", name="note"))
    facts.clear_caches()  # count the work, not a cached answer
    polarity.clear_caches()
    sys.settrace(tracer)
    try:
        report = verify(draft, [source])
    finally:
        sys.settrace(None)
    assert report.verdicts  # it did verify the note
    return count


@pytest.mark.parametrize("style", ["sentences", "unpunctuated", "run-on"])
def test_verify_work_grows_linearly_with_one_utterance(style):
    small, factor = 6_000, 4
    base = _lines_verifying(small, style)
    big = _lines_verifying(small * factor, style)
    # linear: at most about 4 times the work (1.0, 3.9 and 3.3 of these styles, every
    # cache cleared before each; a repeated sentence is read once); the scans per
    # mention this replaced made it 9.3, 7.1 and 11.8 at these sizes, on their way to 16
    assert big / base < factor * 1.5, (base, big)
