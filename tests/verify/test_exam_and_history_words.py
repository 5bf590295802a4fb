"""Exam and history words the lexicon reads (JVD, noncompliance, a drug "for his blood
pressure"), "nocturia times 0", "one of", two-digit years and "up-to-date" (conversation
and note lines written for these tests)."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze

from .conftest import make_draft, make_transcript, verdict

VISIT = """\
[doctor] what do you take every day ?
[patient] metoprolol for my blood pressure and a baby aspirin .
[doctor] have you been taking them ?
[patient] honestly no , i am not complying , i stopped them a month ago .
[doctor] any surgeries ?
[patient] they took out my ovaries . and i had the heart attack in ninety six .
[doctor] do you wake up at night to go to the bathroom ?
[patient] no , i sleep through the night .
[doctor] what bothers you most ?
[patient] my main complaint is that i feel tired all day .
[doctor] and your sisters ?
[patient] one of my sisters had breast cancer .
[doctor] are your vaccinations up to date ?
[patient] yes , all of them .
[doctor] on your neck exam i do n't see any bulging of the jugular vein so that's good
on your heart exam i appreciate a two out of six systolic murmur .
"""


def _facts(text: str) -> set[tuple[str, str, str]]:
    return {(f.kind, f.key, f.polarity) for f in analyze(text).facts if f.kind != "quantity"}


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("On metoprolol for hypertension and aspirin.", "supported"),
        ("On metoprolol for diabetes.", "unsupported"),
        ("The patient is noncompliant with her medications.", "supported"),
        ("Status post oophorectomy.", "supported"),
        ("Myocardial infarction in 1996.", "supported"),
        ("Myocardial infarction in 1998.", "unsupported"),
        ("Nocturia times 0.", "supported"),
        ("Reports nocturia.", "contradicted"),
        ("Her primary complaint is one of fatigue throughout the day.", "supported"),
        ("One sister with breast cancer.", "supported"),
        ("She had two sisters with breast cancer.", "unsupported"),
        ("Immunizations: Up-to-date.", "supported"),
        ("Neck: No JVD.", "supported"),
        ("Jugular venous distension present.", "contradicted"),
        # the denial of the jugular vein before "so that's good" does not reach the murmur
        ("2/6 systolic murmur.", "supported"),
    ],
)
def test_exam_and_history_words(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(VISIT)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v.reason


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("She takes lisinopril for her blood pressure.", ("finding", "hypertension", "affirmed")),
        ("No JVD.", ("finding", "jugular venous distension", "negated")),
        ("Neck veins: no venous distention.", ("finding", "jugular venous distension", "negated")),
        ("He is non-compliant.", ("finding", "noncompliance", "affirmed")),
        ("Nocturia x0.", ("finding", "nocturia", "negated")),
        ("Nocturia x 2.", ("finding", "nocturia", "affirmed")),
        ("She has an enlarged thyroid.", ("finding", "goiter", "affirmed")),
        ("They took out my gallbladder.", ("order", "cholecystectomy", "affirmed")),
    ],
)
def test_words_read_as_findings(text: str, fact: tuple[str, str, str]) -> None:
    assert fact in _facts(text)


def _quantities(text: str) -> list[tuple[str, float | None]]:
    return [(f.key, f.value) for f in analyze(text).facts if f.kind == "quantity"]


def test_one_of_is_a_member_not_a_number_to_bear_out() -> None:
    assert _quantities("Her complaint is one of fatigue.") == [("count", 1.0)]
    assert _quantities("She took 1 of 3 tablets.") == [("", 1.0), ("", 3.0)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("I had the heart attack in ninety six.", [1996.0]),
        ("He has lived here since 08, and", [2008.0]),
        ("It got better in 20 minutes.", [20.0]),  # a duration, not a year
        ("Her score was in 96 percent of cases.", [96.0]),
    ],
)
def test_two_digit_years_after_in_or_since(text: str, values: list[float]) -> None:
    assert [v for _, v in _quantities(text)] == values


HISTORY = """\
[doctor] any past medical history ?
[patient] no .
[doctor] is there any history of drug or alcohol abuse in your life ?
[patient] no , absolutely not .
[doctor] how about your family ?
[patient] everyone in my family is quite healthy .
[doctor] did you pass out ?
[patient] i briefly lost consciousness when help arrived .
[doctor] who looks after you at home ?
[patient] nobody , i can't take care of myself anymore .
"""


@pytest.mark.parametrize(
    ("section", "statement", "label"),
    [
        ("Past medical history", "Nonsignificant.", "supported"),
        ("", "Does not report significant alcohol or illicit drug use.", "supported"),
        ("", "Reports illicit drug use.", "contradicted"),
        ("Family history", "Completely unremarkable FHx.", "supported"),
        ("", "He was transiently unconscious.", "supported"),
        ("", "He is unable to care for himself.", "supported"),
        ("", "He is unable to walk without a cane.", "unsupported"),
    ],
)
def test_history_said_in_other_words(section: str, statement: str, label: str) -> None:
    report = verify(
        make_draft(statement, section=section), [make_transcript(HISTORY)], omissions=False
    )
    v = report.verdicts[0]
    assert v.label == label, v.reason


def test_drugs_before_alcohol_are_substance_use() -> None:
    assert _facts("Is there any history of drug or alcohol abuse?") == {
        ("finding", "substance use", "asked"),
        ("finding", "alcohol use", "asked"),
    }
    assert _facts("No drugs or alcohol.") == {
        ("finding", "substance use", "negated"),
        ("finding", "alcohol use", "negated"),
    }


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Has diabetes.", "contradicted"),  # the history of it was denied
        ("History of diabetes.", "contradicted"),
        ("Presents with chest pain.", "supported"),  # a symptom can be new
    ],
)
def test_a_denied_history_of_a_condition(statement: str, label: str) -> None:
    source = make_transcript(
        "[doctor] any history of diabetes ?\n[patient] no .\n"
        "[doctor] any history of chest pain ?\n[patient] no , this is new . my chest hurts .\n"
    )
    v = verify(make_draft(statement), [source], omissions=False).verdicts[0]
    assert v.label == label, v.reason


def test_a_field_answered_never_is_denied() -> None:
    assert _facts("Illicit drug use: Never.") == {("finding", "substance use", "negated")}


DENIED_HISTORY = """\
[doctor] any past medical problems or surgeries i should know of ?
[patient] nope , none that i can think of .
[doctor] any high blood pressure or diabetes ?
[patient] no , sir .
[doctor] does anyone in your family have any medical problems ?
[patient] i'm not aware of any such thing in my family .
"""

NAMED_HISTORY = """\
[doctor] any high blood pressure or diabetes ?
[patient] no , but i have asthma .
"""


@pytest.mark.parametrize(
    ("source", "section", "statement", "label"),
    [
        # one "no" answers a question about both medical problems and surgeries
        (
            DENIED_HISTORY,
            "Past medical history",
            "No significant past medical history.",
            "supported",
        ),
        (DENIED_HISTORY, "Past surgical history", "None.", "supported"),
        # "i'm not aware of any" is a no
        (DENIED_HISTORY, "Family history", "Noncontributory.", "supported"),
        # diagnoses asked about and denied, none given: an unremarkable history
        (
            NAMED_HISTORY.replace(", but i have asthma", ""),
            "Past medical history",
            "None.",
            "supported",
        ),
        (NAMED_HISTORY, "Past medical history", "None.", "unsupported"),
        (NAMED_HISTORY, "Family history", "Noncontributory.", "unsupported"),
    ],
)
def test_a_history_denied_in_answers(source: str, section: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement, section)
    assert got == label, reason
