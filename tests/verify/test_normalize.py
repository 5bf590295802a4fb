"""Normalisation of spoken and written clinical numbers (table of cases)."""

from __future__ import annotations

import pytest

from evident.verify.normalize import normalize, parse_number, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Five hundred milligrams", "500 milligrams"),
        ("twenty-five mg", "25 mg"),
        ("one hundred and fifty", "150"),
        ("blood pressure one fifty over ninety", "blood pressure 150/90"),
        ("BP 120 over 80", "bp 120/80"),
        ("for a year and a half", "for 18 months"),
        ("two and a half years", "2.5 years"),
        ("a week and a half", "1.5 weeks"),
        ("a 50-year-old man", "a 50 year-old man"),
        ("April fifteenth two thousand five", "april 15 2005"),
        ("nineteen ninety five", "1995"),
        ("1,200 mg", "1200 mg"),
        ("take b.i.d. p.o.", "take bid po"),
        ("pain is a 7 out of 10", "pain is a 7 outof10"),
        ("i do n't see any fracture", "i don't see any fracture"),
        ("temp 98.6°F", "temp 98.6 degrees"),
        ("come back in a month", "come back in 1 month"),
        ("once a day", "once a day"),
        ("type ii diabetes", "type 2 diabetes"),
        ("ninety eight point six", "98.6"),
        ("a grade three out of six murmur", "a grade 3/6 murmur"),
        # number words joined to a unit by a hyphen keep both
        ("a six to eight-week history", "a 6 to 8-week history"),
        ("a twenty-five-year-old man", "a 25 year-old man"),
        ("a two-and-a-half-month-old boy", "a 2.5 month-old boy"),
        ("one-half pack a day", "0.5 pack a day"),
        # halves said aloud
        ("i smoked a half a pack", "i smoked 0.5 pack"),
        ("after half an hour", "after 0.5 hour"),
        ("i only took a half dose", "i only took 0.5 dose"),
        ("for the last week and a half", "for the last 1.5 weeks"),
        ("one and a half tablets", "1.5 tablets"),
        ("half of the lisinopril", "half of the lisinopril"),
        ("thirty minutes to an hour", "30 minutes to 1 hour"),
        ("i go to a day program", "i go to a day program"),
        ("much less than half the time", "much less than half the time"),
        # acronyms spelled letter by letter, decimals said digit by digit, dashes
        ("Were you aware you had a U T I?", "were you aware you had a uti?"),
        ("It was ten M G.", "it was 10 mg."),
        ("I have C O P D.", "i have copd."),
        ("Vitamin D I take daily.", "vitamin d i take daily."),
        ("point one twenty five M G of Xanax", "0.125 mg of xanax"),
        ("she started a point six m g", "she started a 0.6 m g"),
        ("at this point two weeks ago", "at this point 2 weeks ago"),
        ("like you told me to—six hundred M L", "like you told me to — 600 ml"),
        ("No one else at home is sick.", "nobody else at home is sick."),
        ("no one-year follow-up", "no 1-year follow-up"),
        # decades of life, and lab values said in decades
        ("she was in her seventies?", "she was in her 70s?"),
        ("sugars in the one twenties", "sugars in the 120s"),
        ("", ""),
        ("no numbers here", "no numbers here"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("A1c 7.2%, BP 120/80.", ["a1c", "7.2%", ",", "bp", "120/80", "."]),
        ("x-ray of the left knee?", ["x-ray", "of", "the", "left", "knee", "?"]),
        ("mg/dl", ["mg/dl"]),
        # a power of ten in a unit (UCUM, FHIR) is part of the unit, not two numbers
        # (10^9/L is 10^3/uL: per litre is read per microlitre, as the labs write it)
        ("Platelets 188.156 10*3/uL.", ["platelets", "188.156", "k/ul", "."]),
        ("WBC 6.2 x10^9/L", ["wbc", "6.2", "k/ul"]),
        ("RBC 4.9 x 10^12/L", ["rbc", "4.9", "mil/ul"]),
        ("RBC 4.9 10*6/uL", ["rbc", "4.9", "mil/ul"]),
        ("5 10*2/mL", ["5", "e2/ml"]),
        ("take 10 mg, pain 10/10", ["take", "10", "mg", ",", "pain", "10", "outof10"]),
        ("", []),
        ("\x00\x01 ###", []),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert tokenize(normalize(text)) == tokens


@pytest.mark.parametrize(
    ("token", "value"), [("40", 40.0), ("2.5", 2.5), ("45%", 45.0), ("mg", None), ("1/2", None)]
)
def test_parse_number(token: str, value: float | None) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("A C T scan was done.", "a ct scan was done."),
        ("an M R I of the knee", "an mri of the knee"),
        ("an A C E inhibitor", "an ace inhibitor"),
        ("Has she been to P T?", "has she been to physical therapy?"),
        ("O T twice a week", "occupational therapy twice a week"),
        ("an A P and lateral view", "an ap and lateral view"),
        # a plural's lower-case s stays on the acronym
        ("I have not had any U T Is since.", "i have not had any utis since."),
        ("two M R Is of the knee", "2 mris of the knee"),
        ("vitamin D Is fine", "vitamin d is fine"),
        # "one half" is a half, "two and one half" two and a half
        ("He smokes one half pack a day.", "he smokes 0.5 pack a day."),
        ("two and one half years", "2.5 years"),
        # "passed away" is "died" (not "passed a stone")
        ("My mom passed away at 70.", "my mom died at 70."),
        ("I passed a stone away from home.", "i passed a stone away from home."),
    ],
)
def test_spelled_letters(spoken: str, written: str) -> None:
    assert normalize(spoken) == written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # written halves
        ("smokes 1-1/2 packs a day", "smokes 1.5 packs a day"),
        ("take 1 1/2 tablets", "take 1.5 tablets"),
        ("walks a 1/2-mile a day", "walks a 0.5 mile a day"),
        ("0.5 mg on 1/2/2019", "0.5 mg on 1/2/2019"),  # a date stays a date
        ("bp 1/2", "bp 1/2"),  # nor is a bare ratio a half
        # a count noun and a half
        ("a pack to a pack and a half a day", "a pack to 1.5 pack a day"),
        ("two tablets and a half", "2.5 tablet"),
        # a duration's possessive
        ("in about one week's time", "in about 1 week time"),
        # heights in feet and inches
        ("five foot ten", "70 inches"),
        ("5 feet 10 inches.", "70 inches."),
        ("height 5'10\", weight 180", "height 70 inches, weight 180"),
        ("5 ft 4 in", "64 inches"),
        ("he fell 6 feet", "he fell 6 feet"),  # feet alone are no height
    ],
)
def test_halves_durations_and_heights(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        # the FHIR rendering and the chart summary both write UCUM units
        (
            "Observation: Platelets [#/volume] in Blood 188.156 10*3/uL; effective 2020-06-08.",
            "Platelets 188.156 10*3/uL, effective 2020-06-08.",
            "supported",
        ),
        (
            "Observation: Platelets [#/volume] in Blood 188.156 10*3/uL; effective 2020-06-08.",
            "Platelets 188.156 x10^9/L, effective 2020-06-08.",
            "supported",
        ),
        (
            "Observation: Platelets [#/volume] in Blood 188.156 10*3/uL; effective 2020-06-08.",
            "Platelets 404.095 10*3/uL, effective 2020-06-08.",
            "contradicted",
        ),
    ],
)
def test_unit_powers_are_no_numbers(source: str, statement: str, label: str) -> None:
    from evident.sources import load_source
    from evident.verify.check import verify
    from evident.verify.options import VerifyOptions

    from .conftest import make_draft

    src = load_source(source, kind="note", name="obs.txt")
    v = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False)).verdicts[0]
    assert v.label == label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clock time on the hour is its hour, as it is said ("at seven")
        ("around 7:00-8:00 that evening", "around 7-8 that evening"),
        ("seen at 10:00 a.m.", "seen at 10 am"),
        # minutes that are said stay ("seven thirty"), and a duration is left alone
        ("at 7:30 pm", "at 7:30 pm"),
        ("at 19:00 hours", "at 19:00 hours"),
        ("a 1:100 dilution", "a 1:100 dilution"),
    ],
)
def test_clock_times_on_the_hour(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("statement", "supported"),
    [
        ("The nausea began around 7:00 last night.", True),
        ("The nausea began around 9:00 last night.", False),
    ],
)
def test_clock_time_against_speech(statement: str, supported: bool) -> None:
    from evident.sources import load_source
    from evident.verify.check import verify
    from evident.verify.options import VerifyOptions

    from .conftest import make_draft

    src = load_source(
        "[doctor] when did the nausea start ?\n[patient] last night , around seven .\n",
        kind="transcript",
        name="visit.txt",
    )
    v = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False)).verdicts[0]
    assert (v.label == "supported") is supported, v.reason
