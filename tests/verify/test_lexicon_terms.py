"""Procedures, diagnoses and social-history words the lexicon reads, with the lay words
patients use for them (conversation and note lines written for these tests)."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze

from .conftest import make_draft, make_transcript

HISTORY = """\
[doctor] any surgeries in the past ?
[patient] i had my gallbladder removed and my tonsils out as a kid . and two c-sections .
[doctor] how is the knee replacement doing ?
[patient] great . i also get low blood sugars sometimes if i skip meals .
[doctor] do you smoke or drink ?
[patient] i never smoked . i have a glass of wine now and then .
[doctor] any drugs ?
[patient] no .
[doctor] have you been in a car crash ?
[patient] yes , i was rear-ended last year .
"""


def _facts(text: str) -> set[tuple[str, str, str]]:
    return {(f.kind, f.key, f.polarity) for f in analyze(text).facts if f.kind != "quantity"}


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Cholecystectomy.", "supported"),
        ("Tonsillectomy.", "supported"),
        ("Cesarean section x2.", "supported"),
        ("Appendectomy.", "unsupported"),
        ("Status post right knee arthroplasty.", "unsupported"),  # no side was said
        ("Status post knee arthroplasty.", "supported"),
        ("Hypoglycemia when she skips meals.", "supported"),
        ("Motor vehicle accident last year.", "supported"),
        ("Denies tobacco and illicit drug use.", "supported"),
        # the slash list is read word by word, and she does drink
        ("Denied tobacco/ETOH/illicit drug use.", "contradicted"),
        ("No tobacco use, occasional EtOH, no illicit drug use.", "supported"),
    ],
)
def test_procedures_and_lay_words(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(HISTORY)], omissions=False)
    v = report.verdicts[0]
    assert v.label == label, v.reason


def test_a_test_for_a_disease_is_not_the_disease() -> None:
    assert _facts("I had my last H I V test two years ago.") == {("order", "hiv test", "affirmed")}


def test_whether_asks_and_so_ends_a_denial() -> None:
    assert ("finding", "motor vehicle accident", "uncertain") in _facts(
        "They asked whether he has had an auto accident."
    )
    assert ("finding", "bruising", "affirmed") in _facts("No fracture, so it is a contusion.")


def test_words_joined_by_slashes_are_split_but_units_are_not() -> None:
    assert analyze("Denied drug/ETOH use, glucose 90 mg/dl.").tokens[:5] == (
        "denied",
        "drug",
        "etoh",
        "use",
        ",",
    )
    assert "mg/dl" in analyze("glucose 90 mg/dl").tokens


def test_singular_of_an_ions_finding_and_a_toothache_is_tooth_pain() -> None:
    assert _facts("No palpitation.") == {("finding", "palpitations", "negated")}
    assert _facts("Toothache.") == _facts("I have pain in my tooth.") - {
        ("anatomy", "tooth", "affirmed")
    }


SOCIAL = """\
Doctor: Are you married?
Patient: I lost my husband two years ago. Never remarried, I live by myself in my house.
Doctor: Where did you live before?
Patient: Thankfully, I left the nursing home last spring.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She is a widow and lives alone.", "supported"),
        ("She lives alone at home.", "supported"),
        ("She lives with a room-mate.", "unsupported"),
        ("She has left the nursing home.", "supported"),
    ],
)
def test_living_situation_is_read_in_the_patients_words(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [make_transcript(SOCIAL)], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_a_comma_and_i_start_a_new_clause_that_a_denial_does_not_reach() -> None:
    assert ("finding", "lives alone", "affirmed") in _facts("Never remarried, I live alone.")
    assert ("finding", "chills", "affirmed") in _facts("No fever, I have some chills.")
    assert ("finding", "fever", "negated") in _facts("No, I do not have a fever.")
    # a family member's scope goes on: "my mom and her sister, i think they had melanoma"
    fam = [f for f in analyze("My mom and her sister, I think they had melanoma.").facts]
    assert any(f.key == "melanoma" and f.family for f in fam)


def test_left_names_a_side() -> None:
    def sides(text: str) -> set[str]:
        return {f.laterality for f in analyze(text).facts if f.kind == "finding"}

    assert sides("She has left knee pain.") == {"left"}
    assert sides("She has left weakness.") == {"left"}


def test_a_relative_who_had_it_keeps_the_family_scope() -> None:
    facts = analyze("She has a brother who had a heart attack at 52.").facts
    assert any(f.key == "myocardial infarction" and f.family for f in facts)
    # a denial still ends at "who"
    assert ("finding", "diabetes", "affirmed") in _facts("No one who has diabetes.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am having loose watery stools.", ("finding", "diarrhea", "affirmed")),
        ("I don't have to wake up at night to urinate.", ("finding", "nocturia", "negated")),
    ],
)
def test_bowel_and_bladder_words(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _facts(text)


def test_dr_is_doctor_and_a_lawyer_an_attorney() -> None:
    source = "Patient: Doctor Ferguson takes care of that. I have a lawyer handling my case.\n"
    for statement in ("Dr. Ferguson takes care of that.", "He has an attorney."):
        report = verify(make_draft(statement), [make_transcript(source)], omissions=False)
        assert report.verdicts[0].label == "supported", report.verdicts[0].reason
