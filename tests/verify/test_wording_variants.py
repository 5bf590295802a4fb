"""Wording that notes and speech write differently: narrative words a note adds
("initially", "underwent"), organ adjectives ("ophthalmologic" for the eye) and family
words ("mom" for mother), follow-up said as "following up" or "see him in". Conversation
and note lines written for these tests."""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze

from .conftest import make_draft, make_transcript, verdict

VISIT = """\
[doctor] they did a phlebotomy back then , is that right ?
[patient] yes .
[doctor] do you have a history of eye problems ?
[patient] none .
[doctor] how is everyone in your family ?
[patient] my mom and dad are healthy .
[doctor] how is your appetite these days ?
[patient] it was diminished for a while , but it is improving now .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Initially, he underwent phlebotomy.", "supported"),
        ("He has had somewhat diminished appetite, but it is improving now.", "supported"),
        ("He has no prior ophthalmologic problems.", "supported"),
        ("Mother and father have been healthy.", "supported"),
        # the narrative words do not carry a statement the source never makes
        ("Initially, he underwent splenectomy.", "unsupported"),
        ("Overall, his renal problems are worse.", "unsupported"),
    ],
)
def test_wording_variants(statement: str, label: str) -> None:
    got, reason = verdict(VISIT, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("note", "spoken"),
    [
        ("ophthalmologic", "eye"),
        ("cardiac", "heart"),
        ("pulmonary", "lung"),
        ("renal", "kidney"),
        ("mom", "mother"),
        ("dad", "father"),
    ],
)
def test_organ_and_family_words_share_a_term(note: str, spoken: str) -> None:
    def words(text: str) -> list[str]:
        return [t for t in analyze(text).terms if not t.startswith("#")]

    assert words(f"{note} problems") == words(f"{spoken} problems")


@pytest.mark.parametrize(
    ("spoken", "statement", "label"),
    [
        (
            "[doctor] hi again , we are following up today .",
            "She comes in for followup.",
            "supported",
        ),
        ("[doctor] hi again , how are you today ?", "She comes in for followup.", "unsupported"),
        (
            "[doctor] i'd like to see him in the office next week .",
            "He is to be followed up in the office next week.",
            "supported",
        ),
    ],
)
def test_follow_up_said_as_following_up_or_see_him_in(
    spoken: str, statement: str, label: str
) -> None:
    report = verify(make_draft(statement), [make_transcript(spoken + "\n")], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_narrative_words_are_no_terms() -> None:
    terms = analyze("However, initially he apparently underwent several tests.").terms
    assert terms == ("test",)


@pytest.mark.parametrize(
    "text",
    ["we are following up today", "i'd like to see him in the office", "we will see her back"],
)
def test_follow_up_phrases_are_read_as_the_order(text: str) -> None:
    assert ("order", "follow-up") in {(f.kind, f.key) for f in analyze(text).facts}


def test_a_glass_of_wine_a_day_bears_out_one_drink_a_day() -> None:
    src = make_transcript(
        "[doctor] do you drink ?\n[patient] i take one glass of wine every day .\n"
    )
    report = verify(make_draft("He has one alcoholic drink per day."), [src], omissions=False)
    assert report.verdicts[0].label == "supported", report.verdicts[0].reason


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Her sugars run a bit high, the highest at 188.", "supported"),
        # the number still has to be the one said
        ("Her sugars run a bit high, the highest at 198.", "unsupported"),
    ],
)
def test_the_highest_reading_is_the_high_one_said(statement: str, label: str) -> None:
    src = make_transcript(
        "[doctor] your sugars have been up and down . this morning it was a bit high at "
        "one hundred eighty-eight . last time it was one hundred fifty .\n"
    )
    report = verify(make_draft(statement), [src], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason


SOCIAL = """\
[doctor] do you live in the area ?
[patient] yes , with my biological mother and father .
[doctor] is anyone else in the household sick ?
[patient] no .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("The patient lives locally.", "supported"),
        ("Lives with biologic father and mother.", "supported"),
        ("Nobody else at home is currently ill.", "supported"),
        ("The patient lives abroad with his adoptive parents.", "unsupported"),
    ],
)
def test_home_and_family_words(statement: str, label: str) -> None:
    got, reason = verdict(SOCIAL, statement)
    assert got == label, reason


LAY_WORDS = """\
[doctor] any medical problems in the family ?
[patient] my mom does have sugar issues .
[doctor] any drug use ?
[patient] i'm big on weed , it's a habit .
[doctor] when were you diagnosed with parkinson's ?
[patient] in two thousand and one . i have not had any U T Is since .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # lay words for a disease or a habit, and a spelled acronym's plural
        ("Mother has DM.", "supported"),
        ("She does have a history of chronic marijuana use.", "supported"),
        ("She denies marijuana use.", "contradicted"),
        ("She was diagnosed with Parkinson's disease in 2001.", "supported"),
        ("No urinary tract infections since then.", "supported"),
        # "my mom does have": the mother's, not the patient's
        ("She has diabetes.", "unsupported"),
        ("The patient has diabetes.", "unsupported"),
        ("She uses cocaine daily.", "unsupported"),
    ],
)
def test_lay_words_for_diseases_and_habits(statement: str, label: str) -> None:
    got, reason = verdict(LAY_WORDS, statement)
    assert got == label, reason


HISTORY_WORDS = """\
[doctor] where are you from ?
[patient] i am from maine . i live with my husband , my parents both passed away .
[doctor] do you have a doctor here ?
[patient] no local doctor . the headaches wake me up at night .
[doctor] we did an electromyography study . have you tried to quit smoking ?
[patient] it's hard to quit .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("The patient is originally from Maine.", "supported"),
        ("She lives with her spouse.", "supported"),
        ("Her parents are deceased.", "supported"),
        ("No local physician.", "supported"),
        ("The headaches woke her up at night.", "supported"),
        ("We have done EMG studies.", "supported"),
        ("She says it is difficult to quit.", "supported"),
        ("She is originally from Texas.", "unsupported"),
        ("She lives with her sister.", "unsupported"),
        ("Her brother is deceased.", "unsupported"),
    ],
)
def test_history_words_a_note_writes_differently(statement: str, label: str) -> None:
    got, reason = verdict(HISTORY_WORDS, statement)
    assert got == label, reason


SYMPTOM_WORDS = """\
[doctor] how has your blood pressure been ?
[patient] a couple of times my blood pressure was high .
[doctor] does she snore ? any night sweat ?
[patient] she snores a lot . no night sweat .
[doctor] any pain while peeing ? any excessive sweating ?
[patient] no and no . i am not able to sleep though , and i have a bellyache .
[doctor] you had two hysterectomies and you have hypothyroid , right ?
[patient] yes .
[doctor] no lymph adenopathy on exam .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He has had episodes of high blood pressure.", "supported"),
        ("She snores at night.", "supported"),
        ("No night sweats.", "supported"),
        ("He denies dysuria.", "supported"),
        ("No diaphoresis.", "supported"),
        ("She has insomnia.", "supported"),
        ("Abdominal pain.", "supported"),
        ("Status post hysterectomy.", "supported"),
        ("Hypothyroidism.", "supported"),
        ("No lymphadenopathy.", "supported"),
        # and the same words still tell a denial from a report
        ("She reports night sweats.", "contradicted"),
        ("She reports dysuria.", "contradicted"),
        ("She denies snoring.", "contradicted"),
    ],
)
def test_symptom_words_said_plainly(statement: str, label: str) -> None:
    got, reason = verdict(SYMPTOM_WORDS, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("the skin is red and warm .", True),
    ],
)
def test_red_skin_is_redness(text: str, present: bool) -> None:
    found = [f for f in analyze(text).facts if f.key == "erythema"]
    assert bool(found) == present


MORE_PLAIN_WORDS = """\
[doctor] any urine issues ?
[patient] last week i had to pee frequently . my blood pressure was quite high too .
[doctor] any bluish color around her mouth ?
[patient] no .
[doctor] i see a curve in the spine . you had a partial removal of your ovaries ?
[patient] yes . and i take birth control pills .
[doctor] you have some inflammation in your gallbladder .
[doctor] you have cholesterol issues , and you had your left breast removed ?
[patient] yes , and i tore my acl in two thousand eight .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("Last week she had some urinary frequency.", "supported"),
        ("Her blood pressure was elevated.", "supported"),
        ("Mom denies perioral cyanosis.", "supported"),
        ("Mild scoliosis.", "supported"),
        ("Status post partial oophorectomy.", "supported"),
        ("(+) birth control pill use.", "supported"),
        ("Probable cholecystitis.", "supported"),
        ("She is treated for hyperlipidemia.", "supported"),
        ("Status post left mastectomy.", "supported"),
        ("ACL injury in 2008.", "supported"),
        ("ACL injury in 2010.", "unsupported"),
        ("She reports perioral cyanosis.", "contradicted"),
        ("Status post hysterectomy.", "unsupported"),
    ],
)
def test_more_plain_words(statement: str, label: str) -> None:
    got, reason = verdict(MORE_PLAIN_WORDS, statement)
    assert got == label, reason
