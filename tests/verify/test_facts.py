"""Clinical fact extraction: one table of cases per extractor, malformed input included."""

from __future__ import annotations

import pytest

from evident.verify import extract_facts, verify
from evident.verify.facts import Fact, analyze, stem

from .conftest import make_draft, make_transcript


def _one(text: str, kind: str) -> Fact:
    facts = [f for f in extract_facts(text) if f.kind == kind]
    assert facts, f"no {kind} in {text!r}"
    return facts[0]


@pytest.mark.parametrize(
    ("text", "key", "value", "unit", "freq", "route"),
    [
        ("Lisinopril 20 mg daily.", "lisinopril", 20, "mg", "daily", ""),
        (
            "take metformin five hundred milligrams twice a day by mouth",
            "metformin",
            500,
            "mg",
            "BID",
            "oral",
        ),
        ("Start Lasix 40 mg PO BID.", "furosemide", 40, "mg", "BID", "oral"),
        ("levothyroxine 50 mcg every morning", "levothyroxine", 50, "mcg", "daily", ""),
        ("insulin glargine 20 units at bedtime", "insulin glargine", 20, "unit", "daily", ""),
        ("albuterol inhaler as needed", "albuterol", None, "", "PRN", "inhaled"),
        ("10 mg of atorvastatin", "atorvastatin", 10, "mg", "", ""),
        ("Tylenol 1,000 mg three times a day", "acetaminophen", 1000, "mg", "TID", ""),
    ],
)
def test_medication(text, key, value, unit, freq, route) -> None:
    f = _one(text, "medication")
    assert (f.key, f.value, f.unit, f.frequency, f.route) == (key, value, unit, freq, route)


@pytest.mark.parametrize(
    ("text", "key", "value", "value2", "abnormal"),
    [
        ("blood pressure was one fifty over ninety", "blood pressure", 150, 90, True),
        ("BP 118/76", "blood pressure", 118, 76, False),
        ("heart rate of 110", "heart rate", 110, None, True),
        ("pulse 72", "heart rate", 72, None, False),
        ("temperature 101.2", "temperature", 101.2, None, True),
        ("oxygen saturation 91%", "oxygen saturation", 91, None, True),
        ("respiratory rate 16", "respiratory rate", 16, None, False),
        ("she weighs 180 pounds", "weight", 180, None, False),
        ("BMI is 32.5", "bmi", 32.5, None, True),
    ],
)
def test_vitals(text, key, value, value2, abnormal) -> None:
    f = _one(text, "vital")
    assert (f.key, f.value, f.value2, f.abnormal) == (key, value, value2, abnormal)


@pytest.mark.parametrize(
    ("text", "key", "value", "abnormal"),
    [
        ("Her hemoglobin A1c was 7.2%.", "a1c", 7.2, True),
        ("potassium 4.1", "potassium", 4.1, False),
        ("creatinine of 2.3", "creatinine", 2.3, True),
        ("LDL 160", "ldl", 160, True),
        ("hemoglobin is 13.5", "hemoglobin", 13.5, False),
        ("ejection fraction of 45%", "ejection fraction", 45, True),
        ("fasting glucose 250 mg/dl", "glucose", 250, True),
    ],
)
def test_labs(text, key, value, abnormal) -> None:
    f = _one(text, "lab")
    assert (f.key, f.value, f.abnormal) == (key, value, abnormal)


@pytest.mark.parametrize(
    ("text", "key", "polarity", "family", "historical"),
    [
        ("She has shortness of breath.", "dyspnea", "affirmed", False, False),
        ("He reports SOB on exertion.", "dyspnea", "affirmed", False, False),
        ("Denies chest pain.", "pain@chest", "negated", False, False),
        ("no fever, chills or cough", "cough", "negated", False, False),
        ("possible pneumonia", "pneumonia", "uncertain", False, False),
        ("history of atrial fibrillation", "atrial fibrillation", "affirmed", False, True),
        ("Her mother had breast cancer.", "breast cancer", "affirmed", True, False),
        ("no swelling, just some redness", "erythema", "affirmed", False, False),
        ("any nausea ?", "nausea", "asked", False, False),
        ("how is the nausea ?", "nausea", "affirmed", False, False),
        ("there is some swelling , okay ?", "swelling", "affirmed", False, False),
        ("i do n't see any fracture", "fracture", "negated", False, False),
    ],
)
def test_findings_context(text, key, polarity, family, historical) -> None:
    f = next(f for f in extract_facts(text) if f.key == key)
    assert (f.polarity, f.family, f.historical) == (polarity, family, historical)


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        # a result word after what it is said of, in one phrase, denies it
        ("HIV negative.", "hiv", "negated"),
        ("Pregnancy test negative.", "pregnancy", "negated"),
        ("Pregnancy test: negative.", "pregnancy", "negated"),
        ("Influenza A and B negative.", "influenza", "negated"),
        ("Flu test negative and covid test positive.", "influenza", "negated"),
        ("Flu test negative and covid test positive.", "covid-19", "affirmed"),
        ("Strep screen negative, flu negative.", "influenza", "negated"),
        ("the covid test came back negative .", "covid-19", "negated"),
        ("Fever and chills negative.", "chills", "negated"),
        # not past a comma, a preposition or more than two other words
        ("ROS: Positive for cough, otherwise negative.", "cough", "affirmed"),
        ("Chest pain, shortness of breath negative.", "pain@chest", "affirmed"),
        ("Pneumonia with sputum culture negative.", "pneumonia", "affirmed"),
        ("COVID test positive.", "covid-19", "affirmed"),
        # "ruled out for" looks forward, as ConText's "ruled out" does with "for"; and
        # back, as "ruled out" alone does
        ("Ruled out for MI.", "myocardial infarction", "negated"),
        ("He was ruled out for MI and discharged.", "myocardial infarction", "negated"),
        ("Pneumonia was ruled out for now, but bronchitis is likely.", "pneumonia", "negated"),
        ("Pneumonia was ruled out for now, but bronchitis is likely.", "bronchitis", "affirmed"),
        ("Rule out MI.", "myocardial infarction", "uncertain"),
        # a result said with another verb than "be", as "was negative" is read
        ("we checked the flu swab and it came back negative .", "influenza", "negated"),
        ("the flu swab came out negative and she has pneumonia .", "pneumonia", "affirmed"),
        ("the covid test came back positive .", "covid-19", "affirmed"),
    ],
)
def test_a_result_or_exclusion(text: str, key: str, polarity: str) -> None:
    f = next(f for f in extract_facts(text) if f.key == key)
    assert f.polarity == polarity


@pytest.mark.parametrize(
    ("text", "kind", "key", "laterality"),
    [
        ("right knee pain", "finding", "pain@knee", "right"),
        ("my left shoulder hurts", "finding", "pain@shoulder", "left"),
        ("edema of the bilateral lower extremities", "anatomy", "leg", "bilateral"),
        ("lower extremity edema on the right hand side", "finding", "swelling", "right"),
        ("all right , your knee looks fine", "anatomy", "knee", ""),
        ("x-ray of the left wrist", "order", "x-ray", "left"),
        ("right-sided wheezing", "finding", "wheezing", "right"),
        ("left-sided chest pain", "finding", "pain@chest", "left"),
        ("a right-handed carpenter with wheezing", "finding", "wheezing", ""),
    ],
)
def test_laterality(text, kind, key, laterality) -> None:
    f = next(f for f in extract_facts(text) if f.kind == kind and f.key == key)
    assert f.laterality == laterality


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("She is allergic to penicillin.", "penicillin", "affirmed"),
        ("Allergies: sulfa, codeine allergy", "codeine", "affirmed"),
        ("No known drug allergies.", "none", "negated"),
        ("NKDA", "none", "negated"),
    ],
)
def test_allergies(text, key, polarity) -> None:
    f = next(f for f in extract_facts(text) if f.kind == "allergy" and f.key == key)
    assert f.polarity == polarity


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("pain for two weeks", [("duration", 14.0)]),
        ("for a year and a half", [("duration", 547.875)]),
        ("EF 45%", [("percent", 45.0)]),
        ("grade 3/6 murmur", [("ratio", 3.0), ("ratio", 6.0)]),
        ("seen on 04/15/2005", [("date", 20050415.0)]),
        ("lost between 15 and 18 pounds", [("bodyweight", 15.0), ("bodyweight", 18.0)]),
        ("between 20 and 25 mg", [("mass", 20.0), ("mass", 25.0)]),
    ],
)
def test_quantities(text, values) -> None:
    got = [(f.key, round(f.base or 0, 3)) for f in extract_facts(text) if f.kind == "quantity"]
    assert got == values


@pytest.mark.parametrize(
    ("text", "kind", "key", "plan"),
    [
        ("We will order an MRI of the lumbar spine.", "order", "mri", True),
        ("I'll refer you to cardiology.", "order", "referral", True),
        ("follow up in 2 weeks", "order", "follow-up", True),
        ("She had an echo last year.", "order", "echocardiogram", False),
    ],
)
def test_orders(text, kind, key, plan) -> None:
    f = next(f for f in extract_facts(text) if f.kind == kind and f.key == key)
    assert f.plan == plan


@pytest.mark.parametrize(
    "text",
    ["", "   ", "?!.,;", "\x00\x07\x1b", "ü" * 50, "lisinopril mg mg mg / / 40/", "1" * 500],
)
def test_malformed_input_does_not_crash(text: str) -> None:
    an = analyze(text)
    assert isinstance(an.facts, tuple)


def test_long_text_is_handled() -> None:
    text = "Denies chest pain. " * 2000
    facts = extract_facts(text)
    assert facts and all(f.polarity == "negated" for f in facts if f.kind == "finding")


@pytest.mark.parametrize(
    ("text", "finding"),
    [("history of type 2 diabetes", "diabetes"), ("type II diabetes mellitus", "diabetes")],
)
def test_digits_inside_a_concept_are_no_quantity(text: str, finding: str) -> None:
    facts = extract_facts(text)
    assert [f.key for f in facts if f.kind == "finding"] == [finding]
    assert not [f for f in facts if f.kind == "quantity"]


@pytest.mark.parametrize(
    "words",
    [
        ("live", "lives", "lived", "living"),
        ("take", "takes", "taking"),
        ("dose", "doses"),
        ("surgery", "surgeries"),
        ("calorie", "calories"),
        ("try", "tries", "tried", "trying"),
        ("hospitalized", "hospitalization", "hospitalizations"),
        ("recent", "recently"),
    ],
)
def test_a_verb_and_its_forms_share_a_stem(words: tuple[str, ...]) -> None:
    assert len({stem(w) for w in words}) == 1


def test_a_denied_history_of_hospitalizations_is_borne_out_by_the_answers() -> None:
    src = make_transcript(
        "[doctor] have you ever been hospitalized for any issue ?\n[patient] no .\n"
        "[doctor] and you never had surgery ?\n[patient] correct , i never have .\n"
    )
    report = verify(make_draft("He has no history of hospitalizations or surgeries."), [src])
    assert report.verdicts[0].label == "supported"


def test_over_the_counter_reads_the_same_with_or_without_hyphens() -> None:
    src = make_transcript(
        "[patient] i tried some medications , some over the counter stuff , nothing helped .\n"
    )
    draft = make_draft("He has tried over-the-counter medications but they have not helped.")
    assert verify(draft, [src], omissions=False).verdicts[0].label == "supported"


def test_he_lives_alone_is_borne_out_by_i_live_alone() -> None:
    src = make_transcript("[doctor] do you live alone ?\n[patient] i live alone .\n")
    report = verify(make_draft("He lives alone."), [src], omissions=False)
    assert report.verdicts[0].label == "supported"
