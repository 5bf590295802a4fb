"""Checking a differential, whoever wrote it: quotes, denied findings, must-not-miss."""

from __future__ import annotations

import pytest

from evident.tasks.differential import Candidate, Cite, Differential, check_differential, read_case
from evident.tasks.differential.mustnotmiss import emergencies, fitting, is_emergency

CASE = "A 58 year old man with chest pain and fever. He denies cough. No leg swelling."


def _diff(supporting: list[Cite], opposing: list[Cite] | None = None) -> Differential:
    cand = Candidate(
        rank=1,
        diagnosis="Pneumonia",
        likelihood="high",
        supporting=supporting,
        opposing=opposing or [],
    )
    return Differential(differential=[cand], model="some-model")


@pytest.mark.parametrize(
    ("cite", "kept", "issue"),
    [
        (Cite(finding="fever", quote="fever"), True, ""),
        (Cite(finding="chest pain", quote="chest pain and fever"), True, ""),
        (Cite(finding="fever", quote="high fever"), False, "not in the case"),
        (Cite(finding="cough", quote="denies cough"), False, "denied"),
        (Cite(finding="cough", quote="cough"), False, "denied"),
        (Cite(finding="leg swelling", quote="No leg swelling"), False, "denied"),
    ],
)
def test_supporting_citations(cite: Cite, kept: bool, issue: str) -> None:
    checked = check_differential(_diff([cite]), read_case(CASE))
    assert (checked.differential[0].supporting == [cite]) is kept
    if kept:
        assert checked.issues == []
    else:
        assert issue in checked.issues[0]


@pytest.mark.parametrize(
    ("supporting", "said", "kept", "issues"),
    [
        ([Cite(finding="fever", quote="fever")], "high", "high", 0),
        ([Cite(finding="fever", quote="fever")], "medium", "medium", 0),
        ([], "low", "low", 0),
        # a model's likely diagnosis with no finding of the case behind it
        ([], "high", "low", 1),
        ([], "medium", "low", 1),
        # its only quote is removed (denied, not in the case): nothing supports it now
        ([Cite(finding="cough", quote="denies cough")], "high", "low", 2),
        ([Cite(finding="fever", quote="high fever")], "medium", "low", 2),
    ],
)
def test_a_diagnosis_nothing_supports_is_low(
    supporting: list[Cite], said: str, kept: str, issues: int
) -> None:
    diff = _diff(supporting)
    diff.differential[0].likelihood = said  # type: ignore[assignment]
    checked = check_differential(diff, read_case(CASE))
    assert checked.differential[0].likelihood == kept
    assert len(checked.issues) == issues
    if kept != said:
        assert f"{said} -> low" in checked.issues[-1]


def test_a_denied_finding_may_oppose() -> None:
    cite = Cite(finding="cough", quote="He denies cough")
    support = [Cite(finding="fever", quote="fever")]
    checked = check_differential(_diff(support, [cite]), read_case(CASE))
    assert checked.differential[0].opposing == [cite]
    assert checked.issues == []


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("A 60 year old man with crushing chest pain.", "Acute coronary syndrome"),
        ("56 year old man, tearing chest pain radiating to the back.", "Aortic dissection"),
        (
            "A 28 year old woman with lower abdominal pain and vaginal bleeding.",
            "Ectopic pregnancy",
        ),
        ("A 30 year old with fever, headache and a stiff neck.", "Meningitis"),
        ("A 70 year old woman with sudden weakness of the left arm and slurred speech.", "Stroke"),
        ("A 45 year old with fever, chills and confusion.", "Sepsis"),
        ("A 40 year old woman, suddenly short of breath, coughing blood.", "Pulmonary embolism"),
    ],
)
def test_must_not_miss_fits(text: str, emergency: str) -> None:
    names = [e.name for e, _ in fitting(read_case(text))]
    assert any(n.startswith(emergency) for n in names), names


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("A 30 year old man with lower abdominal pain and bleeding gums.", "Ectopic pregnancy"),
        ("A 10 year old boy with chest pain after a fall.", "Acute coronary syndrome"),
        ("A 30 year old woman with a cough and no fever.", "Sepsis"),
        ("A 30 year old woman. She denies chest pain and is not short of breath.", "Pulmonary"),
    ],
)
def test_must_not_miss_does_not_fit(text: str, emergency: str) -> None:
    names = [e.name for e, _ in fitting(read_case(text))]
    assert not any(n.startswith(emergency) for n in names), names


def test_emergency_list_is_valid_and_names_are_found() -> None:
    assert len(emergencies()) >= 20
    assert is_emergency({"myocardial infarction"}) is not None
    assert is_emergency({"common cold"}) is None
