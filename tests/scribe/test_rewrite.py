"""Table tests of the offline engine's minimal rewrite."""

from __future__ import annotations

import pytest

from evident.tasks.scribe.rewrite import (
    clean,
    normalise_numbers,
    rewrite,
    split_sentences,
    third_person,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("um , i have a cough .", "i have a cough."),
        ("i , i have , uh , a cough", "i have a cough"),
        ("okay so the pain is bad", "the pain is bad"),
        ("it hurts , you know , at night", "it hurts at night"),
        ("you know , it started monday", "it started monday"),
        ("it was , like , really sharp", "it was really sharp"),
        ("i like my doctor", "i like my doctor"),
        ("the the pain is is worse", "the pain is worse"),
        ("i've been , i've been walking", "i've been walking"),
        (
            "i do n't smoke and i'm gon na stop drinking",
            "i don't smoke and i'm going to stop drinking",
        ),
        ("l- let me see", "let me see"),
        ("i wan na go ahead and order labs", "i want to order labs"),
        ("i know that you had a fall", "you had a fall"),
        ("it is 8, you know last time it was 6", "it is 8, last time it was 6"),
        ("you know what to do", "you know what to do"),
        ("no surgeries you know i've had back pain", "no surgeries i've had back pain"),
        ("do you know your dose", "do you know your dose"),
        ("i do n't know if it's got to do with that", "i don't know if it's got to do with that"),
        # spoken digits repeat on purpose
        ("go to the hospital , call nine one one", "go to the hospital, call nine one one"),
        ("the code is two two five", "the code is two two five"),
    ],
)
def test_clean(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("text", "speaker", "sex", "expected"),
    [
        ("i have a cough", "patient", "female", "she has a cough"),
        (
            "i have pain and i take ibuprofen",
            "patient",
            "male",
            "he has pain and he takes ibuprofen",
        ),
        ("my knee hurts", "patient", "female", "her knee hurts"),
        ("my knee hurts", "patient", "unknown", "the patient's knee hurts"),
        ("it bothers me", "patient", "male", "it bothers him"),
        ("i'm tired", "patient", "female", "she is tired"),
        ("i don't smoke", "patient", "male", "he does not smoke"),
        ("it's got worse", "patient", "male", "it has got worse"),
        ("i usually feel fine", "patient", "female", "she usually feels fine"),
        ("your lungs are clear", "doctor", "female", "her lungs are clear"),
        ("you have a sprain", "doctor", "male", "he has a sprain"),
        ("i want you to rest", "doctor", "female", "i want her to rest"),
        ("we sent you for therapy", "doctor", "male", "we sent him for therapy"),
        ("i have a question", None, "female", "i have a question"),
    ],
)
def test_third_person(text: str, speaker: str | None, sex: str, expected: str) -> None:
    assert third_person(text, speaker, sex) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five hundred milligrams twice a day", "500 mg twice daily"),
        ("twenty-five milligrams once a day", "25 mg once daily"),
        ("one twenty over eighty", "120/80"),
        ("one thirty-two over eighty-four", "132/84"),
        (
            "it could be like one twenty for the top number",
            "it could be like 120 for the top number",
        ),
        ("a heart rate of one oh five", "a heart rate of one oh five"),
        ("sugar was one fifty", "sugar was 150"),
        ("twenty one days", "21 days"),
        ("a stent in twenty eighteen", "a stent in 2018"),
        ("back in nineteen ninety five", "back in 1995"),
        ("vision is twenty twenty", "vision is twenty twenty"),
        ("call nine one one", "call nine one one"),
        ("five six weeks", "five 6 weeks"),
        ("two hundred and five pounds", "205 pounds"),
        ("two point five milligrams", "2.5 mg"),
        ("40 milligrams every day", "40 mg daily"),
        ("two thousand and five hundred units", "2500 units"),
        ("three weeks ago", "3 weeks ago"),
        ("no one else is sick", "no one else is sick"),
        ("ninety percent", "90%"),
        ("take one of them", "take one of them"),
        ("a three out of six murmur", "a 3/6 murmur"),
        ("one plus pitting edema", "1+ pitting edema"),
        ("two plus two", "two plus two"),
    ],
)
def test_normalise_numbers(text: str, expected: str) -> None:
    assert normalise_numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        (
            "um , i've been taking five hundred milligrams twice a day .",
            "patient",
            "She has been taking 500 mg twice daily.",
        ),
        ("uh", "patient", ""),
        ("okay so your knee is swollen", "doctor", "Her knee is swollen."),
    ],
)
def test_rewrite(text: str, speaker: str, expected: str) -> None:
    assert rewrite(text, speaker, "female") == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("i have pain . it is bad ?", ["i have pain .", "it is bad ?"]),
        ("temp was 38.5 today. fine.", ["temp was 38.5 today.", "fine."]),
        ("no punctuation here", ["no punctuation here"]),
        (". . .", []),
    ],
)
def test_split_sentences(text: str, parts: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == parts
