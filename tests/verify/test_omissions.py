"""Omissions: what the patient or the record says, once per fact and utterance, with
relatives' conditions as family history, values against reference ranges and allergies
to any substance. Conversations written for these tests."""

from __future__ import annotations

import pytest

from evident.types import Omission
from evident.verify import verify
from evident.verify.facts import analyze
from evident.verify.omissions import allergy_substances

from .conftest import make_draft, make_transcript

VISIT = """\
[doctor] are you still taking metoprolol for your heart ?
[patient] yes .
[patient] my grandson had a cold last week and now i have a cough .
[patient] my son has asthma .
[patient] my mother had breast cancer .
[doctor] your temperature is thirty seven point one and your oxygen level is 97 .
[doctor] your heart rate is one twenty .
[patient] i'm allergic to sulfa drugs .
[doctor] i want to get a chest x-ray and i'll refer you to pulmonology .
"""


def _omissions(*statements: str) -> tuple[Omission, ...]:
    draft = make_draft(*statements) if statements else make_draft("Visit today.")
    return verify(draft, [make_transcript(VISIT)]).omissions


UNANSWERED = "[doctor] any chest pain ?\n[doctor] do you take aspirin ?\n[doctor] ok .\n"


def test_an_unanswered_question_is_no_omission() -> None:
    report = verify(make_draft("Visit today."), [make_transcript(UNANSWERED)])
    assert report.omissions == ()


def _by_segment(omissions: tuple[Omission, ...]) -> dict[str, str]:
    return {o.segment: o.kind for o in omissions}


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("u1", "medication"),  # the question, confirmed: read as its answer (below)
        ("u2", None),
        ("u3", "symptom"),  # the patient's own cough, not the grandson's cold
        ("u4", "family_history"),  # a son's asthma: family history, not her diagnosis
        ("u5", "family_history"),  # a relative's diagnosis is family history
        ("u6", None),  # 37.1 Celsius and saturation 97% are normal
        ("u7", "abnormal_vital"),  # heart rate 120
        ("u8", "allergy"),  # sulfa: in no drug lexicon, still an allergy
        ("u9", "order"),  # one entry for the utterance, under its most important kind
    ],
)
def test_omission_kinds(segment: str, kind: str | None) -> None:
    assert _by_segment(_omissions()).get(segment) == kind


def test_a_confirmed_question_reads_as_its_answer() -> None:
    o = next(o for o in _omissions() if o.segment == "u1")
    assert o.text == "yes . (asked: are you still taking metoprolol for your heart ?)"


def test_one_entry_per_utterance_and_fact() -> None:
    found = _omissions()
    segments = [o.segment for o in found]
    assert len(segments) == len(set(segments))


@pytest.mark.parametrize(
    ("statement", "segment"),
    [
        ("Allergic to sulfa.", "u8"),
        ("Sulfa allergy.", "u8"),
        ("Family history of breast cancer in her mother.", "u5"),
        ("Heart rate 120.", "u7"),
    ],
)
def test_a_covered_fact_is_no_omission(statement: str, segment: str) -> None:
    assert segment in _by_segment(_omissions())
    assert segment not in _by_segment(_omissions(statement))


@pytest.mark.parametrize(
    ("text", "substances"),
    [
        ("i'm allergic to sulfa drugs , and latex .", {"sulfa", "latex"}),
        ("Latex allergy.", {"latex"}),
        ("She had an allergic reaction to shellfish.", {"shellfish"}),
        ("allergic to penicillin and peanuts", {"penicillin", "peanut"}),
        ("No known allergies.", set()),
        ("She is not allergic to anything.", set()),
        ("no problems with allergies", set()),
        ("seasonal allergies", set()),
    ],
)
def test_allergy_substances(text: str, substances: set[str]) -> None:
    assert allergy_substances(analyze(text)) == substances
