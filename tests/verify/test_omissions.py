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
    """The kinds cited at each segment, sorted and joined ("order+referral")."""
    kinds: dict[str, list[str]] = {}
    for o in omissions:
        kinds.setdefault(o.segment, []).append(o.kind)
    return {seg: "+".join(sorted(k)) for seg, k in kinds.items()}


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("u1", "medication"),  # the question, confirmed: read as its answer (below)
        ("u2", None),
        ("u3", "symptom"),  # the patient's own cough, not the grandson's cold
        ("u4", None),  # a son's asthma is not the patient's diagnosis
        ("u5", "family_history"),  # a relative's diagnosis is family history
        ("u6", None),  # 37.1 Celsius and saturation 97% are normal
        ("u7", "abnormal_vital"),  # heart rate 120
        ("u8", "allergy"),  # sulfa: in no drug lexicon, still an allergy
        ("u9", "order+referral"),  # two plan items, each once
    ],
)
def test_omission_kinds(segment: str, kind: str | None) -> None:
    assert _by_segment(_omissions()).get(segment) == kind


def test_a_confirmed_question_reads_as_its_answer() -> None:
    o = next(o for o in _omissions() if o.segment == "u1")
    assert o.text == "yes . (asked: are you still taking metoprolol for your heart ?)"


PLAN = """\
[doctor] i'll refer you to physical therapy .
[doctor] we will follow up with cardiology next month .
[doctor] let's get an x-ray and an mri of the knee .
"""


@pytest.mark.parametrize(
    ("segment", "kinds"),
    [
        ("u1", "referral"),  # one mention: not a referral and a therapy order
        ("u2", "follow_up"),
        ("u3", "order+order"),  # two orders, two entries
    ],
)
def test_one_entry_per_mention(segment: str, kinds: str) -> None:
    report = verify(make_draft("Visit today."), [make_transcript(PLAN)])
    assert _by_segment(report.omissions).get(segment) == kinds


LISINOPRIL = "[patient] i take lisinopril 20 mg for my high blood pressure .\n"


def test_two_facts_of_one_utterance_are_two_entries() -> None:
    report = verify(make_draft("Visit today."), [make_transcript(LISINOPRIL)])
    assert sorted(o.kind for o in report.omissions) == ["diagnosis", "medication"]


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
        ("yes , i'm allergic to sulfa , i get a rash .", {"sulfa"}),  # a new clause ends it
        ("allergic to codeine , morphine and latex", {"codeine", "morphine", "latex"}),
    ],
)
def test_allergy_substances(text: str, substances: set[str]) -> None:
    assert allergy_substances(analyze(text)) == substances


ASKED_ALLERGY = """\
[doctor] any allergies to medications ?
[patient] yes , i'm allergic to penicillin , i get hives .
"""


def test_an_allergy_question_is_no_second_entry() -> None:
    """ "allergies to medications" is the relation, not a condition called allergies: the
    answer's allergy is reported once, not also as a diagnosis at the question."""
    report = verify(make_draft("Visit today."), [make_transcript(ASKED_ALLERGY)])
    kinds = sorted(o.kind for o in report.omissions)
    assert kinds.count("allergy") == 1
    assert "diagnosis" not in kinds
