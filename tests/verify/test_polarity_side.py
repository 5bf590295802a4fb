"""Polarity and side rules added for negation and laterality detection.

Conversations written for these tests: a site's pain only ever denied while other pain is
discussed, a body site whose side is never said, questions that take a finding as given
("what caused the chest pain?"), and uncertain mentions that must not support a denial.
"""

from __future__ import annotations

import pytest

from evident.verify import verify
from evident.verify.facts import analyze

from .conftest import make_draft, make_transcript
from .conftest import verdict as _verdict

BACK = """\
[doctor] so what brings you in today ?
[patient] my lower back , it's been bad for a week .
[doctor] what have you taken for the pain ?
[patient] just tylenol , it takes the edge off .
[doctor] any chest pain or belly pain ?
[patient] no .
[doctor] okay , let me look at your big toe too since you mentioned it .
[patient] it's been red and sore for a few days .
"""

CAUSE = """\
[doctor] you went to the er for chest pain last week ?
[patient] yes , on saturday .
[doctor] can you think of anything that might have caused the chest pain ?
[patient] no , i was just sitting on the couch .
[doctor] does the pain go anywhere ?
[patient] no , it stays in the middle .
"""

MAYBE = """\
[patient] probably about six hours after dinner i felt very dizzy and then i felt fine .
[doctor] okay , and your appetite ?
[patient] that's been normal .
"""


@pytest.mark.parametrize(
    ("source", "statement", "label", "reason_part"),
    [
        # "taken for the pain" is about the back pain: it cannot support a chest pain the
        # patient denied
        (BACK, "Cardiovascular: reports chest pain.", "contradicted", "says no chest pain"),
        (BACK, "Gastrointestinal: reports abdominal pain.", "contradicted", "no"),
        (BACK, "Cardiovascular: denies chest pain.", "supported", ""),
        # a side the conversation never gives is not verified: either side is unsupported
        (BACK, "Redness of the left great toe.", "unsupported", "never gives a side"),
        (BACK, "Redness of the right great toe.", "unsupported", "never gives a side"),
        (BACK, "Redness of the great toe.", "supported", ""),
        # a question about "the chest pain" takes it as given: the "no" answers the cause
        (CAUSE, "He reports chest pain.", "supported", ""),
        (CAUSE, "Cardiovascular: negative for chest pain.", "contradicted", "has"),
        # "probably" hedges the timing, not the dizziness: it is affirmed
        (MAYBE, "Neurological: denies dizziness.", "contradicted", "affirms dizziness"),
    ],
)
def test_polarity_and_side_rules(source: str, statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(source, statement)
    assert got == label, reason
    assert reason_part in reason


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("can you think of anything that caused the chest pain ?", "pain@chest", "affirmed"),
        ("does your knee pain get worse at night ?", "pain@knee", "affirmed"),
        ("any chest pain ?", "pain@chest", "asked"),
        ("x-rays show obvious signs of fracture .", "fracture", "affirmed"),
        ("x-rays show no signs of fracture .", "fracture", "negated"),
        ("we will monitor for signs of infection .", "infection", "uncertain"),
        # "how about" / "what about" open yes-no questions, fillers aside
        ("and how about , um , any fever or chills ?", "fever", "asked"),
        ("what about swelling ?", "swelling", "asked"),
        ("how long have you had the cough ?", "cough", "affirmed"),
        # the wh-word still leads after "thank you , and"; "tell me , are ..." asks
        ("thank you , and how long have you had knee pain ?", "pain@knee", "affirmed"),
        ("so , tell me , are your hemorrhoids painful ?", "pain@", "asked"),
        ("i've been coughing up blood .", "hemoptysis", "affirmed"),
    ],
)
def test_question_presupposition_and_signs(text: str, key: str, polarity: str) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts if f.kind == "finding"}
    assert facts.get(key) == polarity, facts


NUMBERS = """\
[doctor] your vitals look good , your respiratory rate is fourteen .
[doctor] and your hemoglobin , let me pull it up .
[doctor] okay , here it is .
[doctor] it's low at 8.2 .
[doctor] you are on amlodipine five milligrams and we'll recheck in three weeks .
[patient] sounds good .
[doctor] we talked about a lot of things today , your sleep , your job , your diet .
[doctor] we also talked about your garden and your grandchildren .
[doctor] and finally your type 2 diabetes , we'll keep the metformin as it is .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # a value the vital or lab check confirmed is not checked again as a bare number
        ("Respirations: 14", "supported", ""),
        ("Hemoglobin is 8.2.", "supported", ""),
        ("Hemoglobin is 9.2.", "unsupported", "9.2"),
        # a bare number must not be matched by a dose or a duration of the same value
        ("Stage 5 chronic kidney disease.", "unsupported", "chronic kidney disease"),  # named first
        ("Type 3 diabetes.", "unsupported", "3"),
        # far from the evidence, a number naming the same thing is found
        ("Diabetes type 2.", "supported", ""),
        ("Type 1 diabetes.", "unsupported", "type 1 diabetes"),
    ],
)
def test_number_rules(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(NUMBERS, statement)
    assert got == label, reason
    assert reason_part in reason


REVIEW = """\
[doctor] what brings you in ?
[patient] last year i had this horrible chest pain and they put in a stent .
[doctor] and since then ? have you had any chest pain ?
[patient] no , none at all .
[doctor] any other joint pain , like elbows or shoulders ?
[patient] no , just the knee .
[doctor] okay .
[patient] the joint pain in my knee is worse on stairs .
[doctor] okay , let me press on your belly . does that hurt ?
[patient] no .
[doctor] vitals are fine , pain zero out of ten .
"""


@pytest.mark.parametrize(
    ("statement", "section", "label", "reason_part"),
    [
        # the review of systems takes the answer to the review question, not the history
        ("Cardiovascular: reports chest pain.", "REVIEW OF SYSTEMS", "contradicted", "no chest"),
        ("Cardiovascular: denies chest pain.", "REVIEW OF SYSTEMS", "supported", ""),
        ("Cardiovascular: denies chest pain.", "ROS", "supported", ""),
        # "any other joint pain?" - "no" does not deny the knee's joint pain in the review
        ("Musculoskeletal: positive for arthralgias.", "REVIEW OF SYSTEMS", "supported", ""),
    ],
)
def test_review_of_systems_takes_the_answers(
    statement: str, section: str, label: str, reason_part: str
) -> None:
    draft = make_draft(statement, section=section)
    v = verify(draft, [make_transcript(REVIEW)], omissions=False).verdicts[0]
    assert v.label == label, v.reason
    assert reason_part in v.reason


def test_history_outside_the_review_is_not_overruled() -> None:
    # in the history of present illness the chest pain of last year is told, not denied
    draft = make_draft("He had chest pain last year before his stent.", section="HPI")
    v = verify(draft, [make_transcript(REVIEW)], omissions=False).verdicts[0]
    assert v.label == "supported", v.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain 6 out of 10 .", {"pain@": "affirmed"}),
        # the possessive governs a pair: "your coughing and coughing up blood"
        (
            "did you go to the er for your coughing and coughing up blood ?",
            {"cough": "affirmed", "hemoptysis": "affirmed"},
        ),
        ("are your legs swelling up ?", {"swelling": "asked"}),
        ("any fever and chills ?", {"fever": "asked", "chills": "asked"}),
    ],
)
def test_pain_scores_and_pairs(text: str, expected: dict[str, str]) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts if f.kind == "finding"}
    assert facts == expected


def test_hedged_reply_keeps_its_finding() -> None:
    # "not really ... maybe a bit of nausea": the no does not deny the nausea it names
    src = make_transcript(
        "[doctor] any nausea or vomiting ?\n[patient] not really . maybe a bit of nausea .\n"
    )
    for statement, label in [
        ("Gastrointestinal: endorses mild nausea.", "supported"),
        ("Gastrointestinal: denies vomiting.", "supported"),
        ("Gastrointestinal: reports vomiting.", "contradicted"),
    ]:
        draft = make_draft(statement, section="REVIEW OF SYSTEMS")
        v = verify(draft, [src], omissions=False).verdicts[0]
        assert v.label == label, (statement, v.reason)


def test_okay_ends_a_negation_in_an_unpunctuated_turn() -> None:
    text = "no no no pain at all okay now i know that you're a diabetic and on insulin"
    facts = {f.key: f.polarity for f in analyze(text).facts if f.kind == "finding"}
    assert facts["diabetes"] == "affirmed", facts
    assert facts["pain@"] == "negated", facts


def test_a_correction_ends_the_negation_of_the_wrong_side() -> None:
    facts = analyze("it it's not the right knee it's the left knee")
    sides = {f.laterality: f.polarity for f in facts.facts if f.key == "knee"}
    assert sides == {"right": "negated", "left": "affirmed"}


SLIP = """\
[doctor] which knee is it ?
[patient] it's not the right knee it's the left knee .
[doctor] okay , the left knee . how long has the left knee been hurting ?
[patient] about a week .
[doctor] on your right knee exam , no effusion .
[doctor] your left knee x-ray shows no fracture .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [("Left knee pain.", "supported"), ("Right knee pain.", "contradicted")],
)
def test_one_slip_of_the_side_does_not_outweigh_the_patient(statement: str, label: str) -> None:
    got, reason = _verdict(SLIP, statement)
    assert got == label, reason


def test_right_as_an_adverb_is_no_side() -> None:
    an = analyze("it stays pretty much right at the shoulder")
    assert [f.laterality for f in an.facts if f.key == "shoulder"] == [""]
    an = analyze("pain in the right shoulder")
    assert [f.laterality for f in an.facts if f.key == "shoulder"] == ["right"]


DENIED_SIDE = """\
[patient] i slipped on the ice and my ankle swelled up .
[doctor] no bony tenderness of the foot on your neurovascular exam of your right foot .
[doctor] your ankle is bruised and warm .
"""

TWO_TO_ONE = """\
[patient] my right shoulder has hurt for a month .
[doctor] okay , and the right shoulder hurts when you lift ?
[patient] yes .
[doctor] any injuries to the left shoulder before ?
[patient] i broke my collarbone as a kid .
"""


@pytest.mark.parametrize(
    ("source", "statement", "label", "reason_part"),
    [
        # the foot's only side is a denied right: a note's left foot is not verified
        (DENIED_SIDE, "Skin: positive warmth to the left foot.", "unsupported", "no left side"),
    ],
)
def test_sides_given_only_in_denials(
    source: str, statement: str, label: str, reason_part: str
) -> None:
    got, reason = _verdict(source, statement)
    assert got == label, reason
    assert reason_part in reason


def test_a_side_in_two_segments_outweighs_one() -> None:
    from evident.verify.index import SourceIndex
    from evident.verify.sides import _dominant_side

    index = SourceIndex([make_transcript(TWO_TO_ONE)])
    assert set(_dominant_side("left", "shoulder", index)) == {"right"}
    assert _dominant_side("right", "shoulder", index) == {}


RANGES = """\
[doctor] i'll give you oxycodone five milligrams every six to eight hours as needed .
[doctor] stay off the foot for one to two days .
[patient] i've followed with dr. smith since may 2020 .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("Oxycodone 5 mg every 6 to 8 hours as needed.", "supported", ""),
        ("Oxycodone 5 mg every 8 to 8 hours as needed.", "contradicted", "says 6 to 8 hour"),
        ("Non-weight-bearing for 2 to 2 days.", "contradicted", "1 to 2 day"),
        ("Non-weight-bearing for 1-2 days.", "supported", ""),
        # a month before a year is no range
        ("Followed by Dr. Smith since May 2020.", "supported", ""),
    ],
)
def test_a_range_is_checked_as_a_pair(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(RANGES, statement)
    assert got == label, reason
    assert reason_part in reason


INHALERS = """\
[doctor] let's continue the albuterol , two puffs every four to six hours as needed .
[doctor] for the knee take ibuprofen 400 milligrams up to three times a day .
[doctor] and the colonoscopy was five or six years ago ?
[patient] yes .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("Albuterol 2 puffs every 4-6 hours as needed.", "supported", ""),
        # "3 puffs" is checked against the drug's dose, not the "three" of another line
        ("Albuterol 3 puffs every 4-6 hours as needed.", "contradicted", "albuterol 2"),
        # "up to 3 times per day" is a frequency, the dose is the 400 mg before the name
        ("He will take 400 mg of ibuprofen up to 3 times per day.", "supported", ""),
        ("He will take 800 mg of ibuprofen up to 3 times per day.", "contradicted", "400 mg"),
        # "5-6 years" shares its unit like "5 or 6 years"
        ("Colonoscopy 5-6 years ago.", "supported", ""),
    ],
)
def test_doses_counts_and_hyphen_ranges(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(INHALERS, statement)
    assert got == label, reason
    assert reason_part in reason


TIMES = """\
[doctor] you're on metoprolol twenty five milligrams twice a day ?
[patient] yes .
[doctor] and one of her parents had kidney disease .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # "2 times per day" is the "twice a day" said, not a bare 2 to find
        ("She is taking metoprolol 25 mg 2 times per day.", "supported", ""),
        ("She is taking metoprolol 25 mg 3 times per day.", "contradicted", "BID"),
        # a bare 1 is not found in "daily" or "twice a day"
        ("She takes 1 aspirin.", "unsupported", ""),
    ],
)
def test_times_per_day_is_a_frequency(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(TIMES, statement)
    assert got == label, reason
    assert reason_part in reason


BACK_EXAM = """\
[patient] my lower back still hurts when i roll over in my sleep .
[doctor] okay , on exam there is no pain to palpation of the lumbar spine .
"""


@pytest.mark.parametrize(
    ("section", "label"),
    [("REVIEW OF SYSTEMS", "contradicted"), ("PHYSICAL EXAM", "supported")],
)
def test_the_review_is_told_not_found_on_exam(section: str, label: str) -> None:
    # the review of systems reports what the patient tells; the exam's "no pain to
    # palpation" supports an exam statement, not a denial of back pain in the review
    draft = make_draft("Musculoskeletal: denies lower back pain.", section=section)
    v = verify(draft, [make_transcript(BACK_EXAM)], omissions=False).verdicts[0]
    assert v.label == label, v.reason


HEART = (
    (
        "[doctor] when did you last see your nephrologist ?\n"
        "[patient] oh , probably a year ago .\n"
        "[doctor] lungs are clear i don't hear any crackles or rhonchi your heart exam you do"
        " have a two over six systolic ejection murmur you had that in the past .\n"
    )
    + """\
[doctor] of note , the ct shows a wide frontal horn span .
[doctor] we talked about your diet .
[doctor] your sleep .
[doctor] and your work .
[doctor] and your kids and the garden .
[doctor] by my reading it measures 4.6 centimeters at the level of the foramen .
"""
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He has not seen his nephrologist for a year.", "supported"),
        # "you do have" ends the scope of "i don't hear": the murmur is affirmed
        ("Heart: 2/6 systolic ejection murmur.", "supported"),
        ("Heart: no murmurs.", "contradicted"),
        # a decimal is specific: found wherever the source gives it
        ("CT: frontal horn span 4.6 cm.", "supported"),
        ("CT: frontal horn span 5.6 cm.", "unsupported"),
    ],
)
def test_year_ago_affirmed_murmur_and_decimals(statement: str, label: str) -> None:
    got, reason = _verdict(HEART, statement)
    assert got == label, reason


REFERRAL = """\
[doctor] so for the lyme disease i'll prescribe doxycycline one hundred milligrams twice a day .
[doctor] i'm gon na just touch base with an infectious disease doctor to make sure .
[patient] okay .
"""


def test_touch_base_is_a_referral_and_gonna_plans_it() -> None:
    label, reason = _verdict(REFERRAL, "Consult infectious disease.")
    assert label == "supported", reason
    draft = make_draft("Doxycycline 100 mg twice a day.")
    report = verify(draft, [make_transcript(REFERRAL)])
    assert [o.kind for o in report.omissions] == ["referral"]
    assert report.omissions[0].segment == "u2"


KNEE_EXAM = """\
[doctor] a healed scar from your prior knee surgery , and there's no lower extremity edema .
[doctor] i don't see any evidence of any fractures i do notice the effusion around the right knee .
[doctor] for family history , it looks like there's diabetes and kidney disease .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "prior" modifies the surgery; "there's no ... edema" is a new clause, today
        ("There is no lower extremity edema.", "supported"),
        ("There is lower extremity edema.", "contradicted"),
        # "i do notice" ends the scope of "i don't see"
        ("Small right knee effusion.", "supported"),
        ("No effusion of the right knee.", "contradicted"),
    ],
)
def test_a_new_clause_ends_negation_and_history(statement: str, label: str) -> None:
    got, reason = _verdict(KNEE_EXAM, statement)
    assert got == label, reason


def test_a_new_clause_keeps_the_family_scope() -> None:
    facts = analyze(
        "for family history , it looks like there's diabetes and kidney disease ."
    ).facts
    family = {f.key: f.family for f in facts if f.kind == "finding"}
    assert family and all(family.values()), family
    got, reason = _verdict(KNEE_EXAM, "She has diabetes.")
    assert got == "unsupported", reason


ELBOWS = """\
[doctor] what brings you in ?
[patient] my elbows hurt when i type all day .
[doctor] any other joint pain ?
[patient] no , just my elbows .
[doctor] any other pain down here in your calves ?
[patient] no .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # "any other joint pain?" - "no" neither denies nor confirms joint pain
        ("Musculoskeletal: negative for joint pain.", "unsupported", "only asks about other"),
        ("Musculoskeletal: endorses joint pain.", "unsupported", "only asks about other"),
        # ... but it is what "no other joint pain" rests on
        ("No other joint pain.", "supported", ""),
        # "other pain in your calves" still asks about the calves
        ("No calf pain.", "supported", ""),
        ("Reports calf pain.", "contradicted", "says no"),
    ],
)
def test_any_other_asks_about_more_of_it(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(ELBOWS, statement)
    assert got == label, reason
    assert reason_part in reason


FLANK = """\
[doctor] what side of your back is it on ?
[patient] the pain started on the right side and moved , now it is in the left side of my back .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("The pain moved over and he feels it on the left side of his back.", "supported"),
        ("The pain moved over and he feels it on the right side of his back.", "contradicted"),
    ],
)
def test_the_side_of_a_site(statement: str, label: str) -> None:
    facts = analyze("the left side of my back").facts
    assert [(f.key, f.laterality) for f in facts if f.kind == "anatomy"] == [("back", "left")]
    got, reason = _verdict(FLANK, statement)
    assert got == label, reason


FOLLOW_UP = """\
[doctor] i wan na see you again next week for a follow-up .
[doctor] if the ankle still hurts after this week , call the office and we'll get an mri .
[patient] okay , in a day or two i should be walking on it .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("Follow up in 1 week.", "supported", ""),
        ("Follow up in 3 weeks.", "contradicted", "says 1 week"),
        (
            "If her pain does not improve over the next week, we will obtain an MRI.",
            "supported",
            "",
        ),
    ],
)
def test_next_week_is_one_week(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(FOLLOW_UP, statement)
    assert got == label, reason
    assert reason_part in reason


STROKE_SIDE = """\
Doctor: You have pain on the right side now?
Patient: Yes, because of my stroke.
Doctor: After the surgery you had some pain in your right L four distribution, correct?
Patient: That's correct.
Doctor: And the ache is back again on your right lower abdomen?
Patient: Yes.
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        ("She has significant pain on the right side from her stroke.", "supported", ""),
        ("She has significant pain on the left side from her stroke.", "contradicted", "right"),
        ("She had pain in the left L4 distribution after surgery.", "contradicted", "right"),
    ],
)
def test_pain_on_a_side_with_no_site(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(STROKE_SIDE, statement)
    assert got == label, reason
    assert reason_part in reason


def test_the_side_before_a_site_modifier_is_not_taken_backwards() -> None:
    facts = analyze("the ache is back again on your right lower abdomen").facts
    sides = {f.key: f.laterality for f in facts if f.kind == "anatomy"}
    assert sides.get("back") == "", sides


SORES = """\
Doctor: Have you experienced any diarrhea?
Patient: Yes. It started with the mouth sores. I didn't have any diarrhea today though.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("She has had diarrhea since the mouth sores started.", "supported"),
        ("She has had no diarrhea today.", "supported"),
        ("She has had diarrhea today.", "contradicted"),
    ],
)
def test_today_picks_the_clause(statement: str, label: str) -> None:
    got, reason = _verdict(SORES, statement)
    assert got == label, reason


TENNIS = """\
Patient: I twisted my right knee playing tennis three days ago.
Doctor: Are you able to stand on this knee?
Patient: Only for a minute or so.
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # the knee is talked of, knee pain never: the knee alone does not support a denial
        ("She denies pain in the right knee after playing tennis.", "unsupported", "knee pain"),
        ("She reports instability of the right knee.", "supported", ""),
    ],
)
def test_a_site_alone_does_not_support_its_finding(
    statement: str, label: str, reason_part: str
) -> None:
    got, reason = _verdict(TENNIS, statement)
    assert got == label, reason
    assert reason_part in reason


def test_knee_joint_pain_is_knee_pain() -> None:
    facts = analyze("Endorses right knee joint pain.").facts
    assert [(f.key, f.laterality) for f in facts if f.kind == "finding"] == [("pain@knee", "right")]
    facts = analyze("any other joint pain like elbows or shoulder").facts
    assert [f.key for f in facts if f.kind == "finding"] == ["joint pain"]


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        # a contraction negates as its spelled-out form does
        ("it looks like your tongue isn't swollen either .", "swelling", "negated"),
        ("it wasn't painful .", "pain@", "negated"),
        # ... but not where it only says what the speaker knows or what may come
        ("i don't know if that triggered my gastritis .", "gastritis", "uncertain"),
        ("if the swelling doesn't go away , call us .", "swelling", "uncertain"),
        ("that cream doesn't help the swelling .", "swelling", "affirmed"),
    ],
)
def test_contractions_and_pseudo_triggers(text: str, key: str, polarity: str) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts if f.kind == "finding"}
    assert facts.get(key) == polarity, facts


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("i didn't pass out .", "syncope", "negated"),
        ("any double vision or headaches ?", "diplopia", "asked"),
        ("now i am starting to have blurry vision .", "blurred vision", "affirmed"),
        ("it doesn't bother me as much as my allergies .", "allergic rhinitis", "affirmed"),
        ("how bout cough ?", "cough", "asked"),
        ("pain in my right shoulder blade .", "pain@shoulder", "affirmed"),
        ("pain in the left scapular region .", "pain@shoulder", "affirmed"),
    ],
)
def test_syncope_diplopia_comparison_and_how_bout(text: str, key: str, polarity: str) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts if f.kind == "finding"}
    assert facts.get(key) == polarity, facts


MEDS_SAID = """\
[doctor] you're on two . five of norvasc for your blood pressure , and five hundred of metformin .
[doctor] your a1c was seven . three last time .
[patient] my new med is a combo med , something 40-25 . and the amlodipine , 10 milligrams daily .
[doctor] yes , the benicar hct .
[doctor] ice the knee three or four times a day for twenty thirty minutes at a time .
[doctor] and fifty of synthroid every morning .
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # a dose said without a unit is in mg (mcg for thyroid hormone)
        ("Continue Norvasc 2.5 mg.", "supported", ""),
        ("Continue metformin 500 mg daily.", "supported", ""),
        ("Continue metformin 500 mcg daily.", "contradicted", "500"),
        ("Continue levothyroxine 50 mcg every morning.", "supported", ""),
        # "seven . three" is 7.3 in a tokenised transcript
        ("Previous hemoglobin A1c 7.3.", "supported", ""),
        # "twenty thirty minutes" is 20 to 30 minutes, not the year 2030
        ("Ice the knee 3 to 4 times a day for 20 to 30 minutes.", "supported", ""),
        # a combination dose belongs to its drug: not contradicted by the other's 10 mg;
        # its two strengths are said together ("something 40-25"), so it is borne out
        ("He takes amlodipine 10 mg daily and Benicar HCT 40-25 mg daily.", "supported", ""),
    ],
)
def test_doses_said_without_units_and_spoken_ranges(
    statement: str, label: str, reason_part: str
) -> None:
    got, reason = _verdict(MEDS_SAID, statement)
    assert got == label, reason
    assert reason_part in reason


def test_a_new_plan_sentence_ends_the_negation() -> None:
    facts = analyze(
        "If his blood pressure is still not controlled, I will refer him to the resistant"
        " hypertension clinic."
    ).facts
    assert {f.key: f.polarity for f in facts if f.kind == "finding"}["hypertension"] != "negated"


EPILEPSY = """\
[doctor] have you had any recent seizures ?
[patient] uh , no , i have n't . i think my last seizure was a year ago .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "my last seizure was a year ago" is history: it does not contradict "none recently"
        ("She denies any recent seizures.", "supported"),
        ("Her last seizure was about a year ago.", "supported"),
    ],
)
def test_a_year_ago_is_history(statement: str, label: str) -> None:
    facts = analyze("i think my last seizure was a year ago .").facts
    assert [(f.key, f.historical) for f in facts if f.kind == "finding"] == [("seizure", True)]
    got, reason = _verdict(EPILEPSY, statement)
    assert got == label, reason


def test_in_the_two_hundreds_is_200() -> None:
    source = (
        "[doctor] how are your sugars ?\n"
        "[patient] still in the two hundreds , my last a1c was about ten .\n"
    )
    got, reason = _verdict(source, "Her blood sugars are in the 200s and her last A1c was 10.")
    assert got == "supported", reason


STOMACH_BUG = """\
Doctor: What brings your son in?
Guest_family: He has had diarrhea for four days and he has been throwing up for three days.
Doctor: Has he been throwing up today?
Guest_family: No, not today.
Doctor: Does it hurt when he goes to the bathroom?
Guest_family: He says his tummy hurts a lot.
Doctor: Any pain with the cold weather?
Guest_family: No.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the answered question whose clause matches the statement decides its polarity
        ("He has had emesis today.", "contradicted"),
        ("He has had no emesis today.", "supported"),
        ("He has had vomiting for three days.", "supported"),
        ("There is pain with cold weather.", "contradicted"),
    ],
)
def test_an_answered_question_decides_by_its_clause(statement: str, label: str) -> None:
    got, reason = _verdict(STOMACH_BUG, statement)
    assert got == label, reason


PREGNANT = """\
Doctor: Is this your first pregnancy?
Patient: No, this is my second one. I had gestational diabetes with my first one too.
"""


def test_no_to_a_first_pregnancy_does_not_deny_the_pregnancy() -> None:
    got, reason = _verdict(PREGNANT, "She had gestational diabetes with her first pregnancy.")
    assert got == "supported", reason


HEADACHE = """\
Patient: I have had a bad headache since this morning.
Doctor: Does she have any history of headaches?
Guest_family: No, never.
Doctor: Any family history of migraines?
Guest_family: Yes, her mother gets migraines.
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # the current headache does not bear out a history the family denied
        ("She has a past history of headaches.", "contradicted", "no head pain"),
        ("She has no prior history of headaches.", "supported", ""),
        ("She has had a headache since this morning.", "supported", ""),
        ("Her mother has a history of migraines.", "supported", ""),
    ],
)
def test_a_denied_history_contradicts_a_history(
    statement: str, label: str, reason_part: str
) -> None:
    got, reason = _verdict(HEADACHE, statement)
    assert got == label, reason
    assert reason_part in reason


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        # "i did not" is no, not the "i did" of a yes
        ("I did not, I just felt weak.", "contradicted"),
        ("I have not. Just tired.", "contradicted"),
        ("I did, twice.", "supported"),
    ],
)
def test_spelled_out_no_answers(reply: str, label: str) -> None:
    source = f"Doctor: Any passing out?\nPatient: {reply}\n"
    got, reason = _verdict(source, "She reports episodes of syncope.")
    assert got == label, reason


def test_fainted_is_syncope() -> None:
    facts = analyze("I have not fainted since then.").facts
    assert [(f.key, f.polarity) for f in facts if f.kind == "finding"] == [("syncope", "negated")]


SHOULDER = """\
Doctor: Good morning, what happened?
Patient: I slipped on some oil at work two days ago.
Doctor: Were you able to get up on your own?
Patient: Yes, a coworker helped me to a chair.
Doctor: Did you take anything for it?
Patient: Just some ibuprofen last night.
Doctor: Did you hit your head?
Patient: No, I caught myself with my arms.
Patient: I fell mostly on my left shoulder and it hurts in the back of it.
Doctor: Do you have any pain in the front of the shoulder?
Patient: No, nothing there.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He has anterior shoulder pain.", "contradicted"),
        ("He denies anterior shoulder pain.", "supported"),
        ("He has left shoulder pain after a fall.", "supported"),
    ],
)
def test_anterior_is_the_front(statement: str, label: str) -> None:
    got, reason = _verdict(SHOULDER, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("reply", "label"),
    [
        # hesitation before the answer does not hide it
        ("Uh no, but I guess I do have a little pain in my hips.", "contradicted"),
        ("Um, yeah, mostly in the morning.", "supported"),
        ("Well no.", "contradicted"),
    ],
)
def test_fillers_before_an_answer(reply: str, label: str) -> None:
    source = f"Doctor: How about pain in your shoulders, elbows or wrists?\nPatient: {reply}\n"
    got, reason = _verdict(source, "She reports pain in her shoulders.")
    assert got == label, reason


STOOLS = """\
Doctor: Your blood count came back a little low. Have you noticed any blood in your stools?
Patient: Uh, no, I haven't. I did about three years ago, and I had a colonoscopy for that.
Doctor: Any fainting or dizziness?
Patient: I have not fainted. I have had some dizzy spells in the past.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # denied now, had once: the old episode is borne out, a current one is not
        ("She had a colonoscopy three years ago for blood in her stool.", "supported"),
        ("She denies blood in her stools recently.", "supported"),
        ("She reports blood in her stools recently.", "contradicted"),
        # "recently" is the first clause's: the second speaks of the old episode
        (
            "She denies blood in her stools recently but had blood in her stool years ago.",
            "supported",
        ),
        # the past the reply speaks of is the dizziness it names, not the fainting
        ("She has had episodes of syncope.", "contradicted"),
    ],
)
def test_no_now_but_once_before(statement: str, label: str) -> None:
    got, reason = _verdict(STOOLS, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pain named once for a list of sites is pain at each
        (
            "Any knee, ankle, or foot pain?",
            {("pain@knee", "asked"), ("pain@ankle", "asked"), ("pain@foot", "asked")},
        ),
        (
            "She has no pain in her left elbow or wrist.",
            {("pain@elbow", "negated"), ("pain@wrist", "negated")},
        ),
        (
            "Pain in the knee and swelling in the ankle.",
            {("pain@knee", "affirmed"), ("swelling", "affirmed")},
        ),
        # a templated field closed by its answer
        ("Back pain: None.", {("pain@back", "negated")}),
        ("Fever: negative, cough: yes", {("fever", "negated"), ("cough", "affirmed")}),
        ("Musculoskeletal: reports back pain.", {("pain@back", "affirmed")}),
        ("Any blood in your bowel movements?", {("blood in stool", "asked")}),
    ],
)
def test_site_lists_and_templated_fields(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"}
    assert got == expected


def test_pain_in_a_list_of_sites_is_checked_at_each() -> None:
    source = "Doctor: Any knee, ankle, or foot pain?\nPatient: No.\n"
    got, reason = _verdict(source, "She reports pain in her knees, ankles, or feet.")
    assert got == "contradicted", reason
    assert "no knee pain" in reason


WALK = """\
Doctor: Is there any numbness or weakness in the foot?
Patient: No.
Doctor: Are you able to walk normally without pain or discomfort?
Patient: Yes.
Doctor: Good. Any fever since the cut?
Patient: No fever.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "the patient is" ends the negation of "no numbness or weakness"; "ambulate" is
        # "walk" in the clause that decides
        (
            "There is no numbness or weakness, the patient is able to ambulate with pain.",
            "contradicted",
        ),
        ("There is no numbness or weakness, the patient ambulates without pain.", "supported"),
    ],
)
def test_the_patient_ends_a_negation(statement: str, label: str) -> None:
    got, reason = _verdict(WALK, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        # paresthesia is tingling, not numbness
        (
            "Doctor: Any numbness?\nPatient: No, but I have had some tingling in both feet.\n",
            "He has not noticed paresthesias in his feet.",
            "contradicted",
        ),
        # an examined side found normal does not
        (
            "Doctor: On exam there is swelling of the right knee, and the left knee is normal.\n",
            "Swelling of the left knee.",
            "contradicted",
        ),
        (
            "Doctor: On exam there is swelling of the right knee. The left knee looks normal.\n",
            "Swelling of the left knee.",
            "contradicted",
        ),
    ],
)
def test_paresthesia_sides(source: str, statement: str, label: str) -> None:
    got, reason = _verdict(source, statement)
    assert got == label, reason


LIFT = """\
Doctor: What happened to your back?
Patient: One day I twisted to the left and picked up a box, and it has hurt since then.
Doctor: Does the back pain go down your legs?
Patient: Sometimes it does.
Doctor: Do you have to lift things at work?
Patient: Yes, heavy boxes.
Doctor: Let me examine you. Lie back on the stretcher for me.
Patient: Okay.
Doctor: Does it cause pain when I lift your leg?
Patient: No.
Doctor: Have you been having any shortness of breath since you got home?
Patient: Nope.
Doctor: Your lungs are clear and your heart sounds regular.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # one shared word ("lift") does not make a yes or no to an exam question decide
        ("He reports the pain started after he twisted to lift a box.", "supported"),
        # "having" is no context: the answered question decides only on a real match
        ("He denies having shortness of breath since he got home.", "supported"),
        ("He reports shortness of breath since he got home.", "contradicted"),
    ],
)
def test_a_weak_match_to_an_answered_question_does_not_decide(statement: str, label: str) -> None:
    got, reason = _verdict(LIFT, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("When I lift your right leg, does that cause pain?", "asked"),
        ("If you bend forward, is there any pain?", "asked"),
        ("When did the pain start?", "affirmed"),
        ("What do you do when you have pain?", "affirmed"),
    ],
)
def test_a_when_clause_before_a_yes_no_question_still_asks(text: str, polarity: str) -> None:
    assert {f.polarity for f in analyze(text).facts if f.kind == "finding"} == {polarity}


ROS = """\
[doctor] okay what about chest pain
[patient] no chest pain
[doctor] shortness of breath
[patient] no shortness of breath
[doctor] do you smoke
[patient] yes about half a pack a day
[doctor] do you use any other type of tobacco products
[patient] no
[doctor] what about alcohol or any other kind of drug use
[patient] nope
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a turn that only names a finding asks about it
        ("Respiratory: reports shortness of breath.", "contradicted"),
        ("Respiratory: denies shortness of breath.", "supported"),
        # "any other type of tobacco products?" - "no" is not "no tobacco"
        ("He smokes half a pack of cigarettes a day.", "supported"),
        # "alcohol or any other kind of drug use?" - "nope" denies drug use
        ("He denies illicit drug use.", "supported"),
        ("He reports illicit drug use.", "contradicted"),
    ],
)
def test_bare_turns_and_other_kinds(statement: str, label: str) -> None:
    got, reason = _verdict(ROS, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do you smoke?", {("tobacco use", "asked")}),
        ("Smoke or drink?", {("tobacco use", "asked"), ("alcohol use", "asked")}),
        # smoke as a noun is no smoking
        ("I think it was the smoke from the fires.", set()),
        ("Avoid triggers such as smoke, dust and pollen.", set()),
        ("She is a nonsmoker.", {("tobacco use", "negated")}),
        ("Tobacco use: non-smoker.", {("tobacco use", "negated")}),
        ("The trochanteric region is non tender.", {("tenderness", "negated")}),
        # the prefix of another word does not deny the finding, but for a habit
        ("Non-healing ulcer of the right foot.", {("wound", "affirmed")}),
        ("Non-cardiac chest pain.", {("pain@chest", "affirmed")}),
        ("He is a non-cigarette smoker.", {("tobacco use", "negated")}),
        ("Okay. Tell me something, do you smoke?", {("tobacco use", "asked")}),
        ("Tell me about the pain?", {("pain@", "affirmed")}),
    ],
)
def test_smoking_and_non_prefixes(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"}
    assert got == expected


def test_a_reply_that_asks_back_does_not_answer() -> None:
    source = (
        "Patient: Is the swelling from my new pills?\n"
        "Doctor: Yes, it may be. Do you take them every morning?\n"
        "Patient: I do.\n"
        "Doctor: Any chest pain?\n"
        "Patient: Yes? Do you mean now or last week?\n"
    )
    got, reason = _verdict(source, "She reports chest pain.")
    assert got != "supported", reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a trigger inside a pseudo-trigger does not negate ("not" of "do not know")
        (
            "I do not know if this is why she stopped her pills for chronic afib.",
            {("atrial fibrillation", "uncertain")},
        ),
        ("I did not have a fever.", {("fever", "negated")}),
        # templated exam findings are findings, so a statement of them needs a source
        (
            "Extremities: no clubbing, cyanosis, or edema.",
            {("clubbing", "negated"), ("cyanosis", "negated"), ("swelling", "negated")},
        ),
        ("No acute distress.", {("acute distress", "negated")}),
    ],
)
def test_pseudo_trigger_shadow_and_exam_findings(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"}
    assert got == expected


def test_a_templated_exam_line_never_dictated_is_unsupported() -> None:
    source = "Doctor: Your lungs are clear and there is no swelling in your legs.\n"
    got, reason = _verdict(source, "Extremities: no clubbing, cyanosis, or edema.")
    assert got == "unsupported", reason
    assert "clubbing" in reason or "cyanosis" in reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have a hard time catching my breath.", {("dyspnea", "affirmed")}),
        ("The pain has been affecting my sleep.", {("insomnia", "affirmed")}),
        ("How is your acid reflux?", {("gerd", "affirmed")}),
        ("Nothing other than my typical arthritic pain.", {("arthritis", "affirmed")}),
        # a vaccine or a screening names a disease without claiming it
        ("She got her COVID-19 vaccine.", {("covid-19", "uncertain")}),
        ("She had COVID-19 last winter.", {("covid-19", "affirmed")}),
        # "flu like symptoms" are no flu; asked or denied, they stay asked or denied
        ("He has flu like symptoms.", {("influenza", "uncertain")}),
        ("Any depression like feelings?", {("depression", "asked")}),
    ],
)
def test_everyday_words_and_disease_names_that_claim_nothing(
    text: str, expected: set[tuple[str, str]]
) -> None:
    got = {
        (f.key, f.polarity)
        for f in analyze(text).facts
        if f.kind == "finding" and not f.key.startswith("pain@")
    }
    assert got == expected


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("your temperature is ninety eight . seven and", "98.7"),
        ("add aldactone twelve . five milligrams daily", "12.5"),
        ("clobetasol , that's a zero . zero five percent solution", "0.05"),
    ],
)
def test_a_spaced_decimal_point_of_a_tokenised_transcript(spoken: str, written: str) -> None:
    from evident.verify.normalize import normalize

    assert written in normalize(spoken).split()


def test_a_sentence_break_between_two_numbers_is_no_decimal() -> None:
    from evident.verify.normalize import normalize

    assert "2 kids . 3 of them" in normalize("i have 2 kids . 3 of them are grown")


def test_a_spoken_temperature_with_a_spaced_point_supports_the_note() -> None:
    source = (
        "[doctor] your temperature is ninety eight . seven and your heart rate is seventy two\n"
    )
    got, reason = _verdict(source, "Temperature: 98.7 degrees F")
    assert got == "supported", reason


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        # "without medication" and "did not relieve" negate the remedy, not the pain
        ("Her pain without medication is 6/10 and her pain with medication is 1/10.", "affirmed"),
        ("He used ice and heat, which did not relieve the pain.", "affirmed"),
        ("She is without pain today.", "negated"),
    ],
)
def test_a_remedy_that_failed_is_no_denial(text: str, polarity: str) -> None:
    assert {f.polarity for f in analyze(text).facts if f.kind == "finding"} == {polarity}


CHEST = """\
Patient: I had this chest pain and trouble swallowing for about four days last month.
Doctor: And how is it now?
Patient: It went away on its own about three days after the ER visit.
Doctor: Any tingling in your feet?
Patient: Yes, I still have tingling in my toes.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a pain that resolved was there: the pain told of bears the statement out
        ("Her chest pain resolved spontaneously after the ER visit.", "supported"),
        # a denial is still a denial, also beside a "resolved"
        ("She denies chest pain, which resolved after the ER visit.", "contradicted"),
        ("She denies tingling in her toes.", "contradicted"),
    ],
)
def test_a_finding_that_resolved_was_there(statement: str, label: str) -> None:
    got, reason = _verdict(CHEST, statement)
    assert got == label, reason


def test_flu_like_symptoms_asked_about_are_no_flu() -> None:
    source = (
        "Doctor: I see you got your flu shot. Any flu like symptoms, any body aches?\n"
        "Patient: No, just a headache.\n"
    )
    got, reason = _verdict(source, "Denies any fever, flu like symptoms, or body aches.")
    assert got != "contradicted", reason


def test_no_longer_is_a_resolution() -> None:
    source = (
        "Patient: The back pain I had last year was really bad.\n"
        "Doctor: And this year?\nPatient: Much better.\n"
    )
    got, reason = _verdict(source, "She is no longer suffering from back pain.")
    assert got != "contradicted", reason


def test_a_wish_is_no_finding() -> None:
    source = (
        "Doctor: Any weight loss or decreased appetite?\n"
        "Patient: Slightly decreased appetite, but I wish I had some weight loss.\n"
    )
    got, reason = _verdict(source, "He denies any recent weight loss.")
    assert got == "supported", reason


PALPITATIONS = """\
Doctor: I saw you were in the emergency room with high blood pressure and palpitations.
Patient: Yeah, that was back in March, after a few cups of coffee.
Doctor: Any other chest pain since then?
Patient: No.
"""


@pytest.mark.parametrize(
    ("statement", "label", "reason_part"),
    [
        # a denial of more is no conflict with the first episode told of
        ("He denies additional episodes of palpitations.", "unsupported", "more palpitations"),
        ("He had palpitations in March.", "supported", ""),
        ("He denies palpitations.", "contradicted", "palpitations"),
    ],
)
def test_a_denial_of_more_episodes(statement: str, label: str, reason_part: str) -> None:
    got, reason = _verdict(PALPITATIONS, statement)
    assert got == label, reason
    assert reason_part in reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # rales are crackles, not wheezes; rhonchi are their own finding
        (
            "Some rales and rhonchi on the right.",
            {("crackles", "affirmed"), ("rhonchi", "affirmed")},
        ),
        # "you've got" and "and that he sustained" start a new finding's clause
        (
            "no carotid bruits your lung exam you've got some rhonchi on the right side",
            {("rhonchi", "affirmed")},
        ),
        (
            "His x-rays did not reveal any fracture and that he sustained an ankle sprain.",
            {("fracture", "negated"), ("sprain", "affirmed")},
        ),
        # "no X, some Y": the negation ends at ", some"
        (
            "He has no JVD or carotid bruits, some rales and rhonchi in the right lung.",
            {
                ("jugular venous distension", "negated"),
                ("crackles", "affirmed"),
                ("rhonchi", "affirmed"),
            },
        ),
        # a templated review: "Negative X, negative Y"
        (
            "GENERAL: Negative weakness, negative fatigue, negative chills.",
            {("weakness", "negated"), ("fatigue", "negated"), ("chills", "negated")},
        ),
        ("Strep test negative, she has a fever.", {("fever", "affirmed")}),
        # not formally diagnosed is no denial
        ("She has not been formally diagnosed with hypertension.", {("hypertension", "uncertain")}),
    ],
)
def test_exam_words_and_clause_starts(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"}
    assert got == expected


STOMACH = """\
Doctor: Is your cough getting worse?
Patient: It's about the same.
Doctor: And what about your diarrhea and stomach pain?
Patient: No more diarrhea and no pain.
Doctor: Do you drink alcohol?
Patient: No, never.
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "any more" speaks of a finding that was there: no conflict with the question
        ("He denies any more diarrhea or abdominal pain.", "supported"),
        # a templated "X, denies."
        ("Alcohol use, denies.", "supported"),
    ],
)
def test_no_more_and_templated_denials(statement: str, label: str) -> None:
    got, reason = _verdict(STOMACH, statement)
    assert got == label, reason


def test_a_question_that_takes_a_finding_as_given_asserts_nothing() -> None:
    source = (
        "Doctor: How is your cough?\nPatient: Better.\n"
        "Doctor: And what about your diarrhea after meals?\n"
        "Patient: I don't have diarrhea anymore.\n"
        "Doctor: Good. Any fever?\nPatient: No.\n"
    )
    got, reason = _verdict(source, "He has no diarrhea after meals.")
    assert got == "supported", reason


def test_like_is_no_context_word() -> None:
    from evident.verify.clause import statement_context
    from evident.verify.facts import stem

    an = analyze("Knee synovitis and leg edema, likely due to a flare.")
    swelling = next(f for f in an.facts if f.key == "swelling")
    terms = statement_context(an, swelling)
    assert stem("likely") not in terms and stem("flare") in terms


def test_a_status_question_denied_in_the_reply_asserts_nothing() -> None:
    source = (
        "Doctor: How is your cough?\nPatient: About the same.\n"
        "Doctor: And what about your diarrhea and stomach pain?\n"
        "Patient: No more diarrhea and no pain.\n"
    )
    got, reason = _verdict(source, "He reports more diarrhea.")
    assert got == "contradicted", reason
    got, reason = _verdict(source, "His cough is about the same.")
    assert got == "supported", reason


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("No, on the contrary I am having constipation every now and then.", "affirmed"),
        ("no , the weight loss has really decreased the pain .", "affirmed"),
        ("No constipation, no fever.", "negated"),
        ("No. I have constipation.", "affirmed"),
    ],
)
def test_a_no_set_off_by_a_comma_is_an_answer(text: str, polarity: str) -> None:
    first = next(f for f in analyze(text).facts if f.kind == "finding")
    assert first.polarity == polarity


def test_an_answer_no_does_not_deny_the_finding_the_patient_goes_on_to_report() -> None:
    source = (
        "Doctor: Okay, any diarrhea?\n"
        "Patient: No, on the contrary I am having constipation every now and then.\n"
    )
    got, reason = _verdict(source, "She reports no constipation.")
    assert got == "contradicted", reason
    got, reason = _verdict(source, "She denies diarrhea.")
    assert got == "supported", reason


@pytest.mark.parametrize(
    ("text", "historical"),
    [
        ("Have you had back pain or surgeries before this injury?", True),
        ("Did you ever have chest pain before?", True),
        ("The pain comes before meals.", False),
    ],
)
def test_before_this_marks_a_history(text: str, historical: bool) -> None:
    first = next(f for f in analyze(text).facts if f.kind == "finding")
    assert first.historical is historical


def test_a_prior_history_the_patient_denied_is_contradicted() -> None:
    source = (
        "Doctor: How long have you had this back pain?\n"
        "Patient: About a month, since I lifted a box.\n"
        "Doctor: Have you had back pain or surgeries before this injury?\nPatient: No, I haven't.\n"
    )
    got, reason = _verdict(source, "He reports a previous history of back pain.")
    assert got == "contradicted", reason
    got, reason = _verdict(source, "He has back pain since lifting a box a month ago.")
    assert got == "supported", reason


def test_losing_consciousness_is_syncope() -> None:
    source = "Doctor: Did you lose consciousness after the fall?\nPatient: No.\n"
    got, reason = _verdict(source, "He denies loss of consciousness.")
    assert got == "supported", reason
    got, reason = _verdict(source, "He reports loss of consciousness.")
    assert got == "contradicted", reason


@pytest.mark.parametrize("relatives", ["His brothers", "Two maternal aunts", "His cousins"])
def test_plural_and_maternal_relatives_are_family(relatives: str) -> None:
    fact = next(f for f in analyze(f"{relatives} had prostate cancer.").facts)
    assert fact.family


def test_a_brothers_cancer_supports_a_family_statement() -> None:
    source = "Doctor: Any cancer in the family?\nPatient: My brother has prostate cancer.\n"
    got, reason = _verdict(source, "His brothers had prostate cancer.")
    assert got == "supported", reason
    got, reason = _verdict(source, "He had prostate cancer.")
    assert got == "unsupported", reason


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("you're forty one, correct?", 41.0),
        ("I'm forty seven.", 47.0),
        ("He is just one year.", 1.0),
        ("he just turned fifty", 50.0),
        ("I am forty two so I thought I should get it done.", 42.0),
        ("I'm concerned. I am fifty after all.", 50.0),
        ("Well, I just turned fifty seven this year.", 57.0),
        ("Never had this happen to me in my forty one years.", 41.0),
        ("I am seventy six years old.", 76.0),
        ("in my 20 years of practice", None),
        ("I have never had this pain in fifty eight years.", None),
        ("he is 3 years into recovery", None),
        ("the pain is 7.", None),
        ("i'm 5 days out from surgery", None),
    ],
)
def test_an_age_said_aloud(text: str, age: float | None) -> None:
    ages = [f.value for f in analyze(text).facts if f.kind == "quantity" and f.key == "age"]
    assert ages == ([age] if age is not None else [])


def test_an_age_said_anywhere_supports_the_opening_line() -> None:
    source = (
        "Doctor: I need to confirm, you're forty one, correct?\nPatient: Yes sir.\n"
        "Doctor: What happened?\nPatient: I slipped on oil, now I have shoulder pain.\n"
        "Doctor: Does the shoulder hurt when you lift your arm?\nPatient: Yes, a lot.\n"
    )
    got, reason = _verdict(source, "He is a 41-year-old man with shoulder pain after a fall.")
    assert got == "supported", reason
    got, reason = _verdict(source, "He is a 44-year-old man with shoulder pain after a fall.")
    assert got == "unsupported", reason


def test_a_denied_history_does_not_bear_out_a_denial_of_the_current_complaint() -> None:
    source = (
        "Doctor: What is going on?\nPatient: I am having a severe headache since this morning.\n"
        "Doctor: Any history of headaches?\nPatient: No.\n"
    )
    got, reason = _verdict(source, "She presents without headache.")
    assert got == "contradicted", reason
    got, reason = _verdict(source, "She has no history of headaches.")
    assert got == "supported", reason


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("Doctor: Any known drug allergies?\nPatient: No.\n", "supported"),
        ("Doctor: Do you have any allergies?\nPatient: No I do not.\n", "supported"),
        ("Doctor: Any allergies?\nPatient: No, just the penicillin rash.\n", "unsupported"),
        # the question answered yes on its content contradicts the denial
        ("Doctor: Any allergies?\nPatient: Yes, penicillin gives me a rash.\n", "contradicted"),
        ("Patient: Do you mean drug allergies?\nDoctor: No, all of them.\n", "unsupported"),
    ],
)
def test_an_allergy_question_answered_no(source: str, label: str) -> None:
    got, reason = _verdict(source, "No known drug allergies.")
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do you drink or smoke?", [("alcohol use", "asked"), ("tobacco use", "asked")]),
        (
            "I don't smoke, but I drink a little.",
            [("tobacco use", "negated"), ("alcohol use", "affirmed")],
        ),
        ("He has been drinking Pedialyte and juice.", []),
        ("he drank a lot of water", []),
        ("She is not a big milk drinker, but she does try to drink some.", []),
        ("I'd say I'm an occasional drinker.", [("alcohol use", "affirmed")]),
        ("He is still eating and drinking well.", []),
        ("She is not drinking enough.", []),
        ("I have a drink every night.", [("alcohol use", "affirmed")]),
        (
            "He denies tobacco use and drinks two beers a day.",
            [("tobacco use", "negated"), ("alcohol use", "affirmed"), ("alcohol use", "affirmed")],
        ),
        (
            "Do you smoke? Or drink or have ever used any drugs.",
            [("tobacco use", "asked"), ("alcohol use", "asked"), ("substance use", "asked")],
        ),
        (
            "So when you're not eating out or drinking, the diet keeps you regular.",
            [("alcohol use", "affirmed")],
        ),
    ],
)
def test_drinking_is_alcohol_only_as_a_habit(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(f.key, f.polarity) for f in analyze(text).facts if f.kind == "finding"]
    assert got == expected


@pytest.mark.parametrize(
    ("reply", "statement", "label"),
    [
        (
            "Nope, never touched a cigarette. Same goes for alcohol.",
            "She does not drink.",
            "supported",
        ),
        ("Socially.", "He is a social drinker.", "supported"),
        ("Socially.", "He does not drink alcohol.", "contradicted"),
    ],
)
def test_replies_about_drinking(reply: str, statement: str, label: str) -> None:
    got, reason = _verdict(f"Doctor: Do you smoke or drink?\nPatient: {reply}\n", statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("said", "statement", "label"),
    [
        ("for half a year", "for 6 months", "supported"),
        ("for half a year", "for 8 months", "contradicted"),
        ("for more than half a year", "for 8 months", "unsupported"),
        ("for a half day or more", "for 24 hours", "unsupported"),
        ("for a half day", "for 24 hours", "contradicted"),
    ],
)
def test_a_half_said_aloud_and_a_bound(said: str, statement: str, label: str) -> None:
    transcript = (
        "Doctor: How long have you had the weakness and fatigue?\n"
        f"Patient: The weakness and fatigue have been there {said}.\n"
    )
    got, reason = _verdict(transcript, f"He has had weakness and fatigue {statement}.")
    assert got == label, reason


@pytest.mark.parametrize(
    ("question", "reply", "label"),
    [
        ("Can you confirm your age?", "Fifty eight. My balance is off.", "supported"),
        ("How old are you?", "I'm fifty eight years young.", "supported"),
        ("How old are you?", "Sixty.", "unsupported"),
        ("How long has your balance been off?", "Fifty eight days.", "unsupported"),
    ],
)
def test_the_answer_to_how_old(question: str, reply: str, label: str) -> None:
    source = f"Doctor: {question}\nPatient: {reply}\n"
    got, reason = _verdict(source, "This is a 58-year-old man.")
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain is 7 out of 10", [("score", 7.0)]),
        ("pain 7/10", [("score", 7.0)]),
        ("zero being none, ten being the worst, how bad is it?", []),
        ("on a scale of one to ten, how bad is it?", []),
        ("for 1 to 10 days", [("duration", 1.0), ("duration", 10.0)]),
        ("8-10 years of gait trouble", [("duration", 8.0), ("duration", 10.0)]),
    ],
)
def test_a_rating_and_its_scale(text: str, expected: list[tuple[str, float]]) -> None:
    got = [(f.key, f.value) for f in analyze(text).facts if f.kind == "quantity"]
    assert got == expected


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He rates his knee pain as 7/10.", "supported"),
        ("He rates his knee pain as 10 out of 10.", "unsupported"),
    ],
)
def test_a_rating_is_found_whatever_words_surround_it(statement: str, label: str) -> None:
    source = (
        "Doctor: Zero being none and ten being the worst, how bad is the knee pain?\n"
        "Patient: I'd say it's about a seven.\n"
    )
    got, reason = _verdict(source, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("with zero being none and ten being the worst, how is the knee pain?", "affirmed"),
        ("The patient denies taking any medication for pain.", "affirmed"),
        ("I see you aren't taking anything for your allergies.", "affirmed"),
        ("She denies pain.", "negated"),
    ],
)
def test_a_scale_or_a_remedy_denies_no_finding(text: str, polarity: str) -> None:
    first = next(f for f in analyze(text).facts if f.kind == "finding")
    assert first.polarity == polarity


CORRECTED_KNEE = """\
[doctor] you've come in with some right knee pain ?
[patient] it's not the right knee , it's the left knee .
[doctor] okay , the left knee .
[patient] it gives way when i walk .
[doctor] on your left knee exam there is no effusion .
[doctor] your left knee x-ray shows no fracture .
[doctor] for your left knee pain i'll prescribe meloxicam .
"""


@pytest.mark.parametrize(
    ("source", "statement", "label", "reason_part"),
    [
        (CORRECTED_KNEE, "Left knee pain.", "supported", ""),
        (CORRECTED_KNEE, "Right knee pain.", "contradicted", "left knee"),
    ],
)
def test_a_side_corrected_by_the_patient(
    source: str, statement: str, label: str, reason_part: str
) -> None:
    got, reason = _verdict(source, statement)
    assert got == label, reason
    assert reason_part in reason


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("we'd like that hemoglobin a1c to be under seven", "lab", []),
        ("we haven't had an a1c for almost five months", "lab", []),
        ("your a1c was like 7.2", "lab", [("a1c", 7.2)]),
        ("his last hemoglobin a1c was greater than 9", "lab", [("a1c", 9.0)]),
        ("The potassium level was 4.0 one week ago.", "lab", [("potassium", 4.0)]),
        ("that's the 250/50 dose, correct?", "vital", []),
        ("advair 250/50 one puff twice a day", "vital", []),
        ("BP 120/80, HR 72", "vital", [("blood pressure", 120.0), ("heart rate", 72.0)]),
        ("i started doxycycline only one a day", "medication", [("doxycycline", None)]),
        ("metformin 500 twice a day", "medication", [("metformin", 500.0)]),
    ],
)
def test_values_that_are_no_measurement_or_dose(
    text: str, kind: str, expected: list[tuple[str, float | None]]
) -> None:
    got = [(f.key, f.value) for f in analyze(text).facts if f.kind == kind]
    assert got == expected


def test_amounts_of_different_things_do_not_contradict() -> None:
    source = "Doctor: How often do you train?\nPatient: Five days a week, I swim and I run.\n"
    got, reason = _verdict(source, "He swims 60 minutes five days a week.")
    assert got == "unsupported", reason
    assert "60 minute" in reason
    got, reason = _verdict(source, "He trains three days a week.")
    assert got == "contradicted", reason


UNANSWERED = """\
[doctor] and last thing have you had any fever or chills since this happened at all
[patient] a slight headache but no no no fever
[doctor] okay and how about any weakness in your legs
[patient] only if i'm carrying something heavy
[doctor] and have you had any vomiting from all this
[patient] i feel nauseated but i have n't thrown up
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("He denies fever or chills.", "supported"),
        ("He reports chills.", "unsupported"),
        ("He denies any weakness.", "contradicted"),
        ("He reports weakness in his legs when carrying heavy objects.", "supported"),
        ("He has nausea but has not vomited.", "supported"),
        ("He has been vomiting.", "contradicted"),
    ],
)
def test_an_unpunctuated_question_left_without_yes_or_no(statement: str, label: str) -> None:
    got, reason = _verdict(UNANSWERED, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("She is to report any recurrence of numbness in her hands.", "numbness", "uncertain"),
        ("He has not followed up with the dietitian for his diabetes.", "diabetes", "affirmed"),
        ("He has not had any numbness.", "numbness", "negated"),
    ],
)
def test_instructions_and_missed_visits_deny_nothing(text: str, key: str, polarity: str) -> None:
    fact = next(f for f in analyze(text).facts if f.key == key)
    assert fact.polarity == polarity


@pytest.mark.parametrize(
    ("question", "reply", "statement", "label"),
    [
        (
            "is it on one side or the other of your back ?",
            "um , it's more on the right .",
            "Right lower back pain.",
            "supported",
        ),
        (
            "is it on one side or the other of your back ?",
            "um , it's more on the right .",
            "Left lower back pain.",
            "contradicted",
        ),
        (
            "is it your left or your right knee ?",
            "it's my right .",
            "Right knee pain.",
            "supported",
        ),
        (
            "does your back hurt ?",
            "yes , all the time , right now too .",
            "Right lower back pain.",
            "unsupported",
        ),
    ],
)
def test_the_side_named_in_reply_to_which_side(
    question: str, reply: str, statement: str, label: str
) -> None:
    rest = "[doctor] okay , and does the pain go anywhere ?\n[patient] no .\n"
    source = f"[doctor] {question}\n[patient] {reply}\n{rest}"
    got, reason = _verdict(source, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("section", "text", "source", "label"),
    [
        ("ALLERGIES", "None.", "Doctor: Any known drug allergies?\nPatient: No.\n", "supported"),
        ("Allergies", "NKDA", "Doctor: Any allergies?\nPatient: No.\n", "supported"),
        (
            "ALLERGIES",
            "None.",
            "Doctor: Any allergies?\nPatient: I'm allergic to penicillin.\n",
            "contradicted",
        ),
        ("PLAN", "None.", "Doctor: Any known drug allergies?\nPatient: No.\n", "unsupported"),
    ],
)
def test_a_bare_none_is_read_under_its_heading(
    section: str, text: str, source: str, label: str
) -> None:
    report = verify(make_draft(text, section=section), [make_transcript(source)], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_pain_with_no_site_is_no_review_item() -> None:
    source = (
        "Doctor: Any problem with urination like pain or blood in urine?\nPatient: No.\n"
        "Doctor: How is the gout in your foot?\nPatient: The pain is improving since the "
        "steroids.\n"
    )
    report = verify(
        make_draft("The pain is improving with steroids.", section="Review of systems"),
        [make_transcript(source)],
        omissions=False,
    )
    assert report.verdicts[0].label == "supported", report.verdicts[0].reason


@pytest.mark.parametrize(
    ("source", "statement", "section", "label"),
    [
        (
            "Doctor: Are you taking any medications?\nPatient: No.\n",
            "None.",
            "Medications",
            "supported",
        ),
        (
            "Doctor: Are you taking any medications?\nPatient: No.\n",
            "He takes no medications.",
            "",
            "supported",
        ),
        (
            "Doctor: Any medications for the pain?\nPatient: No.\n",
            "None.",
            "Medications",
            "unsupported",
        ),
        (
            "Doctor: Are you on any medications?\nPatient: Just lisinopril.\n",
            "No current medications.",
            "",
            "unsupported",
        ),
        (
            "Doctor: Any medication allergies?\nPatient: No.\n",
            "No known allergies.",
            "",
            "supported",
        ),
        # "any" opening the drugs asks for them as "are you taking" does
        (
            "Doctor: Any old or new medications I should know about?\nPatient: Nope.\n",
            "None.",
            "Medications",
            "supported",
        ),
        (
            "Doctor: Any medications I should know about?\nPatient: Nah, no daily meds.\n",
            "None.",
            "Medications",
            "supported",
        ),
        (
            "Doctor: Any problems with your medications?\nPatient: No.\n",
            "None.",
            "Medications",
            "unsupported",
        ),
    ],
)
def test_no_current_medications(source: str, statement: str, section: str, label: str) -> None:
    report = verify(
        make_draft(statement, section=section), [make_transcript(source)], omissions=False
    )
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_no_medication_changes_claims_no_medication_list() -> None:
    facts = analyze("I am ordering an A1c to ensure no medication changes are needed.").facts
    assert not any(f.kind == "medication" for f in facts)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "I have a glass of wine every once in a while but no to the rest.",
            {"tobacco use": "negated", "alcohol use": "affirmed", "substance use": "negated"},
        ),
        (
            "No, I don't do drugs, never did.",
            {"tobacco use": "negated", "alcohol use": "negated", "substance use": "negated"},
        ),
    ],
)
def test_a_social_history_question_answered_in_part(reply: str, expected: dict[str, str]) -> None:
    from evident.verify.index import SourceIndex

    source = make_transcript(
        f"Doctor: Do you use tobacco, alcohol or recreational drugs?\nPatient: {reply}\n"
    )
    question = SourceIndex([source]).segments[0]
    got = {f.key: f.polarity for f in question.facts if f.kind == "finding"}
    assert got == expected


@pytest.mark.parametrize(
    ("text", "polarity"),
    [("I have never used drugs.", "negated"), ("I have, a little.", "affirmed")],
)
def test_a_yes_opening_denied_at_once(text: str, polarity: str) -> None:
    from evident.verify.context import answer_polarity
    from evident.verify.normalize import normalize, tokenize

    assert answer_polarity(tokenize(normalize(text))) == polarity


def test_a_time_word_after_a_colon_belongs_to_the_next_clause() -> None:
    from evident.verify.clause import NOW, statement_context

    an = analyze("6-pack beer a day for many years: now claims he has been dry for 2 years.")
    beer = next(f for f in an.facts if f.key == "alcohol use")
    assert NOW not in statement_context(an, beer)
    an = analyze("Drinks beer now: about two a day.")
    beer = next(f for f in an.facts if f.key == "alcohol use")
    assert NOW in statement_context(an, beer)


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("I don't need anything for the cough.", "cough", "affirmed"),
        ("She denies previous treatment for her acne.", "acne", "affirmed"),
        ("He was not treated for diarrhea.", "diarrhea", "affirmed"),
        ("She denies cough.", "cough", "negated"),
        (
            "No changes are needed regarding the carpal tunnel.",
            "carpal tunnel syndrome",
            "affirmed",
        ),
        (
            "If spironolactone is not effective, the next step would be a hypertension clinic.",
            "hypertension",
            "uncertain",
        ),
        ("He might not need a pain doctor yet.", "pain@", "uncertain"),
        (
            "The x-ray showed no fracture, while the endoscopy showed gastritis.",
            "gastritis",
            "affirmed",
        ),
        ("I see you have asthma, have you had any medication for this?", "asthma", "affirmed"),
        ("Do you have asthma?", "asthma", "asked"),
    ],
)
def test_remedies_changes_and_presuppositions_deny_no_finding(
    text: str, key: str, polarity: str
) -> None:
    fact = next(f for f in analyze(text).facts if f.key == key)
    assert fact.polarity == polarity


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("She has no history of severe or frequent asthma attacks.", "asthma", "affirmed"),
        ("No oral steroids for asthma exacerbations this year.", "asthma", "affirmed"),
        ("The ulcer has not healed despite antibiotics.", "wound", "affirmed"),
        ("No asthma.", "asthma", "negated"),
        ("History of peptic ulcer disease.", "peptic ulcer disease", "affirmed"),
        ("i want to talk about now your not your type two diabetes", "diabetes", "affirmed"),
    ],
)
def test_attacks_wounds_and_repairs(text: str, key: str, polarity: str) -> None:
    fact = next(f for f in analyze(text).facts if f.key == key)
    assert fact.polarity == polarity


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("It's hard for me to stand up without significant pain.", "affirmed"),
        ("I can't walk without pain.", "affirmed"),
        ("She walks without pain.", "negated"),
        ("It is hard. Without pain now.", "negated"),
    ],
)
def test_cannot_do_without_pain_is_pain(text: str, polarity: str) -> None:
    pain = next(f for f in analyze(text).facts if f.key == "pain@")
    assert pain.polarity == polarity


@pytest.mark.parametrize(
    ("text", "key", "polarity", "family"),
    [
        ("Were you aware you had a U T I?", "urinary tract infection", "asked", False),
        (
            "I was in the hospital for recurrent urine infections.",
            "urinary tract infection",
            "affirmed",
            False,
        ),
        ("I do leak some pee when I cough.", "urinary incontinence", "affirmed", False),
        (
            "My dad had some heart disease.",
            "coronary artery disease",
            "affirmed",
            True,
        ),
        ("Father died of valvular heart disease.", "valvular heart disease", "affirmed", True),
        (
            "As far as heart disease, there is none in the family.",
            "coronary artery disease",
            "negated",
            True,
        ),
        ("There is heart disease in the father.", "coronary artery disease", "affirmed", True),
        ("Have you ever tried any illegal drug?", "substance use", "asked", False),
        ("I have C O P D.", "copd", "affirmed", False),
        ("No one at home has had a cough.", "cough", "negated", False),
    ],
)
def test_spoken_words_for_infections_leaks_heart_and_drugs(
    text: str, key: str, polarity: str, family: bool
) -> None:
    fact = next(f for f in analyze(text).facts if f.key == key)
    assert (fact.polarity, fact.family) == (polarity, family)


def test_valvular_disease_is_not_coronary_disease() -> None:
    src = make_transcript(
        "[doctor] any heart disease in the family ?\n"
        "[patient] yes , my dad had heart disease , he died of a heart attack .\n"
    )
    report = verify(
        make_draft("Father had heart disease.", "Father died of valvular heart disease."),
        [src],
        omissions=False,
    )
    assert [v.label for v in report.verdicts] == ["supported", "unsupported"]


def test_a_spoken_decimal_without_its_unit_is_the_dose_said_before() -> None:
    src = make_transcript(
        "[doctor] what happened with the dose ?\n"
        "[patient] we lowered it to twenty M G , then went to twenty two point five .\n"
    )
    draft = make_draft(
        "Her dose was decreased to 20 mg and then increased to 22.5 mg.",
        "Her dose was increased to 27.5 mg.",
    )
    labels = [v.label for v in verify(draft, [src], omissions=False).verdicts]
    assert labels[0] == "supported" and labels[1] != "supported"


FAMILY = """\
[doctor] any medical problems in the family ?
[patient] my mother has high blood pressure and my father had colon cancer .
[doctor] and you , any medical problems ?
[patient] no , i'm healthy . i smoke though .
"""


@pytest.mark.parametrize(
    ("section", "text", "label"),
    [
        ("FAMILY HISTORY", "Hypertension.", "supported"),
        ("FAMILY HISTORY", "Colon cancer.", "supported"),
        ("Family and social history", "Hypertension and colon cancer.", "supported"),
        ("Family and social history", "Smoker.", "supported"),  # a habit stays the patient's
        ("FAMILY HISTORY", "The patient has hypertension.", "unsupported"),  # named: hers
        ("PAST MEDICAL HISTORY", "Hypertension.", "unsupported"),
    ],
)
def test_a_finding_under_a_family_heading_is_a_relatives(
    section: str, text: str, label: str
) -> None:
    draft = make_draft(text, section=section)
    report = verify(draft, [make_transcript(FAMILY)], omissions=False)
    assert report.verdicts[0].label == label


@pytest.mark.parametrize(
    "text",
    ["MGF with h/o stroke.", "Migraine on the maternal side.", "Diabetes on her father's side."],
)
def test_relatives_written_short_or_after_the_finding(text: str) -> None:
    assert all(f.family for f in analyze(text).facts if f.kind == "finding")


@pytest.mark.parametrize(
    ("conversation", "label"),
    [
        ("[doctor] anyone sick in your family ?\n[patient] no one .\n", "supported"),
        ("[doctor] any medical problems that run in the family ?\n[patient] nope .\n", "supported"),
        (
            "[doctor] tell me about your family history .\n"
            "[patient] my family is pretty healthy .\n",
            "supported",
        ),
        (
            "[doctor] any family history ?\n[patient] i was adopted so i have no idea .\n",
            "supported",
        ),
        # diseases given as examples of what is asked do not narrow the question
        (
            "[doctor] any major illnesses in the family like diabetes ?\n[patient] no .\n",
            "supported",
        ),
        # a disease asked about is denied on its own, not the whole family history
        ("[doctor] any diabetes in the family ?\n[patient] no .\n", "unsupported"),
        ("[doctor] diabetes in the family , like your mother ?\n[patient] no .\n", "unsupported"),
        ("[doctor] is your family here with you ?\n[patient] no .\n", "unsupported"),
        (
            "[doctor] any medical problems in the family ?\n[patient] my mother has diabetes .\n",
            "unsupported",
        ),
    ],
)
def test_an_unremarkable_family_history_must_be_said(conversation: str, label: str) -> None:
    draft = make_draft("Noncontributory.", section="Family history")
    report = verify(draft, [make_transcript(conversation)], omissions=False)
    assert report.verdicts[0].label == label
    assert any(f.kind == "section_reading" for f in report.findings)


@pytest.mark.parametrize(
    ("text", "section", "label"),
    [
        ("Essentially noncontributory.", "Past medical history", "supported"),
        ("Nothing significant.", "Past surgical history", "supported"),
        ("Otherwise, negative.", "Past surgical history", "supported"),
        ("Not remarkable.", "Past surgical history", "supported"),
        # the same words under a heading that names no history read as nothing
        ("Nothing significant.", "Plan", "unsupported"),
    ],
)
def test_null_answers_under_a_history_heading(text: str, section: str, label: str) -> None:
    src = make_transcript(
        "[doctor] any medical problems ?\n[patient] no .\n"
        "[doctor] any surgeries ?\n[patient] no , none .\n"
    )
    report = verify(make_draft(text, section=section), [src], omissions=False)
    assert report.verdicts[0].label == label


@pytest.mark.parametrize(
    ("conversation", "statement", "section", "label"),
    [
        (
            "[doctor] any fever or nausea ?\n[patient] nope .\n",
            "Review of systems is otherwise negative.",
            "",
            "supported",
        ),
        (
            "[doctor] any fever or nausea ?\n[patient] nope .\n",
            "Otherwise negative.",
            "Review of systems",
            "supported",
        ),
        (
            "[doctor] do you have any other complaints today ?\n[patient] no , i'm doing well .\n",
            "No other complaints.",
            "",
            "supported",
        ),
        (
            "[doctor] anything else going on from head to toe ?\n[patient] no .\n",
            "All other systems reviewed were negative.",
            "",
            "supported",
        ),
        # no symptom is ever denied: the review is not borne out
        (
            "[doctor] how is the knee ?\n[patient] it hurts when i walk .\n",
            "Review of systems is otherwise negative.",
            "",
            "unsupported",
        ),
        (
            "[doctor] any other problems ?\n[patient] yes , my back hurts .\n",
            "He otherwise has a negative review of systems.",
            "",
            "unsupported",
        ),
        # a relative's denied symptom is no review of the patient
        (
            "[doctor] does your mother have headaches ?\n[patient] no .\n",
            "Review of systems is negative.",
            "",
            "unsupported",
        ),
    ],
)
def test_a_negative_review_of_systems_needs_denied_symptoms(
    conversation: str, statement: str, section: str, label: str
) -> None:
    draft = make_draft(statement, section=section)
    report = verify(draft, [make_transcript(conversation)], omissions=False)
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_review_negative_for_a_symptom_is_that_symptom() -> None:
    facts = analyze("Review of systems is negative for fever.").facts
    assert [(f.kind, f.key, f.polarity) for f in facts] == [("finding", "fever", "negated")]


def test_a_family_history_given_is_named_when_the_note_says_unremarkable() -> None:
    src = make_transcript(
        "[doctor] any medical problems in the family ?\n[patient] my mother has diabetes .\n"
    )
    verdict = verify(
        make_draft("Family history is unremarkable."), [src], omissions=False
    ).verdicts[0]
    assert verdict.label == "unsupported" and "diabetes" in verdict.reason


def test_nobody_in_the_family_denies_the_disease_for_the_family() -> None:
    facts = analyze("Nobody in my family has diabetes.").facts
    diabetes = next(f for f in facts if f.key == "diabetes")
    assert (diabetes.polarity, diabetes.family) == ("negated", True)
    assert any(f.kind == "history" for f in facts)
    assert not any(f.kind == "history" for f in analyze("No family history of colon cancer.").facts)


SOCIAL = """\
[doctor] are you married ?
[patient] yes , my husband and i have been together thirty years .
[doctor] and your mother ?
[patient] she's a widow , my dad passed away in two thousand ten .
"""


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("She is married.", "supported"),
        ("Marital status: married.", "supported"),
        ("She is divorced.", "unsupported"),
        ("She is widowed.", "unsupported"),  # the mother is, not she
    ],
)
def test_marital_status_is_a_social_fact(text: str, label: str) -> None:
    src = make_transcript(SOCIAL.split("[doctor] and your")[0])
    assert verify(make_draft(text), [src], omissions=False).verdicts[0].label == label


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("My husband passed away last year.", "widowed"),
        ("I live with my wife.", "married"),
        ("He was engaged to be married.", "engaged to be married"),
    ],
)
def test_spoken_marital_status(text: str, key: str) -> None:
    assert [f.key for f in analyze(text).facts if f.kind == "finding"] == [key]


def test_a_note_that_mentions_a_spouse_claims_no_marital_status() -> None:
    for text in (
        "Social alcohol use per wife.",
        "History was obtained from the patient's husband.",
        "He engaged in a brief conversation.",
    ):
        keys = {f.key for f in analyze(text).facts}
        assert keys.isdisjoint({"married", "engaged to be married"}), text


@pytest.mark.parametrize(
    ("section", "conversation", "label"),
    [
        ("PAST MEDICAL HISTORY", "[doctor] any medical problems ?\n[patient] no .\n", "supported"),
        (
            "PAST MEDICAL HISTORY",
            "[doctor] how is your health ?\n[patient] i'm pretty healthy .\n",
            "supported",
        ),
        (
            "PAST MEDICAL HISTORY",
            "[doctor] any medical problems ?\n[patient] i have diabetes .\n",
            "unsupported",
        ),
        (
            "PAST SURGICAL HISTORY",
            "[doctor] any previous surgeries ?\n[patient] nope .\n",
            "supported",
        ),
        (
            "PAST SURGICAL HISTORY",
            "[doctor] is your family here ? any previous surgeries ?\n[patient] nope .\n",
            "supported",
        ),
        (
            "PAST SURGICAL HISTORY",
            "[doctor] any surgery on that knee ?\n[patient] no .\n",
            "unsupported",
        ),  # one knee's surgeries, not all of them
        ("PAST SURGICAL HISTORY", "[doctor] how are you ?\n[patient] fine .\n", "unsupported"),
    ],
)
def test_unremarkable_medical_and_surgical_histories_must_be_said(
    section: str, conversation: str, label: str
) -> None:
    draft = make_draft("None.", section=section)
    report = verify(draft, [make_transcript(conversation)], omissions=False)
    assert report.verdicts[0].label == label


def test_a_surgery_the_source_gives_is_named_when_the_note_says_none() -> None:
    src = make_transcript(
        "[doctor] any surgeries ?\n[patient] yes , i had knee surgery ten years ago .\n"
    )
    verdict = verify(make_draft("No previous surgeries."), [src], omissions=False).verdicts[0]
    assert verdict.label == "unsupported" and "surgery" in verdict.reason


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (
            "Doctor: Do you use tobacco?\nPatient: What, like smoke cigarettes?\n"
            "Doctor: Yes ma'am, do you?\nPatient: Oh, no. I don't do anything like that.\n",
            "She is a nonsmoker.",
            "supported",
        ),
        (
            "Doctor: Any significant medical conditions in your history?\n"
            "Patient: What, like high blood pressure?\n"
            "Doctor: Well, it could be anything.\nPatient: Oh, no, I don't have anything.\n",
            "No significant past medical history.",
            "supported",
        ),
        (
            "Doctor: Have you ever had a surgery before?\n"
            "Patient: Never. What if something goes wrong?\n"
            "Doctor: You have nothing to worry about.\nPatient: Thank you, let's start.\n",
            "No past surgical history.",
            "supported",
        ),
    ],
)
def test_a_question_back_is_a_clarification(source: str, statement: str, label: str) -> None:
    got, reason = _verdict(source, statement)
    assert got == label, reason


def test_a_wh_question_with_examples_asks_about_them() -> None:
    facts = analyze("What, like high blood pressure?").facts
    assert [(f.key, f.polarity) for f in facts] == [("hypertension", "asked")]


def test_a_question_going_somewhere_asks_no_review() -> None:
    src = make_transcript("[doctor] is the other knee going to need surgery ?\n[patient] no .\n")
    report = verify(make_draft("Review of systems is otherwise negative."), [src], omissions=False)
    assert report.verdicts[0].label == "unsupported", report.verdicts[0].reason


def test_a_yeah_ends_the_scope_of_a_dangling_dont() -> None:
    # "i'm sure you don't, yeah, i see that your blood pressure was high": the "don't"
    # has nothing to deny; the high pressure stands
    source = (
        "[patient] not an experience i want to have again .\n"
        "[doctor] i'm sure you do n't yeah i see that your blood pressure was high also\n"
    )
    got, reason = _verdict(source, "Her blood pressure was high.")
    assert got == "supported", reason
    got, reason = _verdict(source, "She denies a history of hypertension.")
    assert got == "contradicted", reason


def test_a_relatives_disease_is_a_family_fact() -> None:
    facts = analyze("i know some of my relatives have had coronary artery disease .").facts
    assert [(f.key, f.family) for f in facts] == [("coronary artery disease", True)]
