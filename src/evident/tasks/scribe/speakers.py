"""Speakers of a transcript without labels: inferred from turn-taking, or refused.

A transcript with no speaker label at all cannot make a note as it is: the engine would
not know whose "I" is the patient. When its lines read as alternating turns, one side
clearly the clinician's (questions and clinician phrases of ``resources/sections.yaml``)
and the other the patient's (first-person talk), the speakers are set by alternation;
otherwise the input is refused with a message naming the problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from evident.errors import InputError
from evident.tasks.scribe.rules import section_rules
from evident.types import Source

__all__ = ["NO_LABELS", "infer_speakers", "with_speakers"]

NO_LABELS = (
    "has no speaker labels and the clinician and the patient could not be told apart from "
    "turn-taking; mark each line 'Doctor:' or 'Patient:'"
)
_FIRST = re.compile(r"\b(?:i|i'm|i've|my|me|myself)\b")


@cache
def _clinician_re() -> re.Pattern[str]:
    phrases = sorted(section_rules().clinician_phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def _lean(text: str) -> int:
    """Positive when a line sounds like the clinician, negative like the patient."""
    low = text.lower().replace("’", "'")
    clin = len(_clinician_re().findall(low)) + low.count("?")
    return clin - len(_FIRST.findall(low))


def infer_speakers(source: Source, min_lines: int = 4) -> tuple[Source, bool]:
    """Return the source with speakers set when it had none, and whether they were inferred.

    Only transcripts are read: a note (``kind="note"``) has no speakers to infer.

    Args:
        source: A parsed transcript.
        min_lines: Fewer unlabelled lines than this cannot be read as turns.

    Raises:
        InputError: No line has a speaker and turn-taking does not tell them apart.
    """
    segs = source.segments
    if source.kind != "transcript" or not segs or any(s.speaker for s in segs):
        return source, False
    leans = [_lean(s.text) for s in segs]
    even = sum(leans[0::2]) - sum(leans[1::2])
    questions = [i % 2 for i, s in enumerate(segs) if "?" in s.text]
    doctor_side = 0 if even > 0 else 1
    asked = sum(1 for q in questions if q == doctor_side) / max(1, len(questions))
    confident = abs(even) >= max(3, len(segs) // 6) and (len(questions) < 3 or asked >= 0.7)
    if len(segs) < min_lines or not confident:
        raise InputError(f"'{source.id}' {NO_LABELS}")
    roles = ("doctor", "patient") if doctor_side == 0 else ("patient", "doctor")
    new = tuple(s.model_copy(update={"speaker": roles[i % 2]}) for i, s in enumerate(segs))
    return source.model_copy(update={"segments": new}), True


def with_speakers(sources: Sequence[Source]) -> tuple[list[Source], bool]:
    """:func:`infer_speakers` over several sources; True when any was inferred."""
    out, inferred = [], False
    for src in sources:
        fixed, done = infer_speakers(src)
        out.append(fixed)
        inferred = inferred or done
    return out, inferred
