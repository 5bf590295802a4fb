"""Readings shown missing by the written visits 22-25 (conversations written for these
tests): a limit is no denial ("no more than three times a day"), a contrastive "not"
denies what follows it alone ("with impingement, not a tear"), a negating phrase set off
by a comma is a modifier of its own ("not enlarged, without nodules"), "no longer" said
of a noun, a normal exam on one side beside a finding on the other ("left lung clear"
beside "crackles at the right base"), a count of tablets before their strength, a
declarative clause before a question ("You have diabetes, is it under control?"), a
test repeated ("recheck TSH") rather than a visit, "Sulfa allergy." opening a statement,
and words that place a vital sign by themselves ("afebrile", "tachycardic")."""

from __future__ import annotations

import pytest

from .conftest import dialogue, verdict

IBUPROFEN = dialogue(
    "What have you tried for the shoulder?",
    "Ibuprofen, two tablets, 400 total, maybe twice a day. It takes the edge off.",
    "Keep the ibuprofen but no more than three times a day with food.",
)
TENDON = dialogue(
    "Did you hurt it suddenly?",
    "No, it just came on.",
    "This looks like rotator cuff tendinitis with impingement, not a tear.",
)
THYROID = dialogue(
    "On exam your heart rate is 62, the thyroid isn't enlarged and I don't feel any nodules.",
    "Okay.",
    "We'll check the TSH again in six weeks.",
)
LUNGS = dialogue(
    "They said I had pneumonia in the right lower lung.",
    "Okay. On listening, there are a few crackles at the right base, and the left side is clear.",
)
SMOKING = dialogue("Do you still smoke?", "No, not anymore. I quit.")
SUGAR = dialogue("You have diabetes, is it under control?", "My last A1c was 7.1.")
ALLERGY = dialogue("Any allergies?", "Penicillin, I broke out in hives.")
FEVER = dialogue("Your temperature today is 102.3 and your heart rate is 120.", "Okay.")
NORMAL = dialogue("Your temperature today is 98.4 and your heart rate is 72.", "Okay.")

NAPROXEN = dialogue(
    "Have you been taking anything for pain?",
    "Naproxen for my knees, two a day for the last month or so.",
    "Any swelling in your legs?",
    "My ankles swell by the evening.",
    "I'll recheck your potassium in two weeks.",
)
SCHOOL = dialogue(
    "She had a fever of 101.5 last night?",
    "Yes.",
    "She can go back to school after 12 hours on the antibiotic if her fever is gone.",
)
PREGNANCY = dialogue(
    "When was your last period, and could you be pregnant?",
    "It ended last week. I'm not pregnant, I have an IUD.",
    "I'm sending you for a pregnancy test to be safe.",
    "Any falls?",
    "No falls.",
)
SEAT = dialogue(
    "How is he doing at school?",
    "His teacher says he's finishing his work and not getting out of his seat as much.",
)
MOLE = dialogue("Which spot worries you?", "This mole on my upper back, on the left.")
DIZZY = dialogue("How long does the dizziness last?", "Maybe half a minute, then it stops.")
FAMILY = dialogue(
    "Anyone in your family with prostate cancer?", "My father had it, in his seventies."
)
DONEPEZIL = dialogue(
    "How is he doing on the donepezil 5 milligrams?",
    "Fine, no nausea.",
    "Let's increase the donepezil to 10 milligrams at bedtime.",
)
SINUS = dialogue(
    "Any swelling around your eyes, vision changes, or a stiff neck?",
    "No, none of that.",
    "The nasal lining is swollen with thick discharge.",
    "Use 1 percent hydrocortisone on the red patches twice a day for up to a week.",
)
METFORMIN = dialogue(
    "I'm starting metformin 500 milligrams once a day with dinner, and every week we'll"
    " add 500 until you're at 1000 twice a day.",
    "Okay.",
)
HANDS = dialogue(
    "What's happening with your hand?",
    "My right hand goes numb at night.",
    "Any problems with the left hand?",
    "No, the left is fine.",
)
PAIN = dialogue("When does it hurt?", "My pain gets better when I rest.")
IRON = dialogue(
    "Your blood count shows anemia. Your hemoglobin is 9.1 and your ferritin is 6.",
    "Okay.",
    "I'll start ferrous sulfate 325 milligrams every other day.",
)


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        # a limit: the source sets the same one, or none is denied
        (IBUPROFEN, "Continue ibuprofen, no more than three times daily with food.", "supported"),
        # the tablets are counted; 400 is the dose
        (IBUPROFEN, "Ibuprofen 400 mg about twice daily with partial relief.", "supported"),
        (IBUPROFEN, "Ibuprofen 800 mg about twice daily with partial relief.", "contradicted"),
        # "with impingement, not a tear": the tear is denied, the impingement is not
        (TENDON, "Rotator cuff tendinitis with impingement; no sign of a tear.", "supported"),
        (TENDON, "Rotator cuff tear.", "contradicted"),
        # "not enlarged, without nodules" denies both
        (THYROID, "Thyroid not enlarged, without nodules.", "supported"),
        (THYROID, "Thyroid enlarged, with a nodule.", "contradicted"),
        # a test repeated, not a follow-up visit; its interval is still checked
        (THYROID, "Recheck TSH in 6 weeks.", "supported"),
        (THYROID, "Recheck TSH in 3 months.", "contradicted"),
        # a normal exam on one side, a finding on the other
        (LUNGS, "A few crackles at the right base; left lung clear.", "supported"),
        (LUNGS, "Lungs clear.", "contradicted"),
        (LUNGS, "Right lung clear.", "contradicted"),
        (LUNGS, "Crackles at the left base.", "contradicted"),
        # "no longer" said of a noun after the note's words are read as the finding's
        (SMOKING, "He no longer smokes.", "supported"),
        (SMOKING, "He still smokes.", "contradicted"),
        # the clause before the question is said, not asked
        (SUGAR, "Type 2 diabetes with a last A1c of 7.1.", "supported"),
        (SUGAR, "No diabetes.", "contradicted"),
        # "Sulfa allergy." opens a statement: an allergy the source must bear out
        (ALLERGY, "Sulfa allergy with hives.", "unsupported"),
        (ALLERGY, "Penicillin allergy with hives.", "supported"),
        # a vital sign placed by one word
        (FEVER, "Afebrile.", "contradicted"),
        (FEVER, "Bradycardic.", "contradicted"),
        (NORMAL, "Febrile.", "contradicted"),
        (NORMAL, "Tachycardic.", "contradicted"),
        # "two a day" is twice daily; "for the last month" a month
        (NAPROXEN, "Naproxen twice daily for about a month.", "supported"),
        (NAPROXEN, "Naproxen three times daily for about a month.", "contradicted"),
        (NAPROXEN, "Naproxen twice daily for about 3 months.", "contradicted"),
        # "my ankles swell": swelling, said with a verb
        (NAPROXEN, "Ankle swelling by evening.", "supported"),
        (NAPROXEN, "No ankle swelling.", "contradicted"),
        # a state word in a condition claims nothing
        (SCHOOL, "May return to school after 12 hours of antibiotics if afebrile.", "supported"),
        # a later clause that asks; a test ordered is no claim of what it tests for
        (PREGNANCY, "Pregnant.", "contradicted"),
        (PREGNANCY, "Not pregnant.", "supported"),
        # "Reports a fall": the parser's adverbial noun read as the object reported
        (PREGNANCY, "Reports a fall.", "contradicted"),
        # "not ... as much" denies a degree, not the thing: no conflict (the wording
        # "less" is left to the entailer)
        (SEAT, "Less out of his seat, finishing his work.", "unsupported"),
        (SEAT, "He gets out of his seat.", "unsupported"),
        # a side said after a comma, closing the phrase
        (MOLE, "Mole on the left upper back.", "supported"),
        (MOLE, "Mole on the right upper back.", "contradicted"),
        # seconds are a duration: half a minute is 30 seconds
        (DIZZY, "Dizziness lasting about 30 seconds.", "supported"),
        (DIZZY, "Dizziness lasting 40 seconds.", "unsupported"),
        # a relative "had it": a yes for that relative
        (FAMILY, "Father had prostate cancer.", "supported"),
        (FAMILY, "No family history of prostate cancer.", "contradicted"),
        # an increase keeps the drug on
        (DONEPEZIL, "Increase donepezil to 10 mg at bedtime.", "supported"),
        (DONEPEZIL, "Stop donepezil.", "contradicted"),
        # "periorbital" is of the eye, not the nose's swelling
        (SINUS, "No periorbital swelling, vision changes or neck stiffness.", "supported"),
        # "for up to a week" is a week
        (SINUS, "Hydrocortisone 1% twice daily for up to 1 week.", "supported"),
        # a unitless number before a frequency is a dose in the unit said before it
        (METFORMIN, "Metformin 500 mg daily, increasing to 1000 mg twice daily.", "supported"),
        (METFORMIN, "Metformin 500 mg daily, increasing to 2000 mg twice daily.", "contradicted"),
        # a part found normal on one side: no conflict with the other side's finding
        (HANDS, "Left hand asymptomatic.", "supported"),
        (HANDS, "Left hand numbness at night.", "contradicted"),
        # a lab named after a drug's name takes the number: "iron" has no dose of 9.1
        (IRON, "Iron deficiency anemia with hemoglobin 9.1 and ferritin 6.", "supported"),
        (IRON, "Iron deficiency anemia with hemoglobin 7.1 and ferritin 6.", "contradicted"),
        (IRON, "Start ferrous sulfate 650 mg every other day.", "contradicted"),
    ],
)
def test_reading(source: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement)
    assert got == label, reason


def test_a_limit_reads_no_denial_but_a_bare_no_more_still_does() -> None:
    from evident.verify.denials import words_of

    limit = "Ibuprofen no more than three times daily."
    assert not any(w.negated(spoken=False) for w in words_of([limit])[limit])
    done = "No more smoking."
    assert any(w.negated(spoken=False) for w in words_of([done])[done])


def test_a_count_of_puffs_stays_the_dose_before_an_interval() -> None:
    from evident.verify.facts import extract_facts

    def dose(text: str) -> float | None:
        return next(f.value for f in extract_facts(text) if f.kind == "medication")

    assert dose("Albuterol 2 puffs every 12 hours.") == 2.0
    assert dose("Tylenol 2 tablets of 500 every 6 hours.") == 500.0
    assert dose("Ibuprofen, two tablets, 400 total.") == 400.0


def test_a_state_word_must_name_a_known_measure_and_place() -> None:
    import json
    from importlib import resources

    from pydantic import ValidationError

    from evident.verify._resources import Measurements

    path = resources.files("evident.verify").joinpath("resources", "measurements.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    Measurements.model_validate(data)
    data["states"] = {"feverish": ["body heat", "high"]}
    with pytest.raises(ValidationError, match="feverish"):
        Measurements.model_validate(data)


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("When was your last period, and could you be pregnant?", "asked"),
        ("I'm sending you for a pregnancy test to be safe.", "uncertain"),
        ("Pregnancy test negative.", "negated"),
        ("The pregnancy test came back positive.", "affirmed"),
    ],
)
def test_a_question_later_in_a_sentence_and_a_test_without_result(text: str, polarity: str) -> None:
    from evident.verify.facts import extract_facts

    assert next(f.polarity for f in extract_facts(text) if f.key == "pregnancy") == polarity


@pytest.mark.parametrize(
    ("statement", "conflict"),
    [
        # opposites said under other circumstances are no conflict; under the same, one;
        # where only one side names a circumstance, it may be the same one
        ("Her pain is worse with walking.", False),
        ("Her pain is aggravated by walking.", False),
        ("Her pain is worse with rest.", True),
    ],
)
def test_opposites_under_other_circumstances(statement: str, conflict: bool) -> None:
    from evident.verify.antonyms import check_antonym

    from .conftest import make_transcript

    src = make_transcript(PAIN)
    got = check_antonym(statement, list(src.segments), src)
    assert (got is not None and got.outcome == "conflict") == conflict, got


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("hmmm okay and does anything make the pain feel better", True),
        ("is it worse at night", True),
        ("okay so do you smoke", True),
        ("I do have pain", False),
        ("it is worse at night", False),
        ("your left knee looks fine, okay?", False),
    ],
)
def test_an_unpunctuated_question_is_read_as_one(sentence: str, asks: bool) -> None:
    from evident.verify.side_words import _asks

    assert _asks(sentence) == asks
