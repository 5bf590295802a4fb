"""The patient's sex for the note's pronouns, from what the clinician says.

In order: an age and sex ("a 50-year-old female"), a title ("Mrs.", "Mr."), the
clinician's pronouns ("she", "his"), and last a given name the clinician's opening words
greet ("hi, Ellen") that names one sex (``resources/first_names.yaml``). None of these:
``unknown``, and the note says "the patient".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from evident.tasks.scribe.rules import first_names, section_rules

if TYPE_CHECKING:
    from evident.tasks.scribe.rewrite import Sex
    from evident.tasks.scribe.units import Unit

__all__ = ["detect_sex"]

_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLINICIANS = frozenset({"doctor", "nurse"})


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(section_rules().patterns[name])


def detect_sex(units: Sequence[Unit]) -> Sex:
    """Guess the patient's sex from the clinician's words ("a 50-year-old female", "she")."""
    said = " ".join(u.text.lower() for u in units if u.speaker in _CLINICIANS)
    m = _pattern("age_sex").search(said)
    if m:
        return "female" if m.group("sex") in {"female", "woman", "lady", "girl"} else "male"
    f_titles, m_titles = (
        len(_pattern("female_title").findall(said)),
        len(_pattern("male_title").findall(said)),
    )
    if bool(f_titles) != bool(m_titles):
        return "female" if f_titles else "male"
    fem, mal = (
        len(_pattern("female_pronoun").findall(said)),
        len(_pattern("male_pronoun").findall(said)),
    )
    if fem >= 3 and fem >= 2 * mal:
        return "female"
    if mal >= 3 and mal >= 2 * fem:
        return "male"
    return _greeted(units)


# A name after these words is someone else's ("doctor Lee", "nurse Ann").
_NOT_PATIENT = frozenset({"doctor", "dr", "nurse", "my", "your", "his", "her", "from"})


def _greeted(units: Sequence[Unit], opening: int = 2) -> Sex:
    """The sex of the name the clinician's opening utterances greet ("hi, Ellen")."""
    names = first_names()
    female, male = frozenset(names.female), frozenset(names.male)
    opened: list[tuple[str, ...]] = []
    for u in units:
        if u.speaker not in _CLINICIANS:
            continue
        if u.citations not in opened:
            if len(opened) == opening:
                break
            opened.append(u.citations)
        words = _WORDS.findall(u.text.lower())
        for prev, word in zip(["", *words], words, strict=False):
            if prev in _NOT_PATIENT:
                continue
            if word in female:
                return "female"
            if word in male:
                return "male"
    return "unknown"
