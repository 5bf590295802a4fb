"""Cost: finding the body site of a finding stays linear in the utterance's length.

Counted, not timed: the lines ``FactExtractor._nearest_anatomy`` executes while the facts of
one long utterance are extracted. Linear work grows by the size ratio; the old scan of
every concept for every finding grew by its square.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from evident.verify import analyze, extract_facts
from evident.verify._extract import FactExtractor

UNIT = "There is swelling of the left knee and redness near the right ankle. "


def _lines_in_nearest_anatomy(chars: int) -> tuple[int, int]:
    code = FactExtractor._nearest_anatomy.__code__
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code is code else None

    text = "Patient: " + (UNIT * (chars // len(UNIT) + 1))[:chars] + "\n"
    analyze.cache_clear()  # count the work, not a cached answer
    sys.settrace(tracer)
    try:
        facts = extract_facts(text)
    finally:
        sys.settrace(None)
    return count, len(facts)


@pytest.mark.parametrize(("small", "factor"), [(4_000, 8), (8_000, 4)])
def test_nearest_anatomy_work_grows_linearly(small, factor):
    base, base_facts = _lines_in_nearest_anatomy(small)
    big, big_facts = _lines_in_nearest_anatomy(small * factor)
    assert base > 0 and big_facts >= factor * base_facts * 0.9  # the input did scale
    # linear: about `factor` times the work; quadratic would be about factor**2
    assert big / base < factor * 1.5, (base, big)
